/**
 * A generated backend in shared-secret mode (with generated db and models) under uvicorn, with real
 * HTTP: API tokens minted with jose as the frontend signs them (HS256 with API_JWT_SECRET, typ at+jwt),
 * forgeries, other spellings, quiet error bodies, start-up refusals, .env loading, jwt-verify-test.py.
 */
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { SignJWT, generateKeyPair, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeToken, withAlgNone, withTamperedPayload } from "../e2e/forge.js";
import { removeFixture } from "../helpers/fixture.js";
import { ALICE, BOB, apiClaimsFrom, claimsFrom, now } from "./claims.js";
import { bareBackend, generatedFixture } from "./fixtures.js";
import { runPython, startBackend, type RunningBackend } from "./python.js";
import { otherSpellings } from "./spellings.js";

const ISSUER = "http://localhost:3000";
const SECRET = randomBytes(32).toString("base64");
const claims = apiClaimsFrom(ISSUER);

/** Signs like the frontend: HS256 keyed with API_JWT_SECRET's UTF-8 bytes, header typ at+jwt (RFC 9068). */
function hs(payload: JWTPayload, secret = SECRET, alg = "HS256", typ: string | null = "at+jwt"): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg, ...(typ === null ? {} : { typ }) }).sign(new TextEncoder().encode(secret));
}

let root = "";
let backendDir = "";
let api: RunningBackend;
const env = { BETTER_AUTH_URL: ISSUER, API_JWT_SECRET: SECRET };

async function answer(route: string, token?: string): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(`${api.url}${route}`, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: AbortSignal.timeout(10_000) });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

async function status(route: string, token?: string, init: RequestInit = {}): Promise<number> {
  const headers = { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.body ? { "content-type": "application/json" } : {}) };
  const response = await fetch(`${api.url}${route}`, { ...init, headers, signal: AbortSignal.timeout(10_000) });
  await response.arrayBuffer();
  return response.status;
}

async function json(route: string, token: string, init: RequestInit = {}): Promise<unknown> {
  const headers = { authorization: `Bearer ${token}`, ...(init.body ? { "content-type": "application/json" } : {}) };
  const response = await fetch(`${api.url}${route}`, { ...init, headers, signal: AbortSignal.timeout(10_000) });
  return response.json();
}

beforeAll(async () => {
  ({ root } = generatedFixture(bareBackend(), { secretMode: "shared-secret", routeStyle: "flat" }));
  backendDir = path.join(root, "backend");
  // No DATABASE_URL: the generated db module's default SQLite file next to it, created at start-up.
  api = await startBackend(backendDir, "main:app", env);
});

afterAll(async () => {
  await api?.stop();
  removeFixture(root);
});

describe("a generated shared-secret backend over HTTP", () => {
  it("accepts an API token signed with API_JWT_SECRET (typ at+jwt in any letter case); it names the user by id only", async () => {
    expect(await json("/api/me", await hs(claims(ALICE)))).toEqual({ id: ALICE, email: null, name: null });
    for (const typ of ["AT+JWT", "application/at+jwt"]) expect(await status("/api/me", await hs(claims(ALICE), SECRET, "HS256", typ))).toBe(200);
  });

  it("takes a user's id from sub only, ignoring email or name claims a token might carry", async () => {
    expect(await json("/api/me", await hs(claimsFrom(ISSUER)(ALICE)))).toEqual({ id: ALICE, email: null, name: null });
  });

  const forgeries: [string, () => Promise<string> | string][] = [
    ["a token signed with API_JWT_SECRET but without a typ header", () => hs(claims(ALICE), SECRET, "HS256", null)],
    ["a token signed with API_JWT_SECRET with typ JWT", () => hs(claims(ALICE), SECRET, "HS256", "JWT")],
    ["a token signed with API_JWT_SECRET with typ at+jwt+x", () => hs(claims(ALICE), SECRET, "HS256", "at+jwt+x")],
    ["an email-verification-shaped token signed with API_JWT_SECRET", () => hs({ email: `${ALICE}@example.com`, iat: now(), exp: now() + 3600 }, SECRET, "HS256", "JWT")],
    ["garbage", () => "garbage"],
    ...["none", "None", "NONE"].map((alg): [string, () => Promise<string>] => [`alg: ${alg}`, async () => withAlgNone(await hs(claims(ALICE)), alg)]),
    ["a stripped signature", async () => `${(await hs(claims(ALICE))).split(".").slice(0, 2).join(".")}.`],
    ["another secret", () => hs(claims(ALICE), randomBytes(32).toString("base64"))],
    ["the right secret under HS384", () => hs(claims(ALICE), SECRET, "HS384")],
    ["the right secret under HS512", () => hs(claims(ALICE), SECRET, "HS512")],
    ["an EdDSA key of an attacker's", async () => new SignJWT(claims(ALICE)).setProtectedHeader({ alg: "EdDSA" }).sign((await generateKeyPair("EdDSA")).privateKey)],
    ["a tampered payload", async () => withTamperedPayload(await hs(claims(ALICE)), { sub: BOB })],
    ["expired", () => hs(claims(ALICE, { iat: now() - 7200, exp: now() - 3600 }))],
    ["issued in the future", () => hs(claims(ALICE, { iat: now() + 3600, exp: now() + 7200 }))],
    ["a wrong issuer", () => hs(claims(ALICE, { iss: "http://localhost:3001" }))],
    ["a wrong audience", () => hs(claims(ALICE, { aud: "http://localhost:3001" }))],
    ["no exp", () => hs({ ...claims(ALICE), exp: undefined })],
    ["a numeric sub", () => hs({ ...claims(ALICE), sub: 7 as unknown as string })],
    ["an oversized token", () => hs(claims(ALICE, { padding: "x".repeat(9000) }))],
  ];

  it.each(forgeries)("refuses %s with 401", async (_label, make) => {
    const forged = await make();
    expect(await status("/api/me", forged)).toBe(401);
    expect(await status("/api/tasks", forged)).toBe(401);
  });

  it("refuses every other spelling of a valid token (padding, unused bits, other alphabets), though one of them decodes", async () => {
    const token = await hs(claims(ALICE));
    expect(await status("/api/me", token)).toBe(200);
    for (const [label, spelling] of otherSpellings(token)) expect(await status("/api/me", spelling), label).toBe(401);
  });

  it("answers 401s with a fixed short reason and the Bearer challenge: no parser text, no claim, no token", async () => {
    const expired = await hs(claims(ALICE, { iat: now() - 7200, exp: now() - 3600 }));
    const cases: [string | undefined, string, string][] = [
      [undefined, "not authenticated", "Bearer"],
      [expired, "token expired", 'Bearer error="invalid_token"'],
      ["x".repeat(9000), "invalid token", 'Bearer error="invalid_token"'],
      ["garbage", "invalid token", 'Bearer error="invalid_token"'],
      [await hs(claims(ALICE), randomBytes(32).toString("base64")), "invalid token", 'Bearer error="invalid_token"'],
      [await hs(claims(ALICE, { aud: "http://localhost:3001" })), "invalid token", 'Bearer error="invalid_token"'],
      [await hs(claims(ALICE), SECRET, "HS256", "JWT"), "invalid token", 'Bearer error="invalid_token"'],
    ];
    for (const [token, detail, challenge] of cases) {
      const response = await answer("/api/me", token);
      expect(response.status).toBe(401);
      expect(JSON.parse(response.text)).toEqual({ detail });
      expect(response.headers.get("www-authenticate")).toBe(challenge);
    }
  });

  it("keeps each user's tasks apart in the generated table (404 for another user's task)", async () => {
    const [alice, bob] = [await hs(claims(ALICE)), await hs(claims(BOB))];
    const task = (await json("/api/tasks", alice, { method: "POST", body: JSON.stringify({ title: "alice: private" }) })) as { id: number };
    expect(await status(`/api/tasks/${task.id}`, bob)).toBe(404);
    expect(await status(`/api/tasks/${task.id}/complete`, bob, { method: "PATCH" })).toBe(404);
    expect(await json("/api/tasks", bob)).toEqual([]);
    expect(await json("/api/tasks", alice)).toMatchObject([{ id: task.id, title: "alice: private", user_id: ALICE, completed: false }]);
  });
});

describe("start-up checks in shared-secret mode", () => {
  const start = (variables: Record<string, string>) =>
    runPython(["-m", "uvicorn", "main:app", "--host", "127.0.0.1", "--port", "0"], { cwd: backendDir, env: variables, timeoutMs: 20_000 });

  it("refuses to start with a secret under 32 bytes, saying so", async () => {
    const result = await start({ BETTER_AUTH_URL: ISSUER, API_JWT_SECRET: "too-short-secret-20b" });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/AuthConfigError: API_JWT_SECRET is 20 bytes long; HS256 needs at least 32/);
  });

  it("refuses to start with a 40-byte secret of one repeated character, saying how to make one", async () => {
    const result = await start({ BETTER_AUTH_URL: ISSUER, API_JWT_SECRET: "s".repeat(40) });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/AuthConfigError: API_JWT_SECRET is one character repeated, not a random value\. Generate one with `openssl rand -base64 32`/);
  });

  it("refuses to start with only BETTER_AUTH_SECRET: the backend must not hold it, and a re-run writes API_JWT_SECRET", async () => {
    const result = await start({ BETTER_AUTH_URL: ISSUER, BETTER_AUTH_SECRET: SECRET });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/AuthConfigError: API_JWT_SECRET is not set, but BETTER_AUTH_SECRET is: the backend must not hold Better Auth's secret/);
    expect(result.stderr).toContain("Re-run `npx auth-integrator auth`");
  });

  it("refuses to start without BETTER_AUTH_URL or without a secret", async () => {
    const noUrl = await start({ API_JWT_SECRET: SECRET });
    expect(noUrl.stderr).toMatch(/AuthConfigError: BETTER_AUTH_URL is not set/);
    const noSecret = await start({ BETTER_AUTH_URL: ISSUER });
    expect(noSecret.stderr).toMatch(/AuthConfigError: API_JWT_SECRET is not set: .*`openssl rand -base64 32`/);
    expect([noUrl.code, noSecret.code]).not.toContain(0);
  });
});

describe("jwt-verify-test.py in shared-secret mode", () => {
  const script = (args: string[], variables: Record<string, string> = env) => runPython(["jwt-verify-test.py", ...args], { cwd: backendDir, env: variables });

  it("mints a sample token with --sample (typ at+jwt, API claims only) that the same code path accepts", async () => {
    const sample = await script(["--sample"]);
    expect(sample.code, sample.stderr).toBe(0);
    const token = sample.stdout.trim();
    expect(decodeToken(token).header).toEqual({ alg: "HS256", typ: "at+jwt" });
    expect(Object.keys(decodeToken(token).payload).sort()).toEqual(["aud", "exp", "iat", "iss", "sub"]);
    const verified = await script([token]);
    expect(verified.code, verified.stderr).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ sub: "sample-user", iss: ISSUER, aud: ISSUER });
    expect(await json("/api/me", token)).toMatchObject({ id: "sample-user" });
  });

  it("exits 1 with the reason for a token signed with another secret", async () => {
    const result = await script([await hs(claims(ALICE), randomBytes(32).toString("base64"))]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/invalid token: Signature verification failed/);
  });

  it("reads the backend's .env, where the environment wins over the file", async () => {
    writeFileSync(path.join(backendDir, ".env"), `# backend settings\r\nexport BETTER_AUTH_URL="${ISSUER}"\r\nAPI_JWT_SECRET=placeholder\r\nAPI_JWT_SECRET='${SECRET}'  # the last one wins\r\n`);
    const fromFile = await script([await hs(claims(ALICE))], {});
    expect(fromFile.code, fromFile.stderr).toBe(0);
    const overridden = await script([await hs(claims(ALICE))], { API_JWT_SECRET: "short" });
    expect(overridden.code).toBe(1);
    expect(overridden.stderr).toMatch(/configuration error: API_JWT_SECRET is 5 bytes long/);
  });
});
