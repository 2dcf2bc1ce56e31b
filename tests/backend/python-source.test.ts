import { describe, expect, it } from "vitest";
import { depthBelow, importRootOf, parentPackage, submodule } from "../../generators/lib/backend/python-module.js";
import { engineName } from "../../generators/lib/backend/db-engine.js";
import { importsSqlModel, isStringAnnotation, modelColumns, taskIdType, taskModelProblem } from "../../generators/lib/backend/task-columns.js";
import { bindingsOf, moduleBindings } from "../../generators/lib/python/imports.js";
import { parsePython, statementsOf } from "../../generators/lib/python/syntax.js";

/** The bindings of a module's one import statement, as name → target pairs. */
const importBindings = (statement: string, importer?: string) => {
  const source = parsePython(`${statement}\n`);
  return bindingsOf(source, statementsOf(source.top)[0], importer).map(({ name, target }) => ({ name, target }));
};

describe("import bindings (python/imports.ts)", () => {
  it("binds the names each import form introduces", () => {
    expect(importBindings("from routes.auth import router as auth_router, other")).toEqual([
      { name: "auth_router", target: "routes.auth.router" },
      { name: "other", target: "routes.auth.other" },
    ]);
    expect(importBindings("from app.routers import (items,  # the items\n  users as u,)")).toEqual([
      { name: "items", target: "app.routers.items" },
      { name: "u", target: "app.routers.users" },
    ]);
    expect(importBindings("import routes.auth, json as j")).toEqual([
      { name: "routes", target: "routes" },
      { name: "j", target: "json" },
    ]);
    expect(importBindings("from x import *")).toEqual([]);
  });

  it("resolves relative imports against the importing module, and gives up without it", () => {
    expect(importBindings("from .routers import tasks", "app.main")).toEqual([{ name: "tasks", target: "app.routers.tasks" }]);
    expect(importBindings("from ..shared import db", "app.api.main")).toEqual([{ name: "db", target: "app.shared.db" }]);
    expect(importBindings("from . import auth", "app.main")).toEqual([{ name: "auth", target: "app.auth" }]);
    expect(importBindings("from .routers import tasks")).toEqual([]);
  });

  it("reads only real top-level imports: not a docstring's, not one inside a function", () => {
    const source = parsePython('"""\nfrom routes import auth\n"""\nimport os\n\ndef f():\n    from routes import tasks\n');
    expect([...moduleBindings(source).keys()]).toEqual(["os"]);
  });
});

describe("module paths", () => {
  it("derives packages, submodules, the import root and the folder depth", () => {
    expect(parentPackage("app.main")).toBe("app");
    expect(parentPackage("main")).toBe("");
    expect(submodule("", "auth_jwt")).toBe("auth_jwt");
    expect(submodule("app.routers", "auth")).toBe("app.routers.auth");
    expect(importRootOf("backend", "backend/main.py", "main")).toBe("");
    expect(importRootOf("backend", "backend/app/main.py", "app.main")).toBe("");
    expect(importRootOf("services/api", "services/api/src/pkg/main.py", "pkg.main")).toBe("src");
    expect(importRootOf(".", "main.py", "main")).toBe("");
    expect(depthBelow("backend", "backend")).toBe(0);
    expect(depthBelow("backend", "backend/app/routers")).toBe(2);
    expect(depthBelow(".", "app")).toBe(1);
  });
});

describe("the Task model's user_id type", () => {
  it.each(["str", "str | None", "None | str", "Optional[str]", "typing.Optional[str]", "Union[str, None]", "Mapped[str]", "Mapped[Optional[str]]"])(
    "accepts %s",
    (annotation) => expect(isStringAnnotation(annotation)).toBe(true),
  );

  it.each(["int", "UUID", "uuid.UUID", "int | None", "Optional[int]", "str | int", "Mapped[int]", "bytes"])("refuses %s", (annotation) =>
    expect(isStringAnnotation(annotation)).toBe(false),
  );

  it("explains why an int user_id or a missing one cannot back the routes", () => {
    const model = { module: "models", file: "backend/models.py", className: "Task" };
    expect(taskModelProblem({ ...model, userIdType: "str" }, null)).toBeNull();
    expect(taskModelProblem({ ...model, userIdType: "int" }, null)).toMatch(/Task\.user_id in backend\/models\.py is int.*strings/);
    expect(taskModelProblem({ ...model, userIdType: null }, null)).toMatch(/has no user_id column/);
  });
});

describe("the Task model's other columns", () => {
  const model = { module: "models", file: "backend/models.py", className: "Task", userIdType: "str" };
  const sqlModelTask = (fields: string[]) => ["from sqlmodel import Field, SQLModel", "", "", "class Task(SQLModel, table=True):", ...fields.map((f) => `    ${f}`), ""].join("\n");
  const complete = ["id: int | None = Field(default=None, primary_key=True)", "title: str", "description: str | None = None", "completed: bool = False", "user_id: str"];

  it("accepts a model with an int id, title, description and completed", () => {
    expect(taskModelProblem(model, sqlModelTask(complete))).toBeNull();
  });

  it.each(["title", "description", "completed"])("refuses a model without %s, naming it", (column) => {
    const text = sqlModelTask(complete.filter((f) => !f.startsWith(`${column}:`)));
    expect(taskModelProblem(model, text)).toBe(
      `Task in backend/models.py has no ${column} column; the task routes read and write id, title, description, completed and user_id: add it and rerun to get the task routes`,
    );
  });

  it("names every missing column at once, and refuses a model without an id", () => {
    expect(taskModelProblem(model, sqlModelTask(["user_id: str", "title: str"]))).toMatch(/has no id, description, completed columns; .*add them/);
  });

  it.each([
    ["id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)", "UUID"],
    ["id: str = Field(primary_key=True)", "str"],
    ["id: Mapped[str] = mapped_column(primary_key=True)", "str"],
    ["id: int | None = Field(default=None, primary_key=True)", "int"],
  ])("takes an id of %s as the routes' {task_id} type (%s)", (id, type) => {
    const text = sqlModelTask([id, ...complete.slice(1)]);
    expect(taskModelProblem(model, text)).toBeNull();
    expect(taskIdType(text, "Task")).toBe(type);
  });

  it("refuses an id the routes cannot take in a path", () => {
    expect(taskModelProblem(model, sqlModelTask(["id: bytes = Field(primary_key=True)", ...complete.slice(1)]))).toMatch(/Task\.id in backend\/models\.py is bytes, but the task routes look tasks up by an int, UUID or str id/);
  });

  it("reads columns from SQLAlchemy declarations and from base classes in the same module", () => {
    const classic = [
      "class Base(DeclarativeBase):",
      "    id: Mapped[int] = mapped_column(primary_key=True)",
      "",
      "",
      "class Task(Base):",
      '    __tablename__ = "tasks"',
      "    title = Column(String(200), nullable=False)",
      "    description = Column(Text)",
      "    completed = Column(Boolean, default=False)",
      "    user_id = Column(String, index=True)",
      "",
      "    class Config:",
      "        id = 'not a column of Task'",
    ].join("\n");
    expect(modelColumns(classic, "Task")).toEqual({
      columns: new Map([["id", "int"], ["title", "str"], ["description", "str"], ["completed", "bool"], ["user_id", "str"]]),
      complete: true,
    });
    expect(taskModelProblem(model, classic)).toBeNull();
    const tutorial = ["class TaskBase(SQLModel):", "    title: str", "    description: str | None = None", "    completed: bool = False", "    user_id: str", "", "", "class Task(TaskBase, table=True):", "    id: int | None = Field(default=None, primary_key=True)"].join("\n");
    expect(taskModelProblem({ ...model, userIdType: null }, tutorial)).toBeNull();
  });

  it("does not report columns missing when a base class is defined in another module", () => {
    const text = ["from app.mixins import Timestamped", "", "class Task(Timestamped, SQLModel, table=True):", "    id: int | None = Field(default=None, primary_key=True)", "    user_id: str"].join("\n");
    expect(modelColumns(text, "Task")?.complete).toBe(false);
    expect(taskModelProblem(model, text)).toBeNull();
  });
});

describe("importsSqlModel", () => {
  it.each([
    ["from sqlmodel import Field, SQLModel", true],
    ["import sqlmodel", true],
    ["from sqlmodel.ext.asyncio.session import AsyncSession", true],
    ["import os, sqlmodel as sm", true],
    ["from sqlmodel import *", true],
    ["if TYPE_CHECKING:\n    from sqlmodel import Session", true],
    ['"""\nfrom sqlmodel import SQLModel\n"""', false],
    ["# import sqlmodel", false],
    ["from sqlmodels import X", false],
    ["from sqlalchemy.orm import DeclarativeBase", false],
  ])("%j → %s", (text, expected) => expect(importsSqlModel(`${text}\n`)).toBe(expected));
});

describe("modelColumns on the parser", () => {
  it("reads a class body whole, a docstring with a column-0 line inside it included, and not a class in a string", () => {
    const text = [
      'EXAMPLE = """',
      "class Task(Base):",
      "    id: str",
      '"""',
      "class Task(SQLModel, table=True):",
      '    """Tasks.',
      "class Note:",
      '"""',
      "    id: int | None = Field(default=None, primary_key=True)",
      "    user_id = Column(String(36), ForeignKey('users.id'))",
      "    owner = Column(sa.ForeignKey('users.id'))",
    ].join("\n");
    expect(modelColumns(text, "Task")).toEqual({ columns: new Map([["id", "int"], ["user_id", "str"], ["owner", "Any"]]), complete: true });
  });
});

describe("engineName", () => {
  it.each([
    ["engine = create_engine(DATABASE_URL)", "engine"],
    ["db_engine: Engine = sqlalchemy.create_engine(url)", "db_engine"],
    ["async_engine = create_async_engine(url, echo=True)", "async_engine"],
    ["engine = make_engine()", "engine"],
    ["from app.core.config import settings, engine  # shared", "engine"],
  ])("finds the engine of %s", (line, name) => expect(engineName(`import os\n\n${line}\n`)).toBe(name));

  it.each([
    "def get_session():\n    engine = create_engine(url)\n",
    "if True:\n    engine = create_engine(url)\n",
    "from app.core import engine as db\n",
    "engine_url = 'sqlite://'\n",
    "engine == other\n",
  ])("finds no top-level engine in %j", (text) => expect(engineName(text)).toBeNull());
});
