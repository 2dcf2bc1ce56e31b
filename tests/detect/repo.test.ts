import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { detectRepo } from "../../generators/lib/detect/index.js";
import type { BackendInfo } from "../../generators/lib/types.js";
import { makeFixture, removeFixture } from "../helpers/fixture.js";
import { VENV_PYTHON } from "../helpers/python.js";
import { MAIN_PY, nextPackageJson, pep621Pyproject, useFixtures } from "./fixtures.js";

const repo = useFixtures();

/** A realistic SQLModel backend in the `app/` package layout of FastAPI's full-stack template. */
const templateBackend = (dir: string): Record<string, string> => ({
  [`${dir}/pyproject.toml`]: pep621Pyproject(["fastapi[standard]>=0.115", "sqlmodel>=0.0.22"]),
  [`${dir}/uv.lock`]: "version = 1\n",
  [`${dir}/app/__init__.py`]: "",
  [`${dir}/app/main.py`]: "from fastapi import FastAPI\n\nfrom app.api.routes import tasks\n\napp = FastAPI(title='Tasks')\napp.include_router(tasks.router)\n",
  [`${dir}/app/core/__init__.py`]: "",
  [`${dir}/app/core/db.py`]: "from sqlmodel import create_engine\n\nengine = create_engine('sqlite://')\n",
  [`${dir}/app/api/__init__.py`]: "",
  [`${dir}/app/api/deps.py`]:
    "from collections.abc import Generator\nfrom typing import Annotated\n\nfrom fastapi import Depends\nfrom sqlmodel import Session\n\nfrom app.core.db import engine\n\n\ndef get_db() -> Generator[Session, None, None]:\n    with Session(engine) as session:\n        yield session\n\n\nSessionDep = Annotated[Session, Depends(get_db)]\n",
  [`${dir}/app/api/routes/__init__.py`]: "",
  [`${dir}/app/api/routes/tasks.py`]: "from fastapi import APIRouter\n\nrouter = APIRouter()\n",
  [`${dir}/app/models.py`]:
    "import uuid\n\nfrom sqlmodel import Field, SQLModel\n\n\nclass Task(SQLModel, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n    title: str\n    user_id: uuid.UUID = Field(index=True)\n",
});

/** An async SQLAlchemy backend in a src/<package> layout with requirements.txt. */
const srcPackageBackend = (dir: string): Record<string, string> => ({
  [`${dir}/requirements.txt`]: "fastapi==0.115.*\nsqlalchemy[asyncio]>=2\n",
  [`${dir}/src/todo_api/__init__.py`]: "",
  [`${dir}/src/todo_api/main.py`]: "from fastapi import FastAPI\n\napi = FastAPI()\n",
  [`${dir}/src/todo_api/database.py`]:
    "from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine\nfrom sqlalchemy.orm import DeclarativeBase\n\n\nclass Base(DeclarativeBase):\n    pass\n\n\nasync def get_session():\n    yield None\n",
  [`${dir}/src/todo_api/routers/__init__.py`]: "",
  [`${dir}/src/todo_api/models/__init__.py`]: "",
  [`${dir}/src/todo_api/models/task.py`]:
    "from sqlalchemy import ForeignKey, Integer, String\nfrom sqlalchemy.orm import Mapped, mapped_column\n\nfrom todo_api.database import Base\n\n\nclass Task(Base):\n    __tablename__ = 'tasks'\n    id: Mapped[int] = mapped_column(Integer, primary_key=True)\n    user_id: Mapped[int] = mapped_column(Integer, index=True)\n",
});

describe("detectRepo", () => {
  it("finds frontend/ and backend/ with everything the plan needs", () => {
    const root = repo({
      "frontend/package.json": nextPackageJson({ version: "15.3.1" }),
      "frontend/pnpm-lock.yaml": "",
      "frontend/src/app/page.tsx": "",
      "frontend/tsconfig.json": '{\n  "compilerOptions": {\n    "paths": { "@/*": ["./src/*"], },\n  },\n}\n',
      ...templateBackend("backend"),
      "docker-compose.yml": "services: {}\n",
    });
    expect(detectRepo(root)).toEqual({
      problems: [],
      root,
      frontend: { dir: "frontend", srcLayout: true, codeDir: "frontend/src", importAlias: "@/", packageManager: "pnpm", nextVersion: "15.3.1", styling: { tailwind: false, shadcnUi: null } },
      backend: {
        dir: "backend",
        app: { module: "app.main", file: "backend/app/main.py", variable: "app" },
        appImport: "app.main:app",
        routes: { module: "app.api.routes", file: "backend/app/api/routes", exists: true },
        db: { module: "app.api.deps", file: "backend/app/api/deps.py", dependency: "SessionDep", dependencyKind: "annotated", async: false },
        databaseUrl: { scheme: "sqlite", async: false, file: "backend/app/core/db.py", line: 3 },
        taskModel: { module: "app.models", file: "backend/app/models.py", className: "Task", userIdType: "UUID" },
        depsFile: { kind: "pep621", file: "backend/pyproject.toml" },
        pythonTool: "uv",
      },
      composeFile: "docker-compose.yml",
    });
  });

  it("finds apps/web and services/api in a workspace monorepo", () => {
    const root = repo({
      "package.json": '{ "private": true, "packageManager": "yarn@4.5.1", "workspaces": ["apps/*"] }',
      "apps/web/package.json": nextPackageJson(),
      "apps/docs/package.json": '{ "dependencies": { "astro": "5" } }',
      ...srcPackageBackend("services/api"),
      "compose.yaml": "services: {}\n",
    });
    const detected = detectRepo(root);
    expect(detected.frontend).toMatchObject({ dir: "apps/web", codeDir: "apps/web", packageManager: "yarn", importAlias: null });
    expect(detected.backend).toMatchObject({
      dir: "services/api",
      app: { module: "todo_api.main", file: "services/api/src/todo_api/main.py", variable: "api" },
      appImport: "todo_api.main:api",
      routes: { module: "todo_api.routers", file: "services/api/src/todo_api/routers", exists: true },
      db: { module: "todo_api.database", dependency: "get_session", dependencyKind: "function", async: true },
      taskModel: { module: "todo_api.models.task", userIdType: "int" },
      depsFile: { kind: "requirements", file: "services/api/requirements.txt" },
      pythonTool: "pip",
    });
    expect(detected.composeFile).toBe("compose.yaml");
  });

  it("finds a Next.js app at the root next to an api/ backend", () => {
    const root = repo({
      "package.json": nextPackageJson(),
      "bun.lock": "{}",
      "app/page.tsx": "",
      "api/requirements.txt": "fastapi\n",
      "api/main.py": MAIN_PY,
    });
    const detected = detectRepo(root);
    expect(detected.frontend).toMatchObject({ dir: ".", codeDir: ".", packageManager: "bun" });
    expect(detected.backend).toMatchObject({ dir: "api", appImport: "main:app", routes: { file: "api/routes", exists: false }, db: null, taskModel: null });
    expect(detected.composeFile).toBeNull();
  });

  it("passes over a candidate that fails detection for the next one", () => {
    const root = repo({
      // Shallowest and named "api", but no module creates the app.
      "api/requirements.txt": "fastapi\n",
      "api/main.py": "print('not yet')\n",
      "services/backend/requirements.txt": "fastapi\n",
      "services/backend/main.py": MAIN_PY,
    });
    expect(detectRepo(root).backend?.dir).toBe("services/backend");
  });

  it("returns nulls for a repo without either app, and ignores dependency, virtualenv and build folders", () => {
    const root = repo({
      "README.md": "# nothing here\n",
      "node_modules/app/package.json": nextPackageJson(),
      ".venv/lib/site/requirements.txt": "fastapi\n",
      ".venv/lib/site/main.py": MAIN_PY,
      "venv/requirements.txt": "fastapi\n",
      "dist/web/package.json": nextPackageJson(),
      "build/api/requirements.txt": "fastapi\n",
    });
    expect(detectRepo(root)).toEqual({ root, frontend: null, backend: null, composeFile: null, problems: [] });
  });

  it("stays fast on a wide repo: one bounded walk, no reads below depth 4", () => {
    const files: Record<string, string> = { ...templateBackend("backend"), "web/package.json": nextPackageJson() };
    for (let i = 0; i < 300; i++) files[`packages/p${i}/package.json`] = JSON.stringify({ name: `p${i}`, dependencies: { react: "19" } });
    for (let i = 0; i < 200; i++) files[`node_modules/m${i}/package.json`] = nextPackageJson();
    files["deep/a/b/c/d/e/package.json"] = nextPackageJson();
    const root = repo(files);
    const start = performance.now();
    const detected = detectRepo(root);
    const elapsed = performance.now() - start;
    expect(detected.frontend?.dir).toBe("web");
    expect(detected.backend?.dir).toBe("backend");
    expect(elapsed).toBeLessThan(500);
  });
});

/** The folder Python imports a backend's modules from: `src/` when the app sits in a src layout. */
function importRoot(root: string, backend: BackendInfo): string {
  const src = `${backend.dir === "." ? "" : `${backend.dir}/`}src/`;
  return path.join(root, backend.app.file.startsWith(src) && !backend.app.module.startsWith("src.") ? `${backend.dir}/src` : backend.dir);
}

describe("detected modules import in real Python", () => {
  it("app, routes, session dependency and Task model resolve from the dotted paths detection reports", () => {
    const root = repo({ ...templateBackend("one"), ...srcPackageBackend("two") });
    const checks = ["one", "two"].map((dir) => {
      const backend = detectRepo(path.join(root, dir)).backend;
      if (!backend) throw new Error(`no backend detected in ${dir}`);
      return {
        path: importRoot(path.join(root, dir), backend),
        app: backend.app,
        routes: backend.routes.module,
        db: backend.db,
        task: backend.taskModel,
      };
    });
    const script = `
import importlib, json, sys
out = []
for check in json.load(sys.stdin):
    sys.path.insert(0, check["path"])
    app_module = importlib.import_module(check["app"]["module"])
    app = getattr(app_module, check["app"]["variable"])
    db = importlib.import_module(check["db"]["module"])
    task = getattr(importlib.import_module(check["task"]["module"]), "Task")
    hints = {k: v for k, v in getattr(task, "__annotations__", {}).items()}
    out.append({
        "app": type(app).__name__,
        "routes": importlib.import_module(check["routes"]).__name__,
        "dependency": hasattr(db, check["db"]["dependency"]),
        "user_id": str(hints.get("user_id")),
    })
    sys.path.remove(check["path"])
    for name in [n for n, m in sys.modules.items() if getattr(m, "__file__", None) and m.__file__.startswith(check["path"])]:
        del sys.modules[name]
print(json.dumps(out))
`;
    const python = process.env.AUTH_INTEGRATOR_PYTHON ?? VENV_PYTHON;
    const output = execFileSync(python, ["-c", script], { input: JSON.stringify(checks), encoding: "utf8" });
    expect(JSON.parse(output)).toEqual([
      { app: "FastAPI", routes: "app.api.routes", dependency: true, user_id: "<class 'uuid.UUID'>" },
      { app: "FastAPI", routes: "todo_api.routers", dependency: true, user_id: "sqlalchemy.orm.base.Mapped[int]" },
    ]);
  });
});

describe("detectRepo with a malformed manifest", () => {
  it("passes over the broken app but keeps its file and line in problems", () => {
    const root = makeFixture({ "web/package.json": '{\n  "dependencies": { "next": "15" \n}\n', "api/requirements.txt": "fastapi\n", "api/main.py": "from fastapi import FastAPI\napp = FastAPI()\n" });
    try {
      const detected = detectRepo(root);
      expect(detected.frontend).toBeNull();
      expect(detected.backend?.dir).toBe("api");
      expect(detected.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^web\/package\.json:\d+: invalid JSON/)]);
    } finally {
      removeFixture(root);
    }
  });
});
