import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runBin } from "../helpers/bin.js";
import { makeFixture, removeFixture, snapshotTree } from "../helpers/fixture.js";
import { SMALL_MONOREPO } from "../helpers/monorepo.js";

let root = "";
afterEach(() => removeFixture(root));

const SPEC = "specs/features/authentication.md";

/** A task app's spec in the shape many are written in: HS256 with the shared secret, 7-day tokens, user-scoped routes. */
const TASK_APP_SPEC = [
  "# Feature: Authentication", // 1
  "", // 2
  "## Requirements", // 3
  "", // 4
  "- The backend must verify JWTs with HS256 using the same BETTER_AUTH_SECRET as the frontend.", // 5
  "- Tokens expire after 7 days.", // 6
  "- Passwords must be at least 10 characters.", // 7
  "", // 8
  "## API", // 9
  "", // 10
  "- `GET /api/{user_id}/tasks` returns the user's tasks.", // 11
  "", // 12
].join("\n");

interface JsonReport {
  answers: Record<string, { value: string; source: string; file?: string; line?: number }>;
  files: { path: string; status: string; reason?: string }[];
  warnings: string[];
  spec: { file: string; aboutAuth: boolean; conflicts: unknown[]; silentOn: string[] } | null;
}

async function runJson(args: string[]): Promise<{ code: number | undefined; report: JsonReport; stderr: string }> {
  const { code, stdout, stderr } = await runBin(["auth", "--cwd", root, "--yes", "--json", ...args]);
  // One JSON document and nothing else on stdout.
  return { code, report: JSON.parse(stdout) as JsonReport, stderr };
}

describe("answers from the project's authentication spec", () => {
  it("takes the spec's answers with their file:line, and the generated code follows them", async () => {
    root = makeFixture({ ...SMALL_MONOREPO, [SPEC]: TASK_APP_SPEC });
    const { code, report } = await runJson([]);
    expect(code).toBe(0);
    expect(report.answers.secretMode).toEqual({ value: "shared-secret", source: "spec", file: SPEC, line: 5 });
    expect(report.answers.tokenTtl).toEqual({ value: "7d", source: "spec", file: SPEC, line: 6 });
    expect(report.answers.passwordMinLength).toEqual({ value: "10", source: "spec", file: SPEC, line: 7 });
    expect(report.answers.routeStyle).toEqual({ value: "user-scoped", source: "spec", file: SPEC, line: 11 });
    expect(report.answers.frontend).toEqual({ value: "frontend", source: "detected" });
    expect(report.answers.database).toEqual({ value: "sqlite", source: "default" });
    expect(report.spec?.file).toBe(SPEC);
    expect(report.files).toContainEqual({ path: "frontend/lib/auth.ts", status: "created" });
    const files = snapshotTree(root);
    expect(files["frontend/lib/auth.ts"]).toContain('expirationTime: "7d"');
    expect(files["backend/.env"]).toContain("API_JWT_SECRET=");
  });

  it("lets a flag beat the spec, and --no-spec read none", async () => {
    root = makeFixture({ ...SMALL_MONOREPO, [SPEC]: TASK_APP_SPEC });
    const flagged = await runJson(["--dry-run", "--token-ttl", "15m"]);
    expect(flagged.report.answers.tokenTtl).toEqual({ value: "15m", source: "flag" });
    expect(flagged.report.answers.secretMode.source).toBe("spec");
    const without = await runJson(["--dry-run", "--no-spec"]);
    expect(without.report.spec).toBeNull();
    expect(without.report.answers.secretMode).toEqual({ value: "jwks", source: "default" });
  });

  it("shows each answer's source in the summary", async () => {
    root = makeFixture({ ...SMALL_MONOREPO, [SPEC]: TASK_APP_SPEC });
    const { code, stdout } = await runBin(["auth", "--cwd", root, "--yes", "--dry-run"]);
    expect(code).toBe(0);
    expect(stdout).toContain(`secretMode: shared-secret (from ${SPEC}:5)`);
    expect(stdout).toContain(`spec ${SPEC}: decided`);
  });

  it("refuses a --spec path that does not exist with exit 2, naming it, and writes nothing", async () => {
    root = makeFixture(SMALL_MONOREPO);
    const before = snapshotTree(root);
    const { code, stderr } = await runBin(["auth", "--cwd", root, "--yes", "--spec", "docs/missing.md"]);
    expect(code).toBe(2);
    expect(stderr).toContain("--spec docs/missing.md: no such file");
    expect(snapshotTree(root)).toEqual(before);
  });

  it("goes on without a found spec that is not UTF-8, and names it; refuses the same file given as --spec", async () => {
    root = makeFixture({ ...SMALL_MONOREPO, [SPEC]: "" });
    writeFileSync(path.join(root, SPEC), Buffer.from([0x23, 0x20, 0xff, 0xfe, 0x41, 0x75, 0x74, 0x68, 0x0a]));
    const found = await runJson(["--dry-run"]);
    expect(found.code).toBe(0);
    expect(found.report.spec).toBeNull();
    expect(found.report.warnings.join("\n")).toContain(SPEC);
    const given = await runBin(["auth", "--cwd", root, "--yes", "--spec", SPEC]);
    expect(given.code).toBe(2);
    expect(given.stderr).toContain(`--spec ${SPEC}`);
  });

  it("leaves a contradicted answer to the default, and --strict-spec makes it an error naming both lines", async () => {
    const contradicting = TASK_APP_SPEC + "\n## Security\n\n- Passwords must be at least 6 characters.\n";
    root = makeFixture({ ...SMALL_MONOREPO, [SPEC]: contradicting });
    const lenient = await runJson(["--dry-run"]);
    expect(lenient.report.answers.passwordMinLength).toEqual({ value: "8", source: "default" });
    expect(lenient.report.spec?.conflicts).toHaveLength(1);
    const strict = await runBin(["auth", "--cwd", root, "--yes", "--strict-spec"]);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toMatch(/passwordMinLength: line 7 says 10 .*line 15 says 6/);
  });

  it("reads nothing from a spec about something else", async () => {
    root = makeFixture({ ...SMALL_MONOREPO, "docs/auth-notes.md": "# Authoring guide\n\nHow to write blog posts in 7 days, 128 words at least.\n" });
    const { report } = await runJson(["--dry-run", "--spec", "docs/auth-notes.md"]);
    expect(report.spec?.aboutAuth).toBe(false);
    expect(Object.values(report.answers).filter((a) => a.source === "spec")).toEqual([]);
  });

  it("changes no answer when the spec decides nothing", async () => {
    root = makeFixture({ ...SMALL_MONOREPO, [SPEC]: "# Authentication\n\nUsers sign in to see their tasks. The sign-in page has a friendly greeting.\n" });
    const values = (report: JsonReport) => Object.fromEntries(Object.entries(report.answers).map(([key, a]) => [key, a.value]));
    const withSpec = await runJson(["--dry-run"]);
    const without = await runJson(["--dry-run", "--no-spec"]);
    expect(withSpec.report.spec?.aboutAuth).toBe(true);
    expect(withSpec.report.spec?.silentOn).toContain("secretMode");
    expect(values(withSpec.report)).toEqual(values(without.report));
  });
});
