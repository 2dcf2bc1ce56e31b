import { execFile } from "node:child_process";
import { existsSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startBetterAuth, type BetterAuthServer } from "../helpers/better-auth-server.js";
import { removeFixture } from "../helpers/fixture.js";
import { startFakeApi } from "./api-server.js";
import { commit, planOn, REPO } from "./generated-project.js";

const run = promisify(execFile);
const SECRET = "a-test-secret-that-is-long-enough-0123456789";
const API_JWT_SECRET = "the-api-token-key-of-its-own-9876543210-xyz";
const STANDARD_CLAIMS = ["aud", "exp", "iat", "iss", "sub"];

/** The parts of the generated auth client the session test uses. */
interface AuthClient {
  signUp: { email(user: { email: string; password: string; name: string }): Promise<{ error: unknown }> };
  signIn: { email(user: { email: string; password: string }): Promise<{ error: unknown }> };
  signOut(): Promise<{ error: unknown }>;
  $store: { listen(signal: "$sessionSignal", listener: () => void): void };
}

let root = "";
let server: BetterAuthServer | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
  removeFixture(root);
});

/** Generates the frontend into a temp repo, with the secret in web/.env.local as the lead's step writes it. */
function generatedFrontend(answers: Parameters<typeof planOn>[1]): string {
  const planned = planOn({}, answers);
  commit(planned);
  root = planned.root;
  const web = path.join(root, "web");
  symlinkSync(path.join(REPO, "node_modules"), path.join(web, "node_modules"), "dir");
  writeFileSync(path.join(web, ".env.local"), `BETTER_AUTH_SECRET=${SECRET}\nBETTER_AUTH_URL=http://localhost:3000\n`);
  return web;
}

/** Runs the generated scripts/auth-migrate.ts the way `npm run auth:migrate` does (tsx, in the frontend folder). */
async function migrate(web: string): Promise<string> {
  const { stdout } = await run(path.join(REPO, "node_modules/.bin/tsx"), ["scripts/auth-migrate.ts"], { cwd: web });
  return stdout;
}

/** Signs up a new user; returns the session cookie. */
async function signUp(url: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: url },
    body: JSON.stringify({ email: "ada@example.com", password: "correct-horse-battery", name: "Ada" }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}

/** Signs up and asks for a JWT with the session cookie, as authClient.token() does. */
async function signUpAndGetToken(url: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/token`, { headers: { Cookie: await signUp(url) } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

describe("the generated lib/auth.ts running in real Better Auth", () => {
  it("creates its tables with the generated migrate script, once", async () => {
    const web = generatedFrontend({});
    const first = await migrate(web);
    for (const table of ["user", "session", "account", "verification", "jwks"]) expect(first).toContain(`created table ${table}`);
    expect(existsSync(path.join(web, "auth.db"))).toBe(true);
    expect(await migrate(web)).toContain("up to date");
  });

  it("jwks mode: issues small EdDSA tokens that verify against /api/auth/jwks", async () => {
    const web = generatedFrontend({ secretMode: "jwks", tokenTtl: "2h" });
    server = await startBetterAuth({ authFile: path.join(web, "lib/auth.ts"), cwd: web, env: { BETTER_AUTH_SECRET: SECRET } });
    const token = await signUpAndGetToken(server.url);

    expect(decodeProtectedHeader(token).alg).toBe("EdDSA");
    const jwks = createRemoteJWKSet(new URL(`${server.url}/api/auth/jwks`));
    const { payload } = await jwtVerify(token, jwks, { issuer: server.url, audience: server.url, algorithms: ["EdDSA"] });
    expect(Object.keys(payload).sort()).toEqual(["email", "id", "name", ...STANDARD_CLAIMS].sort());
    expect(payload).toMatchObject({ email: "ada@example.com", name: "Ada", sub: payload.id });
    expect(payload.exp! - payload.iat!).toBe(2 * 3600);
    expect(Math.abs(payload.iat! - Date.now() / 1000)).toBeLessThan(30);
  });

  it("shared-secret mode: issues HS256 at+jwt tokens signed with API_JWT_SECRET (not BETTER_AUTH_SECRET), holding only the standard claims, and no JWKS", async () => {
    const web = generatedFrontend({ secretMode: "shared-secret" });
    server = await startBetterAuth({ authFile: path.join(web, "lib/auth.ts"), cwd: web, env: { BETTER_AUTH_SECRET: SECRET, API_JWT_SECRET } });
    const token = await signUpAndGetToken(server.url);

    expect(decodeProtectedHeader(token)).toEqual({ alg: "HS256", typ: "at+jwt" });
    const { payload } = await jwtVerify(token, new TextEncoder().encode(API_JWT_SECRET), { issuer: server.url, audience: server.url, algorithms: ["HS256"], typ: "at+jwt" });
    expect(Object.keys(payload).sort()).toEqual(STANDARD_CLAIMS);
    expect(payload.exp! - payload.iat!).toBe(15 * 60);
    await expect(jwtVerify(token, new TextEncoder().encode(SECRET))).rejects.toThrow(/signature/);
    expect((await fetch(`${server.url}/api/auth/jwks`)).status).toBe(404);
  });

  it("lets the generated lib/api.ts get its token through the generated auth client", async () => {
    const web = generatedFrontend({ secretMode: "jwks" });
    server = await startBetterAuth({ authFile: path.join(web, "lib/auth.ts"), cwd: web, env: { BETTER_AUTH_SECRET: SECRET } });
    const { url } = server;
    const fakeApi = await startFakeApi();
    let cookie = "";
    let tokenRequests = 0;
    const realFetch = globalThis.fetch;
    // The browser's part: send the session cookie to the auth server.
    vi.stubGlobal("fetch", (input: RequestInfo | URL, init?: RequestInit) => {
      const target = input instanceof Request ? input.url : String(input);
      if (!target.startsWith(url)) return realFetch(input, init);
      if (target.includes("/api/auth/token")) tokenRequests++;
      const headers = new Headers(init?.headers);
      if (cookie) headers.set("Cookie", cookie);
      return realFetch(input, { ...init, headers });
    });
    vi.stubEnv("BETTER_AUTH_URL", url);
    vi.stubEnv("NEXT_PUBLIC_API_URL", fakeApi.url);
    try {
      const { apiFetch, listTasks } = (await import(path.join(web, "lib/api.ts"))) as { apiFetch: (p: string) => Promise<Response>; listTasks: () => Promise<unknown> };
      await expect(listTasks()).rejects.toMatchObject({ name: "ApiError", status: 401 });
      expect(fakeApi.requests).toHaveLength(0);

      cookie = await signUp(url);
      await listTasks();
      await apiFetch("/api/tasks/1");
      expect(tokenRequests).toBe(2); // the signed-out attempt, then one token for both calls
      const token = fakeApi.requests[0].authorization!.replace(/^Bearer /, "");
      expect(fakeApi.requests[1].authorization).toBe(`Bearer ${token}`);
      const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(`${url}/api/auth/jwks`)), { issuer: url, audience: url });
      expect(payload.email).toBe("ada@example.com");
    } finally {
      vi.unstubAllGlobals();
      vi.unstubAllEnvs();
      await fakeApi.close();
    }
  });

  it("after signOut() and signIn() as another user through the auth client, apiFetch sends the new user's token", async () => {
    const web = generatedFrontend({ secretMode: "jwks" });
    server = await startBetterAuth({ authFile: path.join(web, "lib/auth.ts"), cwd: web, env: { BETTER_AUTH_SECRET: SECRET } });
    const { url } = server;
    const fakeApi = await startFakeApi();
    const jar = new Map<string, string>();
    const realFetch = globalThis.fetch;
    // The browser's part: a cookie jar for the auth server, kept from each response's Set-Cookie.
    vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
      const target = input instanceof Request ? input.url : String(input);
      if (!target.startsWith(url)) return realFetch(input, init);
      const headers = new Headers(input instanceof Request ? input.headers : init?.headers);
      if (init?.headers) new Headers(init.headers).forEach((value, key) => headers.set(key, value));
      if (jar.size > 0) headers.set("Cookie", [...jar].map(([name, value]) => `${name}=${value}`).join("; "));
      headers.set("Origin", url);
      const response = await realFetch(input, { ...init, headers });
      for (const cookie of response.headers.getSetCookie()) {
        const [pair, ...attributes] = cookie.split(";");
        const [name, value] = [pair.slice(0, pair.indexOf("=")).trim(), pair.slice(pair.indexOf("=") + 1)];
        if (value === "" || attributes.some((a) => /max-age=0\b/i.test(a.trim()))) jar.delete(name);
        else jar.set(name, value);
      }
      return response;
    });
    vi.stubEnv("BETTER_AUTH_URL", url);
    vi.stubEnv("NEXT_PUBLIC_API_URL", fakeApi.url);
    try {
      const { authClient } = (await import(path.join(web, "lib/auth-client.ts"))) as { authClient: AuthClient };
      const { apiFetch } = (await import(path.join(web, "lib/api.ts"))) as { apiFetch: (p: string) => Promise<Response> };
      /** Resolves at Better Auth's next session signal (it flips a few ms after a sign-in or sign-out). */
      const nextSessionSignal = () => new Promise<void>((resolve) => {
        let initial = true; // listen() calls back once at once with the current value
        authClient.$store.listen("$sessionSignal", () => (initial ? (initial = false) : resolve()));
      });
      const emailOf = (request: { authorization?: string }) => decodeJwt(request.authorization!.replace(/^Bearer /, "")).email;

      const ada = { email: "ada@example.com", password: "correct-horse-battery", name: "Ada" };
      const bob = { email: "bob@example.com", password: "battery-staple-horse", name: "Bob" };
      for (const user of [bob, ada]) {
        const signal = nextSessionSignal();
        expect((await authClient.signUp.email(user)).error).toBeNull();
        await signal;
      }
      await apiFetch("/api/tasks");
      expect(emailOf(fakeApi.requests[0])).toBe("ada@example.com");

      let signal = nextSessionSignal();
      expect((await authClient.signOut()).error).toBeNull();
      await signal;
      await expect(apiFetch("/api/tasks")).rejects.toMatchObject({ name: "ApiError", status: 401 });
      expect(fakeApi.requests).toHaveLength(1);

      signal = nextSessionSignal();
      expect((await authClient.signIn.email({ email: bob.email, password: bob.password })).error).toBeNull();
      await signal;
      await apiFetch("/api/tasks");
      expect(fakeApi.requests).toHaveLength(2);
      expect(emailOf(fakeApi.requests[1])).toBe("bob@example.com");
    } finally {
      vi.unstubAllGlobals();
      vi.unstubAllEnvs();
      await fakeApi.close();
    }
  });
});
