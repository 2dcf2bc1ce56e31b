/**
 * Fixture FastAPI backends for the backend generator's tests, each with the BackendInfo that
 * detection would report for it (written by hand here: these tests pin down generation, not detection).
 */
import { commitChanges } from "../../generators/lib/commit.js";
import { planBackend, type BackendPlan } from "../../generators/lib/backend/index.js";
import { PlanTree } from "../../generators/lib/tree.js";
import type { Answers, BackendInfo } from "../../generators/lib/types.js";
import { DEFAULT_ANSWERS } from "../helpers/answers.js";
import { makeFixture } from "../helpers/fixture.js";

export interface FixtureBackend {
  files: Record<string, string>;
  info: BackendInfo;
  /** How uvicorn imports the app from the backend folder. */
  appImport: string;
}

const PYPROJECT = `[project]
name = "fixture-backend"
version = "0.1.0"
dependencies = ["fastapi", "sqlmodel"]
`;

const SYNC_DB = `"""Database engine and the per-request session dependency."""

import os
from collections.abc import Iterator
from pathlib import Path

from sqlmodel import Session, SQLModel, create_engine

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(__file__).resolve().parent / 'app.db'}"
engine = create_engine(DATABASE_URL, connect_args={"check_same_thread": False})


def create_db_and_tables() -> None:
    SQLModel.metadata.create_all(engine)


def get_session() -> Iterator[Session]:
    with Session(engine) as session:
        yield session
`;

const TASK_MODEL = (userIdType: string) => `"""Database tables."""

from datetime import datetime, timezone

from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Task(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str
    description: str | None = None
    completed: bool = False
    user_id: ${userIdType} = Field(index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
`;

/** A health route as trivial as GET /api/me: async, no dependency. */
const HEALTH = `

@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
`;

const FLAT_MAIN = `"""The todo API."""

from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

import models  # noqa: F401  (registers the tables before create_all)
from db import create_db_and_tables


@asynccontextmanager
async def lifespan(_app: FastAPI):
    create_db_and_tables()
    yield


app = FastAPI(
    title="Todo API",
    lifespan=lifespan,
)

app.add_middleware(CORSMiddleware, allow_origins=["http://localhost:3000"])
${HEALTH}`;

function info(overrides: Partial<BackendInfo> & Pick<BackendInfo, "app" | "routes">): BackendInfo {
  return {
    dir: "backend",
    appImport: `${overrides.app.module}:${overrides.app.variable}`,
    db: null,
    databaseUrl: null,
    taskModel: null,
    depsFile: { kind: "pep621", file: "backend/pyproject.toml" },
    pythonTool: "pip",
    ...overrides,
  };
}

/** main.py + routes/ + db.py with get_session + models.py with Task(user_id: str): like the bundled example. */
export function flatBackend(): FixtureBackend {
  return {
    appImport: "main:app",
    files: {
      "backend/pyproject.toml": PYPROJECT,
      "backend/main.py": FLAT_MAIN,
      "backend/db.py": SYNC_DB,
      "backend/models.py": TASK_MODEL("str"),
      "backend/routes/__init__.py": "",
    },
    info: info({
      app: { module: "main", file: "backend/main.py", variable: "app" },
      routes: { module: "routes", file: "backend/routes", exists: true },
      db: { module: "db", file: "backend/db.py", dependency: "get_session", dependencyKind: "function", async: false },
      taskModel: { module: "models", file: "backend/models.py", className: "Task", userIdType: "str" },
    }),
  };
}

/** app/main.py + app/routers (with a router of its own) + an annotated SessionDep, and no Task model. */
export function packageBackend(): FixtureBackend {
  return {
    appImport: "app.main:api",
    files: {
      "backend/pyproject.toml": PYPROJECT,
      "backend/app/__init__.py": "",
      "backend/app/main.py": `from fastapi import FastAPI

from app.routers import items

api = FastAPI(title="Package API")
api.include_router(items.router)


@api.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
`,
      "backend/app/routers/__init__.py": "",
      "backend/app/routers/items.py": `from fastapi import APIRouter

router = APIRouter()


@router.get("/items")
async def list_items() -> list[str]:
    return ["a", "b"]
`,
      "backend/app/database.py": `import os
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

from fastapi import Depends
from sqlmodel import Session, create_engine

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(__file__).resolve().parent / 'package.db'}"
engine = create_engine(DATABASE_URL, connect_args={"check_same_thread": False})


def get_db() -> Iterator[Session]:
    with Session(engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_db)]
`,
    },
    info: info({
      app: { module: "app.main", file: "backend/app/main.py", variable: "api" },
      routes: { module: "app.routers", file: "backend/app/routers", exists: true },
      db: { module: "app.database", file: "backend/app/database.py", dependency: "SessionDep", dependencyKind: "annotated", async: false },
    }),
  };
}

/**
 * An AsyncSession backend without a routes package. With aiosqlite installed it is SQLModel's real
 * AsyncSession; without it (the test venv lacks it) a stand-in with AsyncSession's awaitable API over
 * a sync Session, which still makes every missing or extra `await` in the generated code fail.
 */
export function asyncBackend(): FixtureBackend {
  return {
    appImport: "main:app",
    files: {
      "backend/pyproject.toml": PYPROJECT,
      "backend/main.py": `from contextlib import asynccontextmanager

from fastapi import FastAPI

from db import create_tables


@asynccontextmanager
async def lifespan(_app: FastAPI):
    await create_tables()
    yield


app = FastAPI(lifespan=lifespan)
${HEALTH}`,
      "backend/models.py": TASK_MODEL("str | None"),
      "backend/db.py": `import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from sqlmodel import Session, SQLModel, create_engine

import models  # noqa: F401

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(__file__).resolve().parent / 'async.db'}"

try:
    import aiosqlite  # noqa: F401
except ImportError:
    aiosqlite = None

if aiosqlite is not None:
    from sqlalchemy.ext.asyncio import create_async_engine
    from sqlmodel.ext.asyncio.session import AsyncSession

    engine = create_async_engine(DATABASE_URL.replace("sqlite://", "sqlite+aiosqlite://", 1))

    async def create_tables() -> None:
        async with engine.begin() as connection:
            await connection.run_sync(SQLModel.metadata.create_all)

    async def get_session() -> AsyncIterator[AsyncSession]:
        async with AsyncSession(engine) as session:
            yield session

else:
    sync_engine = create_engine(DATABASE_URL, connect_args={"check_same_thread": False})

    class AsyncSession:  # type: ignore[no-redef]
        """AsyncSession's API (awaitable where it is) over a sync Session."""

        def __init__(self, session: Session) -> None:
            self._session = session

        def add(self, instance: Any) -> None:
            self._session.add(instance)

        async def scalars(self, statement: Any) -> Any:
            return self._session.scalars(statement)

        async def get(self, entity: Any, ident: Any) -> Any:
            return self._session.get(entity, ident)

        async def commit(self) -> None:
            self._session.commit()

        async def refresh(self, instance: Any) -> None:
            self._session.refresh(instance)

        async def delete(self, instance: Any) -> None:
            self._session.delete(instance)

        async def run_sync(self, fn: Callable[[Session], Any]) -> Any:
            return fn(self._session)

    async def create_tables() -> None:
        SQLModel.metadata.create_all(sync_engine)

    async def get_session() -> AsyncIterator[AsyncSession]:
        with Session(sync_engine) as session:
            yield AsyncSession(session)
`,
    },
    info: info({
      app: { module: "main", file: "backend/main.py", variable: "app" },
      routes: { module: "routes", file: "backend/routes", exists: false },
      db: { module: "db", file: "backend/db.py", dependency: "get_session", dependencyKind: "function", async: true },
      taskModel: { module: "models", file: "backend/models.py", className: "Task", userIdType: "str | None" },
    }),
  };
}

/** Only an app: no routes package, no session dependency, no models (all generated). */
export function bareBackend(): FixtureBackend {
  return {
    appImport: "main:app",
    files: {
      "backend/pyproject.toml": PYPROJECT,
      "backend/main.py": `from fastapi import FastAPI

app = FastAPI()
${HEALTH}`,
    },
    info: info({
      app: { module: "main", file: "backend/main.py", variable: "app" },
      routes: { module: "routes", file: "backend/routes", exists: false },
    }),
  };
}

/** A src layout in a deeper backend folder: services/api/src/todo/main.py imported as todo.main; nothing else. */
export function srcLayoutBackend(): FixtureBackend {
  return {
    appImport: "todo.main:app",
    files: {
      "services/api/pyproject.toml": PYPROJECT,
      "services/api/src/todo/__init__.py": "",
      "services/api/src/todo/main.py": `from fastapi import FastAPI

app = FastAPI()
`,
    },
    info: info({
      dir: "services/api",
      app: { module: "todo.main", file: "services/api/src/todo/main.py", variable: "app" },
      routes: { module: "todo.routers", file: "services/api/src/todo/routers", exists: false },
      depsFile: { kind: "pep621", file: "services/api/pyproject.toml" },
    }),
  };
}

/** Like flatBackend, but Task.user_id is an int: Better Auth's string ids do not fit. */
export function intUserIdBackend(): FixtureBackend {
  const backend = flatBackend();
  backend.files["backend/models.py"] = TASK_MODEL("int");
  backend.info.taskModel = { ...backend.info.taskModel!, userIdType: "int" };
  return backend;
}

/** Like flatBackend, but Task has no description column: the task routes would fail writing it. */
export function noDescriptionBackend(): FixtureBackend {
  const backend = flatBackend();
  backend.files["backend/models.py"] = TASK_MODEL("str").replace("    description: str | None = None\n", "");
  return backend;
}

/** Like flatBackend, but Task takes its columns from a TaskBase in the same module (SQLModel's tutorial pattern). */
export function inheritedTaskBackend(): FixtureBackend {
  const backend = flatBackend();
  backend.files["backend/models.py"] = TASK_MODEL("str").replace(
    "class Task(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n",
    "class TaskBase(SQLModel):\n",
  ).concat("\n\nclass Task(TaskBase, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n");
  backend.info.taskModel = { ...backend.info.taskModel!, userIdType: null }; // detection reads user_id from Task's own body only
  return backend;
}

/** Runs planBackend on a folder without writing anything; returns the plan's tree and result. */
export function planIn(root: string, info: BackendInfo, answers: Partial<Answers> = {}): { tree: PlanTree; plan: BackendPlan } {
  const tree = new PlanTree(root);
  return { tree, plan: planBackend(tree, { ...DEFAULT_ANSWERS, ...answers }, info) };
}

/** Runs planBackend on a folder and writes the plan to disk; returns the plan's tree and result. */
export function generate(root: string, backend: FixtureBackend, answers: Partial<Answers> = {}): { tree: PlanTree; plan: BackendPlan } {
  const planned = planIn(root, backend.info, answers);
  commitChanges(root, planned.tree.changes());
  return planned;
}

/** A temp folder holding the fixture, generated with the answers. */
export function generatedFixture(backend: FixtureBackend, answers: Partial<Answers> = {}): { root: string; tree: PlanTree; plan: BackendPlan } {
  const root = makeFixture(backend.files, "auth-integrator-backend-");
  return { root, ...generate(root, backend, answers) };
}
