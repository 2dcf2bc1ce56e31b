/**
 * Detection and the app-module editor read Python through the parser: text that only looks like code
 * (docstrings, strings) never counts, an application factory is found and edited in place, and session
 * dependencies are recognised by what they do, whatever their name.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sessionDependencies } from "../../generators/lib/detect/db-module.js";
import { detectBackend } from "../../generators/lib/detect/index.js";
import { fastapiApp, findAppModule } from "../../generators/lib/detect/fastapi-app.js";
import { PythonSources } from "../../generators/lib/detect/python-sources.js";
import { registerRouters } from "../../generators/lib/editors/fastapi-app.js";
import { parsePython, syntaxErrors } from "../../generators/lib/python/syntax.js";
import { makeFixture } from "../helpers/fixture.js";
import { removedAfterEach } from "../helpers/temp-roots.js";
import { runPython } from "../backend/python.js";
import { useFixtures } from "./fixtures.js";

const repo = useFixtures();
const removed = removedAfterEach();
const lines = (...text: string[]) => `${text.join("\n")}\n`;
/** A backend folder at `api/` naming fastapi, with `files` (relative to api/). */
const backendAt = (files: Record<string, string>) => repo(Object.fromEntries(Object.entries({ "requirements.txt": "fastapi\n", ...files }).map(([rel, text]) => [`api/${rel}`, text])));

const FACTORY_MAIN = lines(
  '"""The API, built by a factory."""',
  "from fastapi import FastAPI",
  "",
  "from routes import items",
  "",
  "",
  "def create_app() -> FastAPI:",
  '    """Builds the app: FastAPI(title=...) with its routers."""',
  '    application = FastAPI(title="Tasks")',
  "    application.include_router(items.router)",
  "",
  "    @application.get('/health')",
  "    def health():",
  "        return {'ok': True}",
  "",
  "    return application",
  "",
  "",
  "app = create_app()",
);
const ROUTES_INIT = "";
const ITEMS_ROUTER = lines("from fastapi import APIRouter", "", "router = APIRouter()", "", "", "@router.get('/items')", "def items():", "    return []");
const AUTH_ROUTER = lines("from fastapi import APIRouter", "", "router = APIRouter(prefix='/api')", "", "", "@router.get('/me')", "def me():", "    return {}");
const AUTH = [{ module: "routes.auth", name: "router" }];
const OPTIONS = { file: "api/main.py", appVariable: "app", routers: AUTH };

describe("detection ignores code-looking text", () => {
  it("skips a module whose `app = FastAPI()` is only in a docstring or a string", () => {
    const docs = lines('"""Run it so:', "", "app = FastAPI()", '"""', "from fastapi import FastAPI", 'EXAMPLE = """', "app = FastAPI()", '"""');
    expect(fastapiApp(parsePython(docs))).toBeNull();
    const root = backendAt({ "main.py": docs, "app/main.py": lines("import fastapi", "", "api = fastapi.FastAPI()") });
    expect(detectBackend(root, "api").app).toEqual({ module: "app.main", file: "api/app/main.py", variable: "api" });
  });

  it("is not fooled by a column-0 `class Task(...)` line in a docstring, nor cut short by one inside the class", () => {
    const fake = lines('"""Models live elsewhere:', "", "class Task(SQLModel, table=True):", "    user_id: int", '"""');
    const real = lines(
      "from sqlmodel import Field, SQLModel",
      "",
      "",
      "class Task(SQLModel, table=True):",
      '    """A to-do item.',
      "",
      "class Note: (not code)",
      '"""',
      "    id: int | None = Field(default=None, primary_key=True)",
      "    user_id: str = Field(index=True)",
    );
    const root = backendAt({ "main.py": lines("from fastapi import FastAPI", "app = FastAPI()"), "models.py": fake, "app/models.py": real });
    expect(detectBackend(root, "api").taskModel).toEqual({ module: "app.models", file: "api/app/models.py", className: "Task", userIdType: "str" });
  });
});

describe("an application factory", () => {
  it("is detected: the module-level variable and the factory that builds the app", () => {
    expect(fastapiApp(parsePython(FACTORY_MAIN))).toEqual({ variable: "app", factory: "create_app" });
    // A factory defined elsewhere, or a function that does not return the app it builds, is no factory here.
    expect(fastapiApp(parsePython(lines("from app.factory import create_app", "app = create_app()")))).toBeNull();
    expect(fastapiApp(parsePython(lines("def make():", "    app = FastAPI()", "", "app = make()")))).toBeNull();
  });

  it("gets the routers included inside it (after its last include_router, before `return`), imports at top level", () => {
    const after = registerRouters(FACTORY_MAIN, OPTIONS);
    expect(after).toBe(
      FACTORY_MAIN.replace("from routes import items\n", "from routes import items\nfrom routes.auth import router as auth_router\n").replace(
        "    application.include_router(items.router)\n",
        "    application.include_router(items.router)\n    application.include_router(auth_router)\n",
      ),
    );
    expect(syntaxErrors(parsePython(after))).toEqual([]);
    expect(registerRouters(after, OPTIONS)).toBe(after);
  });

  it("without include_router calls, gets them right after FastAPI(...), in the body's indentation", () => {
    const before = lines("from fastapi import FastAPI", "", "def build():", "\tapi = FastAPI(", "\t\ttitle='x',", "\t)", "\treturn api", "", "app = build()");
    expect(registerRouters(before, { ...OPTIONS, factory: "build" })).toBe(
      lines("from fastapi import FastAPI", "from routes.auth import router as auth_router", "", "def build():", "\tapi = FastAPI(", "\t\ttitle='x',", "\t)", "\tapi.include_router(auth_router)", "\treturn api", "", "app = build()"),
    );
  });

  it("edited, still imports and serves the new router under Python", async () => {
    const root = removed(makeFixture({ "api/main.py": FACTORY_MAIN, "api/routes/__init__.py": ROUTES_INIT, "api/routes/items.py": ITEMS_ROUTER, "api/routes/auth.py": AUTH_ROUTER }, "python-parser-"));
    expect(findAppModule(new PythonSources(root, "api"))).toEqual({ file: "main.py", variable: "app", factory: "create_app" });
    writeFileSync(path.join(root, "api/main.py"), registerRouters(FACTORY_MAIN, OPTIONS));
    const result = await runPython(["-c", "import json, main; print(json.dumps(sorted(main.app.openapi()['paths'])))"], { cwd: path.join(root, "api") });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout.trim())).toEqual(expect.arrayContaining(["/api/me", "/items", "/health"]));
  });
});

describe("session dependencies", () => {
  it("are recognised by what they yield, whatever their name", () => {
    const text = lines(
      "from contextlib import contextmanager",
      "import requests",
      "from sqlalchemy.orm import sessionmaker",
      "",
      "Maker = sessionmaker(bind=engine)",
      "",
      "@contextmanager",
      "def session_scope():",
      "    with Maker() as s:",
      "        yield s",
      "",
      "def http_client():",
      "    with requests.Session() as s:",
      "        yield s",
      "",
      "def provide_db():",
      "    db = Maker()",
      "    try:",
      "        yield db",
      "    finally:",
      "        db.close()",
    );
    expect(sessionDependencies(text)).toEqual([{ name: "provide_db", kind: "function", async: false }]);
  });

  it("are async for `async def` or an AsyncSession, and found by a return annotation too", () => {
    const text = lines(
      "async def db_session():",
      "    async with async_session_maker() as session:",
      "        yield session",
      "",
      "def typed() -> 'Iterator[AsyncSession]':",
      "    ...",
      "",
      "def sync_one() -> Generator[Session, None, None]:",
      "    ...",
      "",
      "def helper():",
      "    def inner():",
      "        yield Session(engine)",
      "    return inner",
    );
    expect(sessionDependencies(text)).toEqual([
      { name: "db_session", kind: "function", async: true },
      { name: "typed", kind: "function", async: true },
      { name: "sync_one", kind: "function", async: false },
    ]);
  });

  it("ignore an alias or a function that is only in a docstring", () => {
    expect(sessionDependencies(lines('"""', "SessionDep = Annotated[Session, Depends(get_db)]", "def get_db():", '"""'))).toEqual([]);
  });
});

describe("session dependencies: what is not one", () => {
  it("is a function returning something else whose name mentions sessions, or one naming AsyncSession only in its docstring", () => {
    const text = lines("def issue(user):", "    return create_session_token(user)", "", "def note():", '    """Not an AsyncSession."""', "    with SessionLocal() as s:", "        s.commit()");
    expect(sessionDependencies(text)).toEqual([]);
    expect(sessionDependencies(lines("def get_db():", '    """Sync, unlike the AsyncSession one."""', "    yield SessionLocal()"))).toEqual([{ name: "get_db", kind: "function", async: false }]);
  });
});

describe("settings and engines through the parser", () => {
  it("finds a strict BaseSettings class reading .env, but not one quoted in a docstring or tolerating extra keys", async () => {
    const { findStrictEnvSettings } = await import("../../generators/lib/detect/settings-env.js");
    const root = backendAt({
      "main.py": "from fastapi import FastAPI\napp = FastAPI()\n",
      "config.py": lines(
        '"""Example:',
        "class Quoted(BaseSettings):",
        '    model_config = SettingsConfigDict(env_file=".env")',
        '"""',
        "from pydantic_settings import BaseSettings, SettingsConfigDict",
        "",
        "class Settings(BaseSettings):",
        '    model_config = SettingsConfigDict(env_file=(".env", ".env.prod"))',
        "    database_url: str",
        "    DEBUG: bool = False",
        "",
        "class Loose(BaseSettings):",
        "    class Config:",
        '        env_file = ".env"',
        '        extra = "ignore"',
        "    x: int = 1",
      ),
    });
    const found = findStrictEnvSettings(root, "api");
    expect(found.map((s) => [s.className, s.line, [...s.fields]])).toEqual([["Settings", 7, ["database_url", "debug"]]]);
  });

  it("names the engine a db module creates, assigns or imports", async () => {
    const { engineName } = await import("../../generators/lib/backend/db-engine.js");
    expect(engineName('"""engine = x"""\ndb_engine: AsyncEngine = create_async_engine(URL)\n')).toBe("db_engine");
    expect(engineName("from app.core.db import engine\n")).toBe("engine");
    expect(engineName("def f():\n    engine = create_engine(URL)\n")).toBeNull();
  });
});
