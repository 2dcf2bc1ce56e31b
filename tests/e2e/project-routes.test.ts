/**
 * End to end, issue 6: a monorepo whose FastAPI backend has routes of its own is run through the compiled bin
 * (shared-secret mode), then its backend is started for real and driven over HTTP with tokens signed as the
 * frontend signs them (HS256 with the API_JWT_SECRET the generator wrote, typ at+jwt). The project's own
 * handlers must now need a token, keep each user's rows apart (404 for another user's row, 403 for another
 * user's {user_id} path), stamp new rows with the caller, keep their filters, leave public and API-key routes
 * as they were, never sit next to a generated duplicate, and a second run must change nothing.
 *
 * One layout at a time (2 cores): each describe generates, starts one uvicorn, and stops it in afterAll.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { SignJWT, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALICE, BOB, apiClaimsFrom } from "../backend/claims.js";
import { runPython, startBackend, type RunningBackend } from "../backend/python.js";
import { runBin } from "../helpers/bin.js";
import { makeFixture, removeFixture, snapshotTree, writeFiles } from "../helpers/fixture.js";
import { request, type ApiResponse } from "./http.js";
import { INTERNAL_API_KEY, PROJECT_LAYOUTS, type ProjectLayout } from "./project-layouts.js";
import { readDotenv } from "./scratch.js";

type BinResult = Awaited<ReturnType<typeof runBin>>;

interface Row {
  id: number;
  title: string;
  [field: string]: unknown;
}

/** A route as the app lists it: what `python -c` prints for each of `app.routes`. */
interface ListedRoute {
  path: string;
  methods: string[];
  module: string | null;
  name: string | null;
}

/**
 * Prints the app's routes as JSON (last line of stdout): path, methods, and the endpoint's module and name.
 * FastAPI 0.140+ keeps an included router as one lazy entry of app.routes: its routes are listed from it.
 */
const LIST_ROUTES = `
import importlib, json, sys
module_name, variable = sys.argv[1].split(":")
app = getattr(importlib.import_module(module_name), variable)

def flatten(entries):
    for entry in entries:
        if hasattr(entry, "effective_route_contexts"):
            yield from entry.effective_route_contexts()
        else:
            yield entry

routes = []
for route in flatten(app.routes):
    endpoint = getattr(route, "endpoint", None)
    routes.append({
        "path": route.path,
        "methods": sorted(getattr(route, "methods", None) or []),
        "module": getattr(endpoint, "__module__", None),
        "name": getattr(endpoint, "__name__", None),
    })
print(json.dumps(routes))
`;

const binArgs = (root: string) => ["auth", "--cwd", root, "--yes", "--secret-mode", "shared-secret"];
const showBin = (result: BinResult) => `exit ${result.code}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
const show = (method: string, route: string, response: ApiResponse) => `${method} ${route} → ${response.status} ${response.text.slice(0, 400)}`;

/** The (method, path) pairs listed more than once; a trailing slash does not make a path another one. */
function duplicatePairs(routes: ListedRoute[]): string[] {
  const seen = new Map<string, string[]>();
  for (const route of routes) {
    for (const method of route.methods) {
      const key = `${method} ${route.path.replace(/(.)\/$/, "$1")}`;
      seen.set(key, [...(seen.get(key) ?? []), `${route.path} (${route.module}.${route.name})`]);
    }
  }
  return [...seen].filter(([, handlers]) => handlers.length > 1).map(([key, handlers]) => `${key}: ${handlers.join(", ")}`);
}

/** Generates a layout into a temp folder, runs the bin twice, and starts its backend; `afterAll` undoes it. */
function useGeneratedLayout(layout: ProjectLayout) {
  const state = {
    tmp: "",
    root: "",
    backendDir: "",
    first: undefined as BinResult | undefined,
    second: undefined as BinResult | undefined,
    afterFirst: {} as Record<string, string>,
    afterSecond: {} as Record<string, string>,
    env: {} as Record<string, string>,
    /** The project's own pytest run before the bin and after it (when the layout has tests). */
    testsBefore: undefined as Awaited<ReturnType<typeof runPython>> | undefined,
    testsAfter: undefined as Awaited<ReturnType<typeof runPython>> | undefined,
    api: undefined as RunningBackend | undefined,
    startError: undefined as Error | undefined,
  };
  beforeAll(async () => {
    state.tmp = makeFixture({}, `auth-integrator-own-routes-${layout.name}-`);
    state.root = path.join(state.tmp, "repo");
    const data = path.join(state.tmp, "data");
    mkdirSync(data);
    writeFiles(state.root, layout.files);
    state.backendDir = path.join(state.root, layout.backend);
    const layoutEnv = Object.fromEntries(Object.entries(layout.env).map(([key, value]) => [key, value.replaceAll("{data}", data)]));
    // A database of their own: one made before the run has no user_id column (the summary says what it needs).
    const testsEnv = { ...layoutEnv, DATABASE_URL: `sqlite:///${data}/project-tests.db` };
    const projectTests = () => runPython(["-m", "pytest", "-q", "-p", "no:cacheprovider", ...(layout.projectTests ?? [])], { cwd: state.backendDir, env: testsEnv });
    if (layout.projectTests) state.testsBefore = await projectTests();

    state.first = await runBin(binArgs(state.root));
    if (state.first.code !== 0) throw new Error(`the bin failed on the ${layout.name} layout: ${showBin(state.first)}`);
    state.afterFirst = snapshotTree(state.root);
    state.second = await runBin(binArgs(state.root));
    state.afterSecond = snapshotTree(state.root);
    if (layout.projectTests) state.testsAfter = await projectTests();

    state.env = { ...readDotenv(path.join(state.backendDir, ".env")), ...layoutEnv };
    try {
      state.api = await startBackend(state.backendDir, layout.appImport, state.env);
    } catch (error) {
      state.startError = error as Error;
    }
  });
  afterAll(async () => {
    await state.api?.stop();
    if (state.tmp) removeFixture(state.tmp);
  });
  return state;
}

describe.each(PROJECT_LAYOUTS)("the project's own routes, layout $name", (layout) => {
  const state = useGeneratedLayout(layout);
  const resource = layout.resource;
  /** The rows the tests create, by role. */
  const rows: Record<string, Row> = {};

  const apiUrl = () => {
    if (!state.api) throw new Error(`the ${layout.name} backend did not start after generation:\n${state.startError?.message}`);
    return state.api.url;
  };

  /** A token as the frontend mints it: HS256 keyed with API_JWT_SECRET, typ at+jwt, iss = aud = BETTER_AUTH_URL's origin. */
  const tokens = new Map<string, string>();
  async function token(user: string): Promise<string> {
    const cached = tokens.get(user);
    if (cached) return cached;
    const secret = state.env.API_JWT_SECRET;
    const issuer = state.env.BETTER_AUTH_URL;
    if (!secret || !issuer) throw new Error(`the generator wrote no API_JWT_SECRET/BETTER_AUTH_URL to ${layout.backend}/.env: ${JSON.stringify(Object.keys(state.env))}`);
    const claims: JWTPayload = apiClaimsFrom(new URL(issuer).origin)(user);
    const signed = await new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "at+jwt" }).sign(new TextEncoder().encode(secret));
    tokens.set(user, signed);
    return signed;
  }

  async function call(method: string, route: string, options: { as?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.as) headers.authorization = `Bearer ${await token(options.as)}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    return request(`${apiUrl()}${route}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  }

  async function create(user: string, title: string, extra: Record<string, unknown> = {}): Promise<Row> {
    const route = resource.list(user);
    const response = await call("POST", route, { as: user, body: { ...resource.createBody(title), ...extra } });
    expect(response.status, show("POST", route, response)).toBe(201);
    return response.json as Row;
  }

  async function list(user: string, query = ""): Promise<Row[]> {
    const route = `${resource.list(user)}${query}`;
    const response = await call("GET", route, { as: user });
    expect(response.status, show("GET", route, response)).toBe(200);
    return response.json as Row[];
  }

  const titles = (found: Row[]) => found.map((row) => row.title).sort();

  it("runs the bin with exit 0, and a second run changes no byte and prints Nothing to do", () => {
    expect(state.first?.code, state.first && showBin(state.first)).toBe(0);
    expect(state.second?.code, state.second && showBin(state.second)).toBe(0);
    expect(state.second?.stdout, state.second && showBin(state.second)).toContain("Nothing to do");
    const changed = Object.keys({ ...state.afterFirst, ...state.afterSecond }).filter((file) => state.afterFirst[file] !== state.afterSecond[file]);
    expect(changed, state.second && showBin(state.second)).toEqual([]);
  });

  it.runIf(layout.projectTests)("keeps the project's own tests passing: the same tests pass before the run and after it", () => {
    const passed = (run: typeof state.testsBefore) => /(\d+) passed/.exec(run?.stdout ?? "")?.[1];
    expect(state.testsBefore?.code, state.testsBefore?.stdout).toBe(0);
    expect(state.testsAfter?.code, state.testsAfter?.stdout).toBe(0);
    expect(Number(passed(state.testsBefore))).toBeGreaterThan(0);
    expect(passed(state.testsAfter), state.testsAfter?.stdout).toBe(passed(state.testsBefore));
  });

  it("starts the backend, which accepts a token minted with the generated API_JWT_SECRET", async () => {
    const me = await call("GET", "/api/me", { as: ALICE });
    expect(me.status, show("GET", "/api/me", me)).toBe(200);
    expect(me.json).toMatchObject({ id: ALICE });
  });

  it("answers 401 without a token on every route of the resource", async () => {
    const attempts: [string, string, unknown?][] = [
      ["GET", resource.list(ALICE)],
      ["GET", `${resource.list(ALICE)}?${resource.flag}=true`],
      ["POST", resource.list(ALICE), resource.createBody("anonymous")],
      ["GET", resource.one(ALICE, 1)],
      [resource.updateMethod, resource.one(ALICE, 1), resource.updateBody("anonymous")],
      ["DELETE", resource.one(ALICE, 1)],
      ["POST", resource.action(ALICE, 1)],
    ];
    const answers: string[] = [];
    for (const [method, route, body] of attempts) answers.push(show(method, route, await call(method, route, { body })));
    expect(answers.filter((answer) => !/ → 401 /.test(answer))).toEqual([]);
  });

  it("lets alice and bob create rows, and lists each only their own", async () => {
    rows.aliceOpen = await create(ALICE, "alice: open");
    rows.aliceDone = await create(ALICE, "alice: done");
    rows.bobDone = await create(BOB, "bob: done");
    if (resource.ownerField) {
      expect(rows.aliceOpen[resource.ownerField]).toBe(ALICE);
      expect(rows.bobDone[resource.ownerField]).toBe(BOB);
    }
    for (const [user, row] of [[ALICE, rows.aliceDone], [BOB, rows.bobDone]] as const) {
      const route = resource.action(user, row.id);
      const done = await call("POST", route, { as: user });
      expect(done.status, show("POST", route, done)).toBe(200);
      expect((done.json as Row)[resource.flag]).toBe(true);
    }
    expect(titles(await list(ALICE))).toEqual(["alice: done", "alice: open"]);
    expect(titles(await list(BOB))).toEqual(["bob: done"]);
  });

  it("answers 404 when bob reads, updates, deletes or acts on alice's row, and leaves it as it was", async () => {
    const target = rows.aliceOpen;
    expect(target, "needs the rows of the previous test").toBeDefined();
    const attempts: [string, string, unknown?][] = [
      ["GET", resource.one(BOB, target.id)],
      [resource.updateMethod, resource.one(BOB, target.id), resource.updateBody("bob was here")],
      ["POST", resource.action(BOB, target.id)],
      ["DELETE", resource.one(BOB, target.id)],
    ];
    const answers: string[] = [];
    for (const [method, route, body] of attempts) answers.push(show(method, route, await call(method, route, { as: BOB, body })));
    expect(answers.filter((answer) => !/ → 404 /.test(answer))).toEqual([]);

    const route = resource.one(ALICE, target.id);
    const still = await call("GET", route, { as: ALICE });
    expect(still.status, show("GET", route, still)).toBe(200);
    expect(still.json).toMatchObject({ id: target.id, title: "alice: open", [resource.flag]: false });
  });

  it("keeps the list filter working within the caller's own rows", async () => {
    expect(titles(await list(ALICE, `?${resource.flag}=true`))).toEqual(["alice: done"]);
    expect(titles(await list(ALICE, `?${resource.flag}=false`))).toEqual(["alice: open"]);
    expect(titles(await list(BOB, `?${resource.flag}=true`))).toEqual(["bob: done"]);
    expect(titles(await list(BOB, `?${resource.flag}=false`))).toEqual([]);
  });

  it("lets the caller update and delete their own row", async () => {
    const own = await create(ALICE, "alice: scratch");
    const route = resource.one(ALICE, own.id);
    const updated = await call(resource.updateMethod, route, { as: ALICE, body: resource.updateBody("alice: renamed") });
    expect(updated.status, show(resource.updateMethod, route, updated)).toBe(200);
    expect(updated.json).toMatchObject({ title: "alice: renamed", [resource.flag]: true });
    const deleted = await call("DELETE", route, { as: ALICE });
    expect([200, 204], show("DELETE", route, deleted)).toContain(deleted.status);
    const gone = await call("GET", route, { as: ALICE });
    expect(gone.status, show("GET", route, gone)).toBe(404);
  });

  it(`owns a created row by the caller even when the body names another ${resource.ownerColumn}`, async () => {
    const smuggled = await create(ALICE, "alice: claims to be bob's", { [resource.ownerColumn]: BOB });
    if (resource.ownerField) expect(smuggled[resource.ownerField]).toBe(ALICE);
    expect(titles(await list(ALICE))).toContain("alice: claims to be bob's");
    expect(titles(await list(BOB))).toEqual(["bob: done"]);
    const route = resource.one(BOB, smuggled.id);
    const asBob = await call("GET", route, { as: BOB });
    expect(asBob.status, show("GET", route, asBob)).toBe(404);
  });

  it.runIf(resource.list(ALICE) !== resource.list(BOB))("answers 403 when alice's token names bob in the path, and changes nothing of bob's", async () => {
    const target = rows.bobDone;
    expect(target, "needs the rows of an earlier test").toBeDefined();
    const attempts: [string, string, unknown?][] = [
      ["GET", resource.list(BOB)],
      ["POST", resource.list(BOB), resource.createBody("alice, as bob")],
      ["GET", resource.one(BOB, target.id)],
      [resource.updateMethod, resource.one(BOB, target.id), resource.updateBody("alice was here")],
      ["POST", resource.action(BOB, target.id)],
      ["DELETE", resource.one(BOB, target.id)],
    ];
    const answers: string[] = [];
    for (const [method, route, body] of attempts) answers.push(show(method, route, await call(method, route, { as: ALICE, body })));
    expect(answers.filter((answer) => !/ → 403 /.test(answer))).toEqual([]);
    expect(titles(await list(BOB))).toEqual(["bob: done"]);
  });

  it("keeps its public routes public", async () => {
    for (const route of layout.publicRoutes) {
      const response = await call("GET", route);
      expect(response.status, show("GET", route, response)).toBe(200);
    }
  });

  let listed: Promise<ListedRoute[]> | undefined;
  /** The app's routes, from `python -c` importing it in the backend folder with the backend's env (once per layout). */
  const listRoutes = () =>
    (listed ??= runPython(["-c", LIST_ROUTES, layout.appImport], { cwd: state.backendDir, env: state.env, timeoutMs: 30_000 }).then((result) => {
      if (result.code !== 0) throw new Error(`listing the app's routes failed (${result.code}):\n${result.stderr}`);
      return JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "[]") as ListedRoute[];
    }));
  const describeRoute = (route: ListedRoute) => `${route.methods.join(",")} ${route.path} (${route.module}.${route.name})`;

  it("lists each (method, path) once, and serves the resource from the project's own handlers only", async () => {
    const routes = await listRoutes();
    expect(duplicatePairs(routes)).toEqual([]);
    const resourceRoutes = routes.filter((route) => route.path === resource.pathPrefix || route.path.startsWith(`${resource.pathPrefix}/`));
    expect(resourceRoutes.length).toBeGreaterThanOrEqual(5);
    expect(resourceRoutes.filter((route) => route.module !== resource.handlerModule).map(describeRoute)).toEqual([]);
  });

  it("generates no task routes of its own beside the project's resource routes", async () => {
    const routes = await listRoutes();
    const generated = routes.filter((route) => /\/tasks(\/|$)/.test(route.path) && route.module !== resource.handlerModule);
    expect(generated.map(describeRoute)).toEqual([]);
  });

  if (layout.name === "nested-async") {
    it("adds a user_id owner column to the Todo model, in SQLModel style", () => {
      const models = readFileSync(path.join(state.backendDir, "app/models.py"), "utf8");
      expect(models).toMatch(/class Todo\(TodoBase, table=True\):\n(?: {4}.*\n)*? {4}user_id: Optional\[str\] = Field\(default=None, index=True\)\n/);
    });
  }

  if (layout.name === "models-package") {
    it("adds user_id to the Task of the models/ package and writes no app/models.py beside it", () => {
      expect(existsSync(path.join(state.backendDir, "app/models.py"))).toBe(false);
      const created = Object.keys(state.afterFirst).filter((file) => !(file in layout.files));
      expect(created.filter((file) => /(^|\/)models\.py$/.test(file))).toEqual([]);
      const task = readFileSync(path.join(state.backendDir, "app/models/task.py"), "utf8");
      expect(task).toContain("    user_id: Mapped[Optional[str]] = mapped_column(String(255), index=True, nullable=True)\n");
    });
  }

  if (layout.name === "api-key") {
    it("leaves the API-key router byte for byte as it was, answering with the key and refusing without it", async () => {
      const file = `${layout.backend}/routers/internal.py`;
      expect(state.afterFirst[file]).toBe(layout.files[file]);
      const withKey = await call("GET", "/internal/stats", { headers: { "x-api-key": INTERNAL_API_KEY } });
      expect(withKey.status, show("GET", "/internal/stats", withKey)).toBe(200);
      // Every user's rows, not the caller's: the route was not scoped to a user.
      const everyone = (await list(ALICE)).length + (await list(BOB)).length;
      expect(withKey.json).toMatchObject({ total: everyone });
      const refusals = [
        show("GET", "/internal/stats (no key)", await call("GET", "/internal/stats")),
        show("GET", "/internal/stats (no key, alice's bearer)", await call("GET", "/internal/stats", { as: ALICE })),
      ];
      expect(refusals.filter((answer) => !/ → 401 /.test(answer))).toEqual([]);
      const wrong = await call("GET", "/internal/stats", { headers: { "x-api-key": "not-the-key" } });
      expect(wrong.status, show("GET", "/internal/stats", wrong)).toBe(403);
    });
  }
});
