import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MANIFEST_PATH } from "../../generators/lib/tree.js";
import { makeFixture, removeFixture, snapshotTree, writeFiles } from "../helpers/fixture.js";
import { runGenerator } from "../helpers/generator.js";
import { SMALL_MONOREPO } from "../helpers/monorepo.js";

let root = "";
afterEach(() => removeFixture(root));

const SECRET_LINE = /^BETTER_AUTH_SECRET=(.+)$/m;
const API_KEY_LINE = /^API_JWT_SECRET=(.+)$/m;

describe("the auth generator on a Next.js + FastAPI monorepo", () => {
  it("creates the frontend and backend files, env files and dependencies", async () => {
    root = makeFixture(SMALL_MONOREPO);
    const { result, failures } = await runGenerator(root);
    expect(failures).toEqual([]);
    const files = snapshotTree(root);
    for (const file of ["frontend/lib/auth.ts", "frontend/lib/auth-client.ts", "frontend/lib/api.ts", "frontend/app/api/auth/[...all]/route.ts", "backend/routes/auth.py", "backend/routes/tasks.py", "backend/jwt-verify-test.py", "backend/tests/test_auth.py", MANIFEST_PATH]) {
      expect(files, file).toHaveProperty([file]);
    }
    expect(JSON.parse(files["frontend/package.json"]).dependencies).toHaveProperty("better-auth");
    expect(files["backend/pyproject.toml"]).toMatch(/"pyjwt\[crypto\]/i);
    expect(files["backend/main.py"]).toContain("include_router");
    const secret = files["frontend/.env.local"].match(SECRET_LINE)![1];
    expect(Buffer.from(secret, "base64url").length).toBeGreaterThanOrEqual(32);
    expect(files[".env"]).toContain(`BETTER_AUTH_SECRET=${secret}`);
    // jwks mode: the secret never leaves the frontend (and compose's root .env).
    expect(files["backend/.env"]).not.toContain("BETTER_AUTH_SECRET");
    expect(files[".env.example"]).toMatch(/^BETTER_AUTH_SECRET=$/m);
    expect(statSync(path.join(root, "frontend/.env.local")).mode & 0o777).toBe(0o600);
    // What gets committed is not private, and nothing is writable by others (umask 022 here).
    expect(statSync(path.join(root, ".env.example")).mode & 0o077).toBe(0o044);
    expect(statSync(path.join(root, "frontend/lib/auth.ts")).mode & 0o022).toBe(0);
    expect(files["docker-compose.yml"]).toContain("BETTER_AUTH_SECRET: ${BETTER_AUTH_SECRET}");
    expect(files["docker-compose.yml"]).toContain("BETTER_AUTH_JWKS_URL=http://frontend:3000/api/auth/jwks");
    expect(files["docker-compose.yml"]).not.toContain(secret);
    expect(result!.created).toContain("frontend/lib/auth.ts");
    expect(result!.modified).toEqual(expect.arrayContaining(["frontend/package.json", "backend/main.py", "docker-compose.yml"]));
  });

  it("changes no byte on a second run with the same answers, and says so", async () => {
    root = makeFixture(SMALL_MONOREPO);
    await runGenerator(root);
    const after = snapshotTree(root);
    const second = await runGenerator(root);
    expect(second.failures).toEqual([]);
    expect(snapshotTree(root)).toEqual(after);
    expect(second.result!.created).toEqual([]);
    expect(second.result!.modified).toEqual([]);
    expect(second.output).toContain("Nothing to do");
  });

  it("gives the backend API_JWT_SECRET, a key of its own shared with the frontend, and never BETTER_AUTH_SECRET, in shared-secret mode", async () => {
    root = makeFixture(SMALL_MONOREPO);
    await runGenerator(root, { secretMode: "shared-secret" });
    const files = snapshotTree(root);
    const apiKey = files["backend/.env"].match(API_KEY_LINE)![1];
    expect(apiKey).toHaveLength(43);
    expect(files["frontend/.env.local"].match(API_KEY_LINE)![1]).toBe(apiKey);
    expect(files[".env"].match(API_KEY_LINE)![1]).toBe(apiKey);
    expect(apiKey).not.toBe(files["frontend/.env.local"].match(SECRET_LINE)![1]);
    expect(files["backend/.env"]).not.toContain("BETTER_AUTH_SECRET");
    expect(files[".env.example"]).toMatch(/^API_JWT_SECRET=$/m);
    expect(files["backend/pyproject.toml"]).toMatch(/"pyjwt>=/i);
    const backendService = files["docker-compose.yml"].slice(files["docker-compose.yml"].indexOf("  backend:"));
    expect(backendService).toContain("API_JWT_SECRET=${API_JWT_SECRET}");
    expect(backendService).not.toContain("BETTER_AUTH_SECRET");
  });

  it("moves an earlier shared-secret setup over: BETTER_AUTH_SECRET leaves the backend's .env and compose service", async () => {
    const secret = "an-existing-secret-value-that-is-long-enough-123";
    root = makeFixture(SMALL_MONOREPO);
    await runGenerator(root, { secretMode: "shared-secret" });
    // What the previous version wrote: the auth secret itself on the backend's side.
    const files = snapshotTree(root);
    writeFiles(root, {
      "frontend/.env.local": files["frontend/.env.local"].replace(SECRET_LINE, `BETTER_AUTH_SECRET=${secret}`),
      ".env": files[".env"].replace(SECRET_LINE, `BETTER_AUTH_SECRET=${secret}`),
      "backend/.env": `# backend\nBETTER_AUTH_SECRET=${secret}\n${files["backend/.env"]}`,
      "docker-compose.yml": files["docker-compose.yml"].replace("      - API_JWT_SECRET=${API_JWT_SECRET}", "      - BETTER_AUTH_SECRET=${BETTER_AUTH_SECRET}\n      - API_JWT_SECRET=${API_JWT_SECRET}"),
    });
    expect(snapshotTree(root)["docker-compose.yml"]).toContain("      - BETTER_AUTH_SECRET=${BETTER_AUTH_SECRET}\n      - API_JWT_SECRET");
    const { result } = await runGenerator(root, { secretMode: "shared-secret" });
    const after = snapshotTree(root);
    expect(after["backend/.env"]).toBe(`# backend\n${files["backend/.env"]}`);
    expect(after["docker-compose.yml"]).toBe(files["docker-compose.yml"]);
    expect(result!.warnings).toEqual([]);
    expect((await runGenerator(root, { secretMode: "shared-secret" })).result!.created.length + (await runGenerator(root, { secretMode: "shared-secret" })).result!.modified.length).toBe(0);
  });

  it("keeps BETTER_AUTH_SECRET in the backend's .env while the backend's own code reads it, naming the line", async () => {
    const secret = "an-existing-secret-value-that-is-long-enough-123";
    root = makeFixture({
      ...SMALL_MONOREPO,
      "backend/config.py": "from pydantic_settings import BaseSettings\n\n\nclass Settings(BaseSettings):\n    better_auth_secret: str\n",
      "backend/.env": `BETTER_AUTH_SECRET=${secret}\n`,
    });
    const { result } = await runGenerator(root, { secretMode: "shared-secret" });
    expect(snapshotTree(root)["backend/.env"]).toContain(`BETTER_AUTH_SECRET=${secret}`);
    expect(result!.warnings.join("\n")).toMatch(/backend\/\.env still holds BETTER_AUTH_SECRET because backend\/config\.py:5 reads it/);
    // The deploy step does not tell them to remove what their code needs.
    expect(result!.nextSteps.join("\n")).toContain("the backend's own code still reads it (backend/config.py:5): keep it there until that code stops");
  });

  it("reuses an existing BETTER_AUTH_SECRET from any env file", async () => {
    const existing = "an-existing-secret-value-that-is-long-enough-123";
    root = makeFixture({ ...SMALL_MONOREPO, "backend/.env": `BETTER_AUTH_SECRET=${existing}\n` });
    const { result } = await runGenerator(root);
    expect(snapshotTree(root)["frontend/.env.local"]).toContain(`BETTER_AUTH_SECRET=${existing}`);
    expect(result!.secretSource).toBe("backend/.env");
  });

  it("stops, naming both files, when two env files hold different secrets", async () => {
    root = makeFixture({ ...SMALL_MONOREPO, "frontend/.env.local": "BETTER_AUTH_SECRET=one-one-one\n", ".env": "BETTER_AUTH_SECRET=two-two-two\n" });
    const before = snapshotTree(root);
    const { failures } = await runGenerator(root);
    expect(failures.join("\n")).toMatch(/frontend\/\.env\.local.*\.env/);
    expect(snapshotTree(root)).toEqual(before);
  });

  it("previews with a dry run: a diff per file, no secret in it, nothing written", async () => {
    root = makeFixture(SMALL_MONOREPO);
    const before = snapshotTree(root);
    const { output, result } = await runGenerator(root, {}, { dryRun: true });
    expect(snapshotTree(root)).toEqual(before);
    expect(output).toContain("+++ b/frontend/lib/auth.ts");
    expect(output).toContain("--- a/backend/main.py");
    expect(output).toContain("BETTER_AUTH_SECRET=<redacted>");
    expect(output).toContain("Dry run: no file was written.");
    expect(result!.created.length).toBeGreaterThan(5);
  });

  it("hides the values already in an env file that gets no secret of ours (jwks mode's backend/.env) in a dry run", async () => {
    root = makeFixture({ ...SMALL_MONOREPO, "backend/.env": "SECRET_KEY=the-users-own-session-key\nDATABASE_URL=postgresql://app:hunter2@db/app\n" });
    const { output } = await runGenerator(root, { secretMode: "jwks" }, { dryRun: true });
    expect(output).toContain("+++ b/backend/.env");
    expect(output).toContain(" SECRET_KEY=<redacted>");
    expect(output).not.toMatch(/the-users-own-session-key|hunter2/);
  });

  it("keeps CRLF line endings and a BOM of edited files", async () => {
    const crlf = SMALL_MONOREPO["backend/main.py"].replace(/\n/g, "\r\n");
    root = makeFixture({ ...SMALL_MONOREPO, "backend/main.py": `\uFEFF${crlf}` });
    await runGenerator(root);
    const main = snapshotTree(root)["backend/main.py"];
    expect(main.startsWith("\uFEFF")).toBe(true);
    expect(main).toContain("include_router");
    expect(main.replace(/\r\n/g, "")).not.toContain("\n");
  });

  it("does not overwrite a generated file the user edited, unless --force (which keeps a backup)", async () => {
    root = makeFixture(SMALL_MONOREPO);
    await runGenerator(root);
    const edited = `${snapshotTree(root)["backend/routes/tasks.py"]}\n# my own addition\n`;
    writeFiles(root, { "backend/routes/tasks.py": edited });
    const kept = await runGenerator(root, { routeStyle: "user-scoped" });
    expect(kept.result!.skipped.map((s) => s.path)).toContain("backend/routes/tasks.py");
    expect(kept.output).toContain("--force");
    expect(snapshotTree(root)["backend/routes/tasks.py"]).toBe(edited);
    await runGenerator(root, { routeStyle: "user-scoped" }, { force: true });
    const files = snapshotTree(root);
    expect(files["backend/routes/tasks.py.bak"]).toBe(edited);
    expect(files["backend/routes/tasks.py"]).toContain("/api/{user_id}/tasks");
  });

  it("warns when git would ignore a generated file (a Python-style lib/ rule)", async () => {
    root = makeFixture({ ...SMALL_MONOREPO, ".gitignore": "lib/\n__pycache__/\n" });
    const { result } = await runGenerator(root);
    expect(result!.warnings.join("\n")).toMatch(/frontend\/lib\/auth\.ts is ignored by git/);
  });

  it("adds the real env files to .gitignore when git would not ignore them", async () => {
    root = makeFixture(SMALL_MONOREPO);
    await runGenerator(root);
    const gitignore = snapshotTree(root)[".gitignore"];
    expect(gitignore).toContain("/frontend/.env.local");
    expect(gitignore).toContain("/backend/.env");
    expect(gitignore.startsWith(SMALL_MONOREPO[".gitignore"])).toBe(true);
  });
});

describe("bad input: a clear error naming the file, and nothing written", () => {
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ["malformed package.json", { "frontend/package.json": '{\n  "name": "web",\n  "dependencies": { "next": "15" \n}\n' }, /frontend\/package\.json:\d+/],
    ["malformed pyproject.toml", { "backend/pyproject.toml": '[project]\nname = "api"\ndependencies = ["fastapi",\n' }, /backend\/pyproject\.toml:\d+/],
    ["malformed compose file", { "docker-compose.yml": "services:\n  frontend:\n    build: ./frontend\n   bad: [\n" }, /docker-compose\.yml:\d+/],
    ["malformed env file", { "frontend/.env.local": "GOOD=1\nthis is not an env line\n" }, /frontend\/\.env\.local:2/],
  ];
  for (const [name, files, message] of cases) {
    it(name, async () => {
      root = makeFixture({ ...SMALL_MONOREPO, ...files });
      const before = snapshotTree(root);
      const { failures } = await runGenerator(root);
      expect(failures.join("\n")).toMatch(message);
      expect(failures.join("\n")).toContain("nothing was written");
      expect(snapshotTree(root)).toEqual(before);
    });
  }

  it("malformed requirements.txt", async () => {
    const { "backend/pyproject.toml": _drop, ...rest } = SMALL_MONOREPO;
    root = makeFixture({ ...rest, "backend/requirements.txt": "fastapi\nsqlmodel\n!!! not a requirement\n" });
    const before = snapshotTree(root);
    const { failures } = await runGenerator(root);
    expect(failures.join("\n")).toMatch(/backend\/requirements\.txt:3/);
    expect(snapshotTree(root)).toEqual(before);
  });

  it("a frontend folder that does not exist", async () => {
    root = makeFixture(SMALL_MONOREPO);
    const { failures } = await runGenerator(root, { frontend: "web" });
    expect(failures.join("\n")).toMatch(/web.*does not exist/);
  });

  it("a folder without Next.js, and one without FastAPI", async () => {
    root = makeFixture({ ...SMALL_MONOREPO, "other/package.json": '{ "name": "x" }\n', "other/requirements.txt": "flask\n" });
    expect((await runGenerator(root, { frontend: "other" })).failures.join("\n")).toMatch(/no Next\.js app/);
    expect((await runGenerator(root, { backend: "other" })).failures.join("\n")).toMatch(/no FastAPI app/);
    expect(snapshotTree(root)).not.toHaveProperty(["frontend/lib/auth.ts"]);
  });
});

describe("keeping secrets and the user's setup safe", () => {
  it("refuses to put the secret into an env file that git tracks, and writes nothing", async () => {
    root = makeFixture({ ...SMALL_MONOREPO, ".env": "POSTGRES_PASSWORD=example\n" });
    const git = (...args: string[]) => execFileSync("git", args, { cwd: root, stdio: "ignore" });
    git("init", "-q");
    git("add", "-A");
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "init");
    const before = snapshotTree(root);
    const { failures } = await runGenerator(root);
    expect(failures.join("\n")).toMatch(/^\.env: would receive BETTER_AUTH_SECRET but is tracked by git; untrack it \(git rm --cached \.env\)/);
    expect(snapshotTree(root)).toEqual(before);
  });

  it("refuses a reused secret shorter than 32 bytes, or of one repeated character, naming its file and line", async () => {
    root = makeFixture({ ...SMALL_MONOREPO, "frontend/.env.local": "# app\nBETTER_AUTH_SECRET=0123456789abcdef\n" });
    for (const secretMode of ["jwks", "shared-secret"] as const) {
      expect((await runGenerator(root, { secretMode })).failures.join("\n")).toMatch(/^frontend\/\.env\.local:2: BETTER_AUTH_SECRET is 16 bytes; it needs at least 32/);
    }
    removeFixture(root);
    root = makeFixture({ ...SMALL_MONOREPO, "backend/.env": `API_JWT_SECRET=${"a".repeat(40)}\n` });
    expect((await runGenerator(root, { secretMode: "shared-secret" })).failures.join("\n")).toMatch(/^backend\/\.env:1: API_JWT_SECRET is made of 1 distinct character: a placeholder, not a secret/);
  });

  it("refuses an API_JWT_SECRET equal to BETTER_AUTH_SECRET or to a version of BETTER_AUTH_SECRETS, naming its file and line, never the value", async () => {
    const legacy = "Zq8w3Kx7Lp2Vn5Rt9Yb4Hc6Jd1Mf0GsAeXy";
    const newer = "Hc6Jd1Mf0GsAeXyZq8w3Kx7Lp2Vn5Rt9Yb4Wu";
    const frontendEnv = `BETTER_AUTH_SECRET=${legacy}\nBETTER_AUTH_SECRETS=2:${newer},1:${legacy}\n`;
    root = makeFixture({ ...SMALL_MONOREPO, "frontend/.env.local": frontendEnv, "backend/.env": `API_JWT_SECRET=${legacy}\n` });
    const same = (await runGenerator(root, { secretMode: "shared-secret" })).failures.join("\n");
    expect(same).toMatch(/^backend\/\.env:1: API_JWT_SECRET equals BETTER_AUTH_SECRET; the API's key must be a secret of its own/);
    removeFixture(root);
    root = makeFixture({ ...SMALL_MONOREPO, "frontend/.env.local": frontendEnv, "backend/.env": `# API\nAPI_JWT_SECRET=${newer}\n` });
    const version = (await runGenerator(root, { secretMode: "shared-secret" })).failures.join("\n");
    expect(version).toMatch(/^backend\/\.env:2: API_JWT_SECRET equals version 2 of BETTER_AUTH_SECRETS \(frontend\/\.env\.local:2\); the API's key must be a secret of its own/);
    for (const failures of [same, version]) for (const secret of [legacy, newer]) expect(failures).not.toContain(secret);
  });

  it("names the line of the second secret when two env files disagree", async () => {
    root = makeFixture({ ...SMALL_MONOREPO, "frontend/.env.local": "BETTER_AUTH_SECRET=one-one-one\n", "backend/.env": "A=1\nBETTER_AUTH_SECRET=two-two-two\n" });
    expect((await runGenerator(root)).failures.join("\n")).toMatch(/^backend\/\.env:2: BETTER_AUTH_SECRET differs between frontend\/\.env\.local and backend\/\.env/);
  });

  it("skips a compose service it cannot edit safely, with the lines to add, and still does the rest", async () => {
    const compose = `x-common-env: &common\n  TZ: UTC\nservices:\n  frontend:\n    build: ./frontend\n    environment: *common\n  backend:\n    build: ./backend\n`;
    root = makeFixture({ ...SMALL_MONOREPO, "docker-compose.yml": compose });
    const { failures, result } = await runGenerator(root);
    expect(failures).toEqual([]);
    const skipped = result!.skipped.find((s) => s.path === "docker-compose.yml");
    expect(skipped?.reason).toMatch(/service "frontend" left as it is/);
    expect(skipped?.snippet).toContain("BETTER_AUTH_SECRET: ${BETTER_AUTH_SECRET}");
    const files = snapshotTree(root);
    expect(files["docker-compose.yml"]).toContain("    environment: *common\n");
    expect(files["docker-compose.yml"]).toContain("BETTER_AUTH_JWKS_URL: http://frontend:3000/api/auth/jwks");
    expect(files).toHaveProperty(["frontend/lib/auth.ts"]);
  });

  it("repeats the git-ignore warning on every run, not only when the file is created", async () => {
    root = makeFixture({ ...SMALL_MONOREPO, ".gitignore": "lib/\n" });
    await runGenerator(root);
    const second = await runGenerator(root);
    expect(second.result!.warnings.join("\n")).toMatch(/frontend\/lib\/auth\.ts is ignored by git/);
  });

  it("tells a pip project to install only the packages this run added", async () => {
    const pyproject = SMALL_MONOREPO["backend/pyproject.toml"].replace('"sqlmodel>=0.0.22",', '"sqlmodel>=0.0.22",\n    "PyJWT>=2.9",\n    "python_dotenv",');
    root = makeFixture({ ...SMALL_MONOREPO, "backend/pyproject.toml": pyproject });
    const { result } = await runGenerator(root, { secretMode: "shared-secret" });
    // pyjwt and python-dotenv are already declared (other spellings): nothing new to install by name.
    expect(result!.nextSteps[0]).toContain("cd backend && pip install -e .");
    removeFixture(root);
    root = makeFixture(SMALL_MONOREPO);
    expect((await runGenerator(root)).result!.nextSteps[0]).toContain("cd backend && pip install 'pyjwt[crypto]>=2.14' 'python-dotenv>=1.0'");
  });
});
