import { afterEach, describe, expect, it } from "vitest";
import { makeFixture, removeFixture, snapshotTree } from "../helpers/fixture.js";
import { runBin } from "../helpers/bin.js";
import { SMALL_MONOREPO } from "../helpers/monorepo.js";

let root = "";
afterEach(() => removeFixture(root));

const ESC = "\u001b[";

describe("the auth-integrator bin", () => {
  it("runs non-interactively with --yes, then finds nothing to do", async () => {
    root = makeFixture(SMALL_MONOREPO);
    const first = await runBin(["auth", "--cwd", root, "--yes"]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/created \(\d+\)/);
    expect(first.stdout).toContain("frontend/lib/auth.ts");
    expect(first.stdout).toContain("Next steps");
    expect(first.stdout).not.toContain(ESC);
    const secret = snapshotTree(root)["frontend/.env.local"].match(/BETTER_AUTH_SECRET=(.+)/)![1];
    expect(first.stdout).not.toContain(secret);

    const second = await runBin(["auth", "--cwd", root, "--yes"]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("Nothing to do");
  });

  it("without --yes and without a terminal, exits 2 naming the missing answers, and writes nothing", async () => {
    root = makeFixture(SMALL_MONOREPO);
    const before = snapshotTree(root);
    const { code, stderr } = await runBin(["auth", "--cwd", root, "--frontend", "frontend"]);
    expect(code).toBe(2);
    expect(stderr).toContain("missing answers: --backend, --secret-mode, --database, --route-style, --token-ttl, --auth-url, --api-url");
    expect(snapshotTree(root)).toEqual(before);
  });

  it("runs without a terminal when every answer is a flag", async () => {
    root = makeFixture(SMALL_MONOREPO);
    const args = ["--frontend", "frontend", "--backend", "backend", "--secret-mode", "shared-secret", "--database", "sqlite", "--route-style", "user-scoped", "--token-ttl", "10m", "--auth-url", "http://localhost:3000", "--api-url", "http://localhost:8000"];
    const { code, stderr } = await runBin(["auth", "--cwd", root, ...args]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(snapshotTree(root)["backend/.env"]).toContain("API_JWT_SECRET=");
  });

  it("warns under --yes about a token lifetime above one hour", async () => {
    root = makeFixture(SMALL_MONOREPO);
    const { code, stdout } = await runBin(["auth", "--cwd", root, "--yes", "--token-ttl", "3650d"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/API tokens live 3650d: a copied token keeps working that long, and signing out does not end it/);
    expect(snapshotTree(root)["frontend/lib/auth.ts"]).toContain('expirationTime: "3650d"');
  });

  it("prints diffs with --dry-run and writes nothing", async () => {
    root = makeFixture(SMALL_MONOREPO);
    const before = snapshotTree(root);
    const { code, stdout } = await runBin(["auth", "--cwd", root, "--yes", "--dry-run"]);
    expect(code).toBe(0);
    expect(stdout).toContain("+++ b/backend/routes/auth.py");
    expect(stdout).toContain("BETTER_AUTH_SECRET=<redacted>");
    expect(snapshotTree(root)).toEqual(before);
  });

  it("rejects a bad flag value with the reason and exit 2", async () => {
    root = makeFixture(SMALL_MONOREPO);
    const mode = await runBin(["auth", "--cwd", root, "--yes", "--secret-mode", "rsa"]);
    expect(mode.code).toBe(2);
    expect(mode.stderr).toContain("--secret-mode must be one of jwks, shared-secret");
    const folder = await runBin(["auth", "--cwd", root, "--yes", "--backend", "nope"]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/nope.*does not exist/);
    const unknown = await runBin(["auth", "--cwd", root, "--colour"]);
    expect(unknown.code).toBe(2);
  });

  it("exits 1 with the file and line when a file is malformed, and writes nothing", async () => {
    root = makeFixture({ ...SMALL_MONOREPO, "docker-compose.yml": "services:\n  web: [\n" });
    const before = snapshotTree(root);
    const { code, stderr } = await runBin(["auth", "--cwd", root, "--yes"]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/docker-compose\.yml:\d+: .*nothing was written/);
    expect(snapshotTree(root)).toEqual(before);
  });

  it("exits 2 with a message when nothing can be detected under --yes", async () => {
    root = makeFixture({ "README.md": "empty\n" });
    const { code, stderr } = await runBin(["auth", "--cwd", root, "--yes"]);
    expect(code).toBe(2);
    expect(stderr).toContain("missing answers: --frontend, --backend (nothing was detected for them)");
  });

  it("prints help and version", async () => {
    expect((await runBin(["--help"])).stdout).toContain("--secret-mode jwks|shared-secret");
    expect((await runBin(["--version"])).stdout).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe("a malformed manifest of the app", () => {
  it("is named with its line under --yes, instead of 'nothing was detected' (exit 1)", async () => {
    root = makeFixture({ ...SMALL_MONOREPO, "frontend/package.json": '{\n  "name": "web",\n  "dependencies": { "next": "15" \n}\n' });
    const { code, stderr } = await runBin(["auth", "--cwd", root, "--yes"]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/frontend\/package\.json:\d+: invalid JSON.*\(nothing was written\)/);
  });

  it("is named with its line when the folder is given as a flag (exit 1, not 2)", async () => {
    root = makeFixture({ ...SMALL_MONOREPO, "backend/pyproject.toml": '[project]\nname = "api"\ndependencies = ["fastapi",\n' });
    const { code, stderr } = await runBin(["auth", "--cwd", root, "--yes", "--backend", "backend"]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/backend\/pyproject\.toml:\d+: invalid TOML/);
  });
});
