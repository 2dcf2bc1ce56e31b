/**
 * The generated lib/api.ts in a (simulated) browser tab, on the real Better Auth client (issue 11,
 * item 6, and item 5 through the exported apiFetch with NEXT_PUBLIC_API_URL="/").
 *
 * The page is a minimal `window` (location, localStorage, events) and `document` (visibility) at
 * http://localhost:3000; `fetch` is a fake that answers Better Auth's routes from one shared
 * "cookie" (who is signed in, as every tab of the browser sees it) and records every API call.
 * The generated lib/auth-client.ts and lib/api.ts are loaded as they are, so the session atom,
 * its refetch triggers and the cross-tab broadcast are Better Auth's own code: if its store
 * changes, these tests break. Another tab is a second real auth client on the same storage; its
 * Better Auth broadcast writes "better-auth.message" to localStorage, and the fake localStorage
 * delivers the "storage" event the browser would deliver to the other tabs.
 */
import { symlinkSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { removeFixture } from "../helpers/fixture.js";
import { mintToken } from "./api-server.js";
import { commit, planOn, REPO } from "./generated-project.js";

const PAGE = "http://localhost:3000";

/** The exports of the generated lib/api.ts that the browser uses. */
interface BrowserApi {
  apiFetch(path: string, init?: RequestInit): Promise<Response>;
  resetApiToken(): void;
  listTasks(): Promise<unknown>;
}
interface SessionAtom {
  get(): { data: { user: { id: string } } | null; isPending: boolean };
  subscribe(listener: (value: unknown) => void): () => void;
}
/** The parts of a Better Auth client (react or vanilla) the tests drive. */
interface AuthClient {
  $store: { atoms: Record<string, SessionAtom> };
  signOut(): Promise<unknown>;
  signIn: { email(body: { email: string; password: string }): Promise<unknown> };
}

// --- the browser page --------------------------------------------------------------------------
const page = Object.assign(new EventTarget(), { location: new URL(`${PAGE}/dashboard`) });
const storage = new Map<string, string>();
const localStorage = {
  getItem: (key: string) => storage.get(key) ?? null,
  removeItem: (key: string) => void storage.delete(key),
  /** Stores the value and delivers the "storage" event other tabs of the origin would get. */
  setItem(key: string, value: string) {
    const oldValue = storage.get(key) ?? null;
    storage.set(key, value);
    queueMicrotask(() => page.dispatchEvent(Object.assign(new Event("storage"), { key, oldValue, newValue: value, storageArea: localStorage })));
  },
};
const documentStub = Object.assign(new EventTarget(), { visibilityState: "visible" });

// --- the server side of the fake: Better Auth's routes and the API, on the page's origin -------
/** Who the session cookie belongs to (shared by every tab). */
let cookie: string | null = "alice";
/** /get-session requests from this tab (the other tab's are not counted). */
let getSessionRequests = 0;
let tokenRequests = 0;
/** API calls as the page sent them. */
let apiCalls: { url: string; subject: string | null }[] = [];

const subjectOf = (authorization: string | null): string | null =>
  authorization ? (JSON.parse(atob(authorization.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))).sub as string) : null;

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

/** The browser's fetch for one tab: a relative URL is resolved against the page, as a browser does. */
const tabFetch = (tab: "this" | "other") => async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  const request = input instanceof Request ? new Request(input, init) : new Request(new URL(input, PAGE), init);
  const url = new URL(request.url);
  if (url.origin !== PAGE) throw new Error(`the page fetched another origin: ${request.url}`);
  if (url.pathname.startsWith("/api/auth/")) {
    const route = url.pathname.slice("/api/auth".length);
    if (route === "/get-session") {
      if (tab === "this") getSessionRequests++;
      if (!cookie) return json(null);
      const now = Date.now();
      return json({
        session: { id: `s-${cookie}`, userId: cookie, token: "opaque", expiresAt: new Date(now + 7 * 86_400_000).toISOString(), createdAt: new Date(now).toISOString(), updatedAt: new Date(now).toISOString() },
        user: { id: cookie, name: cookie, email: `${cookie}@example.test`, emailVerified: true, image: null, createdAt: new Date(now).toISOString(), updatedAt: new Date(now).toISOString() },
      });
    }
    if (route === "/token") {
      tokenRequests++;
      if (!cookie) return json({ message: "Unauthorized" }, 401);
      const iat = Math.floor(Date.now() / 1000);
      return json({ token: await mintToken({ sub: cookie, iat, exp: iat + 900 }) });
    }
    if (route === "/sign-out") {
      cookie = null;
      return json({ success: true });
    }
    if (route === "/sign-in/email") {
      const { email } = (await request.json()) as { email: string };
      cookie = email.split("@")[0];
      return json({ redirect: false, token: "opaque", user: { id: cookie } });
    }
    return json({ message: `no route ${route}` }, 404);
  }
  apiCalls.push({ url: request.url, subject: subjectOf(request.headers.get("authorization")) });
  return json([]);
};

// --- the generated files, loaded in the page --------------------------------------------------
let root = "";
let api: BrowserApi;
let authClient: AuthClient;
let session: SessionAtom;
/** Another tab of the same browser: its own real Better Auth client, the same cookie and storage. */
let otherTab: AuthClient;

const sessionUser = () => session.get().data?.user.id ?? null;
/** Waits until this tab's session atom has settled (no fetch in flight), on `user` if given. */
const sessionSettles = (user?: string | null) =>
  vi.waitFor(() => {
    const { isPending, isRefetching } = session.get() as unknown as { isPending: boolean; isRefetching: boolean };
    expect(isPending || isRefetching).toBe(false);
    if (user !== undefined) expect(sessionUser()).toBe(user);
  });

beforeAll(async () => {
  vi.stubGlobal("window", page);
  vi.stubGlobal("document", documentStub);
  vi.stubGlobal("localStorage", localStorage);
  vi.stubGlobal("fetch", tabFetch("this")); // Better Auth takes the global fetch when the client is created
  vi.stubEnv("NEXT_PUBLIC_API_URL", "/"); // the API behind the same origin, e.g. through a rewrite
  const planned = planOn({});
  commit(planned);
  root = planned.root;
  symlinkSync(path.join(REPO, "node_modules"), path.join(root, "web/node_modules"), "dir");
  api = (await import(path.join(root, "web/lib/api.ts"))) as BrowserApi;
  ({ authClient } = (await import(path.join(root, "web/lib/auth-client.ts"))) as { authClient: AuthClient });
  session = authClient.$store.atoms.session;
  const { createAuthClient } = await import("better-auth/client");
  const { jwtClient } = await import("better-auth/client/plugins");
  otherTab = createAuthClient({ plugins: [jwtClient()], fetchOptions: { customFetchImpl: tabFetch("other") } }) as unknown as AuthClient;
  // The other tab's page reads its session (useSession): Better Auth broadcasts a sign-out only from a mounted session atom.
  otherTab.$store.atoms.session.subscribe(() => {});
});
afterAll(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
  if (root) removeFixture(root);
});

// First, and before anything reads this tab's atom (a nanostores get() mounts it for a second by
// itself): lib/api.ts alone keeps the session loaded and listening.
it("lib/api.ts loads the session itself at page load (no component needs to call useSession)", async () => {
  await vi.waitFor(() => expect(getSessionRequests).toBe(1));
  expect((session as unknown as { lc: number }).lc).toBeGreaterThan(0); // nanostores' listener count: mounted
  await sessionSettles("alice");
});

describe("lib/api.ts in a browser tab, on Better Auth's session atom", () => {
  beforeEach(async () => {
    // Every test starts in this tab with alice signed in, the atom settled, and nothing cached.
    cookie = "alice";
    if (sessionUser() !== "alice") {
      await (session.get() as unknown as { refetch: () => Promise<void> }).refetch();
      await sessionSettles("alice");
    }
    api.resetApiToken();
    apiCalls = [];
    tokenRequests = 0;
    getSessionRequests = 0;
  });

  it("makes one token request for 100 calls while the session stays the same", async () => {
    for (let i = 0; i < 100; i++) await api.apiFetch("/api/tasks");
    expect(tokenRequests).toBe(1);
    expect(apiCalls).toHaveLength(100);
    expect(new Set(apiCalls.map((c) => c.url))).toEqual(new Set([`${PAGE}/api/tasks`]));
    expect(apiCalls.every((c) => c.subject === "alice")).toBe(true);
  });

  it('with NEXT_PUBLIC_API_URL="/", refuses other origins before any token request', async () => {
    for (const target of ["//evil.test/x", "/\\evil.test/x", "https://evil.test/x", `http://localhost:3000@evil.test/x`, "http://localhost:8000/x"]) {
      await expect(api.apiFetch(target), target).rejects.toBeInstanceOf(TypeError);
    }
    expect(tokenRequests).toBe(0);
    expect(apiCalls).toEqual([]);
  });

  it("a sign-out in another tab clears this tab's cached token: the next call asks for a token and sends none of alice's", async () => {
    await api.apiFetch("/api/tasks");
    expect(tokenRequests).toBe(1);
    await otherTab.signOut(); // the cookie is gone for every tab; Better Auth broadcasts "signout"
    await sessionSettles(null); // this tab hears it (storage event) and refetches its session
    const error = await api.apiFetch("/api/tasks").catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "ApiError", status: 401 });
    expect(tokenRequests).toBe(2);
    expect(apiCalls.map((c) => c.subject)).toEqual(["alice"]);
  });

  it("a sign-out and another user's sign-in in another tab: the next calls carry bob's token, never alice's", async () => {
    await api.apiFetch("/api/tasks");
    await otherTab.signOut();
    await otherTab.signIn.email({ email: "bob@example.test", password: "correct horse" });
    await vi.waitFor(() => expect(getSessionRequests).toBeGreaterThanOrEqual(1)); // the broadcast's refetch
    await sessionSettles(); // on nobody, or on bob if the refetch came after the sign-in
    await api.apiFetch("/api/tasks");
    await api.apiFetch("/api/tasks");
    expect(apiCalls.map((c) => c.subject)).toEqual(["alice", "bob", "bob"]);
    expect(tokenRequests).toBe(2);
  });

  it("alice → bob in the session atom (another tab signed bob in; this tab refetches when it is shown again) drops alice's token", async () => {
    await api.apiFetch("/api/tasks");
    cookie = "bob"; // another tab signed bob in over alice's session: Better Auth broadcasts nothing for a sign-in
    await api.apiFetch("/api/tasks"); // the limit: until this tab refetches its session, it cannot know
    documentStub.dispatchEvent(new Event("visibilitychange")); // the user comes back to this tab
    await sessionSettles("bob");
    await api.apiFetch("/api/tasks");
    await api.apiFetch("/api/tasks");
    expect(apiCalls.map((c) => c.subject)).toEqual(["alice", "alice", "bob", "bob"]);
    expect(tokenRequests).toBe(2);
  });

  it("a sign-out in this tab, through the app's auth client, clears the token too", async () => {
    await api.apiFetch("/api/tasks");
    await authClient.signOut();
    await sessionSettles(null);
    await expect(api.apiFetch("/api/tasks")).rejects.toMatchObject({ name: "ApiError", status: 401 });
    expect(apiCalls.map((c) => c.subject)).toEqual(["alice"]);
  });
});
