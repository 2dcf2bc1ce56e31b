import { describe, expect, it } from "vitest";
import { detectBackend, findBackendCandidates } from "../../generators/lib/detect/index.js";
import { userError } from "../helpers/user-error.js";
import { MAIN_PY, pep621Pyproject, useFixtures } from "./fixtures.js";

const repo = useFixtures();

/**
 * A backend folder at `api/` with requirements.txt naming fastapi and main.py creating the app, plus `files`
 * (relative to api/; null leaves a default file out).
 */
function backendAt(files: Record<string, string | null>): string {
  const base: Record<string, string | null> = { "requirements.txt": "fastapi\nuvicorn\n", "main.py": MAIN_PY };
  const entries = Object.entries({ ...base, ...files }).filter((e): e is [string, string] => e[1] !== null);
  return repo(Object.fromEntries(entries.map(([rel, text]) => [`api/${rel}`, text])));
}

describe("detectBackend: where dependencies are declared", () => {
  it("pep621: [project].dependencies names fastapi (extras and case do not matter)", () => {
    const root = backendAt({ "requirements.txt": null, "pyproject.toml": pep621Pyproject(['FastAPI[standard]>=0.115', "sqlmodel"]) });
    expect(detectBackend(root, "api")).toMatchObject({ depsFile: { kind: "pep621", file: "api/pyproject.toml" }, pythonTool: "pip" });
  });

  it("poetry: [tool.poetry.dependencies] names fastapi; [tool.poetry] means poetry", () => {
    const root = backendAt({
      "requirements.txt": null,
      "pyproject.toml": '[tool.poetry]\nname = "api"\n\n[tool.poetry.dependencies]\npython = "^3.11"\nfastapi = { version = "^0.115", extras = ["standard"] }\n',
    });
    expect(detectBackend(root, "api")).toMatchObject({ depsFile: { kind: "poetry", file: "api/pyproject.toml" }, pythonTool: "poetry" });
  });

  it("requirements: the requirements*.txt that names fastapi, requirements.txt first", () => {
    const both = backendAt({ "requirements.txt": "# web\nfastapi==0.115.0  # pinned\n", "requirements-dev.txt": "fastapi\npytest\n" });
    expect(detectBackend(both, "api").depsFile).toEqual({ kind: "requirements", file: "api/requirements.txt" });
    const devOnly = backendAt({ "requirements.txt": null, "requirements-prod.txt": "-r base.txt\nfastapi[standard]>=0.110 ; python_version >= '3.9'\n" });
    expect(detectBackend(devOnly, "api").depsFile).toEqual({ kind: "requirements", file: "api/requirements-prod.txt" });
  });

  it("a pyproject without fastapi (tool config only) leaves requirements.txt as the deps file", () => {
    const root = backendAt({ "pyproject.toml": '[tool.ruff]\nline-length = 100\n\n[project]\nname = "api"\ndependencies = []\n' });
    expect(detectBackend(root, "api").depsFile).toEqual({ kind: "requirements", file: "api/requirements.txt" });
  });

  it.each([
    ["uv.lock in the backend", { "uv.lock": "version = 1\n" }, "uv"],
    ["poetry.lock in the backend", { "poetry.lock": "# lock\n" }, "poetry"],
    ["no lockfile", {}, "pip"],
  ])("pythonTool follows %s", (_, files, tool) => {
    expect(detectBackend(backendAt(files), "api").pythonTool).toBe(tool);
  });

  it("pythonTool is uv for a uv workspace with uv.lock at the repo root", () => {
    const root = repo({ "uv.lock": "version = 1\n", "api/pyproject.toml": pep621Pyproject(), "api/main.py": MAIN_PY });
    expect(detectBackend(root, "api").pythonTool).toBe("uv");
  });

  it("pythonTool is pip for a backend declared in requirements.txt beside a root uv project of another app", () => {
    const root = repo({ "uv.lock": "version = 1\n", "pyproject.toml": pep621Pyproject([]), "api/requirements.txt": "fastapi\n", "api/main.py": MAIN_PY });
    expect(detectBackend(root, "api").pythonTool).toBe("pip");
  });

  it("does not mistake a different project for fastapi (PEP 503 names)", () => {
    const root = backendAt({ "requirements.txt": "fastapi-users\nfastapi_utils\n# fastapi\n" });
    expect(userError(() => detectBackend(root, "api")).message).toBe("no FastAPI app in 'api': no pyproject.toml or requirements*.txt names fastapi");
  });
});

describe("detectBackend: the app module", () => {
  it.each([
    ["main.py", { "main.py": MAIN_PY }, { module: "main", file: "api/main.py" }, "main:app"],
    ["app/main.py", { "main.py": null, "app/__init__.py": "", "app/main.py": MAIN_PY }, { module: "app.main", file: "api/app/main.py" }, "app.main:app"],
    // src/ without __init__.py is the import root, so src/main.py imports as "main".
    ["src/main.py", { "main.py": null, "src/main.py": MAIN_PY }, { module: "main", file: "api/src/main.py" }, "main:app"],
    ["src/<package>/main.py", { "main.py": null, "src/todo_api/__init__.py": "", "src/todo_api/main.py": MAIN_PY }, { module: "todo_api.main", file: "api/src/todo_api/main.py" }, "todo_api.main:app"],
    ["src/ as a package", { "main.py": null, "src/__init__.py": "", "src/main.py": MAIN_PY }, { module: "src.main", file: "api/src/main.py" }, "src.main:app"],
    ["any other module", { "main.py": null, "service/server.py": MAIN_PY }, { module: "service.server", file: "api/service/server.py" }, "service.server:app"],
  ])("finds the app in %s", (_, files, ref, appImport) => {
    const backend = detectBackend(backendAt(files), "api");
    expect(backend.app).toEqual({ ...ref, variable: "app" });
    expect(backend.appImport).toBe(appImport);
  });

  it("prefers main.py over app/main.py, and reads the variable name", () => {
    const root = backendAt({ "main.py": "import fastapi\napi: fastapi.FastAPI = fastapi.FastAPI()\n", "app/main.py": MAIN_PY });
    expect(detectBackend(root, "api").appImport).toBe("main:api");
  });

  it("ignores commented-out, indented and test-only apps", () => {
    const root = backendAt({
      "main.py": "from fastapi import FastAPI\n# app = FastAPI()\ndef build():\n    app = FastAPI()\n    return app\n",
      "tests/test_main.py": MAIN_PY,
      "conftest.py": MAIN_PY,
      "app/server.py": "from fastapi import FastAPI\n\nserver = FastAPI(\n    title='x',\n)\n",
    });
    expect(detectBackend(root, "api").appImport).toBe("app.server:server");
  });

  it("works for a backend at the repo root", () => {
    const root = repo({ "pyproject.toml": pep621Pyproject(), "app/main.py": MAIN_PY, "app/__init__.py": "" });
    expect(detectBackend(root, ".")).toMatchObject({ dir: ".", app: { module: "app.main", file: "app/main.py" }, routes: { file: "app/routes", exists: false } });
  });
});

describe("detectBackend: the routes package", () => {
  it.each([
    ["routes", { "routes/__init__.py": "" }, "main.py", { module: "routes", file: "api/routes" }],
    ["routers", { "routers/items.py": "" }, "main.py", { module: "routers", file: "api/routers" }],
    ["app/routers", { "app/main.py": MAIN_PY, "app/routers/__init__.py": "" }, "app/main.py", { module: "app.routers", file: "api/app/routers" }],
    ["app/routes", { "app/main.py": MAIN_PY, "app/routes/__init__.py": "" }, "app/main.py", { module: "app.routes", file: "api/app/routes" }],
    ["api/routes", { "api/routes/__init__.py": "" }, "main.py", { module: "api.routes", file: "api/api/routes" }],
    ["app/api/routes", { "app/main.py": MAIN_PY, "app/api/routes/__init__.py": "" }, "app/main.py", { module: "app.api.routes", file: "api/app/api/routes" }],
    ["api/v1/endpoints", { "api/v1/endpoints/__init__.py": "" }, "main.py", { module: "api.v1.endpoints", file: "api/api/v1/endpoints" }],
    ["app/api/v1/endpoints", { "app/main.py": MAIN_PY, "app/api/v1/endpoints/users.py": "" }, "app/main.py", { module: "app.api.v1.endpoints", file: "api/app/api/v1/endpoints" }],
    ["src/<package>/routers", { "src/shop/main.py": MAIN_PY, "src/shop/routers/__init__.py": "" }, "src/shop/main.py", { module: "shop.routers", file: "api/src/shop/routers" }],
  ])("uses an existing %s", (_, files, appFile, ref) => {
    const backend = detectBackend(backendAt({ ...files, ...(appFile === "main.py" ? {} : { "main.py": null }) }), "api");
    expect(backend.app.file).toBe(`api/${appFile}`);
    expect(backend.routes).toEqual({ ...ref, exists: true });
  });

  it("prefers the routes package inside the app's own package", () => {
    const root = backendAt({ "main.py": null, "app/main.py": MAIN_PY, "routes/__init__.py": "", "app/api/routes/__init__.py": "" });
    expect(detectBackend(root, "api").routes).toEqual({ module: "app.api.routes", file: "api/app/api/routes", exists: true });
  });

  it("proposes a new routes/ next to the app module when none exists", () => {
    expect(detectBackend(backendAt({}), "api").routes).toEqual({ module: "routes", file: "api/routes", exists: false });
    const nested = backendAt({ "main.py": null, "app/main.py": MAIN_PY });
    expect(detectBackend(nested, "api").routes).toEqual({ module: "app.routes", file: "api/app/routes", exists: false });
    const src = backendAt({ "main.py": null, "src/shop/main.py": MAIN_PY });
    expect(detectBackend(src, "api").routes).toEqual({ module: "shop.routes", file: "api/src/shop/routes", exists: false });
  });

  it("does not propose routes/ over an existing routes.py module (the package would shadow it)", () => {
    expect(detectBackend(backendAt({ "routes.py": "" }), "api").routes).toEqual({ module: "routers", file: "api/routers", exists: false });
  });
});

describe("detectBackend: the session dependency", () => {
  const syncDb = "from sqlmodel import Session, create_engine\n\nengine = create_engine('sqlite://')\n\ndef get_session():\n    with Session(engine) as session:\n        yield session\n";
  const asyncDb =
    "from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine\n\nSessionLocal = async_sessionmaker(create_async_engine('sqlite+aiosqlite://'))\n\nasync def get_db():\n    async with SessionLocal() as session:\n        yield session\n";

  it.each([
    ["sync get_session in db.py", { "db.py": syncDb }, { module: "db", file: "api/db.py", dependency: "get_session", dependencyKind: "function", async: false }],
    ["async get_db in app/database.py", { "app/database.py": asyncDb }, { module: "app.database", file: "api/app/database.py", dependency: "get_db", dependencyKind: "function", async: true }],
    [
      "a sync get_db that returns an AsyncSession-typed factory",
      { "app/core/db.py": "from sqlalchemy.ext.asyncio import AsyncSession\n\ndef get_db() -> AsyncSession:\n    return factory()\n" },
      { module: "app.core.db", file: "api/app/core/db.py", dependency: "get_db", dependencyKind: "function", async: true },
    ],
    [
      "SessionDep alias (sync) next to get_db",
      { "app/core/db.py": syncDb, "app/api/deps.py": "from typing import Annotated\nfrom fastapi import Depends\nfrom sqlmodel import Session\nfrom app.core.db import get_session\n\nCurrentUser = Annotated[str, Depends(lambda: 'u')]\nSessionDep = Annotated[Session, Depends(get_session)]\n" },
      { module: "app.api.deps", file: "api/app/api/deps.py", dependency: "SessionDep", dependencyKind: "annotated", async: false },
    ],
    [
      "an async Annotated alias under another name",
      { "deps.py": "from typing import Annotated, TypeAlias\nfrom sqlalchemy.ext import asyncio\nDbSession: TypeAlias = Annotated[asyncio.AsyncSession, Depends(get_db)]\n" },
      { module: "deps", file: "api/deps.py", dependency: "DbSession", dependencyKind: "annotated", async: true },
    ],
  ])("finds %s", (_, files, db) => {
    expect(detectBackend(backendAt(files), "api").db).toEqual(db);
  });

  it("is null when no module defines a session dependency", () => {
    expect(detectBackend(backendAt({ "db.py": "# def get_session():\nengine = None\n" }), "api").db).toBeNull();
  });
});

describe("detectBackend: the Task model", () => {
  const sqlmodelTask = (userId: string) =>
    `import uuid\nfrom sqlmodel import Field, SQLModel\n\n\nclass Task(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n    title: str\n${userId}\n\n\nclass Other(SQLModel):\n    user_id: bytes\n`;

  it.each([
    ["user_id: str", "    user_id: str = Field(index=True)", "str"],
    ["user_id: int | None = Field(...)", '    user_id: int | None = Field(default=None, foreign_key="user.id")', "int"],
    ["user_id: uuid.UUID", "    user_id: uuid.UUID = Field(foreign_key='user.id')", "UUID"],
    ["user_id: Optional[str]", "    user_id: Optional[str] = None", "str"],
  ])("reads %s", (_, line, type) => {
    expect(detectBackend(backendAt({ "models.py": sqlmodelTask(line) }), "api").taskModel).toEqual({ module: "models", file: "api/models.py", className: "Task", userIdType: type });
  });

  it("has a null userIdType when Task has no user_id (even if a later class does)", () => {
    expect(detectBackend(backendAt({ "app/models.py": sqlmodelTask("    done: bool = False") }), "api").taskModel).toEqual({
      module: "app.models",
      file: "api/app/models.py",
      className: "Task",
      userIdType: null,
    });
  });

  it.each([
    ["Mapped[int]", "    user_id: Mapped[int] = mapped_column(ForeignKey('users.id'))", "int"],
    ["Mapped[Optional[uuid.UUID]]", "    user_id: Mapped[Optional[uuid.UUID]] = mapped_column(nullable=True)", "UUID"],
    ["Column(Integer)", "    user_id = Column(Integer, ForeignKey('users.id'), index=True)", "int"],
    ["sa.Column(sa.String(36))", "    user_id = sa.Column(sa.String(36), nullable=False)", "str"],
    ["Column(ForeignKey) without a type", "    user_id = Column(ForeignKey('users.id'))", "Any"],
  ])("reads SQLAlchemy's %s", (_, line, type) => {
    const model = `from app.db import Base\n\nclass Task(Base):\n    __tablename__ = "tasks"\n    # user_id: bytes\n${line}\n`;
    expect(detectBackend(backendAt({ "app/models/task.py": model }), "api").taskModel).toMatchObject({ module: "app.models.task", userIdType: type });
  });

  it("prefers the table model over a pydantic schema named Task, and ignores `Todo`", () => {
    const root = backendAt({
      "app/schemas.py": "from pydantic import BaseModel\nclass Task(BaseModel):\n    user_id: str\n",
      "app/todo.py": "class Todo(SQLModel, table=True):\n    user_id: int\n",
      "app/crud/task.py": "class Task(TaskBase, table=True):\n    user_id: int\n",
    });
    expect(detectBackend(root, "api").taskModel).toMatchObject({ module: "app.crud.task", userIdType: "int" });
    expect(detectBackend(backendAt({ "app/schemas.py": "class Task(BaseModel):\n    user_id: str\n" }), "api").taskModel).toBeNull();
  });
});

describe("detectBackend: refusals", () => {
  it("refuses a missing folder", () => {
    expect(userError(() => detectBackend(repo({}), "backend")).message).toBe("backend folder 'backend' does not exist");
  });

  it("refuses a folder where nothing names fastapi", () => {
    const root = repo({ "svc/requirements.txt": "flask\n", "svc/main.py": MAIN_PY });
    expect(userError(() => detectBackend(root, "svc")).message).toBe("no FastAPI app in 'svc': no pyproject.toml or requirements*.txt names fastapi");
  });

  it("refuses a folder where no module creates FastAPI(...)", () => {
    const root = repo({ "svc/pyproject.toml": pep621Pyproject(), "svc/main.py": "from fastapi import APIRouter\nrouter = APIRouter()\n" });
    expect(userError(() => detectBackend(root, "svc")).message).toBe("no FastAPI app in 'svc': no module creates FastAPI(...)");
  });

  it("names the file and line of a malformed pyproject.toml", () => {
    const root = repo({ "svc/pyproject.toml": '[project]\nname = "svc"\ndependencies = ["fastapi"\n\n[tool.uv]\n', "svc/main.py": MAIN_PY });
    const error = userError(() => detectBackend(root, "svc"));
    expect(error.file).toBe("svc/pyproject.toml");
    expect(error.line).toBeGreaterThanOrEqual(3);
    expect(error.message).toMatch(/^svc\/pyproject\.toml:\d+: invalid TOML: /);
  });
});

describe("findBackendCandidates", () => {
  it("lists folders whose manifests name fastapi, shallowest first, then backend/api/server", () => {
    const root = repo({
      "services/api/pyproject.toml": pep621Pyproject(),
      "services/worker/pyproject.toml": pep621Pyproject(["celery"]),
      "server/requirements.txt": "fastapi\n",
      "backend/requirements.txt": "fastapi\n",
      "tools/pyproject.toml": '[project]\nname = "t"\ndependencies = []\n[tool.x]\ncomment = "fastapi is not a dependency here"\n',
      "broken/pyproject.toml": "[project\ndependencies = ['fastapi']",
      ".venv/lib/requirements.txt": "fastapi\n",
      "frontend/node_modules/x/requirements.txt": "fastapi\n",
    });
    // A pyproject that mentions fastapi but does not parse stays a candidate, so its error can be reported.
    expect(findBackendCandidates(root)).toEqual(["backend", "server", "broken", "services/api"]);
  });

  it("prefers the folder the app is in over a shallower one whose manifest also names fastapi", () => {
    const root = repo({
      "pyproject.toml": pep621Pyproject(),
      "main.py": 'def main() -> None:\n    print("todo console")\n',
      "backend/requirements.txt": "fastapi\nsqlmodel\n",
      "backend/main.py": MAIN_PY,
    });
    expect(findBackendCandidates(root)).toEqual(["backend", "."]);
  });

  it("keeps the shallowest folder when the app is created there", () => {
    const root = repo({ "pyproject.toml": pep621Pyproject(), "main.py": MAIN_PY, "tools/api/requirements.txt": "fastapi\n", "tools/api/main.py": MAIN_PY });
    expect(findBackendCandidates(root)).toEqual([".", "tools/api"]);
  });
});
