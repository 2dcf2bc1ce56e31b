/**
 * The generated apiFetch sends its token only to the API (issue 11, item 5): every request URL is
 * resolved with the WHATWG URL parser against the API base and refused, before any token is
 * fetched and before any request, unless it stays on the API's origin and under its base path.
 * A recording fetch stands in for the network: each URL it is handed is parsed with `new URL` and
 * its origin compared, so a leak is seen whatever the string looked like.
 */
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Answers } from "../../generators/lib/types.js";
import { removeFixture } from "../helpers/fixture.js";
import { mintToken } from "./api-server.js";
import { loadGeneratedApi as loadGenerated } from "./generated-project.js";

interface ApiClient {
  apiFetch(path: string, init?: RequestInit): Promise<Response>;
  listTasks(): Promise<unknown>;
  getTask(id: number): Promise<unknown>;
  toggleTask(id: number): Promise<unknown>;
  deleteTask(id: number): Promise<void>;
}
interface GeneratedApi {
  createApiClient(options: {
    getToken: () => Promise<string | null>;
    baseUrl: string;
    fetch?: typeof fetch;
    now?: () => number;
    sessionUserId?: () => string | null | undefined;
  }): ApiClient;
}

const roots: string[] = [];
const loadGeneratedApi = (answers: Partial<Answers> = {}) => loadGenerated<GeneratedApi>(roots, answers);

let flat: GeneratedApi;
let scoped: GeneratedApi;
beforeAll(async () => {
  flat = await loadGeneratedApi();
  scoped = await loadGeneratedApi({ routeStyle: "user-scoped" });
});
afterAll(() => {
  for (const root of roots) removeFixture(root);
});

/**
 * Every request the client made: the URL exactly as handed to fetch, the origin a browser would
 * send it to (resolved by the URL parser against the page, when there is one), and its Authorization header.
 */
let sent: { url: string; origin: string; authorization: string | null }[];
let tokenRequests: number;
beforeEach(() => {
  sent = [];
  tokenRequests = 0;
});
afterEach(() => {
  // Whatever a test expected, no request ever went to the attacker's host.
  expect(sent.filter((r) => r.origin.includes("evil"))).toEqual([]);
});

const recordingFetch: typeof fetch = async (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  let origin = "unparseable";
  try {
    origin = new URL(url, typeof window === "undefined" ? undefined : window.location.href).origin;
  } catch {
    // fetch() would throw on it too
  }
  sent.push({ url, origin, authorization: new Headers(init?.headers).get("authorization") });
  return new Response(JSON.stringify({ ok: true }), { status: 200, headers: { "Content-Type": "application/json" } });
};

const getToken = async (): Promise<string> => {
  tokenRequests++;
  const iat = Math.floor(Date.now() / 1000);
  return mintToken({ sub: "alice", iat, exp: iat + 900 });
};

function client(baseUrl: string, generated: GeneratedApi = flat): ApiClient {
  return generated.createApiClient({ getToken, baseUrl, fetch: recordingFetch });
}

/** Origins the requests went to, as the URL parser (and so fetch) reads them. */
const origins = () => sent.map((r) => r.origin);

// Paths the URL parser reads as another host when appended to a base at the root ("/" or an origin):
// the parser turns "\\" into "/" and drops tabs and newlines, so these are all "//evil.test/x".
const HOST_PATHS = ["//evil.test/x", "/\\evil.test/x", "\\\\evil.test/x", "/\\\\evil.test/x", "\\/evil.test/x", "/\t/evil.test/x", "/\n/evil.test/x"];
// Absolute URLs elsewhere, whatever the base.
const ABSOLUTE_ELSEWHERE = [
  "https://evil.test/x",
  "http://evil.test/x",
  "HTTP://EVIL.TEST/x",
  "http:evil.test/x",
  "http://localhost:8000@evil.test/x",
  "http://localhost:8000:pw@evil.test/x",
  "http://evil.test\\@localhost:8000/x",
  "https://localhost:8000/x", // same host, another scheme: another origin
  "http://localhost:8001/x", // another port
  "javascript:alert(1)",
  "data:text/plain,x",
];
const OTHER_ORIGIN = [...HOST_PATHS, ...ABSOLUTE_ELSEWHERE];

describe("apiFetch with an absolute API base", () => {
  const BASE = "http://localhost:8000";

  it.each(OTHER_ORIGIN)("refuses %j before fetching a token or calling fetch", async (target) => {
    const { apiFetch } = client(BASE);
    const error = await apiFetch(target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(/^apiFetch refused .*the API token is only sent to http:\/\/localhost:8000\/$/);
    expect(sent).toEqual([]);
    expect(tokenRequests).toBe(0);
  });

  it("refuses a user name or password on the API's own origin (fetch would refuse it later, with the token in hand)", async () => {
    const { apiFetch } = client(BASE);
    await expect(apiFetch("http://user:pw@localhost:8000/api/tasks")).rejects.toThrow(/user name or password/);
    expect(sent).toEqual([]);
    expect(tokenRequests).toBe(0);
  });

  it("keeps the ordinary paths as they were: leading slash or not, query strings, an absolute URL on the API", async () => {
    const { apiFetch } = client(`${BASE}/`);
    await apiFetch("/api/tasks");
    await apiFetch("api/tasks?done=true");
    await apiFetch("http://localhost:8000/api/tasks/7");
    await apiFetch("/api/%2F%2Fevil.test"); // an encoded slash stays a path on the API
    await apiFetch("/api//evil.test"); // a double slash inside the path too
    await apiFetch(" //evil.test/x"); // not a scheme-relative URL once a "/" is put before it
    expect(sent.map((r) => r.url)).toEqual([
      "http://localhost:8000/api/tasks",
      "http://localhost:8000/api/tasks?done=true",
      "http://localhost:8000/api/tasks/7",
      "http://localhost:8000/api/%2F%2Fevil.test",
      "http://localhost:8000/api//evil.test",
      "http://localhost:8000/%20//evil.test/x",
    ]);
    expect(new Set(origins())).toEqual(new Set([BASE]));
    expect(sent.every((r) => r.authorization?.startsWith("Bearer "))).toBe(true);
    expect(tokenRequests).toBe(1);
  });

  it("refuses a refused URL on every call, and the next good call still works with one token", async () => {
    const { apiFetch } = client(BASE);
    for (let i = 0; i < 3; i++) await expect(apiFetch("//evil.test/x")).rejects.toBeInstanceOf(TypeError);
    await apiFetch("/api/tasks");
    expect(sent.map((r) => r.url)).toEqual(["http://localhost:8000/api/tasks"]);
    expect(tokenRequests).toBe(1);
  });
});

describe("apiFetch with a base path", () => {
  const BASE = "http://localhost:8000/v1";

  it.each([
    ...ABSOLUTE_ELSEWHERE,
    "../admin",
    "/../admin",
    "/%2e%2e/admin",
    "/.%2E/admin",
    "/%2e%2E/%2e%2e/admin",
    "/..\\admin",
    "http://localhost:8000/admin",
    "http://localhost:8000/v1x/admin",
  ])("refuses %j: another origin, or out of /v1", async (target) => {
    const { apiFetch } = client(BASE);
    await expect(apiFetch(target)).rejects.toBeInstanceOf(TypeError);
    expect(sent).toEqual([]);
    expect(tokenRequests).toBe(0);
  });

  it.each([...HOST_PATHS, "\\..\\admin"])("keeps %j on the API under /v1 (appended to the base path, it names no other host)", async (target) => {
    const { apiFetch } = client(BASE);
    await apiFetch(target);
    expect(sent).toHaveLength(1);
    const url = new URL(sent[0].url);
    expect(url.origin).toBe("http://localhost:8000");
    expect(url.pathname).toMatch(/^\/v1\//);
  });

  it("keeps the paths under the base path, and the typed helpers, user-scoped ids encoded", async () => {
    const tasks = client(`${BASE}/`, scoped);
    await tasks.apiFetch("/api/tasks");
    await tasks.apiFetch("/api/tasks/../tasks/7"); // dot segments that stay under /v1 are fine
    await tasks.apiFetch("http://localhost:8000/v1/api/tasks");
    await tasks.listTasks();
    await tasks.toggleTask(3);
    expect(sent.map((r) => r.url)).toEqual([
      "http://localhost:8000/v1/api/tasks",
      "http://localhost:8000/v1/api/tasks/7",
      "http://localhost:8000/v1/api/tasks",
      "http://localhost:8000/v1/api/alice/tasks",
      "http://localhost:8000/v1/api/alice/tasks/3/complete",
    ]);
    expect(tokenRequests).toBe(1);
  });
});

describe("apiFetch with a relative base (same origin as the page)", () => {
  afterEach(() => vi.unstubAllGlobals());

  it.each(["/", "", "/api"])("refuses base %j where there is no page origin (server side), with a clear message, and fetches no token", async (base) => {
    expect(typeof window).toBe("undefined");
    const { apiFetch } = client(base);
    await expect(apiFetch("/api/tasks")).rejects.toThrow(/is relative: it means the page's origin, and there is no page here \(server side\)\. Pass an absolute baseUrl/);
    expect(sent).toEqual([]);
    expect(tokenRequests).toBe(0);
  });

  describe("in a browser page at http://localhost:3000", () => {
    beforeEach(() => {
      vi.stubGlobal("window", { location: new URL("http://localhost:3000/dashboard?tab=1") });
    });

    it.each([...OTHER_ORIGIN.filter((t) => !t.includes("localhost:8000@")), "http://localhost:3000@evil.test/x", "http://localhost:8000/x"])(
      'refuses %j with base "/"',
      async (target) => {
        const { apiFetch } = client("/");
        await expect(apiFetch(target)).rejects.toBeInstanceOf(TypeError);
        expect(sent).toEqual([]);
        expect(tokenRequests).toBe(0);
      },
    );

    it('resolves "/", "" and "/api" against the page origin on purpose', async () => {
      await client("/").apiFetch("/api/tasks");
      await client("").apiFetch("api/tasks");
      await client("/api").apiFetch("/tasks/7");
      await client("/").apiFetch("http://localhost:3000/api/tasks"); // an absolute URL on the page origin
      expect(sent.map((r) => r.url)).toEqual([
        "http://localhost:3000/api/tasks",
        "http://localhost:3000/api/tasks",
        "http://localhost:3000/api/tasks/7",
        "http://localhost:3000/api/tasks",
      ]);
      expect(new Set(origins())).toEqual(new Set(["http://localhost:3000"]));
    });

    it('with base "/api", refuses paths out of /api on the page origin (the app\'s own routes)', async () => {
      const { apiFetch } = client("/api");
      for (const target of ["../auth/token", "/%2e%2e/auth/token", "http://localhost:3000/auth/token", "http://localhost:3000/apix"]) {
        await expect(apiFetch(target), target).rejects.toBeInstanceOf(TypeError);
      }
      expect(sent).toEqual([]);
      expect(tokenRequests).toBe(0);
    });

    it("an absolute base still wins over the page origin", async () => {
      const { apiFetch } = client("http://localhost:8000");
      await apiFetch("/api/tasks");
      await expect(apiFetch("http://localhost:3000/api/tasks")).rejects.toBeInstanceOf(TypeError);
      expect(sent.map((r) => r.url)).toEqual(["http://localhost:8000/api/tasks"]);
    });
  });

  it("refuses a base that is not http(s)", async () => {
    await expect(client("localhost:8000").apiFetch("/api/tasks")).rejects.toThrow(/not an http\(s\) URL/);
    await expect(client("file:///etc").apiFetch("/api/tasks")).rejects.toThrow(/not an http\(s\) URL/);
    expect(sent).toEqual([]);
    expect(tokenRequests).toBe(0);
  });
});

describe("a cached token and the session's user id (sessionUserId)", () => {
  let sessionUser: string | null | undefined;
  let signedIn: string;
  const currentUserToken = async (): Promise<string> => {
    tokenRequests++;
    const iat = Math.floor(Date.now() / 1000);
    return mintToken({ sub: signedIn, iat, exp: iat + 900 });
  };
  const subjects = () => sent.map((r) => JSON.parse(atob(r.authorization!.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))).sub as string);
  const tasks = () => flat.createApiClient({ getToken: currentUserToken, baseUrl: "http://localhost:8000", fetch: recordingFetch, sessionUserId: () => sessionUser });
  beforeEach(() => {
    signedIn = "alice";
    sessionUser = undefined;
  });

  it("does not send a cached token once the session is known to be another user's, with no session-change signal", async () => {
    const { apiFetch } = tasks();
    await apiFetch("/api/tasks"); // session not known yet: the token's sub (alice) is its owner
    sessionUser = "alice";
    await apiFetch("/api/tasks");
    expect(tokenRequests).toBe(1);
    signedIn = "bob";
    sessionUser = "bob";
    await apiFetch("/api/tasks");
    await apiFetch("/api/tasks");
    expect(subjects()).toEqual(["alice", "alice", "bob", "bob"]);
    expect(tokenRequests).toBe(2);
  });

  it("does not send a cached token once the session is known to be signed out", async () => {
    sessionUser = "alice";
    const { apiFetch } = tasks();
    await apiFetch("/api/tasks");
    sessionUser = null;
    signedIn = "bob"; // the token source now answers for whoever holds the cookie
    await apiFetch("/api/tasks");
    expect(subjects()).toEqual(["alice", "bob"]);
    expect(tokenRequests).toBe(2);
  });

  it("keeps one token for 100 calls while the session user stays the same", async () => {
    sessionUser = "alice";
    const { apiFetch } = tasks();
    for (let i = 0; i < 100; i++) await apiFetch("/api/tasks");
    expect(tokenRequests).toBe(1);
  });

  it("does not hand a token request started for the previous user to a call made after the switch", async () => {
    sessionUser = "alice";
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slowAlice = async (): Promise<string> => {
      const who = signedIn;
      if (who === "alice") await gate;
      tokenRequests++;
      return mintToken({ sub: who, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 900 });
    };
    const { apiFetch } = flat.createApiClient({ getToken: slowAlice, baseUrl: "http://localhost:8000", fetch: recordingFetch, sessionUserId: () => sessionUser });
    const aliceCall = apiFetch("/api/tasks");
    await Promise.resolve();
    signedIn = "bob";
    sessionUser = "bob";
    const bobCall = apiFetch("/api/tasks");
    release();
    await Promise.all([aliceCall, bobCall]);
    await apiFetch("/api/tasks");
    expect(subjects().sort()).toEqual(["alice", "bob", "bob"]);
    expect(subjects().at(-1)).toBe("bob");
  });
});
