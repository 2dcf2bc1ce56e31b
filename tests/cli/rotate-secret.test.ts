/**
 * `auth-integrator rotate-secret` through the real bin (bin/auth-integrator.ts under tsx, no terminal) on copies of the
 * bundled example after `auth`: every env file at once, the same values everywhere, nothing printed, dry runs and
 * malformed files writing nothing; and, with the generated FastAPI backend in the venv's Python, a rotation that keeps
 * tokens signed with the old API key valid for their lifetime, and not after.
 */
import { execa } from "execa";
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "../../generators/lib/editors/env.js";
import { runPython } from "../backend/python.js";
import { removeFixture, snapshotTree } from "../helpers/fixture.js";
import { REPO_ROOT } from "../helpers/python.js";

const BIN_SOURCE = path.join(REPO_ROOT, "bin/auth-integrator.ts");
const EXAMPLE = path.join(REPO_ROOT, "examples/todo-monorepo");

/** Runs the bin from its TypeScript source as a user would run the built one: no terminal, no stdin; never throws. */
async function bin(args: string[]) {
  const result = await execa(process.execPath, ["--import", "tsx", BIN_SOURCE, ...args], {
    cwd: REPO_ROOT,
    reject: false,
    stdin: "ignore",
    env: { NODE_OPTIONS: "", NO_COLOR: "1" },
    timeout: 60_000,
  });
  return { code: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}

/** Generated copies of the example, one per secret mode, made once; each test works on a copy of its own. */
const generated: Record<string, string> = {};
let root = "";

function copyOf(mode: "jwks" | "shared-secret" | "none"): string {
  root = mkdtempSync(path.join(os.tmpdir(), "auth-integrator-rotate-"));
  cpSync(mode === "none" ? EXAMPLE : generated[mode], root, { recursive: true });
  return root;
}

const env = (rel: string) => parseEnv(readFileSync(path.join(root, rel), "utf8"), rel);
/** Every secret value in the repo's env files: what no output may contain. */
function secretValues(): string[] {
  const values: string[] = [];
  for (const rel of ["frontend/.env.local", ".env", "backend/.env"]) {
    for (const [key, value] of env(rel)) {
      if (key === "BETTER_AUTH_SECRETS") values.push(...value.split(",").map((entry) => entry.slice(entry.indexOf(":") + 1)));
      else if (/SECRET(_PREVIOUS)?$/.test(key)) values.push(value);
    }
  }
  return values.filter((value) => value.length > 0);
}

function expectNoSecret(output: string, secrets: string[]): void {
  for (const secret of secrets) expect(output.includes(secret), "a secret value was printed").toBe(false);
}

beforeAll(async () => {
  for (const mode of ["jwks", "shared-secret"] as const) {
    const dir = mkdtempSync(path.join(os.tmpdir(), `auth-integrator-rotate-${mode}-`));
    cpSync(EXAMPLE, dir, { recursive: true });
    const run = await bin(["auth", "--cwd", dir, "--yes", "--secret-mode", mode]);
    expect(run.code, run.stderr).toBe(0);
    generated[mode] = dir;
  }
});

afterEach(() => removeFixture(root));
afterAll(() => Object.values(generated).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe("rotate-secret in shared-secret mode", () => {
  it("rotates both secrets in every env file at once, the same values everywhere, and prints none of them", async () => {
    copyOf("shared-secret");
    const before = { front: env("frontend/.env.local"), root: env(".env"), back: env("backend/.env") };
    const oldSecrets = secretValues();
    const run = await bin(["rotate-secret", "--cwd", root]);
    expect(run.code, run.stderr).toBe(0);
    const after = { front: env("frontend/.env.local"), root: env(".env"), back: env("backend/.env") };

    // API tokens: a new key in all three files, the old one kept as _PREVIOUS with an end.
    const newApiKey = after.front.get("API_JWT_SECRET")!;
    expect(newApiKey).not.toBe(before.front.get("API_JWT_SECRET"));
    expect(Buffer.byteLength(newApiKey)).toBeGreaterThanOrEqual(32);
    for (const file of [after.root, after.back]) expect(file.get("API_JWT_SECRET")).toBe(newApiKey);
    for (const file of [after.front, after.root, after.back]) {
      expect(file.get("API_JWT_SECRET_PREVIOUS")).toBe(before.front.get("API_JWT_SECRET"));
      expect(file.get("API_JWT_SECRET_PREVIOUS_EXPIRES")).toBe(after.front.get("API_JWT_SECRET_PREVIOUS_EXPIRES"));
    }
    // The token lifetime (15m in lib/auth.ts) from now, to the second.
    const expires = Date.parse(after.front.get("API_JWT_SECRET_PREVIOUS_EXPIRES")!);
    expect(Math.abs(expires - (Date.now() + 15 * 60_000))).toBeLessThan(30_000);

    // Better Auth: a new version first in BETTER_AUTH_SECRETS, the old secret kept (it decrypts pre-version data).
    const versions = after.front.get("BETTER_AUTH_SECRETS")!;
    expect(after.root.get("BETTER_AUTH_SECRETS")).toBe(versions);
    expect(versions).toMatch(/^2:[\w-]{43},1:/);
    expect(versions.endsWith(`,1:${before.front.get("BETTER_AUTH_SECRET")}`)).toBe(true);
    for (const file of [after.front, after.root]) expect(file.get("BETTER_AUTH_SECRET")).toBe(before.front.get("BETTER_AUTH_SECRET"));
    // The backend still never holds Better Auth's secret.
    expect([...after.back.keys()].filter((key) => key.startsWith("BETTER_AUTH_SECRET"))).toEqual([]);
    expect(versions.slice(2, 45)).not.toBe(newApiKey);

    // Compose passes the new variables on as interpolations, never as values.
    const compose = readFileSync(path.join(root, "docker-compose.yml"), "utf8");
    expect(compose).toContain("- BETTER_AUTH_SECRETS=${BETTER_AUTH_SECRETS}");
    expect(compose).toContain("API_JWT_SECRET_PREVIOUS: ${API_JWT_SECRET_PREVIOUS:-}");
    expect(compose).toContain("API_JWT_SECRET_PREVIOUS_EXPIRES: ${API_JWT_SECRET_PREVIOUS_EXPIRES:-}");
    for (const rel of ["frontend/.env.local", ".env", "backend/.env"]) expect(statSync(path.join(root, rel)).mode & 0o777).toBe(0o600);

    expectNoSecret(run.stdout + run.stderr, [...oldSecrets, ...secretValues()]);
    expect(run.stdout).toMatch(/frontend\/\.env\.local .*BETTER_AUTH_SECRETS, API_JWT_SECRET, API_JWT_SECRET_PREVIOUS/);
    expect(run.stdout).toMatch(/^ {2}backend\/\.env .*API_JWT_SECRET/m);
    expect(run.stdout).toMatch(/1\. the backend \(backend\/\)[^\n]*\n {2}2\. the frontend \(frontend\/\)/);
    expect(run.stdout).toContain("docker compose up -d backend frontend");
    expect(run.stdout).toContain(`until ${after.front.get("API_JWT_SECRET_PREVIOUS_EXPIRES")}`);
    expect(run.stdout).toMatch(/everyone signs in again once/);
  });

  it("a second rotation replaces API_JWT_SECRET_PREVIOUS with the key it replaces, and adds version 3", async () => {
    copyOf("shared-secret");
    expect((await bin(["rotate-secret", "--cwd", root])).code).toBe(0);
    const first = env("backend/.env");
    const run = await bin(["rotate-secret", "--cwd", root, "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { betterAuth: { secretsVersion: number }; warnings: string[] };
    expect(report.betterAuth.secretsVersion).toBe(3);
    expect(report.warnings.join("\n")).toMatch(/API_JWT_SECRET_PREVIOUS\) was still accepted until/);
    expect(env("backend/.env").get("API_JWT_SECRET_PREVIOUS")).toBe(first.get("API_JWT_SECRET"));
    expect(env("frontend/.env.local").get("BETTER_AUTH_SECRETS")).toMatch(/^3:[\w-]+,2:[\w-]+,1:/);
    expectNoSecret(run.stdout + run.stderr, secretValues());
  });

  it("--keep-previous 0 keeps no previous key; --key API_JWT_SECRET leaves Better Auth's secret alone", async () => {
    copyOf("shared-secret");
    expect((await bin(["rotate-secret", "--cwd", root])).code).toBe(0);
    const run = await bin(["rotate-secret", "--cwd", root, "--key", "API_JWT_SECRET", "--keep-previous", "0"]);
    expect(run.code, run.stderr).toBe(0);
    for (const rel of ["frontend/.env.local", ".env", "backend/.env"]) {
      expect(env(rel).has("API_JWT_SECRET_PREVIOUS")).toBe(false);
      expect(env(rel).has("API_JWT_SECRET_PREVIOUS_EXPIRES")).toBe(false);
    }
    expect(env("frontend/.env.local").get("BETTER_AUTH_SECRETS")).toMatch(/^2:/);
    expect(run.stdout).toMatch(/no previous key is kept/);
  });

  it("--dry-run prints redacted diffs and writes nothing; --json prints one object", async () => {
    copyOf("shared-secret");
    const before = snapshotTree(root);
    const run = await bin(["rotate-secret", "--cwd", root, "--dry-run"]);
    expect(run.code, run.stderr).toBe(0);
    expect(snapshotTree(root)).toEqual(before);
    expect(run.stdout).toContain("+++ b/backend/.env");
    expect(run.stdout).toContain("+API_JWT_SECRET_PREVIOUS=<redacted>");
    expect(run.stdout).toContain("Dry run: nothing was written.");
    expectNoSecret(run.stdout + run.stderr, secretValues());

    const json = await bin(["rotate-secret", "--cwd", root, "--dry-run", "--json"]);
    expect(json.code).toBe(0);
    expect(snapshotTree(root)).toEqual(before);
    const report = JSON.parse(json.stdout) as { dryRun: boolean; mode: string; rotated: string[]; files: { path: string }[]; previous: { expiresAt: string } };
    expect(report).toMatchObject({ dryRun: true, mode: "shared-secret", rotated: ["BETTER_AUTH_SECRET", "API_JWT_SECRET"] });
    expect(report.files.map((f) => f.path).sort()).toEqual([".env", "backend/.env", "docker-compose.yml", "frontend/.env.local"]);
    expect(report.previous.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it("a malformed env file stops it with file:line, and nothing is written", async () => {
    copyOf("shared-secret");
    const secrets = secretValues();
    const file = path.join(root, "backend/.env");
    writeFileSync(file, `${readFileSync(file, "utf8")}this is not an assignment\n`);
    const line = readFileSync(file, "utf8").split("\n").length - 1;
    const before = snapshotTree(root);
    const run = await bin(["rotate-secret", "--cwd", root]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`backend/.env:${line}: expected KEY=value`);
    expect(run.stderr).toContain("nothing was written");
    expect(snapshotTree(root)).toEqual(before);
    expectNoSecret(run.stdout + run.stderr, secrets);
  });

  it("two env files that disagree on API_JWT_SECRET stop it, naming both", async () => {
    copyOf("shared-secret");
    const file = path.join(root, "backend/.env");
    writeFileSync(file, readFileSync(file, "utf8").replace(/^API_JWT_SECRET=.*$/m, "API_JWT_SECRET=another-value-0123456789abcdefghijklmnop"));
    const before = snapshotTree(root);
    const run = await bin(["rotate-secret", "--cwd", root]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/backend\/\.env:1: API_JWT_SECRET differs from frontend\/\.env\.local:2/);
    expect(snapshotTree(root)).toEqual(before);
  });
});

describe("rotate-secret in jwks mode and without auth", () => {
  it("adds a Better Auth secret version where BETTER_AUTH_SECRET is, and leaves the backend alone", async () => {
    copyOf("jwks");
    const backendBefore = readFileSync(path.join(root, "backend/.env"), "utf8");
    const legacy = env("frontend/.env.local").get("BETTER_AUTH_SECRET");
    const run = await bin(["rotate-secret", "--cwd", root]);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(path.join(root, "backend/.env"), "utf8")).toBe(backendBefore);
    const versions = env("frontend/.env.local").get("BETTER_AUTH_SECRETS");
    expect(versions).toMatch(/^2:[\w-]{43},1:/);
    expect(env(".env").get("BETTER_AUTH_SECRETS")).toBe(versions);
    expect(env("frontend/.env.local").get("BETTER_AUTH_SECRET")).toBe(legacy);
    expect(run.stdout).toMatch(/jwks table stays readable/);
    expect(run.stdout).not.toMatch(/the backend \(/);
    expectNoSecret(run.stdout + run.stderr, secretValues());
    const api = await bin(["rotate-secret", "--cwd", root, "--key", "API_JWT_SECRET"]);
    expect(api.code).toBe(2);
    expect(api.stderr).toMatch(/no env file holds API_JWT_SECRET/);
  });

  it("exits 1 with a clear message when auth is not installed", async () => {
    copyOf("none");
    const before = snapshotTree(root);
    const run = await bin(["rotate-secret", "--cwd", root]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/nothing to rotate: no env file holds BETTER_AUTH_SECRET .*npx auth-integrator auth/);
    expect(snapshotTree(root)).toEqual(before);
  });
});

/**
 * Asks the generated app (in-process, FastAPI's TestClient, lifespan included) for GET /api/me with tokens signed
 * with each key; prints {label: status}. With `until` (a Unix time) it then sleeps past it and asks again with the
 * old key's token, so the end of API_JWT_SECRET_PREVIOUS can be seen, for a token already verified (and cached) too.
 */
const PROBE = String.raw`
import json, os, sys, time, secrets
import jwt
from fastapi.testclient import TestClient
from main import app

keys = json.loads(sys.argv[1])
def token(key):
    now = int(time.time())
    claims = {"sub": "alice", "iss": "http://localhost:3000", "aud": "http://localhost:3000", "iat": now, "exp": now + 900}
    return jwt.encode(claims, key, algorithm="HS256", headers={"typ": "at+jwt"})
tokens = {"old": token(keys["old"]), "new": token(keys["new"]), "random": token(secrets.token_urlsafe(32))}
out = {}
with TestClient(app) as client:
    for label, value in tokens.items():
        out[label] = client.get("/api/me", headers={"authorization": f"Bearer {value}"}).status_code
    if keys.get("until"):
        time.sleep(max(0.0, keys["until"] - time.time()) + 0.5)
        out["old after the wait"] = client.get("/api/me", headers={"authorization": "Bearer " + tokens["old"]}).status_code
print(json.dumps(out))
`;

describe("the rotated shared-secret backend, in Python", () => {
  async function probe(env: Record<string, string> = {}, until = 0, keys: { old: string; new: string }) {
    const result = await runPython(["-c", PROBE, JSON.stringify({ ...keys, until })], { cwd: path.join(root, "backend"), env });
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout.trim().split("\n").pop()!) as Record<string, number>;
  }

  it("accepts tokens signed with the old key until API_JWT_SECRET_PREVIOUS goes or expires, the new key always, a random one never", async () => {
    copyOf("shared-secret");
    const old = env("backend/.env").get("API_JWT_SECRET")!;
    // Before the rotation: the old key is the key.
    expect(await probe({}, 0, { old, new: "x".repeat(40) })).toMatchObject({ old: 200, random: 401 });
    expect((await bin(["rotate-secret", "--cwd", root])).code).toBe(0);
    const keys = { old, new: env("backend/.env").get("API_JWT_SECRET")! };

    // After it: both keys (the backend reads backend/.env as it starts), a random one not.
    expect(await probe({}, 0, keys)).toEqual({ old: 200, new: 200, random: 401 });
    // Past API_JWT_SECRET_PREVIOUS_EXPIRES the old key is refused, also for a token verified (and cached) before.
    // (A few seconds ahead: the Python process first has to start and import the app.)
    const soon = Math.ceil(Date.now() / 1000) + 8;
    const soonIso = new Date(soon * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    expect(await probe({ API_JWT_SECRET_PREVIOUS_EXPIRES: soonIso }, soon, keys)).toEqual({ old: 200, new: 200, random: 401, "old after the wait": 401 });
    expect(await probe({ API_JWT_SECRET_PREVIOUS_EXPIRES: "2000-01-01T00:00:00Z" }, 0, keys)).toEqual({ old: 401, new: 200, random: 401 });

    // Once API_JWT_SECRET_PREVIOUS is removed from backend/.env, only the new key works.
    const file = path.join(root, "backend/.env");
    writeFileSync(file, readFileSync(file, "utf8").replace(/^API_JWT_SECRET_PREVIOUS.*\n/gm, ""));
    expect(await probe({}, 0, keys)).toEqual({ old: 401, new: 200, random: 401 });
  });

  it("refuses to start with a weak API_JWT_SECRET_PREVIOUS, or one without an end", async () => {
    copyOf("shared-secret");
    expect((await bin(["rotate-secret", "--cwd", root])).code).toBe(0);
    const keys = { old: "x", new: "y" };
    for (const [env, message] of [
      [{ API_JWT_SECRET_PREVIOUS: "a".repeat(40) }, /API_JWT_SECRET_PREVIOUS is one character repeated/],
      [{ API_JWT_SECRET_PREVIOUS_EXPIRES: "" }, /API_JWT_SECRET_PREVIOUS is set without API_JWT_SECRET_PREVIOUS_EXPIRES/],
      [{ API_JWT_SECRET_PREVIOUS_EXPIRES: "tomorrow" }, /API_JWT_SECRET_PREVIOUS_EXPIRES must be an ISO 8601 time/],
    ] as const) {
      const result = await runPython(["-c", PROBE, JSON.stringify(keys)], { cwd: path.join(root, "backend"), env: { ...env } });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(message);
    }
  });
});
