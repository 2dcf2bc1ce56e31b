import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Answers } from "../../generators/lib/types.js";
import { removeFixture } from "../helpers/fixture.js";
import { mintToken, startFakeApi, type FakeApi } from "./api-server.js";
import { loadGeneratedApi as loadGenerated } from "./generated-project.js";

/** The parts of the generated lib/api.ts these tests use. */
interface GeneratedApi {
  createApiClient(options: {
    getToken: () => Promise<string | null>;
    baseUrl: string;
    now?: () => number;
    fetch?: typeof fetch;
    onSessionChange?: (listener: () => void) => void;
  }): ApiClient;
  ApiError: new (status: number, message: string) => Error & { status: number; detail: unknown };
}
interface ApiClient {
  apiFetch(path: string, init?: RequestInit): Promise<Response>;
  currentUserId(): Promise<string>;
  resetToken(): void;
  listTasks(): Promise<unknown>;
  createTask(task: { title: string; description?: string }): Promise<unknown>;
  getTask(id: number): Promise<unknown>;
  updateTask(id: number, changes: { title?: string; completed?: boolean }): Promise<unknown>;
  deleteTask(id: number): Promise<void>;
  toggleTask(id: number): Promise<unknown>;
}

const roots: string[] = [];

const loadGeneratedApi = (answers: Partial<Answers> = {}) => loadGenerated<GeneratedApi>(roots, answers);

const T0 = 1_800_000_000; // seconds
const LIFETIME = 15 * 60;

let api: FakeApi;
let generated: GeneratedApi;
let clock: number;
let tokenRequests: number;

/** A token source like /api/auth/token: each call mints a new 15-minute token at the fake clock's time. */
function tokenSource(options: { delayMs?: number; sub?: string } = {}) {
  return async (): Promise<string> => {
    tokenRequests++;
    if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    const iat = Math.floor(clock / 1000);
    return mintToken({ sub: options.sub ?? "user-1", iat, exp: iat + LIFETIME });
  };
}

function client(getToken: () => Promise<string | null> = tokenSource()): ApiClient {
  return generated.createApiClient({ getToken, baseUrl: `${api.url}/`, now: () => clock });
}

beforeAll(async () => {
  api = await startFakeApi();
  generated = await loadGeneratedApi();
});
afterAll(async () => {
  await api.close();
  for (const root of roots) removeFixture(root);
});
beforeEach(() => {
  api.requests.length = 0;
  api.rejected.clear();
  api.rejectAll = false;
  api.keyPendingOnce.clear();
  api.unavailable.clear();
  clock = T0 * 1000;
  tokenRequests = 0;
});

describe("the generated apiFetch", () => {
  it("makes one token request for 100 calls within the token's lifetime, and sends the token on every call", async () => {
    const { apiFetch } = client();
    for (let i = 0; i < 100; i++) {
      await apiFetch("/api/tasks");
      clock += 5_000;
    }
    expect(tokenRequests).toBe(1);
    expect(api.requests).toHaveLength(100);
    const [first] = api.requests;
    expect(first.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(api.requests.every((r) => r.authorization === first.authorization)).toBe(true);
  });

  it("shares one token request among 20 concurrent first calls", async () => {
    const { apiFetch } = client(tokenSource({ delayMs: 30 }));
    await Promise.all(Array.from({ length: 20 }, () => apiFetch("/api/tasks")));
    expect(tokenRequests).toBe(1);
    expect(new Set(api.requests.map((r) => r.authorization)).size).toBe(1);
  });

  it("gets a new token shortly before the old one expires, not after", async () => {
    const { apiFetch } = client();
    await apiFetch("/api/tasks");
    clock += (LIFETIME - 60) * 1000; // a minute left: still reused
    await apiFetch("/api/tasks");
    expect(tokenRequests).toBe(1);
    clock += 45_000; // 15 s left: renewed
    await apiFetch("/api/tasks");
    expect(tokenRequests).toBe(2);
    expect(api.requests[2].authorization).not.toBe(api.requests[1].authorization);
  });

  it("does not reuse a token that arrives already expired", async () => {
    const stale = await mintToken({ sub: "user-1", iat: T0 - 2 * LIFETIME, exp: T0 - LIFETIME });
    const { apiFetch } = client(async () => (tokenRequests++, stale));
    await apiFetch("/api/tasks");
    await apiFetch("/api/tasks");
    expect(tokenRequests).toBe(2);
  });

  it("on a 401 gets one new token and retries once", async () => {
    const { apiFetch } = client();
    await apiFetch("/api/tasks");
    const revoked = api.requests[0].authorization!.slice("Bearer ".length);
    api.rejected.add(revoked);
    clock += 1000; // a token minted in the same second would be the very same token
    const response = await apiFetch("/api/tasks");
    expect(response.status).toBe(200);
    expect(tokenRequests).toBe(2);
    expect(api.requests.map((r) => r.authorization)).toEqual([`Bearer ${revoked}`, `Bearer ${revoked}`, expect.not.stringContaining(revoked)]);
  });

  it("sends a POST once more, with the same token, after the API's 503 \"key service unavailable\" (a key rotated just now)", async () => {
    const { apiFetch } = client();
    await apiFetch("/api/tasks");
    const token = api.requests[0].authorization!.slice("Bearer ".length);
    api.keyPendingOnce.add(token);
    const started = Date.now();
    const response = await apiFetch("/api/tasks", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ title: "once" }) });
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150); // waited the Retry-After (0.2 s)
    expect(api.requests.slice(1).map((r) => [r.method, r.authorization, r.body])).toEqual([
      ["POST", `Bearer ${token}`, '{"title":"once"}'],
      ["POST", `Bearer ${token}`, '{"title":"once"}'],
    ]);
    expect(tokenRequests).toBe(1);
  });

  it("does not repeat a request answered 503 for another reason: the route itself may have run", async () => {
    const { apiFetch } = client();
    api.unavailable.add("/api/tasks");
    await expect(apiFetch("/api/tasks", { method: "POST", body: "{}" })).rejects.toMatchObject({ status: 503, message: "Database unavailable" });
    expect(api.requests).toHaveLength(1);
  });

  it("throws ApiError 401 when the retry is refused too", async () => {
    const { apiFetch } = client();
    await apiFetch("/api/tasks");
    api.rejectAll = true;
    const error = await apiFetch("/api/tasks").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(generated.ApiError);
    expect(error).toMatchObject({ status: 401, message: "Invalid or expired token" });
    expect(tokenRequests).toBe(2);
    expect(api.requests).toHaveLength(3);
  });

  it("throws ApiError 401 without calling the API when nobody is signed in", async () => {
    const { apiFetch } = client(async () => null);
    await expect(apiFetch("/api/tasks")).rejects.toMatchObject({ status: 401, name: "ApiError" });
    expect(api.requests).toHaveLength(0);
  });

  it("turns FastAPI's error detail into ApiError", async () => {
    const { getTask } = client();
    await expect(getTask(404)).rejects.toMatchObject({ status: 404, message: "Task not found", detail: "Task not found" });
  });
});

describe("the generated apiFetch across session changes", () => {
  /** A token source whose subject is whoever is signed in now, like /api/auth/token with the current cookie. */
  let signedIn: string | null;
  const currentUserToken = async (): Promise<string | null> => {
    tokenRequests++;
    if (!signedIn) return null;
    const iat = Math.floor(clock / 1000);
    return mintToken({ sub: signedIn, iat, exp: iat + LIFETIME });
  };
  const subjects = () => api.requests.map((r) => JSON.parse(atob(r.authorization!.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))).sub as string);
  beforeEach(() => {
    signedIn = "alice";
  });

  it("asks for a new token after the session-change signal, so the next user's calls carry their own token", async () => {
    let signal: (() => void) | null = null;
    const tasks = generated.createApiClient({ getToken: currentUserToken, baseUrl: api.url, now: () => clock, onSessionChange: (listener) => (signal = listener) });
    expect(signal).toBeTypeOf("function");
    await tasks.apiFetch("/api/tasks");
    signedIn = "bob"; // signed out and in again, well within alice's token lifetime
    clock += 1000;
    await tasks.apiFetch("/api/tasks");
    expect(subjects()).toEqual(["alice", "alice"]); // without a signal the cache cannot know
    signal!();
    await tasks.apiFetch("/api/tasks");
    await tasks.apiFetch("/api/tasks");
    expect(subjects()).toEqual(["alice", "alice", "bob", "bob"]);
    expect(tokenRequests).toBe(2);
  });

  it("after a sign-out signal, throws 401 without sending the old token", async () => {
    let signal: (() => void) | null = null;
    const tasks = generated.createApiClient({ getToken: currentUserToken, baseUrl: api.url, now: () => clock, onSessionChange: (listener) => (signal = listener) });
    await tasks.apiFetch("/api/tasks");
    signedIn = null;
    signal!();
    await expect(tasks.apiFetch("/api/tasks")).rejects.toMatchObject({ name: "ApiError", status: 401 });
    expect(api.requests).toHaveLength(1);
  });

  it("resetToken() drops the cached token", async () => {
    const tasks = client(currentUserToken);
    await tasks.apiFetch("/api/tasks");
    signedIn = "bob";
    tasks.resetToken();
    await tasks.apiFetch("/api/tasks");
    await tasks.apiFetch("/api/tasks");
    expect(subjects()).toEqual(["alice", "bob", "bob"]);
  });

  it("does not cache a token whose request started before a reset", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const tasks = client(async () => {
      const who = signedIn; // the session at the time of the request, as the cookie would be
      if (who === "carol") await gate;
      return currentUserToken().then(() => mintToken({ sub: who!, iat: Math.floor(clock / 1000), exp: Math.floor(clock / 1000) + LIFETIME }));
    });
    signedIn = "carol";
    const carolCall = tasks.apiFetch("/api/tasks");
    await Promise.resolve();
    signedIn = "dave"; // carol signed out and dave signed in while her token request was still running
    tasks.resetToken();
    const daveCall = tasks.apiFetch("/api/tasks");
    release();
    await Promise.all([carolCall, daveCall]);
    await tasks.apiFetch("/api/tasks");
    expect(subjects().sort()).toEqual(["carol", "dave", "dave"]);
    expect(subjects().at(-1)).toBe("dave");
    expect(tokenRequests).toBe(2);
  });
});

describe("the generated task helpers", () => {
  it("call the flat task routes", async () => {
    const tasks = client();
    await tasks.listTasks();
    expect(await tasks.createTask({ title: "Write tests" })).toEqual({ method: "POST", path: "/api/tasks", body: { title: "Write tests" } });
    await tasks.getTask(7);
    await tasks.updateTask(7, { title: "Renamed", completed: true });
    await tasks.toggleTask(7);
    expect(await tasks.deleteTask(7)).toBeUndefined();
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /api/tasks",
      "POST /api/tasks",
      "GET /api/tasks/7",
      "PUT /api/tasks/7",
      "PATCH /api/tasks/7/complete",
      "DELETE /api/tasks/7",
    ]);
    expect(JSON.parse(api.requests[3].body)).toEqual({ title: "Renamed", completed: true });
  });

  it("call the user-scoped routes with the token's subject", async () => {
    const scoped = await loadGeneratedApi({ routeStyle: "user-scoped" });
    const tasks = scoped.createApiClient({ getToken: tokenSource({ sub: "u 42" }), baseUrl: api.url, now: () => clock });
    expect(await tasks.currentUserId()).toBe("u 42");
    await tasks.listTasks();
    await tasks.toggleTask(3);
    await tasks.deleteTask(3);
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /api/u%2042/tasks", "PATCH /api/u%2042/tasks/3/complete", "DELETE /api/u%2042/tasks/3"]);
    expect(tokenRequests).toBe(1);
  });
});
