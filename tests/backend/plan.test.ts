/** planBackend on fixture backends in temp folders: which files it writes, what it edits, skips and returns. */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GENERATED_MARKER } from "../../generators/lib/backend/generated-marker.js";
import { detectBackend } from "../../generators/lib/detect/index.js";
import type { Answers, BackendInfo } from "../../generators/lib/types.js";
import { makeFixture, snapshotTree } from "../helpers/fixture.js";
import { removedAfterEach } from "../helpers/temp-roots.js";
import { PROJECT_LAYOUTS } from "../e2e/project-layouts.js";
import {
  bareBackend,
  flatBackend,
  generate,
  intUserIdBackend,
  noDescriptionBackend,
  packageBackend,
  planIn,
  srcLayoutBackend,
  type FixtureBackend,
} from "./fixtures.js";

const removed = removedAfterEach();
const USER_SCOPED = PROJECT_LAYOUTS.find((layout) => layout.name === "user-scoped")!;

/** A temp folder holding the fixture's files. */
const fixture = (backend: FixtureBackend) => removed(makeFixture(backend.files, "auth-integrator-plan-"));

/** A temp folder holding the fixture with the plan written to it, and the plan's tree and result. */
function generated(backend: FixtureBackend, answers: Partial<Answers> = {}) {
  const root = fixture(backend);
  return { root, ...generate(root, backend, answers) };
}

/** The files a plan would create or change, without writing them. */
function plannedChanges(root: string, info: BackendInfo, answers: Partial<Answers> = {}) {
  const planned = planIn(root, info, answers);
  return { ...planned, changes: planned.tree.changes() };
}

const read = (root: string, rel: string) => readFileSync(path.join(root, rel), "utf8");

describe("planBackend on a backend like the example (main.py, routes/, db.py, models.py)", () => {
  it("adds the verifier, auth and task routes, the script and the tests, and registers both routers", () => {
    const backend = flatBackend();
    const root = fixture(backend);
    const { changes, plan } = plannedChanges(root, backend.info);
    expect(changes.map((c) => c.path).sort()).toEqual(
      [
        ".auth-integrator.json",
        "backend/auth_jwt.py",
        "backend/conftest.py",
        "backend/jwt-verify-test.py",
        "backend/main.py",
        "backend/routes/auth.py",
        "backend/routes/tasks.py",
        "backend/tests/test_auth.py",
      ].sort(),
    );
    expect(plan.pythonDeps).toEqual(["pyjwt[crypto]>=2.14", "python-dotenv>=1.0"]);
    expect(plan.pythonDevDeps).toEqual(["pytest", "httpx"]);
    const main = changes.find((c) => c.path === "backend/main.py")!;
    const added = main.after.split("\n").filter((line) => !main.before!.split("\n").includes(line));
    expect(added).toEqual([
      "from routes.auth import router as auth_router",
      "from routes.tasks import router as tasks_router",
      "app.include_router(auth_router)",
      "app.include_router(tasks_router)",
      // Its CORS policy lists the frontend's origin but allows no Authorization header (see tests/backend/cors.test.ts).
      'app.add_middleware(CORSMiddleware, allow_origins=["http://localhost:3000"], allow_headers=["Authorization", "Content-Type"])',
    ]);
  });

  it("reuses the project's session function and Task model, with sync handlers", () => {
    const { root } = generated(flatBackend());
    const tasks = read(root, "backend/routes/tasks.py");
    expect(tasks).toContain("from db import get_session\nfrom models import Task\nfrom routes.auth import CurrentUser\n");
    expect(tasks).toContain("SessionDep = Annotated[Session, Depends(get_session)]");
    expect(tasks).toContain("def list_tasks(");
    expect(tasks).not.toContain("async def");
    expect(tasks).not.toContain("await ");
    expect(tasks).toContain('router = APIRouter(prefix="/api/tasks"');
    expect(tasks).not.toContain("_create_task_table");
  });

  it("asks for plain PyJWT in shared-secret mode and writes user-scoped routes when asked", () => {
    const { root, plan } = generated(flatBackend(), { secretMode: "shared-secret", routeStyle: "user-scoped" });
    expect(plan.pythonDeps).toEqual(["pyjwt>=2.14", "python-dotenv>=1.0"]);
    const tasks = read(root, "backend/routes/tasks.py");
    expect(tasks).toContain('router = APIRouter(prefix="/api/{user_id}/tasks"');
    expect(tasks).toContain("from routes.auth import PathUser");
    expect(read(root, "backend/auth_jwt.py")).toContain('algorithms=["HS256"]');
    expect(read(root, "backend/auth_jwt.py")).not.toContain("PyJWKClient");
  });

  it("changes nothing when run again over its own output, with the same or with re-detected backend info", () => {
    const backend = flatBackend();
    const { root } = generated(backend);
    const before = snapshotTree(root);
    expect(plannedChanges(root, backend.info).changes).toEqual([]);
    generate(root, backend);
    expect(snapshotTree(root)).toEqual(before);
  });

  it("leaves a generated file the user edited alone, with nothing to report while its rendering is the same", () => {
    const backend = flatBackend();
    const { root } = generated(backend);
    writeFileSync(path.join(root, "backend/routes/auth.py"), `${read(root, "backend/routes/auth.py")}\n# my change\n`);
    const { changes, tree } = plannedChanges(root, backend.info);
    expect(changes).toEqual([]);
    expect(tree.skippedFiles()).toEqual([]);
  });
});

describe("planBackend on a backend without a session dependency or models", () => {
  it("creates the routes package, a SQLModel Task model and a db module, and asks for sqlmodel", () => {
    const { root, plan } = generated(bareBackend());
    expect(plan.pythonDeps).toEqual(["pyjwt[crypto]>=2.14", "python-dotenv>=1.0", "sqlmodel"]);
    expect(read(root, "backend/routes/__init__.py").startsWith(GENERATED_MARKER)).toBe(true);
    expect(read(root, "backend/models.py")).toContain("class Task(SQLModel, table=True):");
    expect(read(root, "backend/models.py")).toContain("user_id: str = Field(index=True");
    const db = read(root, "backend/db.py");
    expect(db).toContain("from auth_jwt import read_environment\n");
    expect(db).toContain('DATABASE_URL = read_environment().get("DATABASE_URL")');
    // No table at import: the task routes' lifespan creates it as the app starts (tests/backend/startup-table.test.ts).
    expect(db).not.toContain("__table__");
    const tasks = read(root, "backend/routes/tasks.py");
    expect(tasks).toContain("from db import SessionDep, engine\nfrom models import Task\n");
    expect(tasks).toContain('router = APIRouter(prefix="/api/tasks", tags=["tasks"], lifespan=_create_task_table_at_start)');
  });

  it.each([
    ["LF", (text: string) => text],
    ["CRLF", (text: string) => text.replace(/\n/g, "\r\n")],
  ])("is idempotent under a re-run's real detection, which never takes the generated db or model as the user's (%s files)", (_label, endings) => {
    const backend = bareBackend();
    const { root } = generated(backend);
    for (const rel of ["backend/db.py", "backend/models.py", "backend/routes/tasks.py"]) writeFileSync(path.join(root, rel), endings(read(root, rel)));
    const before = snapshotTree(root);
    const redetected = detectBackend(root, "backend");
    expect([redetected.db, redetected.taskModel, redetected.routes.exists]).toEqual([null, null, true]);
    expect(plannedChanges(root, redetected).changes).toEqual([]);
    generate(root, { ...backend, info: redetected });
    expect(snapshotTree(root)).toEqual(before);
  });

  it("keeps clear of the user's own db.py and models.py that detection did not take as a session or a Task model", () => {
    const backend = bareBackend();
    backend.files["backend/db.py"] = "# the user's own database helpers\n";
    backend.files["backend/models.py"] = "# the user's own models\n";
    const { root } = generated(backend);
    expect(read(root, "backend/db.py")).toBe("# the user's own database helpers\n");
    expect(read(root, "backend/models.py")).toBe("# the user's own models\n");
    expect(read(root, "backend/tasks_db.py")).toContain("SessionDep = Annotated[Session, Depends(get_session)]");
    expect(read(root, "backend/routes/tasks.py")).toContain("from routes.auth import CurrentUser\nfrom task_models import Task\nfrom tasks_db import SessionDep, engine\n");
  });
});

describe("planBackend on an app package (app/main.py, app/routers, SessionDep, no Task model)", () => {
  it("puts the verifier and model next to the app, includes after the existing include, and creates the table at start-up", () => {
    const { root } = generated(packageBackend());
    expect(read(root, "backend/app/main.py")).toContain(
      "from app.routers import items\nfrom app.routers.auth import router as auth_router\nfrom app.routers.tasks import router as tasks_router\n\n" +
        'api = FastAPI(title="Package API")\n',
    );
    // The CORS policy it had none of goes right after the app's creation (tests/backend/cors.test.ts).
    expect(read(root, "backend/app/main.py")).toContain(")\n\napi.include_router(items.router)\napi.include_router(auth_router)\napi.include_router(tasks_router)\n");
    expect(read(root, "backend/app/auth_jwt.py")).toContain('ENV_FILE = Path(__file__).resolve().parents[1] / ".env"');
    expect(read(root, "backend/app/routers/auth.py")).toContain("from app.auth_jwt import get_verifier\n");
    const tasks = read(root, "backend/app/routers/tasks.py");
    expect(tasks).toContain("from app.database import SessionDep, engine\nfrom app.models import Task\nfrom app.routers.auth import CurrentUser\n");
    expect(tasks).toContain('router = APIRouter(prefix="/api/tasks", tags=["tasks"], lifespan=_create_task_table_at_start)');
    expect(tasks).toContain("_create_task_table(session.connection())");
    expect(read(root, "backend/tests/test_auth.py")).toContain("from app.auth_jwt import get_settings, get_verifier\nfrom app.main import api as app\n");
    expect(read(root, "backend/tests/test_auth.py")).not.toContain("sys.path");
    expect(read(root, "backend/conftest.py")).toContain("the tests import the app as `app.main`");
    expect(read(root, "backend/jwt-verify-test.py")).toContain("from app.auth_jwt import get_verifier\n");
  });

  it("sends the task routes elsewhere, with a warning, when the routes package already has a tasks.py of the user's", () => {
    const backend = packageBackend();
    backend.files["backend/app/routers/tasks.py"] = "# the user's unauthenticated task routes\n";
    const { root, tree } = generated(backend);
    expect(read(root, "backend/app/routers/tasks.py")).toBe("# the user's unauthenticated task routes\n");
    expect(read(root, "backend/app/routers/task_routes.py")).toContain("def create_task(");
    expect(read(root, "backend/app/main.py")).toContain("from app.routers.task_routes import router as task_routes_router");
    expect(tree.warningList().join("\n")).toMatch(/backend\/app\/routers\/tasks\.py is your own module.*task_routes\.py/);
  });
});

describe("planBackend with other project shapes", () => {
  it("writes async handlers that await the session for an AsyncSession dependency", () => {
    const { root } = generated(asyncFixture());
    const tasks = read(root, "backend/routes/tasks.py");
    expect(tasks).toContain("SessionDep = Annotated[AsyncSession, Depends(get_session)]");
    expect(tasks).toContain("async def list_tasks(");
    expect(tasks).toContain("result = await session.scalars(statement)");
    expect(tasks).toContain("await session.delete(task)");
    expect(tasks).not.toMatch(/^def (list|create|read|update|toggle|delete)_tasks?\(/m);
  });

  it("skips the task routes, with the reason, when Task.user_id is an int, and registers only the auth router", () => {
    const { root, tree } = generated(intUserIdBackend());
    expect(tree.skippedFiles()).toEqual([
      { path: "backend/routes/tasks.py", reason: expect.stringMatching(/Task\.user_id in backend\/models\.py is int.*Better Auth's user ids are strings/), snippet: undefined },
    ]);
    expect(tree.warningList().join("\n")).toMatch(/No task routes were generated/);
    expect(() => read(root, "backend/routes/tasks.py")).toThrow(/ENOENT/);
    const main = read(root, "backend/main.py");
    expect(main).toContain("app.include_router(auth_router)");
    expect(main).not.toContain("tasks");
    expect(read(root, "backend/tests/test_auth.py")).not.toContain("def test_another_users_task_is_404");
  });

  it.each([
    ["has no description column", noDescriptionBackend().files["backend/models.py"], /Task in backend\/models\.py has no description column/],
    ["has a bytes id", flatBackend().files["backend/models.py"].replace("id: int | None = Field(default=None, primary_key=True)", "id: bytes = Field(primary_key=True)"), /Task\.id in backend\/models\.py is bytes/],
  ])("skips the task routes, with the reason and a warning, when Task %s", (_label, models, reason) => {
    const backend = flatBackend();
    backend.files["backend/models.py"] = models;
    const { root, tree } = generated(backend);
    expect(tree.skippedFiles()).toEqual([{ path: "backend/routes/tasks.py", reason: expect.stringMatching(reason), snippet: undefined }]);
    expect(tree.warningList().join("\n")).toMatch(new RegExp(`No task routes were generated: .*${reason.source}`));
    expect(() => read(root, "backend/routes/tasks.py")).toThrow(/ENOENT/);
    expect(read(root, "backend/main.py")).not.toContain("tasks");
  });

  it("keeps creating a generated Task's table on first use when the project's db module exposes no engine", () => {
    const backend = packageBackend();
    const database = backend.files["backend/app/database.py"];
    backend.files["backend/app/database.py"] = database.replace("engine = create_engine(", "def _make():\n    return create_engine(").replace(
      "with Session(engine) as session:",
      "with Session(_make()) as session:",
    );
    const tasks = read(generated(backend).root, "backend/app/routers/tasks.py");
    expect(tasks).toContain("from app.database import SessionDep\n");
    expect(tasks).not.toContain("lifespan=");
    expect(tasks).toContain("_create_task_table(session.connection())");
    expect(tasks).toContain("exposes no\n    engine at top level");
  });

  it("finds the import root and the .env of a src layout in a nested backend folder", () => {
    const { root } = generated(srcLayoutBackend());
    expect(read(root, "services/api/src/todo/auth_jwt.py")).toContain('ENV_FILE = Path(__file__).resolve().parents[2] / ".env"');
    expect(read(root, "services/api/jwt-verify-test.py")).toContain('sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))');
    expect(read(root, "services/api/tests/test_auth.py")).not.toContain("sys.path");
    // The source root src/ is what the conftest.py next to tests/ puts on sys.path (pytest's `pythonpath` setting would).
    expect(read(root, "services/api/conftest.py")).toContain('sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))');
    expect(read(root, "services/api/src/todo/routers/tasks.py")).toContain("from todo.db import SessionDep");
  });

  it("handles a backend at the repo root", () => {
    const backend = bareBackend();
    const files = Object.fromEntries(Object.entries(backend.files).map(([rel, text]) => [rel.replace(/^backend\//, ""), text]));
    const root = fixture({ ...backend, files });
    const info: BackendInfo = {
      ...backend.info,
      dir: ".",
      app: { module: "main", file: "main.py", variable: "app" },
      routes: { module: "routes", file: "routes", exists: false },
      depsFile: { kind: "pep621", file: "pyproject.toml" },
    };
    const { changes } = plannedChanges(root, info);
    expect(changes.map((c) => c.path).sort()).toEqual(
      [
        ".auth-integrator.json",
        "auth_jwt.py",
        "conftest.py",
        "db.py",
        "jwt-verify-test.py",
        "main.py",
        "models.py",
        "routes/__init__.py",
        "routes/auth.py",
        "routes/tasks.py",
        "tests/test_auth.py",
      ].sort(),
    );
    expect(changes.find((c) => c.path === "auth_jwt.py")?.after).toContain('ENV_FILE = Path(__file__).resolve().parent / ".env"');
  });

  it("skips registering the routers, with the lines to add, when the app module's shape is not recognised", () => {
    const backend = bareBackend();
    backend.files["backend/main.py"] = "from fastapi import FastAPI\n\n\ndef create_app() -> FastAPI:\n    app = FastAPI()\n    return app\n";
    const { root, tree } = generated(backend);
    expect(read(root, "backend/main.py")).toBe(backend.files["backend/main.py"]);
    const skipped = tree.skippedFiles().find((s) => s.path === "backend/main.py");
    expect(skipped?.reason).toMatch(/no top-level `app = \.\.\.`/);
    expect(skipped?.snippet).toBe(
      "from routes.auth import router as auth_router\nfrom routes.tasks import router as tasks_router\n\napp.include_router(auth_router)\napp.include_router(tasks_router)",
    );
  });
});

function asyncFixture(): FixtureBackend {
  const backend = flatBackend();
  backend.info.db = { ...backend.info.db!, async: true };
  return backend;
}

describe("--mismatch-status 404", () => {
  it("answers another user's path with 404 in the generated user-scoped routes and their tests, and a second run changes nothing", () => {
    const backend = flatBackend();
    const answers = { routeStyle: "user-scoped", mismatchStatus: "404" } as const;
    const { root } = generated(backend, answers);
    const auth = read(root, "backend/routes/auth.py");
    expect(auth).toContain('raise HTTPException(status.HTTP_404_NOT_FOUND, detail="User not found")');
    expect(auth).not.toContain("HTTP_403_FORBIDDEN");
    expect(read(root, "backend/routes/tasks.py")).toContain("is answered 404, like a user that does not exist");
    const tests = read(root, "backend/tests/test_auth.py");
    expect(tests).toContain("def test_another_users_path_is_404(");
    expect(tests).toContain("== [404, 404, 404]");
    expect(plannedChanges(root, backend.info, answers).changes).toEqual([]);
  });

  it("answers another user's path with 404 in the project's own {user_id} routes it secures in place", () => {
    const files = Object.fromEntries(Object.entries(USER_SCOPED.files).filter(([file]) => file.startsWith("backend/")));
    const root = removed(makeFixture(files, "auth-integrator-plan-"));
    const info = detectBackend(root, "backend");
    const { tree, plan } = generate(root, { files, info, appImport: USER_SCOPED.appImport }, { mismatchStatus: "404" });
    const routes = read(root, "backend/app/api/tasks.py");
    expect(routes).toContain('    if str(user_id) != current_user.id:\n        raise HTTPException(status_code=404, detail="User not found")\n');
    expect(routes).not.toContain("status_code=403");
    expect(plan.routeChanges.join("\n")).toContain("{user_id} must be the caller (404)");
    expect(tree.changes().length).toBeGreaterThan(0);
    expect(plannedChanges(root, detectBackend(root, "backend"), { mismatchStatus: "404" }).changes).toEqual([]);
  });
});
