// The compiled bin on monorepos laid out the ways real projects are: where files land, what is kept,
// what the next steps say, that a second run changes nothing, and that bad input writes nothing.
import { execa } from "execa";
import { statSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runBin } from "../helpers/bin.js";
import { makeFixture, removeFixture, snapshotTree } from "../helpers/fixture.js";
import { keepsLines } from "../helpers/keeps-lines.js";
import { VENV_PYTHON } from "../helpers/python.js";

let root = "";
afterEach(() => removeFixture(root));

const PYTHON = process.env.AUTH_INTEGRATOR_PYTHON ?? VENV_PYTHON;

/** The bin with --yes on `root`, plus any flags. */
const runAuth = (...flags: string[]) => runBin(["auth", "--cwd", root, "--yes", ...flags]);

/** The summary's "Next steps" block. */
const nextSteps = (stdout: string) => stdout.slice(stdout.indexOf("Next steps"));

/** Runs the bin a second time and checks it changes no byte and says so. */
async function expectSecondRunIsANoOp(): Promise<void> {
  const before = snapshotTree(root);
  const again = await runAuth();
  expect(again.code).toBe(0);
  expect(again.stdout).toContain("Nothing to do");
  expect(snapshotTree(root)).toEqual(before);
}

const json = (value: unknown) => JSON.stringify(value, null, 2) + "\n";
const NEXT_DEPS = { next: "^15.5.0", react: "^19.1.0", "react-dom": "^19.1.0" };
const PAGE = "export default function Page() {\n  return <main>Tasks</main>;\n}\n";

/** Layout 1: the Next.js app at the root, FastAPI in api/ with CRLF files and a pinned PyJWT. */
const ROOT_NEXT_APP: Record<string, string> = {
  "package.json": json({ name: "rootapp", private: true, scripts: { dev: "next dev" }, dependencies: NEXT_DEPS }),
  "app/page.tsx": PAGE,
  "api/requirements.txt": "fastapi==0.115.0\r\nuvicorn[standard]==0.30.0\r\nPyJWT==2.8.0  # pinned\r\nsqlmodel\r\n",
  "api/main.py": 'from fastapi import FastAPI\r\n\r\n# the api\r\napp = FastAPI()\r\n\r\n\r\n@app.get("/health")\r\ndef health():\r\n    return {"ok": True}\r\n',
  ".gitignore": "node_modules\n.next\n",
};

/** Layout 2: apps/web (src layout, pnpm) + services/api (Poetry, app/ package, async get_db, a Task model). */
const PNPM_POETRY_MONOREPO: Record<string, string> = {
  "package.json": json({ name: "mono", private: true, packageManager: "pnpm@9.12.0" }),
  "pnpm-workspace.yaml": 'packages:\n  - "apps/*"\n',
  "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
  "apps/web/package.json": json({ name: "@mono/web", private: true, scripts: { dev: "next dev --turbopack" }, dependencies: NEXT_DEPS }),
  "apps/web/tsconfig.json": json({ compilerOptions: { strict: true, moduleResolution: "bundler", paths: { "@/*": ["./src/*"] } } }),
  "apps/web/src/app/page.tsx": PAGE,
  "services/api/pyproject.toml": `[tool.poetry]
name = "api"
version = "0.1.0"
packages = [{ include = "app" }]

[tool.poetry.dependencies]
python = "^3.11"
fastapi = "^0.115.0"  # web framework
uvicorn = { extras = ["standard"], version = "^0.30.0" }
sqlmodel = "^0.0.22"
aiosqlite = "^0.20.0"

[tool.poetry.group.dev.dependencies]
pytest = "^8.0"
`,
  "services/api/poetry.lock": "# poetry lock\n",
  "services/api/app/__init__.py": "",
  "services/api/app/core/__init__.py": "",
  "services/api/app/main.py": `from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.core.db import init_db
from app.routers import health


@asynccontextmanager
async def lifespan(app: FastAPI):
    await init_db()
    yield


app = FastAPI(title="Tasks", lifespan=lifespan)

app.include_router(health.router)
`,
  "services/api/app/routers/__init__.py": "",
  "services/api/app/routers/health.py": `from fastapi import APIRouter

router = APIRouter()


@router.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
`,
  "services/api/app/core/db.py": `import os
from collections.abc import AsyncIterator

from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite+aiosqlite:///./tasks.db")

engine = create_async_engine(DATABASE_URL)


async def init_db() -> None:
    from app.models import task  # noqa: F401  (registers the table)

    async with engine.begin() as conn:
        await conn.run_sync(SQLModel.metadata.create_all)


async def get_db() -> AsyncIterator[AsyncSession]:
    async with AsyncSession(engine, expire_on_commit=False) as session:
        yield session
`,
  "services/api/app/models/__init__.py": 'from app.models.task import Task\n\n__all__ = ["Task"]\n',
  "services/api/app/models/task.py": `from datetime import datetime, timezone

from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Task(SQLModel, table=True):
    __tablename__ = "tasks"

    id: int | None = Field(default=None, primary_key=True)
    title: str
    description: str | None = None
    completed: bool = Field(default=False)
    user_id: str = Field(index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
`,
  ".gitignore": "node_modules\n.next\n__pycache__/\n.env*.local\n",
};

const EXISTING_AUTH_TS = `import { betterAuth } from "better-auth";
import { nextCookies } from "better-auth/next-js";
import { Pool } from "pg";

// Our auth server. Do not add a baseURL here: it comes from BETTER_AUTH_URL.
export const auth = betterAuth({
  database: new Pool({ connectionString: process.env.DATABASE_URL }),
  emailAndPassword: { enabled: true, minPasswordLength: 10 },
  socialProviders: {
    github: {
      clientId: process.env.GITHUB_CLIENT_ID as string, // from the GitHub app
      clientSecret: process.env.GITHUB_CLIENT_SECRET as string,
    },
  },
  /* session tuning */
  session: { expiresIn: 60 * 60 * 24 * 7 },
  plugins: [nextCookies()], // keep last
});
`;

const EXISTING_AUTH_CLIENT = `import { createAuthClient } from "better-auth/react";

export const authClient = createAuthClient({
  // same origin
});

export const { signIn, signOut, useSession } = authClient;
`;

const EXISTING_SECRET = "existing-secret-value-0123456789abcdef";

/** Layout 3: Better Auth already set up (Postgres, GitHub login) and a Task model keyed by an int user id. */
const EXISTING_BETTER_AUTH: Record<string, string> = {
  "frontend/package.json": json({
    name: "frontend",
    private: true,
    scripts: { dev: "next dev" },
    dependencies: { "better-auth": "^1.3.0", pg: "^8.16.0", ...NEXT_DEPS },
  }),
  "frontend/package-lock.json": "{}\n",
  "frontend/tsconfig.json": json({ compilerOptions: { strict: true, paths: { "@/*": ["./*"] } } }),
  "frontend/lib/auth.ts": EXISTING_AUTH_TS,
  "frontend/lib/auth-client.ts": EXISTING_AUTH_CLIENT,
  "frontend/app/page.tsx": PAGE,
  "frontend/.env.local": `BETTER_AUTH_SECRET=${EXISTING_SECRET}\nDATABASE_URL=postgres://localhost/app\n`,
  "backend/requirements.txt": "fastapi>=0.110\nuvicorn\nsqlmodel\n",
  "backend/main.py": "from fastapi import FastAPI\n\nfrom routers import items\n\napp = FastAPI()\napp.include_router(items.router)\n",
  "backend/routers/__init__.py": "",
  "backend/routers/items.py": 'from fastapi import APIRouter\n\nrouter = APIRouter(prefix="/items")\n\n\n@router.get("")\ndef list_items() -> list[str]:\n    return []\n',
  "backend/db.py": 'from sqlmodel import Session, create_engine\n\nengine = create_engine("sqlite:///./app.db")\n\n\ndef get_session():\n    with Session(engine) as session:\n        yield session\n',
  "backend/models.py": `from sqlmodel import Field, SQLModel


class Task(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str
    completed: bool = False
    user_id: int = Field(foreign_key="user.id")
`,
  ".gitignore": "node_modules\n.env.local\n",
};

const COMPOSE_YAML = `# Local development stack
name: stack

services:
  web:
    build:
      context: ./web
    ports: ["3000:3000"]
    environment:
      # where the browser reaches the API
      - NEXT_PUBLIC_API_URL=http://localhost:8000
      - NODE_ENV=development
    depends_on:
      - server

  server:
    build: ./server   # FastAPI
    environment:
      - LOG_LEVEL=debug
    ports:
      - "8000:8000"

  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: example
`;

/** Layout 4: a bare FastAPI main.py (no db, no models) managed by uv, and compose.yaml with list-form environments. */
const UV_AND_COMPOSE: Record<string, string> = {
  "web/package.json": json({ name: "web", private: true, packageManager: "yarn@4.5.0", scripts: { dev: "next dev" }, dependencies: NEXT_DEPS }),
  "web/yarn.lock": "",
  "web/tsconfig.json": json({ compilerOptions: { strict: true, baseUrl: ".", paths: { "~/*": ["./*"] } } }),
  "web/app/page.tsx": PAGE,
  "server/pyproject.toml": `[project]
name = "server"
version = "0.1.0"
requires-python = ">=3.11"
# runtime deps
dependencies = [
    "fastapi[standard]>=0.115.0",
]

[dependency-groups]
dev = ["pytest>=8"]
`,
  "server/uv.lock": "version = 1\n",
  "server/main.py": `"""The server."""
from fastapi import FastAPI

app = FastAPI(
    title="Server",
    version="1.0",
)


@app.get("/")
async def root():
    return {"hello": "world"}
`,
  "compose.yaml": COMPOSE_YAML,
  ".gitignore": "node_modules/\n",
};

/** Layout 5: frontend/ + backend/ under GitHub's Python .gitignore (`lib/`, `.env`). */
const PYTHON_GITIGNORE_REPO: Record<string, string> = {
  "frontend/package.json": json({ name: "web", private: true, scripts: { dev: "next dev" }, dependencies: NEXT_DEPS }),
  "frontend/app/page.tsx": PAGE,
  "backend/requirements.txt": "fastapi\nuvicorn\n",
  "backend/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
  ".gitignore": `# Byte-compiled / optimized / DLL files
__pycache__/
*.py[cod]

# Distribution / packaging
build/
dist/
lib/
lib64/

# Environments
.env
.venv
venv/
`,
};

describe("a Next.js app at the repo root with FastAPI in api/ (CRLF files, a pinned PyJWT)", () => {
  it("adds the crypto extra to the pin, keeps CRLF and every user line, and points the next steps at api/", async () => {
    root = makeFixture(ROOT_NEXT_APP);
    const { code, stdout } = await runAuth();
    expect(code).toBe(0);
    const files = snapshotTree(root);
    expect(files["api/requirements.txt"]).toBe("fastapi==0.115.0\r\nuvicorn[standard]==0.30.0\r\nPyJWT[crypto]==2.8.0  # pinned\r\nsqlmodel\r\npython-dotenv>=1.0\r\n");
    const main = files["api/main.py"];
    expect(main.split("\n").slice(0, -1).every((line) => line.endsWith("\r"))).toBe(true);
    expect(keepsLines(ROOT_NEXT_APP["api/main.py"].split("\r\n"), main.replace(/\r\n/g, "\n"))).toBe(true);
    expect(main).toContain("from routes.auth import router as auth_router\r\n");
    for (const file of ["lib/auth.ts", "lib/auth-client.ts", "lib/api.ts", "app/api/auth/[...all]/route.ts", "api/routes/tasks.py", "api/models.py", "api/db.py"]) {
      expect(files, file).toHaveProperty([file]);
    }
    expect(files[".gitignore"]).toBe("node_modules\n.next\n/.env.local\n/api/.env\n/auth.db\n");
    const steps = nextSteps(stdout);
    expect(steps).toContain("npm install  and  (cd api && pip install -r requirements.txt)");
    expect(steps).toContain("Start the frontend: npm run dev");
    expect(steps).toContain("cd api && uvicorn main:app --reload");
    await expectSecondRunIsANoOp();
  });

  it("--dry-run prints the diff, writes nothing and redacts an existing secret", async () => {
    const secret = "root-level-secret-0123456789abcdefghij";
    root = makeFixture({ ...ROOT_NEXT_APP, ".env.local": `BETTER_AUTH_SECRET=${secret}\n` });
    const before = snapshotTree(root);
    const { code, stdout, stderr } = await runAuth("--dry-run");
    expect(code).toBe(0);
    expect(stdout).toContain("+++ b/api/requirements.txt");
    expect(stdout).toContain("+PyJWT[crypto]==2.8.0  # pinned");
    expect(stdout).toContain("Dry run: no file was written.");
    expect(stdout + stderr).not.toContain(secret);
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe("apps/web (src layout, pnpm) + services/api (Poetry, app/routers, async get_db, a Task model)", () => {
  it("puts the frontend files under src/, reuses the async session and Task model, and the generated tests pass", async () => {
    root = makeFixture(PNPM_POETRY_MONOREPO);
    const { code, stdout } = await runAuth();
    expect(code).toBe(0);
    const files = snapshotTree(root);
    for (const file of ["apps/web/src/lib/auth.ts", "apps/web/src/lib/auth-client.ts", "apps/web/src/lib/api.ts", "services/api/app/routers/auth.py", "services/api/app/routers/tasks.py"]) {
      expect(files, file).toHaveProperty([file]);
    }
    expect(files["apps/web/src/app/api/auth/[...all]/route.ts"]).toContain('import { auth } from "@/lib/auth";');
    const tasks = files["services/api/app/routers/tasks.py"];
    expect(tasks).toContain("from app.core.db import get_db");
    expect(tasks).toContain("from app.models.task import Task");
    expect(tasks).toContain("AsyncSession");
    expect(files).not.toHaveProperty(["services/api/app/models.py"]);
    expect(files).not.toHaveProperty(["services/api/app/db.py"]);
    expect(files["services/api/pyproject.toml"]).toContain('aiosqlite = "^0.20.0"\npyjwt = { version = ">=2.14", extras = ["crypto"] }\n');
    expect(keepsLines(PNPM_POETRY_MONOREPO["services/api/app/main.py"], files["services/api/app/main.py"])).toBe(true);
    // `.env*.local` already ignores the frontend's env file.
    expect(files[".gitignore"]).toBe(PNPM_POETRY_MONOREPO[".gitignore"] + "/services/api/.env\n/apps/web/auth.db\n");
    const steps = nextSteps(stdout);
    expect(steps).toContain("(cd apps/web && pnpm install)  and  (cd services/api && poetry install)");
    expect(steps).toContain("cd apps/web && pnpm auth:migrate");
    expect(steps).toContain("cd services/api && poetry run uvicorn app.main:app --reload");

    const api = path.join(root, "services/api");
    await execa(PYTHON, ["-c", "import app.main"], { cwd: api });
    const pytest = await execa(PYTHON, ["-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_auth.py"], { cwd: api, reject: false });
    expect(pytest.exitCode, pytest.stdout).toBe(0);
    expect(pytest.stdout).toMatch(/\d+ passed/);
  });

  it("is a no-op the second time", async () => {
    root = makeFixture(PNPM_POETRY_MONOREPO);
    expect((await runAuth()).code).toBe(0);
    await expectSecondRunIsANoOp();
  });
});

describe("an existing Better Auth setup and a Task model with an int user_id", () => {
  it("adds only the jwt plugin and jwtClient, skips the task routes with the reason, and reuses the secret unprinted", async () => {
    root = makeFixture(EXISTING_BETTER_AUTH);
    const { code, stdout, stderr } = await runAuth();
    expect(code).toBe(0);
    const files = snapshotTree(root);
    const auth = files["frontend/lib/auth.ts"];
    expect(keepsLines(EXISTING_AUTH_TS.replace("  plugins: [nextCookies()], // keep last\n", ""), auth)).toBe(true);
    expect(auth).toContain('import { jwt } from "better-auth/plugins";');
    expect(auth).toContain("// keep last");
    expect(auth.indexOf("jwt({")).toBeLessThan(auth.indexOf("nextCookies(),"));
    expect(auth).not.toContain("better-sqlite3");
    const client = files["frontend/lib/auth-client.ts"];
    expect(keepsLines(EXISTING_AUTH_CLIENT, client)).toBe(true);
    expect(client).toContain("plugins: [jwtClient()],");
    expect(client).toContain('import { jwtClient } from "better-auth/client/plugins";');

    expect(files).not.toHaveProperty(["backend/routers/tasks.py"]);
    expect(files).toHaveProperty(["backend/routers/auth.py"]);
    expect(files["backend/main.py"]).toContain("app.include_router(items.router)\napp.include_router(auth_router)\n");
    expect(files["backend/main.py"]).not.toContain("tasks_router");
    expect(stdout).toContain("Task.user_id in backend/models.py is int, but Better Auth's user ids are strings");

    expect(files["frontend/.env.local"]).toContain(`BETTER_AUTH_SECRET=${EXISTING_SECRET}\nDATABASE_URL=postgres://localhost/app\n`);
    expect(stdout).toContain("reused the value from frontend/.env.local");
    expect(stdout + stderr).not.toContain(EXISTING_SECRET);
    // ^1.3.0 lacks what the generated code imports (better-auth/db/migration): raised, and said so with the old range.
    expect(JSON.parse(files["frontend/package.json"]).dependencies["better-auth"]).toBe("^1.7.25");
    expect(stdout).toContain("better-auth ^1.3.0 → ^1.7.25");
    expect(nextSteps(stdout)).toContain("(cd frontend && npm install)  and  (cd backend && pip install -r requirements.txt)");

    await expectSecondRunIsANoOp();
  });
});

describe("a bare FastAPI main.py managed by uv, with compose.yaml in list form", () => {
  it("generates the Task model and session, extends each list-form environment, and keeps comments and other services", async () => {
    root = makeFixture(UV_AND_COMPOSE);
    const { code, stdout } = await runAuth();
    expect(code).toBe(0);
    const files = snapshotTree(root);
    expect(files["server/models.py"]).toContain("user_id: str");
    expect(files["server/db.py"]).toContain("def get_session()");
    expect(files["server/routes/tasks.py"]).toContain("from db import");
    expect(files["server/pyproject.toml"]).toContain('    "fastapi[standard]>=0.115.0",\n    "pyjwt[crypto]>=2.14",\n    "python-dotenv>=1.0",\n    "sqlmodel",\n]');
    expect(files["web/app/api/auth/[...all]/route.ts"]).toContain('from "~/lib/auth"');

    const compose = files["compose.yaml"];
    expect(keepsLines(COMPOSE_YAML, compose)).toBe(true);
    expect(compose).toContain("      - NODE_ENV=development\n      - BETTER_AUTH_SECRET=${BETTER_AUTH_SECRET}\n      - BETTER_AUTH_URL=${BETTER_AUTH_URL}\n    depends_on:");
    expect(compose).toContain("      - LOG_LEVEL=debug\n      - BETTER_AUTH_URL=${BETTER_AUTH_URL}\n      - BETTER_AUTH_JWKS_URL=http://web:3000/api/auth/jwks\n    ports:");
    expect(compose).toContain("  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: example\n");
    const secret = files["web/.env.local"].match(/^BETTER_AUTH_SECRET=(.+)$/m)![1];
    expect(compose).not.toContain(secret);
    expect(files[".env"]).toContain(`BETTER_AUTH_SECRET=${secret}`);
    expect(statSync(path.join(root, ".env")).mode & 0o777).toBe(0o600);

    const steps = nextSteps(stdout);
    expect(steps).toContain("(cd web && yarn install)  and  (cd server && uv sync)");
    expect(steps).toContain("cd server && uv run uvicorn main:app --reload");
    await execa(PYTHON, ["-c", "import main"], { cwd: path.join(root, "server") });

    await expectSecondRunIsANoOp();
  });
});

describe("a Python-style .gitignore (lib/ and .env rules)", () => {
  it("warns that the generated lib/ files are ignored and adds only the env files git would not ignore", async () => {
    root = makeFixture(PYTHON_GITIGNORE_REPO);
    const { code, stdout } = await runAuth();
    expect(code).toBe(0);
    for (const file of ["frontend/lib/auth.ts", "frontend/lib/auth-client.ts", "frontend/lib/api.ts"]) {
      expect(stdout).toContain(`${file} is ignored by git (a .gitignore rule matches it)`);
      expect(stdout).toContain(`"!${file}"`);
    }
    // `.env` already covers backend/.env; frontend/.env.local is not covered.
    expect(snapshotTree(root)[".gitignore"]).toBe(PYTHON_GITIGNORE_REPO[".gitignore"] + "/frontend/.env.local\n/frontend/auth.db\n");
    await expectSecondRunIsANoOp();
  });
});

describe("bad input stops the run with file:line, a non-zero exit and nothing written", () => {
  const cases: { name: string; files: Record<string, string>; flags?: string[]; code: number; message: string }[] = [
    {
      name: "a compose file with a YAML error",
      files: { "docker-compose.yml": "services:\n  frontend:\n    build: ./frontend\n    environment:\n      - A=1\n     B: 2\n" },
      code: 1,
      message: "docker-compose.yml:6: ",
    },
    {
      name: "an env file with a garbage line",
      files: { "frontend/.env.local": "FOO=bar\nthis is not a line\n" },
      code: 1,
      message: 'frontend/.env.local:2: expected KEY=value, a comment or a blank line',
    },
    {
      name: "requirements.txt with a line that is no requirement",
      files: { "backend/requirements.txt": "fastapi\nuvicorn\n!!garbage!!\n" },
      code: 1,
      message: "backend/requirements.txt:3: ",
    },
    {
      name: "a malformed tsconfig.json of the frontend given as a flag",
      files: { "frontend/tsconfig.json": '{\n  "compilerOptions": {\n    "paths": { "@/*": ["./*"] \n  }\n' },
      flags: ["--frontend", "frontend"],
      code: 1,
      message: "frontend/tsconfig.json:5: invalid JSON",
    },
    {
      name: "a malformed pyproject.toml of the backend given as a flag",
      files: { "backend/pyproject.toml": '[project]\nname = "x"\ndependencies = ["fastapi"\n' },
      flags: ["--backend", "backend"],
      code: 1,
      message: "backend/pyproject.toml:4: invalid TOML",
    },
    {
      name: "a malformed tsconfig.json found by detection under --yes (not 'nothing was detected')",
      files: { "frontend/tsconfig.json": '{\n  "compilerOptions": {\n    "paths": { "@/*": ["./*"] \n  }\n' },
      code: 1,
      message: "frontend/tsconfig.json:5: invalid JSON",
    },
    {
      name: "--frontend pointing at a folder without next",
      files: { "other/package.json": json({ name: "other" }) },
      flags: ["--frontend", "other"],
      code: 2,
      message: "no Next.js app in 'other': other/package.json does not depend on next",
    },
  ];

  for (const { name, files, flags = [], code, message } of cases) {
    it(name, async () => {
      root = makeFixture({ ...PYTHON_GITIGNORE_REPO, ...files });
      const before = snapshotTree(root);
      const result = await runAuth(...flags);
      expect(result.code).toBe(code);
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain("(nothing was written)");
      expect(snapshotTree(root)).toEqual(before);
    });
  }

  it("two different BETTER_AUTH_SECRET values name both files and print neither value", async () => {
    const [a, b] = ["a".repeat(40), "b".repeat(40)];
    root = makeFixture({ ...PYTHON_GITIGNORE_REPO, "frontend/.env.local": `BETTER_AUTH_SECRET=${a}\n`, "backend/.env": `X=1\nBETTER_AUTH_SECRET=${b}\n` });
    const before = snapshotTree(root);
    const result = await runAuth();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("BETTER_AUTH_SECRET differs between frontend/.env.local and backend/.env");
    expect(result.stdout + result.stderr).not.toContain(a);
    expect(result.stdout + result.stderr).not.toContain(b);
    expect(snapshotTree(root)).toEqual(before);
  });
});
