// Queries that live in the project's helper functions (a crud module, services calling each other): the inventory
// follows them from the handlers, secureHelpers gives each an owner_id and filters its queries by it, the handlers
// pass current_user.id, and a helper that anything else calls too is left alone and reported.
import { execFileSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { PythonSources } from "../../generators/lib/detect/python-sources.js";
import { routeInventory } from "../../generators/lib/python/routes.js";
import { secureHelpers, type OwnedHelper } from "../../generators/lib/python/secure-routes.js";
import { runBin } from "../helpers/bin.js";
import { makeFixture, removeFixture, snapshotTree } from "../helpers/fixture.js";
import { keepsLines, sameLineOrInserted } from "../helpers/keeps-lines.js";
import { VENV_PYTHON } from "../helpers/python.js";
import { PROJECT_LAYOUTS } from "../e2e/project-layouts.js";

const PYTHON = process.env.AUTH_INTEGRATOR_PYTHON ?? VENV_PYTHON;
const CRUD = PROJECT_LAYOUTS.find((layout) => layout.name === "crud-module")!;
const CRUD_FILE = CRUD.files["backend/app/crud.py"];

const item = (name: string, innerCalls: string[] = []): OwnedHelper => ({ name, model: { className: "Item", ownerColumn: "user_id" }, innerCalls });
const scope = (text: string, helpers: OwnedHelper[]) => secureHelpers(text, { file: "backend/app/crud.py", helpers });

/** Runs Python with the given module text importable as `crud`, printing what `script` prints. */
function runWithCrud(crud: string, script: string): string {
  const prelude = [
    "import sys, types",
    "from sqlalchemy import Boolean, Column, Integer, String, create_engine",
    "from sqlalchemy.orm import Session, declarative_base",
    "Base = declarative_base()",
    "class Item(Base):",
    "    __tablename__ = 'items'",
    "    id = Column(Integer, primary_key=True)",
    "    title = Column(String)",
    "    description = Column(String, nullable=True)",
    "    completed = Column(Boolean, default=False)",
    "    user_id = Column(String(255), index=True, nullable=True)",
    "models = types.ModuleType('app.models'); models.Item = Item",
    "schemas = types.ModuleType('app.schemas'); schemas.ItemCreate = schemas.ItemUpdate = object",
    "app = types.ModuleType('app'); app.models, app.schemas = models, schemas; app.__path__ = []",
    "sys.modules.update({'app': app, 'app.models': models, 'app.schemas': schemas})",
    "crud = types.ModuleType('app.crud'); crud.__package__ = 'app'",
    "exec(compile(sys.stdin.read(), 'crud.py', 'exec'), crud.__dict__)",
    "engine = create_engine('sqlite://'); Base.metadata.create_all(engine); db = Session(engine)",
  ].join("\n");
  return execFileSync(PYTHON, ["-c", `${prelude}\n${script}`], { input: crud, encoding: "utf8" }).trim();
}

describe("secureHelpers", () => {
  const scoped = scope(CRUD_FILE, [item("get_item"), item("get_items"), item("create_item"), item("update_item", ["get_item"]), item("delete_item", ["get_item"])]);

  it("gives each helper an owner_id, keyword-only after parameters with defaults, and keeps every line", () => {
    expect(scoped.text).toContain("def get_item(db: Session, item_id: int, owner_id: str):");
    expect(scoped.text).toContain("def get_items(db: Session, skip: int = 0, limit: int = 100, completed: Optional[bool] = None, *, owner_id: str):");
    expect(scoped.text).toContain("def create_item(db: Session, item: schemas.ItemCreate, owner_id: str):");
    // Each line is kept, with at most an insertion, or a `return <lookup>` that now assigns the row it checks.
    const kept = (line: string, candidate: string) => sameLineOrInserted(line, candidate) || line.replace(/^(\s*)return /, "$1") === candidate.replace(/^(\s*)\w+ = /, "$1");
    expect(keepsLines(CRUD_FILE, scoped.text, kept)).toBe(true);
    expect(scoped.secured.map((helper) => helper.name)).toEqual(["get_item", "get_items", "create_item", "update_item", "delete_item"]);
  });

  it("filters queries by the owner, treats another owner's row looked up by id as not found, stamps creates and passes owner_id on", () => {
    expect(scoped.text).toContain("query = db.query(models.Item).filter(models.Item.user_id == owner_id)");
    expect(scoped.text).toMatch(/ {4}item = db\.get\(models\.Item, item_id\)\n {4}if item is not None and owner_id != item\.user_id:\n {8}item = None\n {4}return item\n/);
    expect(scoped.text).toMatch(/db_item = models\.Item\(\*\*item\.model_dump\(\)\)\n {4}db_item\.user_id = owner_id\n/);
    expect(scoped.text.match(/get_item\(db, item_id, owner_id=owner_id\)/g)).toHaveLength(2);
  });

  it("is valid Python that does what it says: each owner sees, changes and deletes only their own rows", () => {
    const printed = runWithCrud(
      scoped.text,
      [
        "class Body:",
        "    def __init__(self, **fields): self.fields = fields",
        "    def model_dump(self, exclude_unset=False): return dict(self.fields)",
        "a = crud.create_item(db, Body(title='alice'), owner_id='alice')",
        "b = crud.create_item(db, Body(title='bob'), owner_id='bob')",
        "print([i.title for i in crud.get_items(db, owner_id='alice')], crud.get_item(db, b.id, owner_id='alice'),",
        "      crud.update_item(db, b.id, Body(title='x'), owner_id='alice'), crud.delete_item(db, b.id, owner_id='alice'),",
        "      crud.get_item(db, b.id, owner_id='bob').title, crud.delete_item(db, a.id, owner_id='alice'))",
      ].join("\n"),
    );
    expect(printed).toBe("['alice'] None None False bob True");
  });

  it("leaves a helper that takes the owner already alone, so a second run changes nothing", () => {
    const again = scope(scoped.text, [item("get_item"), item("get_items")]);
    expect(again.text).toBe(scoped.text);
    expect(again.alreadyScoped).toEqual(["get_item", "get_items"]);
  });

  it("puts owner_id before **kwargs and after *args, and scopes `return await session.get(...)` in async helpers", () => {
    const text = [
      "async def find(session, item_id, **options):",
      "    return await session.get(Item, item_id)",
      "",
      "",
      "def search(db, *terms):",
      "    return db.scalars(select(Item)).all()",
      "",
    ].join("\n");
    const result = scope(text, [item("find"), item("search")]);
    expect(result.text).toContain("async def find(session, item_id, owner_id: str, **options):\n    item = await session.get(Item, item_id)\n    if item is not None and owner_id != item.user_id:\n        item = None\n    return item\n");
    expect(result.text).toContain("def search(db, *terms, owner_id: str):\n    return db.scalars(select(Item).where(Item.user_id == owner_id)).all()");
    execFileSync(PYTHON, ["-c", "import ast, sys; ast.parse(sys.stdin.read())"], { input: result.text });
  });
});

describe("the route inventory through helpers", () => {
  let root = "";
  afterEach(() => removeFixture(root));

  it("follows the handlers into the crud module and through its helpers, and lists every call of each", () => {
    root = makeFixture(CRUD.files);
    const { routes } = routeInventory(new PythonSources(root, "backend"), { file: "backend/app/main.py", module: "app.main", variable: "app" });
    const update = routes.find((route) => route.method === "PUT")!;
    expect(update.routeClass).toBe("owned");
    expect(update.models.map((model) => model.className)).toEqual(["Item"]);
    expect(update.helperCalls).toEqual([{ callee: "crud.update_item", key: "app.crud.update_item" }]);
    const getItem = update.helpers.find((helper) => helper.name === "get_item")!;
    expect(getItem.callers.map((site) => `${site.file}:${site.function}`).sort()).toEqual([
      "backend/app/crud.py:delete_item",
      "backend/app/crud.py:update_item",
      "backend/app/routers/items.py:complete_item",
      "backend/app/routers/items.py:read_item",
    ]);
    expect(update.helpers.find((helper) => helper.name === "update_item")?.calls).toEqual([{ callee: "get_item", key: "app.crud.get_item" }]);
  });
});

describe("helpers through the bin", () => {
  let root = "";
  afterEach(() => removeFixture(root));
  const runAuth = () => runBin(["auth", "--cwd", root, "--yes", "--secret-mode", "shared-secret"]);

  it("scopes the crud module for the routes, lists each helper under the routes secured, and names the database the new column needs", async () => {
    root = makeFixture({ ...CRUD.files, "backend/items.db": "" });
    const run = await runAuth();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.replace(/\s+/g, " ")).toContain(
      'add it to existing databases (`ALTER TABLE items ADD COLUMN user_id VARCHAR(255)`; the SQLite database here: `sqlite3 backend/items.db "ALTER TABLE items ADD COLUMN user_id VARCHAR(255)"`)',
    );
    expect(run.stdout).toMatch(/routes secured \(6\)/);
    expect(run.stdout).toMatch(/backend\/app\/crud\.py:8 get_item, which those routes call: takes owner_id, Item looked up by id is not found unless it is the owner's/);
    expect(snapshotTree(root)["backend/app/routers/items.py"]).toContain("return crud.get_items(db, skip=skip, limit=limit, completed=completed, owner_id=current_user.id)");
  });

  it("leaves a helper that a test of the project's also calls as it is, and says what to change", async () => {
    const testFile = "from app import crud\n\n\ndef test_get_item(db):\n    assert crud.get_item(db, 1) is None\n";
    root = makeFixture({ ...CRUD.files, "backend/tests/test_crud.py": testFile });
    const run = await runAuth();
    expect(run.code, run.stderr).toBe(0);
    const after = snapshotTree(root);
    expect(after["backend/app/crud.py"]).toContain("def get_item(db: Session, item_id: int):\n    return db.get(models.Item, item_id)");
    expect(run.stdout.replace(/\s+/g, " ")).toMatch(
      /backend\/app\/crud\.py:8 get_item runs the Item queries of .* but is also called from backend\/tests\/test_crud\.py:5, so it was left as it is: give it an owner_id parameter, filter its queries by Item\.user_id == owner_id/,
    );
    // The helpers it calls stay as they are too (they call get_item), while get_items, which nothing else calls, is scoped.
    expect(after["backend/app/crud.py"]).toContain("def update_item(db: Session, item_id: int, changes: schemas.ItemUpdate):");
    expect(after["backend/app/crud.py"]).toContain("*, owner_id: str):");
  });
});

describe("queries in a service class the handler takes", () => {
  let root = "";
  afterEach(() => removeFixture(root));

  const SERVICE_APP = `from fastapi import Depends, FastAPI
from sqlalchemy import Column, Integer, String, create_engine, select
from sqlalchemy.orm import Session, declarative_base, sessionmaker

Base = declarative_base()
engine = create_engine("sqlite:///./tasks.db")
SessionLocal = sessionmaker(bind=engine)


class Task(Base):
    __tablename__ = "tasks"
    id = Column(Integer, primary_key=True)
    title = Column(String)


class TaskService:
    def __init__(self, session: Session):
        self.session = session

    def list(self):
        return self._all()

    def _all(self):
        return self.session.scalars(select(Task)).all()


def get_task_service():
    with SessionLocal() as session:
        yield TaskService(session)


app = FastAPI()


@app.get("/tasks")
def list_tasks(service: TaskService = Depends(get_task_service)):
    return service.list()
`;

  it("classes the route owned through the service's methods, makes it need a token, and names the methods to change", async () => {
    root = makeFixture({ ...CRUD.files, "backend/app/main.py": SERVICE_APP, "backend/app/routers/items.py": "" });
    const { routes } = routeInventory(new PythonSources(root, "backend"), { file: "backend/app/main.py", module: "app.main", variable: "app" });
    const route = routes.find((candidate) => candidate.path === "/tasks")!;
    expect([route.routeClass, route.reason]).toEqual(["owned", "uses Task (no owner column)"]);
    expect(route.services).toEqual([{ param: "service", className: "TaskService", file: "backend/app/main.py", line: 16, methods: [{ name: "_all", line: 23 }, { name: "list", line: 20 }], models: ["Task"] }]);

    const run = await runBin(["auth", "--cwd", root, "--yes", "--secret-mode", "shared-secret"]);
    expect(run.code, run.stderr).toBe(0);
    expect(snapshotTree(root)["backend/app/main.py"]).toContain("def list_tasks(current_user: CurrentUser, service: TaskService = Depends(get_task_service)):");
    expect(run.stdout.replace(/\s+/g, " ")).toMatch(
      /backend\/app\/main\.py:\d+ list_tasks: its Task queries run in TaskService\._all \(backend\/app\/main\.py:23\), TaskService\.list \(backend\/app\/main\.py:20\), which is not edited .* every signed-in user still sees every row until those methods take an owner_id/,
    );
  });
});
