import path from "node:path";
import { backendSources } from "../detect/python-sources.js";
import { addOwnerColumn } from "../python/owner-column.js";
import { routeInventory, type HelperInfo, type RouteInfo } from "../python/routes.js";
import { assignmentsIn, classesIn, functionsIn } from "../python/definitions.js";
import { joinRel } from "../detect/paths.js";
import { walkDirs } from "../detect/walk.js";
import { callParts, descendants, dottedName, lineAt, parsePython, stringValue, type PySource } from "../python/syntax.js";
import { warnHeaderDroppingHandlers } from "./error-handlers.js";
import { signInTestClients, TEST_USER } from "../python/test-client-auth.js";
import { OWNER_PARAM, secureHelpers, secureRoutes, type OwnedHandler, type OwnedHelper } from "../python/secure-routes.js";
import type { PlanTree } from "../tree.js";
import type { Answers, BackendInfo } from "../types.js";
import type { BackendLayout } from "./layout.js";
import { isSelected, parseRouterSelection, routerName } from "./router-selection.js";
import { tasksPrefix, type TokenRoute } from "./templates.js";
import { isStringAnnotation, modelColumns } from "./task-columns.js";

/** What securing the project's own routes did: whether the project serves task routes itself, and what changed. */
export interface ProjectRoutesPlan {
  /** True when the project has resource routes of its own (or routes at the task routes' paths): no task routes are generated. */
  ownTaskRoutes: boolean;
  /** One line per route whose access changes: "GET /api/tasks (app/routers/tasks.py:12): ...", then one indented line per helper function scoped for them. */
  changes: string[];
  /** The project's resource routes that need the signed-in user, secured now or by an earlier run: the generated tests call each. */
  tokenRoutes: TokenRoute[];
}

type OwnedModel = RouteInfo["models"][number];

/** `{anything}` path parameters written alike, so `/tasks/{id}` and `/tasks/{task_id}` compare equal. */
const normalizePath = (routePath: string) => routePath.replace(/\{[^}]*\}/g, "{}").replace(/\/+$/, "");

/** True when a route serves the generated task routes' paths (their prefix or anything below it). */
function servesTaskPaths(route: RouteInfo, prefix: string): boolean {
  const own = normalizePath(route.path);
  const generated = normalizePath(prefix);
  return own === generated || own.startsWith(`${generated}/`);
}

/** The owned model a route is scoped by: the first with an owner column, else the first. */
function scopingModel(route: RouteInfo): OwnedModel | null {
  return route.models.find((model) => model.ownerColumn !== null) ?? route.models[0] ?? null;
}

/** Why a model's owner column cannot hold Better Auth's user ids; null when it can. */
function ownerColumnProblem(tree: PlanTree, model: OwnedModel): string | null {
  const type = modelColumns(tree.read(model.file) ?? "", model.className)?.columns.get(model.ownerColumn ?? "");
  if (type === undefined || type === "Any" || isStringAnnotation(type)) return null;
  return (
    `${model.className}.${model.ownerColumn} in ${model.file} is ${type}, but Better Auth's user ids are strings (the token's sub): ` +
    `make it a string column (${model.ownerColumn}: str = Field(index=True), or String(255)) and migrate, then rerun`
  );
}

/** The table a model maps to: its `__tablename__`, else SQLModel's default (the class name in lower case); null when unknown. */
function tableName(text: string, className: string): string | null {
  const source = parsePython(text);
  const cls = classesIn(source).find((candidate) => candidate.name === className);
  if (!cls) return null;
  const declared = assignmentsIn(source, cls.body).find((assignment) => assignment.targets.includes("__tablename__"));
  if (declared) return stringValue(source, declared.value);
  return cls.bases.some((base) => /(^|\.)SQLModel$/.test(base)) || cls.keywords.has("table") ? className.toLowerCase() : null;
}

/** SQLite database files lying in the backend folder (a development database made before the column existed). */
function sqliteFiles(root: string, dir: string): string[] {
  return walkDirs(root, dir, 2).flatMap((entry) => entry.files.filter((file) => /\.(?:db|sqlite3?)$/.test(file)).map((file) => joinRel(entry.dir, file)));
}

/** The commands that bring an existing database in line with a new column. */
function migrationHint(tree: PlanTree, backend: BackendInfo, model: OwnedModel): string {
  const alembic = tree.exists(path.posix.join(backend.dir, "alembic.ini"));
  if (alembic) return `run \`alembic revision --autogenerate -m "add ${model.className}.user_id" && alembic upgrade head\` in ${backend.dir}`;
  const table = tableName(tree.read(model.file) ?? "", model.className) ?? "<its table>";
  const alter = `ALTER TABLE ${table} ADD COLUMN user_id VARCHAR(255)`;
  const files = sqliteFiles(tree.root, backend.dir);
  const onFiles = files.length > 0 ? `; the SQLite database${files.length > 1 ? "s" : ""} here: ${files.map((file) => `\`sqlite3 ${file} "${alter}"\``).join(", ")}` : "";
  return `create_all() does not add columns to an existing table: add it to existing databases (\`${alter}\`${onFiles}) or recreate a development database`;
}

/** Gives each model without an owner column a `user_id`; returns the owner column per model, or the reason it has none usable. */
function ensureOwnerColumns(tree: PlanTree, backend: BackendInfo, models: OwnedModel[]): Map<string, { column: string } | { problem: string }> {
  const owners = new Map<string, { column: string } | { problem: string }>();
  for (const model of models) {
    const key = `${model.file}:${model.className}`;
    if (owners.has(key)) continue;
    if (model.ownerColumn) {
      const problem = ownerColumnProblem(tree, model);
      owners.set(key, problem ? { problem } : { column: model.ownerColumn });
      continue;
    }
    const edited = addOwnerColumn(tree.read(model.file) ?? "", model.className);
    if (edited === null) {
      owners.set(key, { problem: `${model.className} in ${model.file} could not be given a user_id column: add \`user_id: Optional[str] = Field(default=None, index=True)\`` });
      continue;
    }
    tree.write(model.file, edited);
    tree.warn(
      `${model.file}: ${model.className} had no owner column, so it got a nullable, indexed user_id (rows that exist already have no owner and are ` +
        `hidden from every user until you set it); ${migrationHint(tree, backend, model)}.`,
    );
    owners.set(key, { column: "user_id" });
  }
  return owners;
}

type Owners = ReturnType<typeof ensureOwnerColumns>;

/** The owned model a route is scoped by, with its usable owner column; null when it has none (warned about elsewhere). */
function routeOwner(route: RouteInfo, owners: Owners): OwnedHandler["model"] | null {
  const model = scopingModel(route);
  const owner = model ? owners.get(`${model.file}:${model.className}`) : undefined;
  return model && owner && "column" in owner ? { className: model.className, ownerColumn: owner.column } : null;
}

/** True when a helper takes the owner already (an owner_id or owner-column parameter): the project scopes it itself. */
function takesOwner(tree: PlanTree, helper: HelperInfo, model: OwnedHandler["model"]): boolean {
  const fn = functionsIn(parsePython(tree.read(helper.file) ?? "")).find((candidate) => candidate.name === helper.name);
  return fn?.params.some((param) => param.name === OWNER_PARAM || param.name === model.ownerColumn) ?? false;
}

/**
 * Scopes the helper functions (crud, services) that the secured handlers call to run their queries for one owner.
 * A helper is scoped only when every call of it in the project is in a secured handler or in another helper being
 * scoped: one called from elsewhere too (tests, scripts, other routes) would break there, so it is left alone and
 * reported with what to change. Returns, per handler ("file:handler"), the calls that get `owner_id=current_user.id`.
 */
function secureProjectHelpers(tree: PlanTree, routes: RouteInfo[], owners: Owners): { calls: Map<string, string[]>; changes: string[] } {
  const inFunction = (file: string, name: string) => `${file}:${name}`;
  const handlers = new Set(routes.filter((route) => routeOwner(route, owners)).map((route) => inFunction(route.file, route.handler)));
  const candidates = new Map<string, { helper: HelperInfo; model: OwnedHandler["model"]; route: RouteInfo }>();
  for (const route of routes) {
    const model = routeOwner(route, owners);
    for (const helper of model ? route.helpers.filter((h) => h.models.includes(model.className)) : []) {
      if (!candidates.has(helper.key) && !takesOwner(tree, helper, model!)) candidates.set(helper.key, { helper, model: model!, route });
    }
  }
  // Drop helpers called from outside the secured handlers and the helpers kept, until none is left to drop.
  const outsideCalls = (helper: HelperInfo) => {
    const kept = new Set([...candidates.values()].map(({ helper: h }) => inFunction(h.file, h.name)));
    return helper.callers.filter((site) => site.function === null || !(handlers.has(inFunction(site.file, site.function)) || kept.has(inFunction(site.file, site.function))));
  };
  // A helper that calls one left alone cannot be scoped either: its rows come through that one.
  const known = new Map(routes.flatMap((route) => route.helpers.map((helper) => [helper.key, helper] as const)));
  const callsUnscoped = (helper: HelperInfo, model: OwnedHandler["model"]) =>
    helper.calls.find((call) => !candidates.has(call.key) && known.get(call.key)?.models.includes(model.className));
  for (let dropped = true; dropped; ) {
    dropped = false;
    for (const [key, { helper, model, route }] of candidates) {
      const outside = outsideCalls(helper);
      const through = callsUnscoped(helper, model);
      if (outside.length === 0 && !through) continue;
      candidates.delete(key);
      dropped = true;
      const why = through
        ? `calls ${through.callee}, which was left as it is`
        : `is also called from ${outside.slice(0, 3).map((site) => `${site.file}:${site.line}`).join(", ")}`;
      tree.warn(
        `${helper.file}:${helper.line} ${helper.name} runs the ${model.className} queries of ${route.method} ${route.path} but ${why}, so it was left as it is: ` +
          `give it an ${OWNER_PARAM} parameter, filter its queries by ${model.className}.${model.ownerColumn} == ${OWNER_PARAM}, and pass ${OWNER_PARAM}=current_user.id from the routes.`,
      );
    }
  }
  const byFile = new Map<string, OwnedHelper[]>();
  for (const { helper, model } of candidates.values()) {
    const innerCalls = helper.calls.filter((call) => candidates.has(call.key)).map((call) => call.callee);
    byFile.set(helper.file, [...(byFile.get(helper.file) ?? []), { name: helper.name, model, innerCalls }]);
  }
  const changes: string[] = [];
  for (const [file, helpers] of byFile) {
    const result = secureHelpers(tree.read(file) ?? "", { file, helpers });
    tree.write(file, result.text);
    for (const helper of result.secured) changes.push(`  ${file}:${helper.line} ${helper.name}, which those routes call: ${helper.changes.join(", ")}`);
    for (const step of result.manual) tree.warn(`${file}:${step.line} ${step.handler}: ${step.reason}${step.snippet ? ` (${step.snippet})` : ""}.`);
  }
  const calls = new Map<string, string[]>();
  for (const route of routes) {
    const callees = route.helperCalls.filter((call) => candidates.has(call.key)).map((call) => call.callee);
    const key = inFunction(route.file, route.handler);
    if (callees.length > 0) calls.set(key, [...new Set([...(calls.get(key) ?? []), ...callees])]);
  }
  return { calls, changes };
}

/** The handlers to secure in one file, each once (a router included twice lists its routes twice). */
function handlersByFile(routes: RouteInfo[], owners: Owners, tree: PlanTree, helperCalls: Map<string, string[]>): Map<string, OwnedHandler[]> {
  const byFile = new Map<string, OwnedHandler[]>();
  for (const route of routes) {
    const model = scopingModel(route);
    const owner = model ? owners.get(`${model.file}:${model.className}`) : undefined;
    if (!model || !owner) continue;
    if ("problem" in owner) {
      tree.warn(`${route.file}:${route.line} ${route.method} ${route.path} was not secured: ${owner.problem}.`);
      continue;
    }
    const handlers = byFile.get(route.file) ?? [];
    const known = handlers.find((handler) => handler.handler === route.handler);
    if (known) {
      if (route.path.includes("{user_id")) known.path = route.path;
      continue;
    }
    const calls = helperCalls.get(`${route.file}:${route.handler}`);
    const services = route.services
      .filter((service) => service.models.includes(model.className))
      .flatMap((service) => service.methods.map((method) => `${service.className}.${method.name} (${service.file}:${method.line})`));
    handlers.push({
      handler: route.handler,
      path: route.path,
      model: { className: model.className, ownerColumn: owner.column },
      ...(calls ? { helperCalls: calls } : {}),
      ...(services.length > 0 ? { services } : {}),
    });
    byFile.set(route.file, handlers);
  }
  return byFile;
}

/** True when a route is protected by the generated CurrentUser/PathUser, or by an API key (machine callers, not users). */
function usesGeneratedUserOrApiKey(route: RouteInfo): boolean {
  return /^(?:CurrentUser|PathUser) /.test(route.reason) || /api_?key|x-api-key/i.test(route.reason);
}

/**
 * Warns about what still checks a token of the project's own: routes protected by its own dependency
 * (a JWT it decodes itself rejects Better Auth's API tokens, which the frontend now sends) and auth middleware
 * on the app, which runs before any route. Left alone (never guessed at), with the change to make.
 */
function warnForeignAuth(tree: PlanTree, backend: BackendInfo, routes: RouteInfo[]): void {
  const byDependency = new Map<string, RouteInfo[]>();
  for (const route of routes.filter((r) => r.routeClass === "protected" && !usesGeneratedUserOrApiKey(r))) {
    const key = route.reason.replace(/ on (?:parameter \w+|the route|the router|include_router.*)$/, "");
    byDependency.set(key, [...(byDependency.get(key) ?? []), route]);
  }
  for (const [dependency, guarded] of byDependency) {
    const first = guarded[0];
    tree.warn(
      `${guarded.length} route(s) check the signed-in user with your own ${dependency} (e.g. ${first.method} ${first.path}, ${first.file}:${first.line}), ` +
        "left as they are: if it verifies a token of its own, it refuses the Better Auth API tokens the frontend now sends. " +
        "To move them over, use `current_user: CurrentUser` instead (current_user.id is the Better Auth user id) and drop your dependency.",
    );
  }
  const appText = tree.read(backend.app.file) ?? "";
  const source = parsePython(appText);
  for (const call of descendants(source.top, "CallExpression")) {
    const parts = callParts(source, call);
    const middleware = parts?.callee?.endsWith(".add_middleware") ? dottedName(source, parts.positional[0]) : null;
    if (middleware && /auth|jwt|token|bearer/i.test(middleware)) {
      tree.warn(
        `${backend.app.file}:${lineAt(appText, call.from)}: ${middleware} runs before every route; if it verifies tokens of its own it refuses ` +
          "Better Auth's API tokens, even on the routes secured above: remove it once the routes take CurrentUser (request.state values it sets become current_user.id).",
      );
    }
  }
}

/**
 * Signs in the project's own tests (see signInTestClients): their TestClients get the get_current_user override
 * before they are made, so tests written before the routes needed a token keep passing. Says so, with what
 * rows a test inserts directly need.
 */
function signInProjectTests(tree: PlanTree, testFiles: string[], authModule: string): void {
  for (const file of testFiles) {
    const result = signInTestClients(tree.read(file) ?? "", { authModule });
    for (const step of result.manual) tree.warn(`${file}:${step.line}: ${step.reason}, or the tests of the secured routes get 401.`);
    if (result.clients.length === 0) continue;
    tree.write(file, result.text);
    tree.warn(
      `${file}:${result.clients[0]}: your tests' TestClient now acts as a signed-in user (the path's {user_id}, else "${TEST_USER}"), since the routes they call need one; ` +
        `rows a test inserts directly, not through the API, need user_id "${TEST_USER}" to be seen.`,
    );
  }
}

/** A header naming the caller that any client can set: "X-User-ID", "user-id", "X-UserId". */
const USER_HEADER = /^(?:x-user-?id|user-id)$/i;

/** Warns about handlers that take the caller's id from a request header: a client can claim to be anyone. */
function warnClientSuppliedUser(tree: PlanTree, routes: RouteInfo[]): void {
  const sources = new Map<string, PySource>();
  const seen = new Set<string>();
  for (const route of routes) {
    const key = `${route.file}:${route.handler}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (!sources.has(route.file)) sources.set(route.file, parsePython(tree.read(route.file) ?? ""));
    const source = sources.get(route.file)!;
    const fn = functionsIn(source).find((candidate) => candidate.name === route.handler);
    const header = fn && descendants(fn.node, "String").find((node) => USER_HEADER.test(stringValue(source, node) ?? ""));
    if (header) {
      tree.warn(
        `${route.file}:${lineAt(source.text, header.from)} ${route.method} ${route.path} takes the caller's id from the ${stringValue(source, header)} header, ` +
          "which any client can set to anyone's id; use current_user.id (current_user: CurrentUser) instead.",
      );
    }
  }
}

/**
 * Secures the project's own owned-resource routes in place (see secureRoutes) and reports what changed; routes
 * that cannot be edited safely are left alone with a warning naming file:line and the line to add.
 */
export function planProjectRoutes(tree: PlanTree, backend: BackendInfo, layout: BackendLayout, answers: Pick<Answers, "routeStyle" | "protectRouters" | "mismatchStatus">): ProjectRoutesPlan {
  const sources = backendSources(tree.root, backend);
  const inventory = routeInventory(sources, backend.app);
  const selection = parseRouterSelection(answers.protectRouters);
  const candidates = inventory.routes.filter((route) => route.routeClass === "owned" && route.models.length > 0);
  const owned = candidates.filter((route) => isSelected(route, selection));
  for (const route of candidates.filter((r) => !owned.includes(r))) {
    tree.warn(`${route.file}:${route.line} ${route.method} ${route.path} stays open to every caller: its router ${routerName(route)} is not in --protect.`);
  }
  const owners = ensureOwnerColumns(tree, backend, owned.flatMap((route) => scopingModel(route) ?? []));
  const changes: string[] = [];
  const helpers = secureProjectHelpers(tree, owned, owners);
  for (const [file, handlers] of handlersByFile(owned, owners, tree, helpers.calls)) {
    const result = secureRoutes(tree.read(file) ?? "", { file, handlers, currentUserModule: layout.authRoutes.module, mismatchStatus: answers.mismatchStatus });
    tree.write(file, result.text);
    for (const secured of result.secured) {
      for (const route of owned.filter((r) => r.file === file && r.handler === secured.handler)) {
        const { className } = handlers.find((handler) => handler.handler === secured.handler)!.model;
        // Only the parameter added: its queries run where they were not edited (a warning says where).
        const scope = secured.changes.length > 1 ? `only the signed-in user's ${className} rows` : `needs a signed-in user, but its ${className} rows are not filtered yet (see the warnings)`;
        changes.push(`${route.method} ${route.path} (${file}:${secured.line}): ${scope} — ${secured.changes.join(", ")}`);
      }
    }
    for (const step of result.manual) tree.warn(`${file}:${step.line} ${step.handler}: ${step.reason}${step.snippet ? ` (${step.snippet})` : ""}.`);
  }
  changes.push(...helpers.changes);
  if (changes.length > 0) signInProjectTests(tree, sources.testFiles.map((file) => sources.repoPath(file)), layout.authRoutes.module);
  warnForeignAuth(tree, backend, inventory.routes);
  warnHeaderDroppingHandlers(tree, backend.app.file);
  warnClientSuppliedUser(tree, inventory.routes);
  for (const gap of inventory.unresolved) tree.warn(`${gap.file}:${gap.line}: ${gap.reason}; check that route by hand.`);
  // Routes of the project's that read or write its models (secured now or before) are its resource routes:
  // the generated task routes are an example for projects that have none.
  const prefix = tasksPrefix(answers.routeStyle);
  const ownTaskRoutes = inventory.routes.some((route) => servesTaskPaths(route, prefix) || route.models.length > 0);
  return { ownTaskRoutes, changes, tokenRoutes: tokenRoutes(inventory.routes, owned, owners) };
}

/** The resource routes that take the signed-in user after this run: the ones secured now, and those an earlier run secured. */
function tokenRoutes(routes: RouteInfo[], secured: RouteInfo[], owners: ReturnType<typeof ensureOwnerColumns>): TokenRoute[] {
  return routes
    .filter((route) => route.models.length > 0 && (secured.includes(route) || route.dependencies.includes("get_current_user")))
    .map((route) => {
      const model = scopingModel(route);
      const owner = model ? owners.get(`${model.file}:${model.className}`) : undefined;
      const column = owner && "column" in owner ? owner.column : (model?.ownerColumn ?? "user_id");
      return { method: route.method, path: route.path, ownerColumn: column };
    });
}
