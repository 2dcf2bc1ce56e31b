import { execa } from "execa";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeFixture, removeFixture, snapshotTree, writeFiles } from "../helpers/fixture.js";
import { SMALL_MONOREPO } from "../helpers/monorepo.js";
import { REPO_ROOT } from "../helpers/python.js";

const PLOP = path.join(REPO_ROOT, "node_modules/plop/bin/plop.js");
// Every answer, in prompt order, as plop's positional bypass values.
const BYPASS = ["frontend", "backend", "jwks", "sqlite", "flat", "15m", "http://localhost:3000", "http://localhost:8000", "/", "all"];

let root = "";
let userDir = "";
afterEach(() => {
  removeFixture(root);
  if (userDir) removeFixture(userDir);
});

async function plop(args: string[], options: { cwd: string; tsx?: boolean }) {
  return execa(process.execPath, [...(options.tsx ? ["--import", "tsx"] : []), PLOP, ...args], {
    cwd: options.cwd,
    reject: false,
    stdin: "ignore",
    env: { NODE_OPTIONS: "", NO_COLOR: "1" },
    timeout: 60_000,
  });
}

describe("plop", () => {
  it("runs this repository's plopfile.ts: npx plop auth --dest <monorepo>", async () => {
    root = makeFixture(SMALL_MONOREPO);
    const result = await plop(["auth", ...BYPASS, "--dest", root], { cwd: REPO_ROOT, tsx: true });
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.exitCode).toBe(0);
    expect(snapshotTree(root)).toHaveProperty(["frontend/lib/auth.ts"]);
  });

  it("previews with --dry-run under plop's own CLI and writes nothing", async () => {
    root = makeFixture(SMALL_MONOREPO);
    const before = snapshotTree(root);
    const result = await plop(["auth", ...BYPASS, "--dest", root, "--dry-run"], { cwd: REPO_ROOT, tsx: true });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("+++ b/frontend/lib/auth.ts");
    expect(snapshotTree(root)).toEqual(before);
  });

  it("reads the project's spec for the answers plop does not prompt for, and names it", async () => {
    root = makeFixture({
      ...SMALL_MONOREPO,
      "specs/features/authentication.md": "# Authentication\n\n## Requirements\n\n- Passwords must be at least 10 characters.\n- Users sign in with email and password and get a JWT.\n",
    });
    const result = await plop(["auth", ...BYPASS, "--dest", root], { cwd: REPO_ROOT, tsx: true });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(snapshotTree(root)["frontend/lib/auth.ts"]).toContain("minPasswordLength: 10");
    expect(result.stdout).toContain("specs/features/authentication.md:5");
  });

  it("loads as a pack in a user's own plopfile with plop.load", async () => {
    root = makeFixture(SMALL_MONOREPO);
    userDir = makeFixture({ "plopfile.mjs": `export default async function (plop) {\n  await plop.load(${JSON.stringify(REPO_ROOT)});\n}\n` });
    const result = await plop(["--plopfile", path.join(userDir, "plopfile.mjs"), "auth", ...BYPASS, "--dest", root], { cwd: userDir });
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.exitCode).toBe(0);
    expect(snapshotTree(root)).toHaveProperty(["backend/routes/auth.py"]);
  });

  it("registers directly through the named export, keeping plop's --force", async () => {
    root = makeFixture(SMALL_MONOREPO);
    const entry = path.join(REPO_ROOT, "dist/plopfile.js");
    userDir = makeFixture({
      "plopfile.mjs": `import { registerAuthGenerator } from ${JSON.stringify(entry)};\nexport default function (plop) {\n  registerAuthGenerator(plop);\n}\n`,
    });
    const plopfile = path.join(userDir, "plopfile.mjs");
    expect((await plop(["--plopfile", plopfile, "auth", ...BYPASS, "--dest", root], { cwd: userDir })).exitCode).toBe(0);
    writeFiles(root, { "frontend/lib/api.ts": "// my edit\n" });
    await plop(["--plopfile", plopfile, "auth", ...BYPASS, "--dest", root], { cwd: userDir });
    expect(snapshotTree(root)["frontend/lib/api.ts"]).toBe("// my edit\n");
    await plop(["--plopfile", plopfile, "auth", ...BYPASS, "--dest", root, "--force"], { cwd: userDir });
    const files = snapshotTree(root);
    expect(files["frontend/lib/api.ts.bak"]).toBe("// my edit\n");
    expect(files["frontend/lib/api.ts"]).toContain("Authorization");
  });
});
