// The generated task routes on a project's own Task model with NOT NULL columns they do not fill (a required
// priority, a foreign key to projects): POST takes those columns, a task created with them is stored (201), one
// without them is a 422 — never the database's IntegrityError as a 500 — and an id naming no project is a 422.
// A required column of a type the routes cannot take stops them, with a warning naming the model's file:line.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { copyExample } from "../e2e/scratch.js";
import { runBin } from "../helpers/bin.js";
import { snapshotTree, writeFiles } from "../helpers/fixture.js";
import { VENV_PYTHON } from "../helpers/python.js";
import { removedAfterEach } from "../helpers/temp-roots.js";
import { errorLocations, runTaskApi } from "./task-api.js";

const PYTHON = process.env.AUTH_INTEGRATOR_PYTHON ?? VENV_PYTHON;
const temp = removedAfterEach();

const run = (root: string, ...flags: string[]) => runBin(["auth", "--cwd", root, "--yes", "--secret-mode", "shared-secret", ...flags]);

/** Runs the bin twice: the first run succeeds, the second changes no byte. Returns the first run's output. */
async function generateTwice(root: string, ...flags: string[]): Promise<string> {
  const first = await run(root, ...flags);
  expect(first.code, first.stderr).toBe(0);
  const before = snapshotTree(root);
  const again = await run(root, ...flags);
  expect(again.code, again.stderr).toBe(0);
  expect(snapshotTree(root)).toEqual(before);
  return first.stdout;
}

/** The bundled example, its SQLModel Task given `fields` after user_id. */
function sqlModelExample(...fields: string[]): string {
  const root = temp(copyExample("task-columns-"));
  const models = path.join(root, "backend/models.py");
  const text = readFileSync(models, "utf8");
  writeFileSync(models, text.replace("    user_id: str = Field(index=True)\n", `    user_id: str = Field(index=True)\n${fields.map((field) => `    ${field}\n`).join("")}`));
  return root;
}

/** The bundled example with its backend rewritten on plain SQLAlchemy 2.0: Project and Task, sync or async sessions. */
function sqlAlchemyExample(mode: "sync" | "async"): string {
  const root = temp(copyExample("task-fk-"));
  const async = mode === "async";
  writeFiles(root, {
    "backend/pyproject.toml": `[project]\nname = "todo-backend"\nversion = "0.1.0"\nrequires-python = ">=3.11"\ndependencies = ["fastapi>=0.115", "uvicorn", "sqlalchemy>=2.0"${async ? ', "aiosqlite"' : ""}]\n`,
    "backend/db.py": async
      ? `import os
from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase

engine = create_async_engine(os.environ.get("DATABASE_URL", "sqlite+aiosqlite:///./todo.db"))
SessionLocal = async_sessionmaker(engine, expire_on_commit=False)


class Base(DeclarativeBase):
    pass


async def create_db_and_tables() -> None:
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)


async def get_session() -> AsyncIterator[AsyncSession]:
    async with SessionLocal() as session:
        yield session
`
      : `import os
from collections.abc import Iterator

from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

engine = create_engine(os.environ.get("DATABASE_URL", "sqlite:///./todo.db"), connect_args={"check_same_thread": False})
SessionLocal = sessionmaker(engine, expire_on_commit=False)


class Base(DeclarativeBase):
    pass


def create_db_and_tables() -> None:
    Base.metadata.create_all(engine)


def get_session() -> Iterator[Session]:
    with SessionLocal() as session:
        yield session
`,
    "backend/models.py": `from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db import Base


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    tasks: Mapped[list["Task"]] = relationship(back_populates="project")


class Task(Base):
    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[Optional[str]] = mapped_column(String(1000))
    completed: Mapped[bool] = mapped_column(default=False)
    user_id: Mapped[str] = mapped_column(String(255), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    project: Mapped[Project] = relationship(back_populates="tasks")
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
`,
    "backend/main.py": `from contextlib import asynccontextmanager

from fastapi import FastAPI

import models  # noqa: F401  (registers the tables)
from db import create_db_and_tables


@asynccontextmanager
async def lifespan(_app: FastAPI):
    ${async ? "await " : ""}create_db_and_tables()
    yield


app = FastAPI(title="Todo API", lifespan=lifespan)


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
`,
  });
  return root;
}

describe("a SQLModel Task with a required priority: str", () => {
  it("takes priority in POST (201, stored; 422 without it) and PATCH", { timeout: 120_000 }, async () => {
    const root = sqlModelExample("priority: str = Field(max_length=10)");
    const stdout = await generateTwice(root);
    expect(stdout).toMatch(/backend\/models\.py: Task has NOT NULL columns without a default.*priority \(str, line \d+\)/);
    const backend = path.join(root, "backend");
    const routes = readFileSync(path.join(backend, "routes/tasks.py"), "utf8");
    expect(routes).toMatch(/class TaskCreate\(BaseModel\):\n(?: {4}.*\n)*? {4}priority: str = Field\(max_length=10\)\n/);
    expect(routes).toContain("        priority=body.priority,\n");

    const database = path.join(backend, "required.db");
    const api = await runTaskApi(
      backend,
      PYTHON,
      {
        table: "task",
        base: "/api/tasks",
        syncDatabaseUrl: `sqlite:///${database}`,
        seed: [],
        requests: [
          ["POST", "", { title: "with", priority: "high" }],
          ["POST", "", { title: "without" }],
          ["POST", "", { title: "too long", priority: "x".repeat(11) }],
          ["PATCH", "/{id}", { priority: "low" }],
          ["PATCH", "/{id}", { priority: null }],
          ["GET", "/{id}", null],
        ],
      },
      { DATABASE_URL: `sqlite:///${database}` },
    );
    const [created, without, tooLong, patched, nulled, read] = api.responses;
    expect(created).toMatchObject({ status: 201, body: { title: "with", priority: "high", user_id: "test-alice" } });
    expect(without.status).toBe(422);
    expect(errorLocations(without.body)).toEqual([["body", "priority"]]);
    expect(tooLong.status).toBe(422);
    expect(patched).toMatchObject({ status: 200, body: { priority: "low" } });
    expect(nulled).toMatchObject({ status: 200, body: { priority: "low" } }); // an explicit null changes nothing
    expect(read).toMatchObject({ status: 200, body: { priority: "low" } });
    expect(api.rows).toEqual([expect.objectContaining({ title: "with", priority: "low", user_id: "test-alice" })]);
  });
});

describe.each(["sync", "async"] as const)("a plain SQLAlchemy 2.0 Task with a required foreign key (%s session)", (mode) => {
  it.each(["flat", "user-scoped"])("takes project_id in POST in the %s style: 201 and stored with it, 422 without it or for an unknown project", { timeout: 120_000 }, async (style) => {
    const root = sqlAlchemyExample(mode);
    const stdout = await generateTwice(root, "--route-style", style);
    expect(stdout).toContain("project_id (int, references projects.id, line");
    expect(stdout).toMatch(/Task\.project_id \(backend\/models\.py:\d+\) is a foreign key to projects\.id: the task routes refuse \(422\) an id that names no row, but do not check that the row belongs to the caller/);
    const backend = path.join(root, "backend");
    const routes = readFileSync(path.join(backend, "routes/tasks.py"), "utf8");
    expect(routes).toContain("    project_id: int  # references projects.id\n");
    expect(routes).toContain(mode === "async" ? "await _check_references(session, body.model_dump())" : "    _check_references(session, body.model_dump())");

    const database = path.join(backend, "fk.db");
    const api = await runTaskApi(
      backend,
      PYTHON,
      {
        table: "tasks",
        base: style === "flat" ? "/api/tasks" : "/api/test-alice/tasks",
        syncDatabaseUrl: `sqlite:///${database}`,
        seed: ["INSERT INTO projects (id, name) VALUES (7, 'home'), (8, 'work')"],
        requests: [
          ["POST", "", { title: "in a project", project_id: 7 }],
          ["POST", "", { title: "no project" }],
          ["POST", "", { title: "unknown project", project_id: 999 }],
          ["PATCH", "/{id}", { project_id: 8 }],
          ["PATCH", "/{id}", { project_id: 999 }],
          ["GET", "", null],
        ],
      },
      { DATABASE_URL: `sqlite${mode === "async" ? "+aiosqlite" : ""}:///${database}` },
    );
    const [created, without, unknown, moved, movedToUnknown, listed] = api.responses;
    expect(created).toMatchObject({ status: 201, body: { title: "in a project", project_id: 7, user_id: "test-alice" } });
    expect(without.status).toBe(422);
    expect(errorLocations(without.body)).toEqual([["body", "project_id"]]);
    expect(unknown).toEqual({ status: 422, body: { detail: "project_id: no projects row has the id 999" } });
    expect(moved).toMatchObject({ status: 200, body: { project_id: 8 } });
    expect(movedToUnknown.status).toBe(422);
    expect(listed).toMatchObject({ status: 200, body: [{ title: "in a project", project_id: 8 }] });
    expect(api.rows).toEqual([expect.objectContaining({ title: "in a project", project_id: 8, user_id: "test-alice" })]);
  });
});

describe("a required column the routes cannot take from a request", () => {
  it("gets no task routes, and a warning naming the model's file:line, the column and what to add", { timeout: 60_000 }, async () => {
    const root = sqlModelExample("status: TaskStatus");
    const models = path.join(root, "backend/models.py");
    writeFileSync(models, readFileSync(models, "utf8").replace("from sqlmodel import Field, SQLModel\n", "import enum\n\nfrom sqlmodel import Field, SQLModel\n\n\nclass TaskStatus(str, enum.Enum):\n    open = \"open\"\n"));
    const line = readFileSync(models, "utf8").split("\n").indexOf("    status: TaskStatus") + 1;
    const stdout = await generateTwice(root);
    expect(existsSync(path.join(root, "backend/routes/tasks.py"))).toBe(false);
    expect(stdout).toContain(
      `No task routes were generated: Task.status (backend/models.py:${line}) is NOT NULL without a default, and its type (TaskStatus) is not one the generated routes can take ` +
        "from a request as it is (str, int, float, bool, datetime, date, UUID): give it a default (a default=, default_factory= or server_default=) or make it nullable, then rerun to get the task routes.",
    );
  });
});
