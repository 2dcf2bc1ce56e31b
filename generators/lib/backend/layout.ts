import type { DatabaseUrlInfo } from "../detect/database-url.js";
import path from "node:path";
import type { PlanTree } from "../tree.js";
import type { BackendInfo } from "../types.js";
import { pickModuleStem } from "./generated-marker.js";
import { depthBelow, importRootOf, parentPackage, pythonFile, submodule } from "./python-module.js";
import { engineName } from "./db-engine.js";
import { declaredPydantic, type PydanticVersion } from "../detect/pydantic-version.js";
import { importsSqlModel, requestColumnNotes, taskColumnsPlan, taskIdType, taskModelProblem, type TaskColumnsPlan } from "./task-columns.js";

/** A Python module: dotted import path (from the import root) and its file (relative to the repo root). */
export interface ModuleLocation {
  module: string;
  file: string;
}

/** The session dependency the task routes use: the project's, or one generated next to the app. */
export interface SessionLocation extends ModuleLocation {
  generated: boolean;
  /** The dependency's name in its module: an Annotated alias ("SessionDep") or a function ("get_session"). */
  dependency: string;
  kind: "function" | "annotated";
  async: boolean;
  /** The engine its module exposes at top level (the tables can then be created at start-up); null when none is seen. */
  engine: string | null;
}

/** The Task model the task routes use: the project's, or one generated next to the app. */
export interface TaskModelLocation extends ModuleLocation {
  generated: boolean;
  className: string;
  /** A SQLModel model (queried with sqlmodel's typed select) rather than a plain SQLAlchemy one. */
  sqlmodel: boolean;
  /** The primary key's type, which `{task_id}` is parsed as. */
  idType: "int" | "UUID" | "str";
  /** What the routes take from the request or fill themselves so that inserts meet the model's NOT NULL columns. */
  columns: TaskColumnsPlan;
}

/** Where every backend file goes and how the generated modules import each other. */
export interface BackendLayout {
  backendDir: string;
  /** Folder (relative to the backend folder) the app's modules are imported from; "" for the backend folder. */
  importRoot: string;
  app: ModuleLocation & { variable: string };
  routes: { module: string; dir: string; exists: boolean };
  /** Configuration and token verification, next to the app module. */
  verifier: ModuleLocation & { envDepth: number };
  authRoutes: ModuleLocation;
  /** The pydantic major the backend declares (v2 unless something limits it to v1): the generated Python is written for it. */
  pydantic: PydanticVersion;
  /** The database URL the project configures, when found: a generated engine is async for an asyncio driver. */
  databaseUrl: DatabaseUrlInfo | null;
  /**
   * null when the project's Task model cannot back the task routes. `notes`: what the summary says of the routes
   * once they are written (columns taken from the request, foreign keys not checked to belong to the caller).
   */
  tasks: { routes: ModuleLocation; session: SessionLocation; model: TaskModelLocation; notes: string[] } | null;
  /** Why there are no task routes, when `tasks` is null. */
  tasksSkipReason: string | null;
  /** The project's own file at the task routes' usual place, which the generated routes had to avoid. */
  tasksNameTakenBy: string | null;
  verifyScript: string;
  testFile: string;
}

const VERIFIER_STEMS = ["auth_jwt", "better_auth_jwt"];
const AUTH_ROUTES_STEMS = ["auth", "auth_routes"];
const TASK_ROUTES_STEMS = ["tasks", "task_routes"];
const DB_STEMS = ["db", "tasks_db"];
const MODEL_STEMS = ["models", "task_models"];

/** A module next to the app module, at the first free (or already generated) stem. */
function besideApp(tree: PlanTree, backend: BackendInfo, stems: readonly string[]): ModuleLocation {
  const dir = path.posix.dirname(backend.app.file);
  const stem = pickModuleStem(tree, dir, stems);
  return { module: submodule(parentPackage(backend.app.module), stem), file: pythonFile(dir, stem) };
}

/** A module of the routes package, at the first free (or already generated) stem. */
function inRoutes(tree: PlanTree, backend: BackendInfo, stems: readonly string[]): ModuleLocation {
  const stem = pickModuleStem(tree, backend.routes.file, stems);
  return { module: submodule(backend.routes.module, stem), file: pythonFile(backend.routes.file, stem) };
}

/**
 * The project's session dependency, or one generated next to the app when there is none. Detection
 * never reports a module this tool generated (see PythonSources.text), so `backend.db` is the user's.
 */
function sessionLocation(tree: PlanTree, backend: BackendInfo): SessionLocation {
  const db = backend.db;
  if (db) {
    const engine = engineName(tree.read(db.file) ?? "");
    return { module: db.module, file: db.file, generated: false, dependency: db.dependency, kind: db.dependencyKind, async: db.async, engine };
  }
  // An async driver in the project's DATABASE_URL (postgresql+asyncpg) needs create_async_engine: a sync engine fails on it.
  const async = backend.databaseUrl?.async ?? false;
  return { ...besideApp(tree, backend, DB_STEMS), generated: true, dependency: "SessionDep", kind: "annotated", async, engine: "engine" };
}

/** The project's Task model (never a generated one: see sessionLocation), or one generated next to the app. */
function taskModelLocation(tree: PlanTree, backend: BackendInfo): TaskModelLocation {
  const model = backend.taskModel;
  if (model) {
    const sqlmodel = importsSqlModel(tree.read(model.file) ?? "");
    const idType = taskIdType(tree.read(model.file), model.className);
    const columns = taskColumnsPlan(tree.read(model.file), model.className, model.file);
    return { module: model.module, file: model.file, generated: false, className: model.className, sqlmodel, idType, columns };
  }
  const generated = besideApp(tree, backend, MODEL_STEMS);
  return { ...generated, generated: true, className: "Task", sqlmodel: true, idType: "int", columns: { ...taskColumnsPlan(null, "Task", generated.file), hasUpdatedAt: true } };
}

/** Works out every generated file's path and module from what detection found. */
export function planBackendLayout(tree: PlanTree, backend: BackendInfo): BackendLayout {
  const backendDir = path.posix.normalize(backend.dir);
  const verifier = besideApp(tree, backend, VERIFIER_STEMS);
  const problem = backend.taskModel ? taskModelProblem(backend.taskModel, tree.read(backend.taskModel.file)) : null;
  let tasks: BackendLayout["tasks"] = null;
  let tasksNameTakenBy: string | null = null;
  if (!problem) {
    const model = taskModelLocation(tree, backend);
    const routes = inRoutes(tree, backend, TASK_ROUTES_STEMS);
    const usual = pythonFile(backend.routes.file, TASK_ROUTES_STEMS[0]);
    if (routes.file !== usual) tasksNameTakenBy = usual;
    const notes = requestColumnNotes(model.columns, model.className, model.file, routes.file);
    tasks = { routes, model, session: sessionLocation(tree, backend), notes };
  }
  return {
    backendDir,
    importRoot: importRootOf(backendDir, backend.app.file, backend.app.module),
    app: { module: backend.app.module, file: backend.app.file, variable: backend.app.variable },
    pydantic: declaredPydantic(tree.root, backendDir),
    databaseUrl: backend.databaseUrl,
    routes: { module: backend.routes.module, dir: backend.routes.file, exists: backend.routes.exists },
    verifier: { ...verifier, envDepth: depthBelow(backendDir, path.posix.dirname(verifier.file)) },
    authRoutes: inRoutes(tree, backend, AUTH_ROUTES_STEMS),
    tasks,
    tasksSkipReason: problem,
    tasksNameTakenBy,
    verifyScript: path.posix.join(backendDir, "jwt-verify-test.py"),
    testFile: path.posix.join(backendDir, "tests", "test_auth.py"),
  };
}
