// The in-place editor that scopes a project's own handlers to the signed-in user: what it adds, what it keeps,
// that the result is valid Python (checked by CPython's own parser), and that a second run changes nothing.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { addOwnerColumn } from "../../generators/lib/python/owner-column.js";
import { secureRoutes, type OwnedHandler } from "../../generators/lib/python/secure-routes.js";
import { keepsLines } from "../helpers/keeps-lines.js";
import { VENV_PYTHON } from "../helpers/python.js";

const PYTHON = process.env.AUTH_INTEGRATOR_PYTHON ?? VENV_PYTHON;

/** True when CPython parses the text. */
function cpythonParses(text: string): boolean {
  execFileSync(PYTHON, ["-c", "import ast, sys; ast.parse(sys.stdin.read())"], { input: text });
  return true;
}

const owned = (handler: string, path = "/api/tasks"): OwnedHandler => ({ handler, path, model: { className: "Task", ownerColumn: "user_id" } });
const secure = (text: string, handlers: OwnedHandler[]) => secureRoutes(text, { file: "app/routers/tasks.py", handlers, currentUserModule: "app.routes.auth" });

const SYNC_ROUTER = `from fastapi import APIRouter, Depends, HTTPException
from sqlmodel import Session, select

from app.db import get_session
from app.models import Task, TaskCreate

router = APIRouter(prefix="/api/tasks")


@router.get("/")
def list_tasks(completed: bool | None = None, session: Session = Depends(get_session)):
    """Every task, optionally only the completed ones."""
    stmt = select(Task)
    if completed is not None:
        stmt = stmt.where(Task.completed == completed)
    return session.exec(stmt).all()


@router.post("/", status_code=201)
def create_task(
    data: TaskCreate,
    session: Session = Depends(get_session),
):
    task = Task.model_validate(data)
    session.add(task)
    session.commit()
    return task


@router.get("/{task_id}")
def read_task(task_id: int, session: Session = Depends(get_session)):
    task = session.get(Task, task_id)  # by primary key
    if not task:
        raise HTTPException(status_code=404)
    return task
`;

describe("secureRoutes", () => {
  it("adds the user, filters the list, stamps creates and checks lookups by id, keeping every line", () => {
    const result = secure(SYNC_ROUTER, [owned("list_tasks"), owned("create_task"), owned("read_task", "/api/tasks/{task_id}")]);
    expect(result.text).toContain("def list_tasks(current_user: CurrentUser, completed: bool | None = None,");
    expect(result.text).toContain("stmt = select(Task).where(Task.user_id == current_user.id)\n");
    expect(result.text).toContain("def create_task(\n    current_user: CurrentUser,\n    data: TaskCreate,");
    expect(result.text).toContain("    task = Task.model_validate(data)\n    task.user_id = current_user.id\n");
    // The project's own not-found check right after the lookup takes the owner test: no second check above it.
    expect(result.text).toContain("    task = session.get(Task, task_id)  # by primary key\n    if not task or current_user.id != task.user_id:\n        raise HTTPException(status_code=404)\n");
    expect(result.text).toContain("from app.routes.auth import CurrentUser\n");
    expect(result.manual).toEqual([]);
    const withoutInsertions = (line: string) =>
      line.replace("current_user: CurrentUser, ", "").replace(".where(Task.user_id == current_user.id)", "").replace(" or current_user.id != task.user_id", "");
    expect(keepsLines(SYNC_ROUTER, result.text, (line, candidate) => line === withoutInsertions(candidate))).toBe(true);
    expect(cpythonParses(result.text)).toBe(true);
  });

  it("adds a not-found check of its own after a lookup the project checks differently (or not at all)", () => {
    const text = `from fastapi import APIRouter\nrouter = APIRouter()\n\n@router.delete("/tasks/{task_id}")\ndef delete_task(task_id: int, session: SessionDep):\n    task = session.get(Task, task_id)\n    if not task:\n        return None\n    session.delete(task)\n`;
    const result = secure(text, [owned("delete_task", "/tasks/{task_id}")]);
    expect(result.text).toContain(
      '    task = session.get(Task, task_id)\n    if task is None or current_user.id != task.user_id:\n        raise HTTPException(status_code=404, detail="Task not found")\n    if not task:\n        return None\n',
    );
    expect(result.text).toContain("from fastapi import APIRouter, HTTPException\n");
    expect(cpythonParses(result.text)).toBe(true);
  });

  it("changes nothing on a second run, and leaves a handler that already takes the user alone", () => {
    const handlers = [owned("list_tasks"), owned("create_task"), owned("read_task")];
    const once = secure(SYNC_ROUTER, handlers).text;
    const twice = secure(once, handlers);
    expect(twice.text).toBe(once);
    expect(twice.alreadySecured).toEqual(["list_tasks", "create_task", "read_task"]);
  });

  it("refuses a {user_id} path parameter that is not the caller (403), and merges HTTPException into the fastapi import", () => {
    const text = `from fastapi import APIRouter\nfrom sqlalchemy import select\nfrom .models import Task\n\nrouter = APIRouter()\n\n@router.get("/api/{user_id}/tasks")\nasync def list_tasks(user_id: str, session: SessionDep):\n    result = await session.scalars(select(Task).where(Task.user_id == user_id))\n    return result.all()\n`;
    const result = secure(text, [owned("list_tasks", "/api/{user_id}/tasks")]);
    expect(result.text).toContain("from fastapi import APIRouter, HTTPException\n");
    expect(result.text).toContain(
      "    if str(user_id) != current_user.id:\n        raise HTTPException(status_code=403, detail=\"Not allowed for this user\")\n    result = await session.scalars(select(Task).where(Task.user_id == current_user.id).where(Task.user_id == user_id))",
    );
    expect(cpythonParses(result.text)).toBe(true);
  });

  it("answers a {user_id} path parameter that is not the caller with 404 when asked, worded like a missing row, and a second run changes nothing", () => {
    const text = `from fastapi import APIRouter\nrouter = APIRouter()\n\n@router.get("/api/{user_id}/tasks")\ndef list_tasks(user_id: str, session: SessionDep):\n    return session.exec(select(Task).where(Task.user_id == user_id)).all()\n`;
    const handlers = [owned("list_tasks", "/api/{user_id}/tasks")];
    const result = secureRoutes(text, { file: "app/routes.py", handlers, currentUserModule: "app.routes.auth", mismatchStatus: "404" });
    expect(result.text).toContain('    if str(user_id) != current_user.id:\n        raise HTTPException(status_code=404, detail="User not found")\n');
    expect(result.text).not.toContain("403");
    expect(result.secured[0].changes).toContain("{user_id} must be the caller (404)");
    expect(cpythonParses(result.text)).toBe(true);
    expect(secureRoutes(result.text, { file: "app/routes.py", handlers, currentUserModule: "app.routes.auth", mismatchStatus: "404" }).text).toBe(result.text);
  });

  it("filters the legacy session.query and keeps CRLF line endings", () => {
    const text = "from fastapi import APIRouter, Depends\r\nrouter = APIRouter()\r\n\r\n@router.get('/todos')\r\ndef todos(db = Depends(get_db)):\r\n    return db.query(Task).order_by(Task.id).all()\r\n";
    const result = secure(text, [owned("todos", "/todos")]);
    expect(result.text).toContain("def todos(current_user: CurrentUser, db = Depends(get_db)):\r\n    return db.query(Task).filter(Task.user_id == current_user.id).order_by(Task.id).all()\r\n");
    expect(result.text.replace(/\r\n/g, "")).not.toContain("\n");
  });

  it("reports, with the line to add, a handler whose query hides in a service", () => {
    const text = `from fastapi import APIRouter\nfrom app import crud\nrouter = APIRouter()\n\n@router.get("/tasks")\ndef list_tasks(db: SessionDep):\n    return crud.get_tasks(db)\n`;
    const result = secure(text, [owned("list_tasks", "/tasks")]);
    expect(result.manual).toEqual([expect.objectContaining({ handler: "list_tasks", line: 6, snippet: "Task.user_id == current_user.id" })]);
    expect(result.manual[0].reason).toContain("no query of Task found");
  });

  it("is not fooled by a docstring: the {user_id} check goes after it", () => {
    const text = `@router.get("/u/{user_id}/tasks")\ndef f(user_id: str, s: SessionDep):\n    """Docs: select(Task) here is prose."""\n    return s.exec(select(Task)).all()\n`;
    const result = secure(text, [owned("f", "/u/{user_id}/tasks")]);
    expect(result.text).toContain('"""Docs: select(Task) here is prose."""\n    if str(user_id) != current_user.id:');
    expect(result.text.match(/\.where\(/g)).toHaveLength(1);
  });
});

describe("addOwnerColumn", () => {
  it("writes user_id in the model's own style: SQLModel, Mapped and Column", () => {
    const sqlmodel = addOwnerColumn("from sqlmodel import SQLModel, Field\n\nclass Task(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n    title: str\n", "Task");
    expect(sqlmodel).toContain("    title: str\n    user_id: Optional[str] = Field(default=None, index=True)\n");
    expect(sqlmodel).toContain("from typing import Optional");
    const mapped = addOwnerColumn(
      "import uuid\nfrom sqlalchemy.orm import Mapped, mapped_column\nfrom .base import Base\n\nclass Task(Base):\n    __tablename__ = 'tasks'\n    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)\n\n    def __repr__(self):\n        return 'x'\n",
      "Task",
    );
    expect(mapped).toContain("    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)\n    user_id: Mapped[Optional[str]] = mapped_column(String(255), index=True, nullable=True)\n");
    expect(mapped).toContain("from sqlalchemy.orm import Mapped, mapped_column\n");
    const column = addOwnerColumn("from sqlalchemy import Column, Integer\nclass Task(Base):\n    id = Column(Integer, primary_key=True)\n", "Task");
    expect(column).toContain("from sqlalchemy import Column, Integer, String\n");
    expect(column).toContain("    user_id = Column(String(255), index=True, nullable=True)\n");
    for (const text of [sqlmodel, mapped, column]) expect(cpythonParses(text!)).toBe(true);
  });

  it("leaves a model that already has an owner column alone", () => {
    expect(addOwnerColumn("class Task(SQLModel, table=True):\n    owner_id: str\n", "Task")).toBeNull();
  });
});

describe("secureRoutes and a middleware's request.state", () => {
  it("reads the caller's id from the token where the handler read it from request.state", () => {
    const text = `from fastapi import APIRouter, Request\nrouter = APIRouter()\n\n@router.get("/tasks")\ndef list_tasks(request: Request, s: SessionDep):\n    user_id = request.state.user_id\n    other = getattr(request.state, "user_id", None)\n    return s.exec(select(Task).where(Task.user_id == user_id)).all()\n`;
    const result = secure(text, [owned("list_tasks", "/tasks")]);
    expect(result.text).toContain("    user_id = current_user.id\n    other = current_user.id\n");
    expect(result.secured[0].changes).toContain("the user id from request.state now comes from the token");
    expect(cpythonParses(result.text)).toBe(true);
  });
});

describe("a request body typed as the owned model", () => {
  const TABLE_BODY = `from typing import Optional

from fastapi import FastAPI
from sqlmodel import Session

from app.db import engine
from app.models import Task

app = FastAPI()


@app.post("/api/tasks")
def create_task(task: Task):
    """Stores the task as sent."""
    with Session(engine) as session:
        session.add(task)
        session.commit()
        return task


@app.put("/api/tasks/{task_id}")
def replace_task(task_id: int, task: Optional[Task] = None):
    with Session(engine) as session:
        row = session.get(Task, task_id)
        row.sqlmodel_update(task.model_dump(exclude_unset=True))
        session.commit()
        return row
`;

  it("sets the owner on it from the token first thing, after the docstring, whatever the client sent", () => {
    const result = secure(TABLE_BODY, [owned("create_task"), owned("replace_task", "/api/tasks/{task_id}")]);
    expect(result.text).toContain('def create_task(current_user: CurrentUser, task: Task):\n    """Stores the task as sent."""\n    task.user_id = current_user.id\n    with Session(engine) as session:');
    expect(result.text).toContain("def replace_task(current_user: CurrentUser, task_id: int, task: Optional[Task] = None):\n    task.user_id = current_user.id\n");
    expect(result.secured[0].changes).toContain("the task body's user_id is the caller's, whatever the client sent");
    expect(result.manual).toEqual([]);
    expect(cpythonParses(result.text)).toBe(true);
    const withoutInsertions = (line: string) => line.replace("current_user: CurrentUser, ", "").replace(", HTTPException", "");
    expect(keepsLines(TABLE_BODY, result.text, (line, candidate) => line === withoutInsertions(candidate))).toBe(true);
    expect(secure(result.text, [owned("create_task")]).text).toBe(result.text);
  });
});

describe("the project's own not-found check", () => {
  it("takes the owner test even when a print or a log line sits between the lookup and the check", () => {
    const text = `import logging

from fastapi import APIRouter, HTTPException
from sqlmodel import Session

from app.db import engine
from app.models import Task

router = APIRouter()
logger = logging.getLogger(__name__)


@router.delete("/api/tasks/{task_id}")
def delete_task(task_id: int):
    with Session(engine) as session:
        task = session.get(Task, task_id)
        print(task)
        logger.info("deleting %s", task_id)
        if not task:
            raise HTTPException(status_code=404, detail="Task not found")
        session.delete(task)
        session.commit()
`;
    const result = secure(text, [owned("delete_task", "/api/tasks/{task_id}")]);
    expect(result.text).toContain('        logger.info("deleting %s", task_id)\n        if not task or current_user.id != task.user_id:\n            raise HTTPException(status_code=404, detail="Task not found")\n');
    expect(result.text.match(/raise HTTPException/g)).toHaveLength(1);
    expect(cpythonParses(result.text)).toBe(true);
  });
});
