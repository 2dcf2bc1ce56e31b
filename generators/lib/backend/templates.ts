import { renderTemplate } from "../render.js";
import type { Answers } from "../types.js";
import { GENERATED_MARKER } from "./generated-marker.js";
import { mismatchResponse } from "./mismatch-status.js";
import type { BackendLayout, SessionLocation, TaskModelLocation } from "./layout.js";
import { taskRoutesModelData } from "./task-routes-data.js";

type Tasks = NonNullable<BackendLayout["tasks"]>;

/** The task routes' path prefix for a route style. */
export function tasksPrefix(routeStyle: Answers["routeStyle"]): string {
  return routeStyle === "user-scoped" ? "/api/{user_id}/tasks" : "/api/tasks";
}

/** `from m import name`, aliased when the name differs from what the importing code calls it. */
function importLine(module: string, name: string, as = name): string {
  return `from ${module} import ${name}${as === name ? "" : ` as ${as}`}`;
}

/** isort's order of imported names: CONSTANTS, then Classes, then everything else, each alphabetically. */
function compareImportedNames(a: string, b: string): number {
  const rank = (name: string) => (/^[A-Z0-9_]+$/.test(name) ? 0 : /^[A-Z]/.test(name) ? 1 : 2);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** `from m import a, b as c`: names as [name, as] pairs, in isort's order. */
function importNames(module: string, names: [string, string][]): string {
  const sorted = [...names].sort(([a], [b]) => compareImportedNames(a, b));
  return `from ${module} import ${sorted.map(([name, as]) => (as === name ? name : `${name} as ${as}`)).join(", ")}`;
}

/**
 * How tasks.py gets `SessionDep` (imported as is, imported under that name, or built from a session
 * function) and, with `engine`, the session module's engine as `engine`.
 */
function sessionImport(session: SessionLocation, engine: boolean): { line: string; alias: string | null } {
  const engineName: [string, string][] = engine && session.engine ? [[session.engine, "engine"]] : [];
  if (session.kind === "annotated") return { line: importNames(session.module, [[session.dependency, "SessionDep"], ...engineName]), alias: null };
  const type = session.async ? "AsyncSession" : "Session";
  const line = importNames(session.module, [[session.dependency, session.dependency], ...engineName]);
  return { line, alias: `SessionDep = Annotated[${type}, Depends(${session.dependency})]` };
}

/** The sqlalchemy session types tasks.py annotates with. */
function sessionTypeImports(async: boolean, ensureTable: boolean): string[] {
  if (!async) return ["from sqlalchemy.orm import Session"];
  return ensureTable ? ["from sqlalchemy.ext.asyncio import AsyncSession", "from sqlalchemy.orm import Session"] : ["from sqlalchemy.ext.asyncio import AsyncSession"];
}

/** `from` import lines in isort's order: by module name. */
function sortedImports(lines: string[]): string[] {
  const moduleOf = (line: string) => line.split(" ")[1];
  return [...lines].sort((a, b) => (moduleOf(a) < moduleOf(b) ? -1 : moduleOf(a) > moduleOf(b) ? 1 : 0));
}

function taskImport(model: TaskModelLocation): string {
  return importLine(model.module, model.className);
}

/** routes/tasks.py: sync or async handlers to match the session, scoped by route style. */
export function renderTaskRoutes(layout: BackendLayout, tasks: Tasks, answers: Answers): string {
  const { session, model } = tasks;
  const modelData = taskRoutesModelData(layout, model);
  // A generated model, or a generated db module (which creates no table itself): the table is created at
  // start-up through the session module's engine when it exposes one (the generated db module does), and
  // checked on first use through the request's session (see the template).
  const ensureTable = model.generated || session.generated;
  const startupTable = ensureTable && session.engine !== null;
  const userDep = answers.routeStyle === "user-scoped" ? "PathUser" : "CurrentUser";
  const imported = sessionImport(session, startupTable);
  const needsDepends = imported.alias !== null || ensureTable;
  const localImports = sortedImports([importLine(layout.authRoutes.module, userDep), imported.line, taskImport(model)]);
  // sqlmodel's select and col keep `Task.user_id == user.id` and `order_by` typed for SQLModel models.
  const selectImport = model.sqlmodel ? "from sqlmodel import col, select" : "from sqlalchemy import select";
  const thirdPartyImports = sortedImports([
    `from fastapi import APIRouter, ${needsDepends ? "Depends, " : ""}HTTPException, Query, status`,
    modelData.pydanticImport,
    ...sessionTypeImports(session.async, ensureTable),
    selectImport,
  ]);
  return renderTemplate("backend/routes/tasks.py.hbs", {
    marker: GENERATED_MARKER,
    prefix: tasksPrefix(answers.routeStyle),
    routeStyle: answers.routeStyle,
    mismatchStatus: mismatchResponse(answers.mismatchStatus).status,
    userDep,
    async: session.async,
    def: session.async ? "async def" : "def",
    await: session.async ? "await " : "",
    ensureTable,
    startupTable,
    sessionModule: session.module,
    sessionType: session.async ? "AsyncSession" : "Session",
    sessionParam: ensureTable ? "TaskSession" : "SessionDep",
    sessionAlias: imported.alias ?? "",
    thirdPartyImports,
    localImports,
    taskClass: model.className,
    idType: model.idType,
    uuidId: model.idType === "UUID",
    orderBy: model.sqlmodel ? `col(${model.className}.id)` : `${model.className}.id`,
    ...modelData,
  });
}

/** Python for the backend folder, from a module `depth` folders below it. */
function backendDirExpression(depth: number): string {
  return depth === 0 ? "Path(__file__).resolve().parent" : `Path(__file__).resolve().parents[${depth}]`;
}

/** The verifier module: configuration, .env loading, JWKS or shared-secret verification. */
export function renderVerifier(layout: BackendLayout, answers: Answers, envFileName = ".env"): string {
  return renderTemplate("backend/auth_jwt.py.hbs", {
    marker: GENERATED_MARKER,
    secretMode: answers.secretMode,
    authModule: layout.authRoutes.module,
    backendDirExpression: backendDirExpression(layout.verifier.envDepth),
    envFileName,
  });
}

/** routes/auth.py: the bearer scheme, get_current_user, CurrentUser, PathUser and GET /api/me. */
export function renderAuthRoutes(layout: BackendLayout, answers: Answers): string {
  return renderTemplate("backend/routes/auth.py.hbs", {
    marker: GENERATED_MARKER,
    secretMode: answers.secretMode,
    authModule: layout.authRoutes.module,
    verifierModule: layout.verifier.module,
    mismatch: mismatchResponse(answers.mismatchStatus),
  });
}

export function renderRoutesInit(): string {
  return renderTemplate("backend/routes/__init__.py.hbs", { marker: GENERATED_MARKER });
}

export function renderTaskModel(): string {
  return renderTemplate("backend/models.py.hbs", { marker: GENERATED_MARKER });
}

/** The generated db module: engine, get_session, SessionDep (the task routes' lifespan creates the Task table). */
export function renderDb(layout: BackendLayout, tasks: Tasks): string {
  return renderTemplate("backend/db.py.hbs", {
    marker: GENERATED_MARKER,
    verifierModule: layout.verifier.module,
    taskClass: tasks.model.className,
    async: tasks.session.async,
    databaseUrlSource: layout.databaseUrl ? `${layout.databaseUrl.file}:${layout.databaseUrl.line}` : "",
    databaseUrlScheme: layout.databaseUrl?.scheme ?? "",
  });
}

/** jwt-verify-test.py at the backend root. */
export function renderVerifyScript(layout: BackendLayout, answers: Answers): string {
  return renderTemplate("backend/jwt-verify-test.py.hbs", {
    marker: GENERATED_MARKER,
    secretMode: answers.secretMode,
    verifierModule: layout.verifier.module,
    importRoot: layout.importRoot,
  });
}

/** tests/test_auth.py: the backend's own pytest suite for the generated auth (and task routes, when there are any). */
export function renderAuthTests(layout: BackendLayout, answers: Answers, projectRoutes: TokenRoute[] = []): string {
  const { module, variable } = layout.app;
  // Path parameters get a value that every type FastAPI converts takes: a route's token check runs before its parameters are read.
  const filled = projectRoutes.map((route) => ({ ...route, path: route.path.replace(/\{[^}]*\}/g, "1") }));
  return renderTemplate("backend/tests/test_auth.py.hbs", {
    projectRoutes: filled,
    projectLists: filled.filter((route, i) => route.method === "GET" && !/\{/.test(projectRoutes[i].path)),
    marker: GENERATED_MARKER,
    secretMode: answers.secretMode,
    routeStyle: answers.routeStyle,
    mismatchStatus: mismatchResponse(answers.mismatchStatus).status,
    tasks: layout.tasks !== null,
    tasksPrefix: tasksPrefix(answers.routeStyle),
    localImports: sortedImports([
      importLine(module, variable, "app"),
      importLine(layout.authRoutes.module, "get_current_user"),
      importNames(layout.verifier.module, [
        ["get_settings", "get_settings"],
        ["get_verifier", "get_verifier"],
      ]),
    ]),
  });
}

/** A resource route of the project's that now needs a token: method, full path and the owner column of its model. */
export interface TokenRoute {
  method: string;
  path: string;
  ownerColumn: string;
}

/**
 * conftest.py at the backend root, which lets the tests import the app under plain `pytest`: pytest puts
 * the folder of a conftest.py (the folder above, for a package) on sys.path. A source root below the
 * backend folder (src/) is put there by the file itself.
 */
export function renderTestConftest(layout: BackendLayout): string {
  const { importRoot } = layout;
  return renderTemplate("backend/conftest.py.hbs", {
    marker: GENERATED_MARKER,
    appModule: layout.app.module,
    importRoot,
    packageRoot: importRoot.startsWith(".."),
    sourceRoot: importRoot !== "" && !importRoot.startsWith(".."),
  });
}
