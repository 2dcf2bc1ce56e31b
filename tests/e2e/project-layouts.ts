/**
 * Next.js + FastAPI monorepos whose backend has routes of its own (no auth yet), in the shapes real projects
 * take: a flat router package, nested /api/v1 prefixes with an async session, user-scoped paths over a legacy
 * SQLAlchemy session, an API-key protected router, and a models/ package. Each is path → content, written by
 * project-routes.test.ts into a temp folder and run through the compiled bin.
 *
 * Every layout describes its owned resource (`resource`) so the test can drive the same assertions through
 * each one's own paths, field names and filter.
 */
import { SMALL_MONOREPO } from "../helpers/monorepo.js";

/** How the test reaches a layout's owned resource. `user` is the caller's id (for user-scoped paths). */
export interface OwnedResource {
  /** The collection: GET lists, POST creates. */
  list(user: string): string;
  one(user: string, id: number): string;
  /** A custom action on one row (POST), which marks it completed/done. */
  action(user: string, id: number): string;
  /** The update verb the project's router uses. */
  updateMethod: "PATCH" | "PUT";
  /** A create body with this title (valid for the project's schema). */
  createBody(title: string): Record<string, unknown>;
  /** An update body (valid for the project's schema) that marks the row done and renames it. */
  updateBody(title: string): Record<string, unknown>;
  /** The boolean field the list filters on (a query parameter of the same name) and the action sets. */
  flag: string;
  /** The owner column as the responses show it; null when the project's response model leaves it out. */
  ownerField: string | null;
  /** The owner column in the model (what a client might smuggle into a create body). */
  ownerColumn: string;
  /** The module (dotted) whose handlers serve the resource: the project's own, not a generated one. */
  handlerModule: string;
  /** A path prefix under which every route belongs to this resource (for the "no generated duplicate" check). */
  pathPrefix: string;
}

export interface ProjectLayout {
  name: string;
  files: Record<string, string>;
  /** The backend folder, relative to the monorepo root. */
  backend: string;
  /** uvicorn's import of the app, from the backend folder. */
  appImport: string;
  /** Extra environment for the backend; `{data}` is replaced by the fixture's data folder (outside the monorepo). */
  env: Record<string, string>;
  resource: OwnedResource;
  /** Routes that must answer 200 without a token. */
  publicRoutes: string[];
  /** The project's own pytest suite (paths from the backend folder), which must pass before the run and after it. */
  projectTests?: string[];
}

/** The frontend half every layout shares: the minimal Next.js app the detector accepts. */
const FRONTEND: Record<string, string> = Object.fromEntries(
  Object.entries(SMALL_MONOREPO).filter(([file]) => file === "package.json" || file.startsWith("frontend/")),
);

const GITIGNORE = "node_modules/\n.next/\n__pycache__/\n*.db\n.env\n";

// --- 1. flat: app/main.py + app/routers/tasks.py, sync SQLModel, Task with user_id ---------------------------

const FLAT: ProjectLayout = {
  name: "flat",
  backend: "backend",
  appImport: "app.main:app",
  env: { DATABASE_URL: "sqlite:///{data}/flat.db" },
  publicRoutes: ["/health"],
  projectTests: ["tests/test_tasks.py"],
  resource: {
    list: () => "/api/tasks/",
    one: (_user, id) => `/api/tasks/${id}`,
    action: (_user, id) => `/api/tasks/${id}/complete`,
    updateMethod: "PATCH",
    createBody: (title) => ({ title, description: "from the test" }),
    updateBody: (title) => ({ title, completed: true }),
    flag: "completed",
    ownerField: "user_id",
    ownerColumn: "user_id",
    handlerModule: "app.routers.tasks",
    pathPrefix: "/api/tasks",
  },
  files: {
    ...FRONTEND,
    ".gitignore": GITIGNORE,
    "backend/requirements.txt": "fastapi>=0.110\nsqlmodel>=0.0.16\nuvicorn[standard]>=0.29\n",
    "backend/app/__init__.py": "",
    "backend/app/database.py": `import os
from collections.abc import Generator

from sqlmodel import Session, SQLModel, create_engine

DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite:///./app.db")

engine = create_engine(DATABASE_URL, connect_args={"check_same_thread": False})


def create_db_and_tables() -> None:
    SQLModel.metadata.create_all(engine)


def get_session() -> Generator[Session, None, None]:
    with Session(engine) as session:
        yield session
`,
    "backend/app/models.py": `from datetime import datetime, timezone

from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class TaskBase(SQLModel):
    title: str = Field(min_length=1, max_length=200)
    description: str | None = None
    completed: bool = False


class Task(TaskBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: str | None = Field(default=None, index=True)
    created_at: datetime = Field(default_factory=utcnow)


class TaskCreate(TaskBase):
    # The old client sent the owner itself.
    user_id: str | None = None


class TaskUpdate(SQLModel):
    title: str | None = None
    description: str | None = None
    completed: bool | None = None


class TaskRead(TaskBase):
    id: int
    user_id: str | None
    created_at: datetime
`,
    "backend/app/routers/__init__.py": "",
    "backend/app/routers/tasks.py": `from fastapi import APIRouter, Depends, HTTPException
from sqlmodel import Session, select

from app.database import get_session
from app.models import Task, TaskCreate, TaskRead, TaskUpdate

router = APIRouter(prefix="/api/tasks", tags=["tasks"])


@router.get("/", response_model=list[TaskRead])
def list_tasks(completed: bool | None = None, session: Session = Depends(get_session)):
    statement = select(Task)
    if completed is not None:
        statement = statement.where(Task.completed == completed)
    return session.exec(statement.order_by(Task.id)).all()


@router.post("/", response_model=TaskRead, status_code=201)
def create_task(payload: TaskCreate, session: Session = Depends(get_session)):
    task = Task.model_validate(payload)
    session.add(task)
    session.commit()
    session.refresh(task)
    return task


@router.get("/{task_id}", response_model=TaskRead)
def read_task(task_id: int, session: Session = Depends(get_session)):
    task = session.get(Task, task_id)
    if not task:
        raise HTTPException(status_code=404, detail="Task not found")
    return task


@router.patch("/{task_id}", response_model=TaskRead)
def update_task(task_id: int, payload: TaskUpdate, session: Session = Depends(get_session)):
    task = session.get(Task, task_id)
    if not task:
        raise HTTPException(status_code=404, detail="Task not found")
    task.sqlmodel_update(payload.model_dump(exclude_unset=True))
    session.add(task)
    session.commit()
    session.refresh(task)
    return task


@router.delete("/{task_id}", status_code=204)
def delete_task(task_id: int, session: Session = Depends(get_session)):
    task = session.get(Task, task_id)
    if not task:
        raise HTTPException(status_code=404, detail="Task not found")
    session.delete(task)
    session.commit()


@router.post("/{task_id}/complete", response_model=TaskRead)
def complete_task(task_id: int, session: Session = Depends(get_session)):
    task = session.get(Task, task_id)
    if not task:
        raise HTTPException(status_code=404, detail="Task not found")
    task.completed = True
    session.add(task)
    session.commit()
    session.refresh(task)
    return task
`,
    "backend/tests/conftest.py": `import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, SQLModel, create_engine
from sqlmodel.pool import StaticPool

from app.database import get_session
from app.main import app


@pytest.fixture(name="session")
def session_fixture():
    engine = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        yield session


@pytest.fixture(name="client")
def client_fixture(session: Session):
    app.dependency_overrides[get_session] = lambda: session
    client = TestClient(app)
    yield client
    app.dependency_overrides.clear()
`,
    "backend/tests/test_tasks.py": `from fastapi.testclient import TestClient


def test_create_and_list(client: TestClient):
    created = client.post("/api/tasks/", json={"title": "Buy milk"})
    assert created.status_code == 201
    assert created.json()["title"] == "Buy milk"
    listed = client.get("/api/tasks/")
    assert [task["title"] for task in listed.json()] == ["Buy milk"]


def test_filter_completed(client: TestClient):
    first = client.post("/api/tasks/", json={"title": "one"}).json()
    client.post("/api/tasks/", json={"title": "two"})
    assert client.post(f"/api/tasks/{first['id']}/complete").status_code == 200
    done = client.get("/api/tasks/", params={"completed": True}).json()
    assert [task["title"] for task in done] == ["one"]


def test_update_and_delete(client: TestClient):
    task = client.post("/api/tasks/", json={"title": "draft"}).json()
    updated = client.patch(f"/api/tasks/{task['id']}", json={"title": "final"})
    assert updated.json()["title"] == "final"
    assert client.delete(f"/api/tasks/{task['id']}").status_code == 204
    assert client.get(f"/api/tasks/{task['id']}").status_code == 404


def test_health(client: TestClient):
    assert client.get("/health").json() == {"status": "ok"}
`,
    "backend/app/main.py": `from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.database import create_db_and_tables
from app.routers import tasks


@asynccontextmanager
async def lifespan(app: FastAPI):
    create_db_and_tables()
    yield


app = FastAPI(title="Tasks", lifespan=lifespan)
app.include_router(tasks.router)


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
`,
  },
};

// --- 2. nested prefixes: /api/v1 + /todos, async SQLModel over aiosqlite, Todo without an owner ---------------

const NESTED_ASYNC: ProjectLayout = {
  name: "nested-async",
  backend: "backend",
  appImport: "app.main:app",
  env: {},
  publicRoutes: ["/"],
  resource: {
    list: () => "/api/v1/todos/",
    one: (_user, id) => `/api/v1/todos/${id}`,
    action: (_user, id) => `/api/v1/todos/${id}/done`,
    updateMethod: "PATCH",
    createBody: (title) => ({ title }),
    updateBody: (title) => ({ title, done: true }),
    flag: "done",
    ownerField: null,
    ownerColumn: "user_id",
    handlerModule: "app.api.v1.endpoints.todos",
    pathPrefix: "/api/v1/todos",
  },
  files: {
    ...FRONTEND,
    ".gitignore": GITIGNORE,
    "backend/requirements.txt": "fastapi[standard]>=0.115\nsqlmodel>=0.0.22\naiosqlite>=0.20\nuvicorn>=0.30\n",
    "backend/app/__init__.py": "",
    "backend/app/core/__init__.py": "",
    "backend/app/core/db.py": `from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlmodel import SQLModel

# The database sits next to the backend package (backend/todos.db).
DB_FILE = Path(__file__).resolve().parents[2] / "todos.db"

engine = create_async_engine(f"sqlite+aiosqlite:///{DB_FILE}")
async_session = async_sessionmaker(engine, expire_on_commit=False)


async def init_db() -> None:
    async with engine.begin() as conn:
        await conn.run_sync(SQLModel.metadata.create_all)


async def get_session() -> AsyncIterator[AsyncSession]:
    async with async_session() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]
`,
    "backend/app/models.py": `from sqlmodel import Field, SQLModel


class TodoBase(SQLModel):
    title: str = Field(max_length=255)
    done: bool = False


class Todo(TodoBase, table=True):
    id: int | None = Field(default=None, primary_key=True)


class TodoCreate(TodoBase):
    pass


class TodoUpdate(SQLModel):
    title: str | None = None
    done: bool | None = None


class TodoPublic(TodoBase):
    id: int
`,
    "backend/app/api/__init__.py": "",
    "backend/app/api/v1/__init__.py": "",
    "backend/app/api/v1/api.py": `from fastapi import APIRouter

from app.api.v1.endpoints import todos

api_router = APIRouter()
api_router.include_router(todos.router, prefix="/todos", tags=["todos"])
`,
    "backend/app/api/v1/endpoints/__init__.py": "",
    "backend/app/api/v1/endpoints/todos.py": `from fastapi import APIRouter, HTTPException, Query, status
from sqlmodel import select

from app.core.db import SessionDep
from app.models import Todo, TodoCreate, TodoPublic, TodoUpdate

router = APIRouter()


@router.get("/", response_model=list[TodoPublic])
async def read_todos(session: SessionDep, done: bool | None = None, limit: int = Query(default=100, le=100)):
    statement = select(Todo)
    if done is not None:
        statement = statement.where(Todo.done == done)
    result = await session.execute(statement.order_by(Todo.id).limit(limit))
    return result.scalars().all()


@router.post("/", response_model=TodoPublic, status_code=status.HTTP_201_CREATED)
async def create_todo(todo_in: TodoCreate, session: SessionDep):
    todo = Todo.model_validate(todo_in)
    session.add(todo)
    await session.commit()
    await session.refresh(todo)
    return todo


@router.get("/{todo_id}", response_model=TodoPublic)
async def read_todo(todo_id: int, session: SessionDep):
    todo = await session.get(Todo, todo_id)
    if todo is None:
        raise HTTPException(status_code=404, detail="Todo not found")
    return todo


@router.patch("/{todo_id}", response_model=TodoPublic)
async def update_todo(todo_id: int, todo_in: TodoUpdate, session: SessionDep):
    todo = await session.get(Todo, todo_id)
    if todo is None:
        raise HTTPException(status_code=404, detail="Todo not found")
    todo.sqlmodel_update(todo_in.model_dump(exclude_unset=True))
    session.add(todo)
    await session.commit()
    await session.refresh(todo)
    return todo


@router.delete("/{todo_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_todo(todo_id: int, session: SessionDep) -> None:
    todo = await session.get(Todo, todo_id)
    if todo is None:
        raise HTTPException(status_code=404, detail="Todo not found")
    await session.delete(todo)
    await session.commit()


@router.post("/{todo_id}/done", response_model=TodoPublic)
async def mark_done(todo_id: int, session: SessionDep):
    todo = await session.get(Todo, todo_id)
    if todo is None:
        raise HTTPException(status_code=404, detail="Todo not found")
    todo.done = True
    session.add(todo)
    await session.commit()
    await session.refresh(todo)
    return todo
`,
    "backend/app/main.py": `from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.api.v1.api import api_router
from app.core.db import init_db


@asynccontextmanager
async def lifespan(app: FastAPI):
    await init_db()
    yield


app = FastAPI(title="Todo API", version="1.0.0", lifespan=lifespan)
app.include_router(api_router, prefix="/api/v1")


@app.get("/")
async def root():
    return {"message": "Todo API", "docs": "/docs"}
`,
  },
};

// --- 3. user-scoped paths that trust the path, legacy db.query over a get_db generator, Column models ---------

const USER_SCOPED: ProjectLayout = {
  name: "user-scoped",
  backend: "backend",
  appImport: "app.main:app",
  env: { DATABASE_URL: "sqlite:///{data}/scoped.db" },
  publicRoutes: ["/health"],
  resource: {
    list: (user) => `/api/${user}/tasks`,
    one: (user, id) => `/api/${user}/tasks/${id}`,
    action: (user, id) => `/api/${user}/tasks/${id}/complete`,
    updateMethod: "PATCH",
    createBody: (title) => ({ title, description: null }),
    updateBody: (title) => ({ title, completed: true }),
    flag: "completed",
    ownerField: "user_id",
    ownerColumn: "user_id",
    handlerModule: "app.api.tasks",
    pathPrefix: "/api/{user_id}/tasks",
  },
  files: {
    ...FRONTEND,
    ".gitignore": GITIGNORE,
    "backend/requirements.txt": "fastapi==0.115.6\nSQLAlchemy==2.0.36\nuvicorn==0.32.1\n",
    "backend/app/__init__.py": "",
    "backend/app/database.py": `import os

from sqlalchemy import create_engine
from sqlalchemy.orm import declarative_base, sessionmaker

SQLALCHEMY_DATABASE_URL = os.getenv("DATABASE_URL", "sqlite:///./sql_app.db")

engine = create_engine(SQLALCHEMY_DATABASE_URL, connect_args={"check_same_thread": False})
SessionLocal = sessionmaker(autocommit=False, autoflush=False, bind=engine)

Base = declarative_base()


def get_db():
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()
`,
    "backend/app/models.py": `from sqlalchemy import Boolean, Column, Integer, String, Text

from .database import Base


class Task(Base):
    __tablename__ = "tasks"

    id = Column(Integer, primary_key=True, index=True)
    title = Column(String, nullable=False)
    description = Column(Text, nullable=True)
    completed = Column(Boolean, default=False, nullable=False)
    user_id = Column(String, index=True, nullable=False)
`,
    "backend/app/schemas.py": `from typing import Optional

from pydantic import BaseModel, ConfigDict


class TaskCreate(BaseModel):
    title: str
    description: Optional[str] = None


class TaskUpdate(BaseModel):
    title: Optional[str] = None
    description: Optional[str] = None
    completed: Optional[bool] = None


class TaskOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    description: Optional[str] = None
    completed: bool
    user_id: str
`,
    "backend/app/api/__init__.py": "",
    "backend/app/api/tasks.py": `from typing import Optional

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database import get_db
from app.models import Task
from app.schemas import TaskCreate, TaskOut, TaskUpdate

router = APIRouter(prefix="/api/{user_id}/tasks", tags=["tasks"])


@router.get("", response_model=list[TaskOut])
def list_tasks(user_id: str, completed: Optional[bool] = None, db: Session = Depends(get_db)):
    statement = select(Task).where(Task.user_id == user_id)
    if completed is not None:
        statement = statement.where(Task.completed == completed)
    return db.scalars(statement.order_by(Task.id)).all()


@router.post("", response_model=TaskOut, status_code=201)
def create_task(user_id: str, payload: TaskCreate, db: Session = Depends(get_db)):
    task = Task(title=payload.title, description=payload.description, completed=False, user_id=user_id)
    db.add(task)
    db.commit()
    db.refresh(task)
    return task


@router.get("/{task_id}", response_model=TaskOut)
def get_task(user_id: str, task_id: int, db: Session = Depends(get_db)):
    task = db.query(Task).filter(Task.id == task_id, Task.user_id == user_id).first()
    if task is None:
        raise HTTPException(status_code=404, detail="Task not found")
    return task


@router.patch("/{task_id}", response_model=TaskOut)
def update_task(user_id: str, task_id: int, payload: TaskUpdate, db: Session = Depends(get_db)):
    task = db.query(Task).filter(Task.id == task_id, Task.user_id == user_id).first()
    if task is None:
        raise HTTPException(status_code=404, detail="Task not found")
    for field, value in payload.model_dump(exclude_unset=True).items():
        setattr(task, field, value)
    db.commit()
    db.refresh(task)
    return task


@router.delete("/{task_id}", status_code=204)
def delete_task(user_id: str, task_id: int, db: Session = Depends(get_db)):
    deleted = db.query(Task).filter(Task.id == task_id, Task.user_id == user_id).delete()
    if not deleted:
        raise HTTPException(status_code=404, detail="Task not found")
    db.commit()


@router.post("/{task_id}/complete", response_model=TaskOut)
def complete_task(user_id: str, task_id: int, db: Session = Depends(get_db)):
    task = db.query(Task).filter(Task.id == task_id, Task.user_id == user_id).first()
    if task is None:
        raise HTTPException(status_code=404, detail="Task not found")
    task.completed = True
    db.commit()
    db.refresh(task)
    return task
`,
    "backend/app/main.py": `from fastapi import FastAPI

from app import models
from app.api import tasks
from app.database import engine

models.Base.metadata.create_all(bind=engine)

app = FastAPI(title="Per-user tasks")
app.include_router(tasks.router)


@app.get("/health")
def health_check():
    return {"ok": True}
`,
  },
};

// --- 4. an API-key router next to the task routes: top-level modules, owner_id, PUT --------------------------

export const INTERNAL_API_KEY = "internal-key-for-the-ops-dashboard";

const API_KEY: ProjectLayout = {
  name: "api-key",
  backend: "api",
  appImport: "main:app",
  env: { DATABASE_URL: "sqlite:///{data}/service.db", INTERNAL_API_KEY },
  publicRoutes: ["/healthz"],
  resource: {
    list: () => "/api/tasks",
    one: (_user, id) => `/api/tasks/${id}`,
    action: (_user, id) => `/api/tasks/${id}/complete`,
    updateMethod: "PUT",
    createBody: (title) => ({ title, completed: false }),
    updateBody: (title) => ({ title, completed: true }),
    flag: "completed",
    ownerField: "owner_id",
    ownerColumn: "owner_id",
    handlerModule: "routers.tasks",
    pathPrefix: "/api/tasks",
  },
  files: {
    ...FRONTEND,
    ".gitignore": GITIGNORE,
    "api/requirements.txt": "fastapi\nsqlmodel\nuvicorn[standard]\n",
    "api/database.py": `import os
from typing import Annotated

from fastapi import Depends
from sqlmodel import Session, SQLModel, create_engine

engine = create_engine(os.environ.get("DATABASE_URL", "sqlite:///./service.db"), connect_args={"check_same_thread": False})


def create_db_and_tables():
    SQLModel.metadata.create_all(engine)


def get_session():
    with Session(engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
`,
    "api/models.py": `from typing import Optional

from sqlmodel import Field, SQLModel


class Task(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    title: str
    completed: bool = False
    owner_id: Optional[str] = Field(default=None, index=True)


class TaskIn(SQLModel):
    title: str
    completed: bool = False
    owner_id: Optional[str] = None
`,
    "api/dependencies.py": `import os
import secrets
from typing import Annotated, Optional

from fastapi import Header, HTTPException


def verify_api_key(x_api_key: Annotated[Optional[str], Header()] = None) -> None:
    """Guards the internal routes: the ops dashboard sends X-API-Key."""
    expected = os.environ.get("INTERNAL_API_KEY", "")
    if not x_api_key:
        raise HTTPException(status_code=401, detail="Missing API key")
    if not expected or not secrets.compare_digest(x_api_key, expected):
        raise HTTPException(status_code=403, detail="Invalid API key")
`,
    "api/routers/__init__.py": "",
    "api/routers/tasks.py": `from fastapi import APIRouter, HTTPException
from sqlmodel import select

from database import SessionDep
from models import Task, TaskIn

router = APIRouter(prefix="/api/tasks", tags=["tasks"])


@router.get("")
def list_tasks(session: SessionDep, completed: bool | None = None) -> list[Task]:
    query = select(Task).order_by(Task.id)
    if completed is not None:
        query = query.where(Task.completed == completed)
    return list(session.exec(query).all())


@router.post("", status_code=201)
def create_task(task_in: TaskIn, session: SessionDep) -> Task:
    task = Task.model_validate(task_in)
    session.add(task)
    session.commit()
    session.refresh(task)
    return task


@router.get("/{task_id}")
def get_task(task_id: int, session: SessionDep) -> Task:
    task = session.get(Task, task_id)
    if not task:
        raise HTTPException(status_code=404, detail="Task not found")
    return task


@router.put("/{task_id}")
def replace_task(task_id: int, task_in: TaskIn, session: SessionDep) -> Task:
    task = session.get(Task, task_id)
    if not task:
        raise HTTPException(status_code=404, detail="Task not found")
    task.title = task_in.title
    task.completed = task_in.completed
    session.add(task)
    session.commit()
    session.refresh(task)
    return task


@router.delete("/{task_id}")
def delete_task(task_id: int, session: SessionDep) -> dict:
    task = session.get(Task, task_id)
    if not task:
        raise HTTPException(status_code=404, detail="Task not found")
    session.delete(task)
    session.commit()
    return {"ok": True}


@router.post("/{task_id}/complete")
def complete_task(task_id: int, session: SessionDep) -> Task:
    task = session.get(Task, task_id)
    if not task:
        raise HTTPException(status_code=404, detail="Task not found")
    task.completed = True
    session.add(task)
    session.commit()
    session.refresh(task)
    return task
`,
    "api/routers/internal.py": `from fastapi import APIRouter, Depends
from sqlmodel import select

from database import SessionDep
from dependencies import verify_api_key
from models import Task

router = APIRouter(prefix="/internal", tags=["internal"], dependencies=[Depends(verify_api_key)])


@router.get("/stats")
def task_stats(session: SessionDep) -> dict:
    """Counts every user's tasks, for the ops dashboard."""
    tasks = session.exec(select(Task)).all()
    return {"total": len(tasks), "completed": sum(1 for task in tasks if task.completed)}
`,
    "api/main.py": `from fastapi import FastAPI

from database import create_db_and_tables
from routers import internal, tasks

create_db_and_tables()

app = FastAPI(title="Task service")
app.include_router(tasks.router)
app.include_router(internal.router)


@app.get("/healthz")
def healthz():
    return {"status": "ok"}
`,
  },
};

// --- 5. a models/ package re-exporting Task (SQLAlchemy 2.0 Mapped, no owner), tables made at import ----------

const MODELS_PACKAGE: ProjectLayout = {
  name: "models-package",
  backend: "backend",
  appImport: "app.main:app",
  env: {},
  publicRoutes: ["/health"],
  resource: {
    list: () => "/api/tasks",
    one: (_user, id) => `/api/tasks/${id}`,
    action: (_user, id) => `/api/tasks/${id}/complete`,
    updateMethod: "PATCH",
    createBody: (title) => ({ title }),
    updateBody: (title) => ({ title, completed: true }),
    flag: "completed",
    ownerField: null,
    ownerColumn: "user_id",
    handlerModule: "app.api.routes.tasks",
    pathPrefix: "/api/tasks",
  },
  files: {
    ...FRONTEND,
    ".gitignore": GITIGNORE,
    "backend/requirements.txt": "fastapi>=0.111\nsqlalchemy>=2.0\nuvicorn>=0.30\n",
    "backend/app/__init__.py": "",
    "backend/app/database.py": `from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

from fastapi import Depends
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

DB_PATH = Path(__file__).resolve().parent.parent / "app.db"

engine = create_engine(f"sqlite:///{DB_PATH}", connect_args={"check_same_thread": False})
SessionLocal = sessionmaker(bind=engine, expire_on_commit=False)


def get_db() -> Iterator[Session]:
    with SessionLocal() as session:
        yield session


DbSession = Annotated[Session, Depends(get_db)]
`,
    "backend/app/models/__init__.py": `from .base import Base
from .task import Task

__all__ = ["Base", "Task"]
`,
    "backend/app/models/base.py": `from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass
`,
    "backend/app/models/task.py": `from datetime import datetime

from sqlalchemy import Boolean, DateTime, String, func
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Task(Base):
    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    completed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    def __repr__(self) -> str:
        return f"Task(id={self.id!r}, title={self.title!r})"
`,
    "backend/app/schemas.py": `from pydantic import BaseModel, ConfigDict


class TaskCreate(BaseModel):
    title: str
    completed: bool = False


class TaskUpdate(BaseModel):
    title: str | None = None
    completed: bool | None = None


class TaskRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    completed: bool
`,
    "backend/app/api/__init__.py": "",
    "backend/app/api/routes/__init__.py": "",
    "backend/app/api/routes/tasks.py": `from fastapi import APIRouter, HTTPException
from sqlalchemy import select

from app.database import DbSession
from app.models import Task
from app.schemas import TaskCreate, TaskRead, TaskUpdate

router = APIRouter(prefix="/tasks", tags=["tasks"])


@router.get("", response_model=list[TaskRead])
def list_tasks(db: DbSession, completed: bool | None = None):
    stmt = select(Task).order_by(Task.id)
    if completed is not None:
        stmt = stmt.where(Task.completed.is_(completed))
    return db.scalars(stmt).all()


@router.post("", response_model=TaskRead, status_code=201)
def create_task(body: TaskCreate, db: DbSession):
    task = Task(**body.model_dump())
    db.add(task)
    db.commit()
    db.refresh(task)
    return task


@router.get("/{task_id}", response_model=TaskRead)
def read_task(task_id: int, db: DbSession):
    task = db.get(Task, task_id)
    if task is None:
        raise HTTPException(status_code=404, detail="Task not found")
    return task


@router.patch("/{task_id}", response_model=TaskRead)
def update_task(task_id: int, body: TaskUpdate, db: DbSession):
    task = db.get(Task, task_id)
    if task is None:
        raise HTTPException(status_code=404, detail="Task not found")
    for key, value in body.model_dump(exclude_unset=True).items():
        setattr(task, key, value)
    db.commit()
    return task


@router.delete("/{task_id}", status_code=204)
def delete_task(task_id: int, db: DbSession):
    task = db.get(Task, task_id)
    if task is None:
        raise HTTPException(status_code=404, detail="Task not found")
    db.delete(task)
    db.commit()


@router.post("/{task_id}/complete", response_model=TaskRead)
def complete_task(task_id: int, db: DbSession):
    task = db.get(Task, task_id)
    if task is None:
        raise HTTPException(status_code=404, detail="Task not found")
    task.completed = True
    db.commit()
    return task
`,
    "backend/app/main.py": `from fastapi import FastAPI

from app.api.routes import tasks
from app.database import engine
from app.models import Base

Base.metadata.create_all(bind=engine)

app = FastAPI(title="Tasks")
app.include_router(tasks.router, prefix="/api")


@app.get("/health")
def health():
    return {"status": "healthy"}
`,
  },
};


// --- 6. crud module (FastAPI's SQL tutorial shape): the routes call app/crud.py, whose functions call each other;
// relative imports, models.Item spelled through the module, no owner column --------------------------------------

const CRUD_MODULE: ProjectLayout = {
  name: "crud-module",
  backend: "backend",
  appImport: "app.main:app",
  env: { DATABASE_URL: "sqlite:///{data}/crud.db" },
  publicRoutes: ["/"],
  projectTests: ["tests/test_items.py"],
  resource: {
    list: () => "/api/items/",
    one: (_user, id) => `/api/items/${id}`,
    action: (_user, id) => `/api/items/${id}/complete`,
    updateMethod: "PUT",
    createBody: (title) => ({ title, description: "from the test" }),
    updateBody: (title) => ({ title, completed: true }),
    flag: "completed",
    ownerField: null,
    ownerColumn: "user_id",
    handlerModule: "app.routers.items",
    pathPrefix: "/api/items",
  },
  files: {
    ...FRONTEND,
    ".gitignore": GITIGNORE,
    "backend/requirements.txt": "fastapi\nsqlalchemy\nuvicorn\n",
    "backend/app/__init__.py": "",
    "backend/app/database.py": `import os

from sqlalchemy import create_engine
from sqlalchemy.orm import declarative_base, sessionmaker

engine = create_engine(os.environ.get("DATABASE_URL", "sqlite:///./items.db"), connect_args={"check_same_thread": False})
SessionLocal = sessionmaker(autocommit=False, autoflush=False, bind=engine)
Base = declarative_base()
`,
    "backend/app/models.py": `from sqlalchemy import Boolean, Column, Integer, String

from .database import Base


class Item(Base):
    __tablename__ = "items"

    id = Column(Integer, primary_key=True, index=True)
    title = Column(String, index=True)
    description = Column(String, nullable=True)
    completed = Column(Boolean, default=False)
`,
    "backend/app/schemas.py": `from typing import Optional

from pydantic import BaseModel, ConfigDict


class ItemBase(BaseModel):
    title: str
    description: Optional[str] = None


class ItemCreate(ItemBase):
    pass


class ItemUpdate(BaseModel):
    title: Optional[str] = None
    description: Optional[str] = None
    completed: Optional[bool] = None


class Item(ItemBase):
    model_config = ConfigDict(from_attributes=True)

    id: int
    completed: bool
`,
    "backend/app/crud.py": `from typing import Optional

from sqlalchemy.orm import Session

from . import models, schemas


def get_item(db: Session, item_id: int):
    return db.get(models.Item, item_id)


def get_items(db: Session, skip: int = 0, limit: int = 100, completed: Optional[bool] = None):
    query = db.query(models.Item)
    if completed is not None:
        query = query.filter(models.Item.completed == completed)
    return query.order_by(models.Item.id).offset(skip).limit(limit).all()


def create_item(db: Session, item: schemas.ItemCreate):
    db_item = models.Item(**item.model_dump())
    db.add(db_item)
    db.commit()
    db.refresh(db_item)
    return db_item


def update_item(db: Session, item_id: int, changes: schemas.ItemUpdate):
    db_item = get_item(db, item_id)
    if db_item is None:
        return None
    for field, value in changes.model_dump(exclude_unset=True).items():
        setattr(db_item, field, value)
    db.commit()
    db.refresh(db_item)
    return db_item


def delete_item(db: Session, item_id: int) -> bool:
    db_item = get_item(db, item_id)
    if db_item is None:
        return False
    db.delete(db_item)
    db.commit()
    return True
`,
    "backend/app/dependencies.py": `from .database import SessionLocal


def get_db():
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()
`,
    "backend/app/routers/__init__.py": "",
    "backend/app/routers/items.py": `from typing import Optional

from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy.orm import Session

from .. import crud, schemas
from ..dependencies import get_db

router = APIRouter(prefix="/api/items", tags=["items"])


@router.get("/", response_model=list[schemas.Item])
def read_items(skip: int = 0, limit: int = 100, completed: Optional[bool] = None, db: Session = Depends(get_db)):
    return crud.get_items(db, skip=skip, limit=limit, completed=completed)


@router.post("/", response_model=schemas.Item, status_code=201)
def create_item(item: schemas.ItemCreate, db: Session = Depends(get_db)):
    return crud.create_item(db=db, item=item)


@router.get("/{item_id}", response_model=schemas.Item)
def read_item(item_id: int, db: Session = Depends(get_db)):
    db_item = crud.get_item(db, item_id=item_id)
    if db_item is None:
        raise HTTPException(status_code=404, detail="Item not found")
    return db_item


@router.put("/{item_id}", response_model=schemas.Item)
def update_item(item_id: int, changes: schemas.ItemUpdate, db: Session = Depends(get_db)):
    db_item = crud.update_item(db, item_id, changes)
    if db_item is None:
        raise HTTPException(status_code=404, detail="Item not found")
    return db_item


@router.delete("/{item_id}", status_code=204)
def delete_item(item_id: int, db: Session = Depends(get_db)):
    if not crud.delete_item(db, item_id):
        raise HTTPException(status_code=404, detail="Item not found")


@router.post("/{item_id}/complete", response_model=schemas.Item)
def complete_item(item_id: int, db: Session = Depends(get_db)):
    db_item = crud.get_item(db, item_id)
    if db_item is None:
        raise HTTPException(status_code=404, detail="Item not found")
    db_item.completed = True
    db.commit()
    db.refresh(db_item)
    return db_item
`,
    "backend/tests/__init__.py": "",
    "backend/tests/test_items.py": `import os

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import StaticPool

from app.database import Base
from app.dependencies import get_db
from app.main import app

engine = create_engine("sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool)
TestingSessionLocal = sessionmaker(autocommit=False, autoflush=False, bind=engine)


def override_get_db():
    db = TestingSessionLocal()
    try:
        yield db
    finally:
        db.close()


app.dependency_overrides[get_db] = override_get_db
client = TestClient(app)


@pytest.fixture(autouse=True)
def fresh_tables():
    Base.metadata.create_all(bind=engine)
    yield
    Base.metadata.drop_all(bind=engine)


def test_create_read_update_delete():
    item = client.post("/api/items/", json={"title": "Buy milk"}).json()
    assert client.get(f"/api/items/{item['id']}").json()["title"] == "Buy milk"
    assert client.put(f"/api/items/{item['id']}", json={"completed": True}).json()["completed"] is True
    assert client.delete(f"/api/items/{item['id']}").status_code == 204
    assert client.get(f"/api/items/{item['id']}").status_code == 404


def test_list_filter():
    client.post("/api/items/", json={"title": "open"})
    done = client.post("/api/items/", json={"title": "done"}).json()
    client.post(f"/api/items/{done['id']}/complete")
    assert [item["title"] for item in client.get("/api/items/", params={"completed": False}).json()] == ["open"]


def test_root():
    assert client.get("/").json() == {"message": "Items API"}
`,
    "backend/app/main.py": `from fastapi import FastAPI

from . import models
from .database import engine
from .routers import items

models.Base.metadata.create_all(bind=engine)

app = FastAPI(title="Items")
app.include_router(items.router)


@app.get("/")
def root():
    return {"message": "Items API"}
`,
  },
};

// --- 7. table-body: routes on the app in main.py, the table model itself as the request body, sessions opened inline ---

const TABLE_BODY: ProjectLayout = {
  name: "table-body",
  backend: "backend",
  appImport: "main:app",
  env: { DATABASE_URL: "sqlite:///{data}/todos.db" },
  publicRoutes: ["/"],
  projectTests: ["test_main.py"],
  resource: {
    list: () => "/todos",
    one: (_user, id) => `/todos/${id}`,
    action: (_user, id) => `/todos/${id}/done`,
    updateMethod: "PUT",
    createBody: (title) => ({ title }),
    updateBody: (title) => ({ title, done: true }),
    flag: "done",
    ownerField: "user_id",
    ownerColumn: "user_id",
    handlerModule: "main",
    pathPrefix: "/todos",
  },
  files: {
    ...FRONTEND,
    ".gitignore": GITIGNORE,
    "backend/requirements.txt": "fastapi\nsqlmodel\nuvicorn\n",
    "backend/main.py": `import os
from typing import Optional

from fastapi import FastAPI, HTTPException
from sqlmodel import Field, Session, SQLModel, create_engine, select

engine = create_engine(os.environ.get("DATABASE_URL", "sqlite:///./todos.db"), connect_args={"check_same_thread": False})


class Todo(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    title: str
    done: bool = False


SQLModel.metadata.create_all(engine)

app = FastAPI()


@app.get("/")
def root():
    return {"message": "Todo API"}


@app.post("/todos", status_code=201)
def create_todo(todo: Todo):
    with Session(engine) as session:
        session.add(todo)
        session.commit()
        session.refresh(todo)
        return todo


@app.get("/todos")
def list_todos(done: Optional[bool] = None):
    with Session(engine) as session:
        statement = select(Todo)
        if done is not None:
            statement = statement.where(Todo.done == done)
        return session.exec(statement.order_by(Todo.id)).all()


@app.get("/todos/{todo_id}")
def read_todo(todo_id: int):
    with Session(engine) as session:
        todo = session.get(Todo, todo_id)
        if not todo:
            raise HTTPException(status_code=404, detail="Todo not found")
        return todo


@app.put("/todos/{todo_id}")
def update_todo(todo_id: int, todo: Todo):
    with Session(engine) as session:
        db_todo = session.get(Todo, todo_id)
        if not db_todo:
            raise HTTPException(status_code=404, detail="Todo not found")
        db_todo.sqlmodel_update(todo.model_dump(exclude_unset=True, exclude={"id"}))
        session.add(db_todo)
        session.commit()
        session.refresh(db_todo)
        return db_todo


@app.post("/todos/{todo_id}/done")
def mark_done(todo_id: int):
    with Session(engine) as session:
        todo = session.get(Todo, todo_id)
        if not todo:
            raise HTTPException(status_code=404, detail="Todo not found")
        todo.done = True
        session.add(todo)
        session.commit()
        session.refresh(todo)
        return todo


@app.delete("/todos/{todo_id}")
def delete_todo(todo_id: int):
    with Session(engine) as session:
        todo = session.get(Todo, todo_id)
        if not todo:
            raise HTTPException(status_code=404, detail="Todo not found")
        session.delete(todo)
        session.commit()
        return {"ok": True}
`,
    "backend/test_main.py": `import os
import tempfile

from fastapi.testclient import TestClient

# A database of the tests' own, created by main's create_all as it is imported.
os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/test.db"

from main import app  # noqa: E402

client = TestClient(app)


def test_create_update_and_delete():
    todo = client.post("/todos", json={"title": "Buy milk"}).json()
    assert client.get(f"/todos/{todo['id']}").json()["title"] == "Buy milk"
    assert client.put(f"/todos/{todo['id']}", json={"title": "Buy oat milk"}).json()["title"] == "Buy oat milk"
    assert client.post(f"/todos/{todo['id']}/done").json()["done"] is True
    assert client.delete(f"/todos/{todo['id']}").json() == {"ok": True}
    assert client.get(f"/todos/{todo['id']}").status_code == 404


def test_root():
    assert client.get("/").json() == {"message": "Todo API"}
`,
  },
};

export const PROJECT_LAYOUTS: ProjectLayout[] = [FLAT, NESTED_ASYNC, USER_SCOPED, API_KEY, MODELS_PACKAGE, CRUD_MODULE, TABLE_BODY];
