import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runBin } from "../helpers/bin.js";
import { removeFixture, snapshotTree } from "../helpers/fixture.js";
import { REPO_ROOT } from "../helpers/python.js";

// Changing an answer on a project that already has the integration: every file the old answer shaped follows the
// new one, and what only the old answer needed goes, while entries of the user's stay (issue 9, item 4).

let root = "";
afterEach(() => removeFixture(root));

/** A copy of the bundled example: compose, a root .env.example, a package.json and a CORS policy of its own. */
function copyExample(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "auth-integrator-answers-"));
  cpSync(path.join(REPO_ROOT, "examples/todo-monorepo"), dir, { recursive: true });
  return dir;
}

async function run(...args: string[]): Promise<{ warnings: string[] }> {
  const { code, stdout, stderr } = await runBin(["auth", "--cwd", root, "--yes", "--json", ...args]);
  expect(code, stderr).toBe(0);
  return JSON.parse(stdout) as { warnings: string[] };
}

const read = (rel: string) => readFileSync(path.join(root, rel), "utf8");

/** Every file, with the secrets masked: a switch back to shared-secret rightly generates a new API_JWT_SECRET. */
const withoutSecrets = (tree: Record<string, string>) =>
  Object.fromEntries(Object.entries(tree).map(([file, text]) => [file, text.replace(/^((?:BETTER_AUTH_SECRET|API_JWT_SECRET)=).*$/gm, "$1<secret>")]));

describe("changing an answer after the integration is in place", () => {
  it("jwks → shared-secret → jwks ends byte-identical to the jwks run", async () => {
    root = copyExample();
    await run("--secret-mode", "jwks");
    const jwks = snapshotTree(root);
    await run("--secret-mode", "shared-secret");
    await run("--secret-mode", "jwks");
    expect(snapshotTree(root)).toEqual(jwks);
  });

  it("takes out what shared-secret mode added once jwks is chosen, and the JWKS URL once shared-secret is", async () => {
    root = copyExample();
    await run("--secret-mode", "shared-secret");
    expect(read("backend/.env")).toMatch(/^API_JWT_SECRET=/m);
    await run("--secret-mode", "jwks");
    for (const file of ["frontend/.env.local", "backend/.env", ".env", ".env.example", "docker-compose.yml"]) expect(read(file), file).not.toContain("API_JWT_SECRET");
    expect(JSON.parse(read("frontend/package.json")).dependencies.jose).toBeUndefined();
    expect(read("docker-compose.yml")).toContain("BETTER_AUTH_JWKS_URL: http://frontend:3000/api/auth/jwks");

    await run("--secret-mode", "shared-secret");
    expect(read("docker-compose.yml")).not.toContain("BETTER_AUTH_JWKS_URL");
    expect(read(".env.example")).not.toContain("BETTER_AUTH_JWKS_URL");
    expect(read("backend/.env")).toMatch(/^API_JWT_SECRET=\S{32,}$/m);
  });

  it("sqlite → postgres → sqlite swaps the driver packages and ends byte-identical", async () => {
    root = copyExample();
    await run("--database", "sqlite");
    const sqlite = snapshotTree(root);
    await run("--database", "postgres");
    const pkg = JSON.parse(read("frontend/package.json"));
    expect(pkg.dependencies.pg).toBeDefined();
    expect(pkg.dependencies["better-sqlite3"]).toBeUndefined();
    expect(pkg.devDependencies["@types/better-sqlite3"]).toBeUndefined();
    await run("--database", "sqlite");
    expect(snapshotTree(root)).toEqual(sqlite);
  });

  it("moves the URLs and CORS origins with the answers, and back again byte-identically", async () => {
    root = copyExample();
    const defaults = ["--auth-url", "http://localhost:3000", "--api-url", "http://localhost:8000", "--cors-origins", "http://localhost:3000"];
    await run(...defaults);
    const before = snapshotTree(root);
    await run("--auth-url", "http://localhost:3100", "--api-url", "http://localhost:8100", "--cors-origins", "https://app.example.com");
    expect(read("frontend/.env.local")).toContain("BETTER_AUTH_URL=http://localhost:3100\nNEXT_PUBLIC_API_URL=http://localhost:8100");
    expect(read("backend/.env")).toContain("BETTER_AUTH_URL=http://localhost:3100");
    // The example's own origin stays; the ones the answers asked for are added beside it.
    expect(read("backend/main.py")).toContain('allow_origins=["http://localhost:3000", "http://localhost:3100", "https://app.example.com"]');

    await run("--auth-url", "http://localhost:3200", "--cors-origins", "http://localhost:3200");
    expect(read("backend/main.py")).toContain('allow_origins=["http://localhost:3000", "http://localhost:3200"]');

    await run(...defaults);
    expect(withoutSecrets(snapshotTree(root))).toEqual(withoutSecrets(before));
  });

  it("keeps a value the user set, and says so when the answer changes", async () => {
    root = copyExample();
    await run();
    writeFileSync(path.join(root, "backend/.env"), read("backend/.env").replace("BETTER_AUTH_URL=http://localhost:3000", "BETTER_AUTH_URL=https://staging.example.com"));
    const { warnings } = await run("--auth-url", "http://localhost:3100");
    expect(read("backend/.env")).toContain("BETTER_AUTH_URL=https://staging.example.com");
    expect(read("frontend/.env.local")).toContain("BETTER_AUTH_URL=http://localhost:3100");
    expect(warnings).toContainEqual(expect.stringContaining("backend/.env has BETTER_AUTH_URL=https://staging.example.com, which you set; the answers give http://localhost:3100"));
  });

  it("never removes what the project had before the first run", async () => {
    root = copyExample();
    const pkgFile = path.join(root, "frontend/package.json");
    const pkg = JSON.parse(readFileSync(pkgFile, "utf8"));
    writeFileSync(pkgFile, `${JSON.stringify({ ...pkg, dependencies: { ...pkg.dependencies, jose: "^5.0.0" } }, null, 2)}\n`);
    writeFileSync(path.join(root, ".env.example"), `${read(".env.example")}API_JWT_SECRET=\n`);
    await run("--secret-mode", "shared-secret");
    await run("--secret-mode", "jwks");
    expect(JSON.parse(readFileSync(pkgFile, "utf8")).dependencies.jose).toBe("^5.0.0");
    expect(read(".env.example")).toContain("API_JWT_SECRET=");
    // The env files the tool created hold only what jwks mode needs.
    expect(read("frontend/.env.local")).not.toContain("API_JWT_SECRET");
  });
});
