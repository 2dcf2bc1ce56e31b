import { readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { decodeJwt, SignJWT } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { startBetterAuth, type BetterAuthServer } from "../helpers/better-auth-server.js";
import { removeFixture } from "../helpers/fixture.js";
import { commit, planOn, REPO } from "./generated-project.js";

// The generated lib/auth.ts in a real Better Auth, attacked as the security review did (issue 11).
const AUTH_SECRET = "better-auth-own-secret-for-sessions-0123456789";
const API_JWT_SECRET = "the-api-token-key-the-backend-holds-9876543210";
const PASSWORD = "correct-horse-battery";

let root = "";
let server: BetterAuthServer | null = null;
afterEach(async () => {
  await server?.stop();
  server = null;
  removeFixture(root);
});

/** Generates the shared-secret frontend; `edit` changes the generated lib/auth.ts the way an app might. */
async function startGenerated(edit: (auth: string) => string = (a) => a): Promise<BetterAuthServer> {
  const planned = planOn({}, { secretMode: "shared-secret" });
  commit(planned);
  root = planned.root;
  const web = path.join(root, "web");
  symlinkSync(path.join(REPO, "node_modules"), path.join(web, "node_modules"), "dir");
  const authFile = path.join(web, "lib/auth.ts");
  writeFileSync(authFile, edit(readFileSync(authFile, "utf8")));
  server = await startBetterAuth({ authFile, cwd: web, env: { BETTER_AUTH_SECRET: AUTH_SECRET, API_JWT_SECRET, NODE_ENV: "production" } });
  return server;
}

/** Email verification with auto sign-in, the one-line option apps add (it turned an API token into a session). */
const withAutoSignIn = (auth: string) =>
  auth.replace("  emailAndPassword: {", "  emailVerification: { autoSignInAfterVerification: true, sendVerificationEmail: async () => {} },\n  emailAndPassword: {");

function cookiesOf(response: Response): string {
  return response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
}

async function post(url: string, body: object, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: "POST", headers: { "Content-Type": "application/json", Origin: new URL(url).origin, ...headers }, body: JSON.stringify(body) });
}

async function signUp(base: string, email: string): Promise<string> {
  const response = await post(`${base}/api/auth/sign-up/email`, { email, password: PASSWORD, name: email.split("@")[0] });
  expect(response.status, await response.clone().text()).toBe(200);
  return cookiesOf(response);
}

async function apiToken(base: string, cookie: string): Promise<string> {
  const response = await fetch(`${base}/api/auth/token`, { headers: { Cookie: cookie } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

async function emailVerified(base: string, cookie: string): Promise<boolean> {
  const response = await fetch(`${base}/api/auth/get-session`, { headers: { Cookie: cookie } });
  return ((await response.json()) as { user: { emailVerified: boolean } }).user.emailVerified;
}

/** GET /verify-email with a token, no cookie: what an attacker holding only that token can do. */
function verifyEmail(base: string, token: string): Promise<Response> {
  return fetch(`${base}/api/auth/verify-email?token=${encodeURIComponent(token)}`, { redirect: "manual" });
}

const hs256 = (payload: Record<string, unknown>, key: string) =>
  new SignJWT(payload).setProtectedHeader({ alg: "HS256" }).setIssuedAt().setExpirationTime("1h").sign(new TextEncoder().encode(key));

describe("shared-secret mode keeps API tokens apart from Better Auth's own tokens", () => {
  it("an API token sent to /verify-email is refused, with auto sign-in on: no session cookie, the address stays unverified", async () => {
    const { url } = await startGenerated(withAutoSignIn);
    const cookie = await signUp(url, "ada@example.com");
    const token = await apiToken(url, cookie);
    expect(decodeJwt(token)).not.toHaveProperty("email");

    const response = await verifyEmail(url, token);
    expect(response.status).toBe(401);
    expect(response.headers.getSetCookie().filter((c) => c.includes("session_token"))).toEqual([]);
    expect(await emailVerified(url, cookie)).toBe(false);
  });

  it("a verification or change-email token forged with the backend's key (API_JWT_SECRET) does nothing on Better Auth", async () => {
    const { url } = await startGenerated(withAutoSignIn);
    const cookie = await signUp(url, "bob@example.com");
    const forged = [
      await hs256({ email: "bob@example.com" }, API_JWT_SECRET),
      await hs256({ email: "bob@example.com", updateTo: "eve@evil.test", requestType: "change-email-verification" }, API_JWT_SECRET),
    ];
    for (const token of forged) {
      const response = await verifyEmail(url, token);
      expect(response.status).toBe(401);
      expect(response.headers.getSetCookie().filter((c) => c.includes("session_token"))).toEqual([]);
    }
    expect(await emailVerified(url, cookie)).toBe(false);
    // The check bites: the same token signed with Better Auth's own secret verifies the address.
    expect((await verifyEmail(url, await hs256({ email: "bob@example.com" }, AUTH_SECRET))).status).toBe(200);
    expect(await emailVerified(url, cookie)).toBe(true);
  });
});

describe("sign-in rate limits (production, no proxy configured)", () => {
  const signIn = (base: string, email: string, password: string, ip?: string) =>
    post(`${base}/api/auth/sign-in/email`, { email, password }, ip ? { "X-Forwarded-For": ip } : {});

  it("20 wrong passwords from one client get 429 while another client still signs in", async () => {
    const { url } = await startGenerated();
    await signUp(url, "ada@example.com");
    await signUp(url, "bob@example.com");
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await signIn(url, "ada@example.com", `wrong-${i}`, "203.0.113.7")).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(-5)).toEqual([429, 429, 429, 429, 429]);
    // Another client, another account: unaffected.
    expect((await signIn(url, "bob@example.com", PASSWORD, "198.51.100.9")).status).toBe(200);
  });

  it("a client that changes X-Forwarded-For on every try still gets 429 on the account it guesses, and other accounts still sign in", async () => {
    const { url } = await startGenerated();
    await signUp(url, "ada@example.com");
    await signUp(url, "bob@example.com");
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await signIn(url, "ada@example.com", `wrong-${i}`, `192.0.2.${i + 1}`)).status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.slice(10)).toEqual(Array(10).fill(429));
    // Even the right password waits out the lock: the guesser cannot tell when it found it.
    expect((await signIn(url, "ada@example.com", PASSWORD, "192.0.2.200")).status).toBe(429);
    expect((await signIn(url, "bob@example.com", PASSWORD, "192.0.2.201")).status).toBe(200);
  });
});
