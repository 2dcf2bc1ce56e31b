/**
 * A generated backend in jwks mode under uvicorn, with real HTTP: tokens signed by a JWKS server
 * this test runs (jose, Ed25519), forged tokens of every kind, other spellings, quiet error bodies,
 * 401/403/404/503, and jwt-verify-test.py. (Key rotation and floods of made-up kids: jwks-keys.test.ts.)
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { SignJWT, exportJWK, generateKeyPair, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publicKeyAsSecrets, signHs256, withAlgNone, withTamperedPayload } from "../e2e/forge.js";
import { sleep } from "../e2e/processes.js";
import { removeFixture } from "../helpers/fixture.js";
import { ALICE, BOB, claimsFrom, now } from "./claims.js";
import { flatBackend, generatedFixture } from "./fixtures.js";
import { startJwksServer, type JwksServer } from "./jwks-server.js";
import { runPython, startBackend, type RunningBackend } from "./python.js";
import { otherSpellings } from "./spellings.js";

const ISSUER = "http://127.0.0.1:3999";
const claims = claimsFrom(ISSUER);

function without(payload: JWTPayload, name: string): JWTPayload {
  const copy = { ...payload };
  delete copy[name];
  return copy;
}

interface Response {
  status: number;
  headers: Headers;
  json: unknown;
  text: string;
}

const roots: string[] = [];
let backendDir = "";
let jwks: JwksServer;
let api: RunningBackend;
let env: Record<string, string>;

async function call(method: string, url: string, token?: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`${api.url}${url}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, json, text };
}

const show = (response: Response) => `${response.status} ${response.text.slice(0, 300)}`;

/**
 * The answer once the verifier has settled: a token naming a kid not held gets 503 (Retry-After) while the
 * key set is fetched again, then its real answer; like a client that honours Retry-After, only faster.
 */
async function settled(method: string, url: string, token?: string): Promise<Response> {
  const deadline = Date.now() + 8000;
  for (;;) {
    const response = await call(method, url, token);
    if (response.status !== 503 || Date.now() > deadline) return response;
    expect(response.headers.get("retry-after"), show(response)).toMatch(/^[1-9]\d*$/);
    await sleep(100);
  }
}

/** Until a valid token is answered 200: the app fetches the key set in the background when it starts. */
async function keysHeld(url: string, token: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    await response.arrayBuffer();
    if (response.status === 200) return;
    await sleep(50);
  }
  throw new Error("the backend never held the key set");
}

let startedAt = 0;

beforeAll(async () => {
  const { root } = generatedFixture(flatBackend(), { secretMode: "jwks", routeStyle: "user-scoped" });
  roots.push(root, mkdtempSync(path.join(os.tmpdir(), "auth-integrator-jwks-db-")));
  backendDir = path.join(root, "backend");
  // Every algorithm Better Auth's jwt plugin can be configured for, and an HMAC key that must never be used.
  jwks = await startJwksServer({ algorithms: ["ES256", "ES512", "RS256", "PS256"], withSymmetricKey: true });
  env = { BETTER_AUTH_URL: `${ISSUER}/`, BETTER_AUTH_JWKS_URL: jwks.url, DATABASE_URL: `sqlite:///${path.join(roots[1], "tasks.db")}` };
  api = await startBackend(backendDir, "main:app", env);
  startedAt = Date.now();
});

afterAll(async () => {
  await api?.stop();
  await jwks?.stop();
  roots.forEach(removeFixture);
});

describe("a generated jwks-mode backend over HTTP", () => {
  it("answers GET /api/me with the caller for a token signed by the JWKS key (BETTER_AUTH_URL's trailing slash ignored)", async () => {
    const response = await settled("GET", "/api/me", await jwks.sign(claims(ALICE)));
    expect(response.status, show(response)).toBe(200);
    expect(response.json).toEqual({ id: ALICE, email: `${ALICE}@example.com`, name: ALICE });
  });

  it("shows the bearer scheme in the OpenAPI document (the docs' Authorize button)", async () => {
    const openapi = (await call("GET", "/openapi.json")).json as {
      components: { securitySchemes: Record<string, unknown> };
      paths: Record<string, Record<string, { security?: unknown }>>;
    };
    expect(openapi.components.securitySchemes.BetterAuthJWT).toMatchObject({ type: "http", scheme: "bearer", bearerFormat: "JWT" });
    expect(openapi.paths["/api/me"].get.security).toEqual([{ BetterAuthJWT: [] }]);
    expect(openapi.paths["/api/{user_id}/tasks"].post.security).toEqual([{ BetterAuthJWT: [] }]);
  });

  it.each([
    ["no Authorization header", {}],
    ["a Basic header", { authorization: "Basic YWxpY2U6c2VjcmV0" }],
    ["Bearer without a token", { authorization: "Bearer" }],
  ])("answers 401 with WWW-Authenticate: Bearer for %s", async (_label, headers) => {
    const response = await fetch(`${api.url}/api/me`, { headers });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe("Bearer");
  });

  it("accepts the raw signer's own well-formed token, so the forgeries below fail for their flaw alone", async () => {
    const response = await call("GET", "/api/me", jwks.signRaw({ alg: "EdDSA", kid: jwks.kid }, claims(BOB)));
    expect(response.status, show(response)).toBe(200);
  });

  const attacker = async () => {
    const { publicKey, privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid: "attacker" } };
  };
  const forgeries: [string, () => Promise<string> | string][] = [
    ["garbage", () => "not-a-jwt"],
    ["three garbage parts", () => "a.b.c"],
    ["a JWE-shaped token", () => "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d"],
    ["a header that is not JSON", async () => `${Buffer.from("{nope").toString("base64url")}.${(await jwks.sign(claims(ALICE))).split(".").slice(1).join(".")}`],
    ...["none", "None", "NONE", "nOnE"].map((alg): [string, () => Promise<string>] => [`alg: ${alg}`, async () => withAlgNone(await jwks.sign(claims(ALICE)), alg)]),
    ["a stripped signature", async () => `${(await jwks.sign(claims(ALICE))).split(".").slice(0, 2).join(".")}.`],
    ["a tampered payload (sub swapped)", async () => withTamperedPayload(await jwks.sign(claims(ALICE)), { sub: BOB, id: BOB })],
    ["a tampered payload (exp a year out)", async () => withTamperedPayload(await jwks.sign(claims(ALICE)), { exp: now() + 31_536_000 })],
    ["an attacker's key under the real kid", async () => new SignJWT(claims(ALICE)).setProtectedHeader({ alg: "EdDSA", kid: jwks.kid }).sign((await attacker()).privateKey)],
    ["an attacker's key embedded in a jwk header", async () => {
      const { privateKey, jwk } = await attacker();
      return new SignJWT(claims(ALICE)).setProtectedHeader({ alg: "EdDSA", kid: jwks.kid, jwk }).sign(privateKey);
    }],
    ["a jku header pointing at an attacker's key set", async () =>
      new SignJWT(claims(ALICE)).setProtectedHeader({ alg: "EdDSA", kid: "attacker", jku: "http://127.0.0.1:9/jwks.json" }).sign((await attacker()).privateKey)],
    ["an x5u header", async () =>
      new SignJWT(claims(ALICE)).setProtectedHeader({ alg: "EdDSA", kid: "attacker", x5u: "http://127.0.0.1:9/cert.pem" }).sign((await attacker()).privateKey)],
    ["expired an hour ago", () => jwks.sign(claims(ALICE, { iat: now() - 7200, exp: now() - 3600 }))],
    ["issued an hour in the future", () => jwks.sign(claims(ALICE, { iat: now() + 3600, exp: now() + 7200 }))],
    ["not valid before an hour from now (nbf)", () => jwks.sign(claims(ALICE, { nbf: now() + 3600 }))],
    ["a wrong issuer", () => jwks.sign(claims(ALICE, { iss: "https://evil.example" }))],
    ["a wrong audience", () => jwks.sign(claims(ALICE, { aud: "https://evil.example" }))],
    ["no exp", () => jwks.signRaw({ alg: "EdDSA", kid: jwks.kid }, without(claims(ALICE), "exp"))],
    ["no iat", () => jwks.signRaw({ alg: "EdDSA", kid: jwks.kid }, without(claims(ALICE), "iat"))],
    ["no sub", () => jwks.signRaw({ alg: "EdDSA", kid: jwks.kid }, without(claims(ALICE), "sub"))],
    ["a numeric sub", () => jwks.signRaw({ alg: "EdDSA", kid: jwks.kid }, { ...claims(ALICE), sub: 12345 })],
    ["a list as sub", () => jwks.signRaw({ alg: "EdDSA", kid: jwks.kid }, { ...claims(ALICE), sub: [ALICE] })],
    ["an empty sub", () => jwks.signRaw({ alg: "EdDSA", kid: jwks.kid }, { ...claims(ALICE), sub: "" })],
    ["a string exp", () => jwks.signRaw({ alg: "EdDSA", kid: jwks.kid }, { ...claims(ALICE), exp: String(now() + 900) })],
    ["a payload that is a list", () => jwks.signRaw({ alg: "EdDSA", kid: jwks.kid }, [claims(ALICE)])],
    ["an unknown kid", () => jwks.sign(claims(ALICE), { kid: "rotated-away" })],
    ["no kid", () => jwks.signRaw({ alg: "EdDSA" }, claims(ALICE))],
    ["a path-traversal kid", () => jwks.sign(claims(ALICE), { kid: "../../../../etc/passwd" })],
    ["an SQL-injection kid", () => jwks.sign(claims(ALICE), { kid: "x' OR '1'='1" })],
    ["a numeric kid", () => jwks.signRaw({ alg: "EdDSA", kid: 42 }, claims(ALICE))],
    ["an object kid", () => jwks.signRaw({ alg: "EdDSA", kid: { $ne: null } }, claims(ALICE))],
    ["a 10 KB kid", () => jwks.sign(claims(ALICE), { kid: "k".repeat(10_000) })],
    ["an unknown critical header", () => jwks.signRaw({ alg: "EdDSA", kid: jwks.kid, crit: ["urn:example:unknown"], "urn:example:unknown": true }, claims(ALICE))],
    ["an oversized token (9 KB of claims)", () => jwks.sign(claims(ALICE, { padding: "x".repeat(9000) }))],
  ];

  it.each(forgeries)("refuses %s with 401 and WWW-Authenticate: Bearer", async (_label, make) => {
    const forged = await make();
    for (const route of ["/api/me", `/api/${ALICE}/tasks`]) {
      const response = await settled("GET", route, forged);
      expect(response.status, `${route}: ${show(response)}`).toBe(401);
      expect(response.headers.get("www-authenticate") ?? "").toMatch(/^Bearer\b/);
    }
  });

  it("refuses HS256 tokens keyed with the JWKS public key in any form (algorithm confusion)", async () => {
    const valid = await jwks.sign(claims(ALICE));
    for (const form of publicKeyAsSecrets(jwks.publicJwk)) {
      const response = await call("GET", "/api/me", await signHs256(valid, form.key));
      expect(response.status, `HS256 keyed with ${form.label}: ${show(response)}`).toBe(401);
    }
  });

  it.each(["ES256", "ES512", "RS256", "PS256"])("accepts a token signed with a served %s key, verified with its JWK's own algorithm", async (alg) => {
    const response = await call("GET", "/api/me", await jwks.signWith(alg, claims(ALICE)));
    expect(response.status, show(response)).toBe(200);
  });

  it("never verifies with an HMAC key, even one the key set lists", async () => {
    const hmac = new Uint8Array(Buffer.from(jwks.symmetricJwk!.k!, "base64url"));
    const forged = await new SignJWT(claims(ALICE)).setProtectedHeader({ alg: "HS256", kid: "hmac" }).sign(hmac);
    // "hmac" is a kid the verifier does not hold (it drops symmetric keys), so it may be answered 503 while a refetch runs.
    const response = await settled("GET", "/api/me", forged);
    expect(response.status, show(response)).toBe(401);
  });

  it("answers 401 or (for a no-op change) 200, never a 5xx, for a valid token with one character changed, or for random text", async () => {
    const valid = await jwks.sign(claims(ALICE));
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ";
    const mutated = fc.record({ at: fc.nat({ max: valid.length - 1 }), char: fc.constantFrom(...alphabet) });
    await fc.assert(
      fc.asyncProperty(mutated, async ({ at, char }) => {
        const response = await settled("GET", "/api/me", `${valid.slice(0, at)}${char}${valid.slice(at + 1)}`);
        expect([200, 401], show(response)).toContain(response.status);
        if (response.status === 200) expect(response.json).toMatchObject({ id: ALICE });
      }),
      { numRuns: 150 },
    );
    const noise = fc.string({ unit: fc.constantFrom(...alphabet), minLength: 1, maxLength: 400 });
    await fc.assert(
      fc.asyncProperty(noise, async (text) => {
        const response = await settled("GET", "/api/me", text);
        expect(response.status, show(response)).toBe(401);
      }),
      { numRuns: 150 },
    );
  });

  it("refuses every other spelling of a valid token (padding, unused bits, other alphabets), though one of them decodes", async () => {
    const token = await jwks.sign(claims(ALICE));
    expect((await call("GET", "/api/me", token)).status).toBe(200);
    for (const [label, spelling] of otherSpellings(token)) {
      const response = await call("GET", "/api/me", spelling);
      expect(response.status, `${label}: ${show(response)}`).toBe(401);
    }
  });

  it("answers 401s with a fixed short reason: no parser text, no key id, no token", async () => {
    const kid = "attacker-chosen-kid-<script>";
    const cases: [string | undefined, string][] = [
      [undefined, "not authenticated"],
      [await jwks.sign(claims(ALICE, { iat: now() - 7200, exp: now() - 3600 })), "token expired"],
      ["not-a-jwt", "invalid token"],
      [await jwks.sign(claims(ALICE), { kid }), "invalid token"],
      [jwks.signRaw({ alg: "EdDSA", kid: jwks.kid, crit: ["urn:x"], "urn:x": 1 }, claims(ALICE)), "invalid token"],
      [await jwks.sign(claims(ALICE, { iss: "https://evil.example" })), "invalid token"],
      [withAlgNone(await jwks.sign(claims(ALICE))), "invalid token"],
    ];
    for (const [token, detail] of cases) {
      const response = await settled("GET", "/api/me", token);
      expect(response.status, show(response)).toBe(401);
      expect(response.json, show(response)).toEqual({ detail });
      expect(response.headers.get("www-authenticate")).toBe(token === undefined ? "Bearer" : 'Bearer error="invalid_token"');
    }
  });

  it("fetched the key set at most once per 3 s of made-up kids for all of the above, and never for a held key", async () => {
    const fetched = jwks.fetches();
    expect(fetched).toBeGreaterThanOrEqual(1);
    expect(fetched).toBeLessThanOrEqual(1 + Math.ceil((Date.now() - startedAt) / 3000));
    const token = await jwks.sign(claims("dave-id"));
    const statuses = await Promise.all(Array.from({ length: 200 }, () => call("GET", "/api/me", token).then((r) => r.status)));
    expect(new Set(statuses)).toEqual(new Set([200]));
    expect(jwks.fetches()).toBe(fetched);
  });

  it("answers 401 without a token, 403 for another user's path, 404 for another user's task under one's own path", async () => {
    const [alice, bob] = [await jwks.sign(claims(ALICE)), await jwks.sign(claims(BOB))];
    const created = await call("POST", `/api/${ALICE}/tasks`, alice, { title: "alice: buy milk", description: "2 litres" });
    expect(created.status, show(created)).toBe(201);
    const task = created.json as { id: number; user_id: string; completed: boolean; created_at: string; updated_at: string };
    expect(task).toMatchObject({ title: "alice: buy milk", description: "2 litres", completed: false, user_id: ALICE });
    expect(Object.keys(task).sort()).toEqual(["completed", "created_at", "description", "id", "title", "updated_at", "user_id"]);

    expect((await call("GET", `/api/${ALICE}/tasks`)).status).toBe(401);
    const forbidden = [
      await call("GET", `/api/${ALICE}/tasks`, bob),
      await call("POST", `/api/${ALICE}/tasks`, bob, { title: "bob: sneaky" }),
      await call("GET", `/api/${ALICE}/tasks/${task.id}`, bob),
      await call("PUT", `/api/${ALICE}/tasks/${task.id}`, bob, { title: "bob was here" }),
      await call("PATCH", `/api/${ALICE}/tasks/${task.id}/complete`, bob),
      await call("DELETE", `/api/${ALICE}/tasks/${task.id}`, bob),
    ];
    expect(forbidden.map((r) => r.status), forbidden.map(show).join("\n")).toEqual([403, 403, 403, 403, 403, 403]);
    const notFound = [
      await call("GET", `/api/${BOB}/tasks/${task.id}`, bob),
      await call("PUT", `/api/${BOB}/tasks/${task.id}`, bob, { title: "bob was here" }),
      await call("PATCH", `/api/${BOB}/tasks/${task.id}/complete`, bob),
      await call("DELETE", `/api/${BOB}/tasks/${task.id}`, bob),
    ];
    expect(notFound.map((r) => r.status), notFound.map(show).join("\n")).toEqual([404, 404, 404, 404]);

    const aliceList = await call("GET", `/api/${ALICE}/tasks`, alice);
    expect((aliceList.json as { title: string }[]).map((t) => t.title)).toEqual(["alice: buy milk"]);
    expect((await call("GET", `/api/${BOB}/tasks`, bob)).json).toEqual([]);
    const toggled = await call("PATCH", `/api/${ALICE}/tasks/${task.id}/complete`, alice);
    expect(toggled.json).toMatchObject({ id: task.id, completed: true, title: "alice: buy milk" });
    expect((await call("DELETE", `/api/${ALICE}/tasks/${task.id}`, alice)).status).toBe(204);
    expect((await call("GET", `/api/${ALICE}/tasks/${task.id}`, alice)).status).toBe(404);
  });

  it("validates task input: 422 for an empty title, and an explicit null title changes nothing", async () => {
    const alice = await jwks.sign(claims(ALICE));
    expect((await call("POST", `/api/${ALICE}/tasks`, alice, { title: "" })).status).toBe(422);
    const task = (await call("POST", `/api/${ALICE}/tasks`, alice, { title: "keep me" })).json as { id: number };
    const updated = await call("PUT", `/api/${ALICE}/tasks/${task.id}`, alice, { title: null, description: "added" });
    expect(updated.json).toMatchObject({ title: "keep me", description: "added" });
  });

  it("keeps accepting tokens of a key it holds while the JWKS endpoint is down", async () => {
    jwks.setAvailable(false);
    try {
      const response = await call("GET", "/api/me", await jwks.sign(claims("carol-id")));
      expect(response.status, show(response)).toBe(200);
    } finally {
      jwks.setAvailable(true);
    }
  });
});

describe("jwks mode when the key set cannot be fetched", () => {
  let down: JwksServer;
  let fresh: RunningBackend;
  beforeAll(async () => {
    down = await startJwksServer({ kid: "other-key" });
    down.setAvailable(false);
    fresh = await startBackend(backendDir, "main:app", { ...env, BETTER_AUTH_JWKS_URL: down.url });
  });
  afterAll(async () => {
    await fresh?.stop();
    await down?.stop();
  });

  it("answers 503 (never 500) with Retry-After and a fixed body while no key is held, then recovers once the endpoint is back", async () => {
    const token = await down.sign(claims(ALICE));
    const response = await fetch(`${fresh.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    const body = await response.text();
    expect(response.status, body).toBe(503);
    expect(response.headers.get("retry-after")).toMatch(/^[1-3]$/);
    expect(JSON.parse(body)).toEqual({ detail: "key service unavailable" });
    down.setAvailable(true);
    // The verifier pauses 2 s after a failed fetch, and a kid not held refetches at most every 3 s.
    const started = Date.now();
    await keysHeld(fresh.url, token);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(down.fetches()).toBe(1);
  });
});

describe("jwt-verify-test.py in jwks mode", () => {
  const script = (args: string[], extra: { env?: Record<string, string>; input?: string } = {}) =>
    runPython(["jwt-verify-test.py", ...args], { cwd: backendDir, env: { ...env, ...extra.env }, input: extra.input });

  it("prints a valid token's claims and exits 0, reading it from an argument or from stdin", async () => {
    const token = await jwks.sign(claims(ALICE));
    const fromArgument = await script([token]);
    expect(fromArgument.code, fromArgument.stderr).toBe(0);
    expect(JSON.parse(fromArgument.stdout)).toMatchObject({ sub: ALICE, iss: ISSUER, aud: ISSUER });
    expect(fromArgument.stderr).toMatch(/^valid: user alice-id, expires in \d+ s/m);
    const fromStdin = await script(["-"], { input: `Bearer ${token}\n` });
    expect(fromStdin.code, fromStdin.stderr).toBe(0);
  });

  it("prints why a token is refused and exits 1", async () => {
    const expired = await script([await jwks.sign(claims(ALICE, { iat: now() - 7200, exp: now() - 3600 }))]);
    expect(expired.code).toBe(1);
    expect(expired.stderr).toMatch(/invalid token: .*expired/i);
    const unsigned = await script([withAlgNone(await jwks.sign(claims(ALICE)))]);
    expect(unsigned.code).toBe(1);
    expect(unsigned.stdout).toBe("");
  });

  it("exits 1 naming the unreachable key set, and 1 with a clear message for --sample", async () => {
    const unreachable = await script([await jwks.sign(claims(ALICE))], { env: { BETTER_AUTH_JWKS_URL: "http://127.0.0.1:9/api/auth/jwks" } });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/keys are unreachable/);
    const sample = await script(["--sample"]);
    expect(sample.code).toBe(1);
    expect(sample.stderr).toMatch(/shared-secret mode only/);
    expect(sample.stderr).toMatch(/\/api\/auth\/token/);
  });

  it("exits 1 with a configuration error when BETTER_AUTH_URL is missing, and 2 on bad usage", async () => {
    const missing = await runPython(["jwt-verify-test.py", "x.y.z"], { cwd: backendDir, env: {} });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/configuration error: BETTER_AUTH_URL is not set/);
    expect((await script([])).code).toBe(2);
  });
});
