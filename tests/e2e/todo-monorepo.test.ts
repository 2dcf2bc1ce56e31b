/**
 * End to end: the bundled example monorepo, copied to a temp folder, run through the compiled bin, then
 * its generated Better Auth and FastAPI started for real. Real sign-ups, real tokens, real HTTP.
 * The server sets run one after another (2 cores): each describe starts its own and stops it in afterAll.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { snapshotTree } from "../helpers/fixture.js";
import { VENV_PYTHON } from "../helpers/python.js";
import { GENERATED_FRONTEND_FILES, runBackendTests, typecheckFrontend } from "./checks.js";
import { decodeToken, publicKeyAsSecrets, signHs256, signWithAttackerKey, withAlgNone, withTamperedPayload } from "./forge.js";
import { apiClient, request, signUp, type ApiCall, type SignedInUser } from "./http.js";
import { createTask, showResponse as show, taskPaths, type RouteStyle, type TaskJson } from "./routes.js";
import { BIN, copyExample, linkNodeModules, readDotenv, removeScratch, runCommand, runGenerator, type CommandResult } from "./scratch.js";
import { startStack, type Stack } from "./stack.js";

type SecretMode = "jwks" | "shared-secret";

const python = process.env.AUTH_INTEGRATOR_PYTHON ?? VENV_PYTHON;
const PASSWORD = "correct-horse-battery-staple";

/** One generated monorepo with its servers running and two signed-up users. */
interface Run {
  root: string;
  generated: CommandResult;
  stack: Stack;
  call: ApiCall;
  alice: SignedInUser;
  bob: SignedInUser;
}

/** The file lists of the generator's summary by heading: "created (3)\n  a\n  b" → { created: ["a", "b"] }. */
function summarySections(stdout: string): Record<string, string[]> {
  const sections: Record<string, string[]> = {};
  let current: string[] | null = null;
  for (const line of stdout.split("\n")) {
    const heading = /^(created|modified|unchanged|skipped) \(\d+\)$/.exec(line);
    if (heading) sections[heading[1]] = current = [];
    else if (current && line.startsWith("    ")) continue; // a skipped file's snippet
    else if (current && /^ {2}\S/.test(line)) current.push(line.trim().split(":")[0]);
    else current = null;
  }
  return sections;
}

/** Copies the example, generates, starts the stack and signs up alice and bob; `cleanup` undoes whatever got done. */
function useGeneratedStack(flags: string[]) {
  const run = {} as Run;
  const cleanup: (() => Promise<void> | void)[] = [];
  beforeAll(async () => {
    run.root = copyExample();
    cleanup.push(() => removeScratch(run.root));
    run.generated = await runGenerator(run.root, ["--yes", ...flags]);
    if (run.generated.code !== 0) {
      throw new Error(`the generator exited ${run.generated.code}:\n${run.generated.stdout}\n${run.generated.stderr}`);
    }
    linkNodeModules(path.join(run.root, "frontend"));
    run.stack = await startStack({ root: run.root, python });
    cleanup.push(() => run.stack.stop());
    run.call = apiClient(run.stack.apiUrl);
    run.alice = await signUp(run.stack.authUrl, { name: "Alice", email: "alice@example.com", password: PASSWORD });
    run.bob = await signUp(run.stack.authUrl, { name: "Bob", email: "bob@example.com", password: PASSWORD });
  });
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });
  return run;
}

describe.each<SecretMode>(["jwks", "shared-secret"])("the example monorepo, generated with --secret-mode %s", (mode) => {
  const run = useGeneratedStack(["--secret-mode", mode]);
  const paths = taskPaths("flat", "");
  const read = (rel: string) => readFileSync(path.join(run.root, rel), "utf8");

  it("writes every file the CLI contract lists, with the secret only where this mode needs it", () => {
    const expected = [
      ...GENERATED_FRONTEND_FILES.map((file) => `frontend/${file}`),
      "frontend/.env.local",
      "backend/routes/auth.py",
      "backend/routes/tasks.py",
      "backend/.env",
      "backend/jwt-verify-test.py",
      "backend/tests/test_auth.py",
      ".env",
      ".env.example",
    ];
    expect(expected.filter((rel) => !existsSync(path.join(run.root, rel)))).toEqual([]);
    const frontendEnv = readDotenv(path.join(run.root, "frontend/.env.local"));
    const backendEnv = readDotenv(path.join(run.root, "backend/.env"));
    expect(frontendEnv.BETTER_AUTH_SECRET?.length ?? 0).toBeGreaterThanOrEqual(32);
    expect(backendEnv.BETTER_AUTH_URL).toBe(frontendEnv.BETTER_AUTH_URL);
    // The backend never holds Better Auth's own secret; in shared-secret mode it shares API_JWT_SECRET instead.
    expect(backendEnv.BETTER_AUTH_SECRET).toBeUndefined();
    if (mode === "shared-secret") {
      expect(backendEnv.API_JWT_SECRET?.length ?? 0).toBeGreaterThanOrEqual(32);
      expect(backendEnv.API_JWT_SECRET).toBe(frontendEnv.API_JWT_SECRET);
      expect(backendEnv.API_JWT_SECRET).not.toBe(frontendEnv.BETTER_AUTH_SECRET);
      expect(read(".env.example")).not.toContain(frontendEnv.API_JWT_SECRET);
    } else expect(backendEnv.API_JWT_SECRET).toBeUndefined();
    expect(read(".env.example")).not.toContain(frontendEnv.BETTER_AUTH_SECRET);
  });

  it("prints a summary that lists each file under one heading only", () => {
    const sections = summarySections(run.generated.stdout);
    expect(sections.created?.length ?? 0, run.generated.stdout).toBeGreaterThan(0);
    const listed = Object.values(sections).flat();
    expect(listed.filter((file, index) => listed.indexOf(file) !== index), run.generated.stdout).toEqual([]);
  });

  it("issues tokens of the algorithm this mode promises", () => {
    expect(decodeToken(run.alice.token).header.alg).toBe(mode === "jwks" ? "EdDSA" : "HS256");
    expect(decodeToken(run.alice.token).payload.sub).toBe(run.alice.id);
  });

  it("GET /api/me returns the caller", async () => {
    for (const user of [run.alice, run.bob]) {
      const me = await run.call("GET", "/api/me", user.token);
      expect(me.status, show(me)).toBe(200);
      // Shared-secret tokens carry only sub (nothing the API does not need); jwks tokens also name the user.
      expect(me.json).toMatchObject({ id: user.id, email: mode === "jwks" ? user.email : null });
    }
  });

  it("lets each user create tasks and list only their own", async () => {
    const aliceTasks = [
      await createTask(run.call, "flat", run.alice.id, run.alice.token, "alice: buy milk"),
      await createTask(run.call, "flat", run.alice.id, run.alice.token, "alice: write report"),
    ];
    const bobTask = await createTask(run.call, "flat", run.bob.id, run.bob.token, "bob: fix bike");
    for (const task of aliceTasks) expect(task).toMatchObject({ user_id: run.alice.id, completed: false });
    expect(bobTask.user_id).toBe(run.bob.id);

    const aliceList = await run.call("GET", paths.list, run.alice.token);
    const bobList = await run.call("GET", paths.list, run.bob.token);
    expect(aliceList.status, show(aliceList)).toBe(200);
    expect(bobList.status, show(bobList)).toBe(200);
    expect((aliceList.json as TaskJson[]).map((task) => task.title).sort()).toEqual(["alice: buy milk", "alice: write report"]);
    expect((bobList.json as TaskJson[]).map((task) => task.title)).toEqual(["bob: fix bike"]);
  });

  it("answers 404 when a user reads, updates, deletes or toggles another user's task, and leaves it untouched", async () => {
    const task = await createTask(run.call, "flat", run.alice.id, run.alice.token, "alice: private");
    const attempts = [
      await run.call("GET", paths.one(task.id), run.bob.token),
      await run.call("PUT", paths.one(task.id), run.bob.token, { title: "bob was here", completed: true }),
      await run.call("PATCH", paths.complete(task.id), run.bob.token),
      await run.call("DELETE", paths.one(task.id), run.bob.token),
    ];
    expect(attempts.map((response) => response.status), attempts.map(show).join("\n")).toEqual([404, 404, 404, 404]);
    const after = await run.call("GET", paths.one(task.id), run.alice.token);
    expect(after.status, show(after)).toBe(200);
    expect(after.json).toMatchObject({ id: task.id, title: "alice: private", completed: false, user_id: run.alice.id });
  });

  it("lets the owner update, toggle and delete a task", async () => {
    const task = await createTask(run.call, "flat", run.bob.id, run.bob.token, "bob: draft");
    const updated = await run.call("PUT", paths.one(task.id), run.bob.token, { title: "bob: final" });
    expect(updated.status, show(updated)).toBe(200);
    expect(updated.json).toMatchObject({ id: task.id, title: "bob: final", user_id: run.bob.id });
    const toggled = await run.call("PATCH", paths.complete(task.id), run.bob.token);
    expect(toggled.status, show(toggled)).toBe(200);
    expect((toggled.json as TaskJson).completed).toBe(true);
    const deleted = await run.call("DELETE", paths.one(task.id), run.bob.token);
    expect([200, 204], show(deleted)).toContain(deleted.status);
    const gone = await run.call("GET", paths.one(task.id), run.bob.token);
    expect(gone.status, show(gone)).toBe(404);
  });

  it("answers 401 with WWW-Authenticate: Bearer when there is no usable Authorization header", async () => {
    const url = (rel: string) => `${run.stack.apiUrl}${rel}`;
    const responses = [
      await request(url(paths.list)),
      await request(url(paths.list), { method: "POST", headers: { "content-type": "application/json" }, body: '{"title":"x"}' }),
      await request(url("/api/me")),
      await request(url(paths.list), { headers: { authorization: "Basic YWxpY2U6c2VjcmV0" } }),
      await request(url(paths.list), { headers: { authorization: "Bearer" } }),
      await request(url(paths.list), { headers: { authorization: `Token ${run.alice.token}` } }),
    ];
    for (const response of responses) {
      expect(response.status, show(response)).toBe(401);
      expect(response.headers.get("www-authenticate") ?? "").toMatch(/^Bearer\b/);
    }
  });

  const forgeries: [string, () => Promise<string> | string][] = [
    ["garbage", () => "not-a-jwt"],
    ["alg: none", () => withAlgNone(run.alice.token)],
    ["alg: None", () => withAlgNone(run.alice.token, "None")],
    ["alg: NONE", () => withAlgNone(run.alice.token, "NONE")],
    ["a stripped signature", () => run.alice.token.split(".").slice(0, 2).join(".") + "."],
    ["a tampered payload (sub swapped to bob)", () => withTamperedPayload(run.alice.token, { sub: run.bob.id, id: run.bob.id })],
    ["a tampered payload (exp pushed a year out)", () => withTamperedPayload(run.alice.token, { exp: Math.floor(Date.now() / 1000) + 31_536_000 })],
    ["EdDSA signed by an attacker's key under the real kid", () => signWithAttackerKey(run.alice.token)],
    ["HS256 keyed with a guessed secret", () => signHs256(run.alice.token, new TextEncoder().encode("secret"))],
  ];
  it.each(forgeries)("refuses a forged token: %s → 401", async (_label, make) => {
    const forged = await make();
    for (const path of [paths.list, "/api/me"]) {
      const response = await run.call("GET", path, forged);
      expect(response.status, show(response)).toBe(401);
      expect(response.headers.get("www-authenticate") ?? "").toMatch(/^Bearer\b/);
    }
  });

  if (mode === "jwks") it("refuses HS256 tokens keyed with the server's own public key (algorithm confusion) → 401", async () => {
    const jwks = await request(`${run.stack.authUrl}/api/auth/jwks`);
    expect(jwks.status, show(jwks)).toBe(200);
    const keys = (jwks.json as { keys: import("jose").JWK[] }).keys;
    const kid = decodeToken(run.alice.token).header.kid;
    const key = keys.find((candidate) => candidate.kid === kid);
    expect(key, `no JWKS key with kid ${String(kid)}`).toBeDefined();
    for (const form of publicKeyAsSecrets(key!)) {
      const response = await run.call("GET", paths.list, await signHs256(run.alice.token, form.key));
      expect(response.status, `HS256 keyed with ${form.label}: ${show(response)}`).toBe(401);
    }
  });

  it("accepts a token freshly signed by the server's key, but not one with a wrong issuer or audience, or expired", async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: run.alice.id, id: run.alice.id, email: run.alice.email, name: run.alice.name };
    const [valid, wrongIssuer, wrongAudience, expired] = await run.stack.mintTokens([
      { ...claims, iat: now },
      { ...claims, iat: now, iss: "https://evil.example" },
      { ...claims, iat: now, aud: "https://evil.example" },
      { ...claims, iat: now - 7200, exp: now - 3600 },
    ]);
    const accepted = await run.call("GET", "/api/me", valid);
    expect(accepted.status, `the control token must pass, or the refusals below prove nothing: ${show(accepted)}`).toBe(200);
    for (const [label, token] of [["wrong issuer", wrongIssuer], ["wrong audience", wrongAudience], ["expired", expired]] as const) {
      const response = await run.call("GET", paths.list, token);
      expect(response.status, `${label}: ${show(response)}`).toBe(401);
    }
  });

  it("backend/jwt-verify-test.py accepts a real token and refuses a tampered one", async () => {
    const verifyToken = (token: string) =>
      runCommand(python, ["jwt-verify-test.py", token], {
        cwd: path.join(run.root, "backend"),
        env: { ...process.env, ...run.stack.backendEnv, PYTHONDONTWRITEBYTECODE: "1" },
        timeoutMs: 30_000,
      });
    const valid = await verifyToken(run.alice.token);
    expect(valid.code, valid.stderr).toBe(0);
    expect(JSON.parse(valid.stdout)).toMatchObject({ sub: run.alice.id });
    const tampered = await verifyToken(withTamperedPayload(run.alice.token, { sub: run.bob.id }));
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toMatch(/invalid token/i);
  });

  it("passes the generated backend tests (backend/tests/test_auth.py) under pytest", { timeout: 150_000 }, async () => {
    const result = await runBackendTests(path.join(run.root, "backend"), python);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toMatch(/\d+ passed/);
  });

  it("generates frontend files that typecheck with tsc --strict", { timeout: 150_000 }, async () => {
    const result = await typecheckFrontend(path.join(run.root, "frontend"));
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  });

  // Last: it re-runs the generator with the stack's URLs (the stack passes its ports as environment variables), as a
  // user does whose apps run elsewhere: a changed answer, which updates the env files and the API's CORS origins.
  it("doctor --live is green against the running stack, with alice's token from Better Auth", async () => {
    const rerun = await runGenerator(run.root, ["--yes", "--secret-mode", mode, "--auth-url", run.stack.authUrl, "--api-url", run.stack.apiUrl]);
    expect(rerun.code, rerun.stderr).toBe(0);
    const doctor = await runCommand(process.execPath, [BIN, "doctor", "--cwd", run.root, "--live", "--token", run.alice.token, "--api-url", run.stack.apiUrl, "--json"], { cwd: run.root, timeoutMs: 60_000 });
    const report = JSON.parse(doctor.stdout) as { ok: boolean; checks: Array<{ id: string; group: string; ok: boolean | "skip"; detail?: string }> };
    const failed = report.checks.filter((check) => check.ok === false);
    expect(failed, JSON.stringify(failed, null, 2)).toEqual([]);
    expect(doctor.code).toBe(0);
    const live = report.checks.filter((check) => check.group === "live");
    // Alice's token from Better Auth is accepted and a forged one refused; jwks mode also fetches the key set where the backend does.
    const expected = [...(mode === "jwks" ? [["live.jwks", true]] : []), ["live.forged-token", true], ["live.token-accepted", true]];
    expect(live.map((check) => [check.id, check.ok]), JSON.stringify(live, null, 2)).toEqual(expected);
  });
});

describe("the example monorepo, generated with --route-style user-scoped", () => {
  const run = useGeneratedStack(["--secret-mode", "jwks", "--route-style", "user-scoped"]);
  const style: RouteStyle = "user-scoped";

  it("serves each user's tasks under their own id and answers 403 for another user's id", async () => {
    const alicePaths = taskPaths(style, run.alice.id);
    const task = await createTask(run.call, style, run.alice.id, run.alice.token, "alice: scoped");
    expect(task.user_id).toBe(run.alice.id);
    const own = await run.call("GET", alicePaths.list, run.alice.token);
    expect(own.status, show(own)).toBe(200);
    expect((own.json as TaskJson[]).map((t) => t.title)).toEqual(["alice: scoped"]);

    const mismatched = [
      await run.call("GET", alicePaths.list, run.bob.token),
      await run.call("POST", alicePaths.list, run.bob.token, { title: "bob: sneaky" }),
      await run.call("GET", alicePaths.one(task.id), run.bob.token),
      await run.call("PATCH", alicePaths.complete(task.id), run.bob.token),
      await run.call("DELETE", alicePaths.one(task.id), run.bob.token),
    ];
    expect(mismatched.map((response) => response.status), mismatched.map(show).join("\n")).toEqual([403, 403, 403, 403, 403]);
    const bobOwn = await run.call("GET", taskPaths(style, run.bob.id).list, run.bob.token);
    expect(bobOwn.status, show(bobOwn)).toBe(200);
    expect(bobOwn.json).toEqual([]);
  });

  it("answers 404 when a user names their own id but another user's task", async () => {
    const task = await createTask(run.call, style, run.alice.id, run.alice.token, "alice: scoped secret");
    const bobPaths = taskPaths(style, run.bob.id);
    const attempts = [
      await run.call("GET", bobPaths.one(task.id), run.bob.token),
      await run.call("PUT", bobPaths.one(task.id), run.bob.token, { title: "bob was here" }),
      await run.call("PATCH", bobPaths.complete(task.id), run.bob.token),
      await run.call("DELETE", bobPaths.one(task.id), run.bob.token),
    ];
    expect(attempts.map((response) => response.status), attempts.map(show).join("\n")).toEqual([404, 404, 404, 404]);
    const after = await run.call("GET", taskPaths(style, run.alice.id).one(task.id), run.alice.token);
    expect(after.json).toMatchObject({ title: "alice: scoped secret", completed: false });
  });

  it("answers 401, not 403, without a token", async () => {
    const response = await run.call("GET", taskPaths(style, run.alice.id).list, null);
    expect(response.status, show(response)).toBe(401);
  });
});

describe("the example monorepo, without servers", () => {
  const roots: string[] = [];
  const scratch = () => {
    const root = copyExample();
    roots.push(root);
    return root;
  };
  afterAll(() => roots.forEach(removeScratch));

  it("--dry-run prints a diff and writes nothing", async () => {
    const root = scratch();
    const before = snapshotTree(root);
    const result = await runGenerator(root, ["--yes", "--dry-run"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("+++ ");
    expect(result.stdout).toContain("frontend/lib/auth.ts");
    expect(snapshotTree(root)).toEqual(before);
  });

  it("a second run with the same answers changes nothing", async () => {
    const root = scratch();
    const first = await runGenerator(root, ["--yes", "--secret-mode", "shared-secret"]);
    expect(first.code, first.stderr).toBe(0);
    const generated = snapshotTree(root);
    const second = await runGenerator(root, ["--yes", "--secret-mode", "shared-secret"]);
    expect(second.code, second.stderr).toBe(0);
    expect(snapshotTree(root)).toEqual(generated);
  });
});
