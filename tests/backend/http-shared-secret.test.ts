/**
 * A generated backend in shared-secret mode (with generated db and models) under uvicorn, with real
 * HTTP: HS256 tokens minted with jose, forgeries, start-up refusals, .env loading, jwt-verify-test.py.
 */
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { SignJWT, generateKeyPair, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withAlgNone, withTamperedPayload } from "../e2e/forge.js";
import { removeFixture } from "../helpers/fixture.js";
import { ALICE, BOB, claimsFrom, now } from "./claims.js";
import { bareBackend, generatedFixture } from "./fixtures.js";
import { runPython, startBackend, type RunningBackend } from "./python.js";

const ISSUER = "http://localhost:3000";
const SECRET = randomBytes(32).toString("base64");
const claims = claimsFrom(ISSUER);

/** Signs like the generated Better Auth `sign` hook: HS256 keyed with the secret's UTF-8 bytes. */
function hs(payload: JWTPayload, secret = SECRET, alg = "HS256"): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg, typ: "JWT" }).sign(new TextEncoder().encode(secret));
}

let root = "";
let backendDir = "";
let api: RunningBackend;
const env = { BETTER_AUTH_URL: ISSUER, BETTER_AUTH_SECRET: SECRET };

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
  it("accepts an HS256 token signed with BETTER_AUTH_SECRET", async () => {
    expect(await json("/api/me", await hs(claims(ALICE)))).toEqual({ id: ALICE, email: `${ALICE}@example.com`, name: ALICE });
  });

  const forgeries: [string, () => Promise<string> | string][] = [
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
    const result = await start({ BETTER_AUTH_URL: ISSUER, BETTER_AUTH_SECRET: "too-short-secret-20b" });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/AuthConfigError: BETTER_AUTH_SECRET is 20 bytes long; HS256 needs at least 32/);
  });

  it("refuses to start without BETTER_AUTH_URL or without a secret", async () => {
    const noUrl = await start({ BETTER_AUTH_SECRET: SECRET });
    expect(noUrl.stderr).toMatch(/AuthConfigError: BETTER_AUTH_URL is not set/);
    const noSecret = await start({ BETTER_AUTH_URL: ISSUER });
    expect(noSecret.stderr).toMatch(/AuthConfigError: BETTER_AUTH_SECRET is not set/);
    expect([noUrl.code, noSecret.code]).not.toContain(0);
  });
});

describe("jwt-verify-test.py in shared-secret mode", () => {
  const script = (args: string[], variables: Record<string, string> = env) => runPython(["jwt-verify-test.py", ...args], { cwd: backendDir, env: variables });

  it("mints a sample token with --sample that the same code path accepts", async () => {
    const sample = await script(["--sample"]);
    expect(sample.code, sample.stderr).toBe(0);
    const token = sample.stdout.trim();
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
    writeFileSync(path.join(backendDir, ".env"), `# backend settings\nexport BETTER_AUTH_URL="${ISSUER}"\nBETTER_AUTH_SECRET='${SECRET}'  \n`);
    const fromFile = await script([await hs(claims(ALICE))], {});
    expect(fromFile.code, fromFile.stderr).toBe(0);
    const overridden = await script([await hs(claims(ALICE))], { BETTER_AUTH_SECRET: "short" });
    expect(overridden.code).toBe(1);
    expect(overridden.stderr).toMatch(/configuration error: BETTER_AUTH_SECRET is 5 bytes long/);
  });
});
