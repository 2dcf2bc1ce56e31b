import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runBin } from "../helpers/bin.js";
import { makeFixture, removeFixture, snapshotTree } from "../helpers/fixture.js";
import { SMALL_MONOREPO } from "../helpers/monorepo.js";

let root = "";
afterEach(() => removeFixture(root));

const MANIFEST = ".auth-integrator.json";

interface JsonReport {
  answers: Record<string, { value: string; source: string; file?: string }>;
  files: { path: string; status: string }[];
  warnings: string[];
}

/** A run without a terminal; --json never prompts and prints one JSON document. */
async function runJson(args: string[]): Promise<{ code: number | undefined; report: JsonReport; stderr: string }> {
  const { code, stdout, stderr } = await runBin(["auth", "--cwd", root, "--json", ...args]);
  return { code, report: stdout ? (JSON.parse(stdout) as JsonReport) : ({} as JsonReport), stderr };
}

const savedAnswers = () => (JSON.parse(readFileSync(path.join(root, MANIFEST), "utf8")) as { answers: Record<string, string> }).answers;

describe("saved answers (.auth-integrator.json)", () => {
  it("records the answers the user chose, not the detected or default ones", async () => {
    root = makeFixture(SMALL_MONOREPO);
    const { code } = await runJson(["--yes", "--secret-mode", "shared-secret", "--token-ttl", "2h"]);
    expect(code).toBe(0);
    expect(savedAnswers()).toEqual({ secretMode: "shared-secret", tokenTtl: "2h" });
  });

  it("offers them to the next run as its answers (source saved), which then changes nothing", async () => {
    root = makeFixture(SMALL_MONOREPO);
    await runJson(["--yes", "--secret-mode", "shared-secret", "--route-style", "user-scoped", "--token-ttl", "2h"]);
    const before = snapshotTree(root);
    const { code, report } = await runJson(["--yes"]);
    expect(code).toBe(0);
    expect(report.answers.secretMode).toEqual({ value: "shared-secret", source: "saved", file: MANIFEST });
    expect(report.answers.tokenTtl).toEqual({ value: "2h", source: "saved", file: MANIFEST });
    expect(report.answers.routeStyle).toEqual({ value: "user-scoped", source: "saved", file: MANIFEST });
    expect(report.answers.database).toEqual({ value: "sqlite", source: "default" });
    expect(report.files.filter((file) => file.status === "created" || file.status === "modified")).toEqual([]);
    expect(snapshotTree(root)).toEqual(before);
  });

  it("lets a flag beat a saved answer, and saves the new one", async () => {
    root = makeFixture(SMALL_MONOREPO);
    await runJson(["--yes", "--token-ttl", "2h"]);
    const { code, report } = await runJson(["--yes", "--token-ttl", "30m"]);
    expect(code).toBe(0);
    expect(report.answers.tokenTtl).toEqual({ value: "30m", source: "flag" });
    expect(snapshotTree(root)["frontend/lib/auth.ts"]).toContain('expirationTime: "30m"');
    expect(savedAnswers()).toEqual({ tokenTtl: "30m" });
  });

  it("shows where a saved answer came from in the summary", async () => {
    root = makeFixture(SMALL_MONOREPO);
    await runBin(["auth", "--cwd", root, "--yes", "--token-ttl", "2h"]);
    const { code, stdout } = await runBin(["auth", "--cwd", root, "--yes"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/tokenTtl.*2h.*saved in \.auth-integrator\.json/);
  });

  it("names a saved value this version refuses, and takes the default instead", async () => {
    root = makeFixture(SMALL_MONOREPO);
    await runJson(["--yes", "--token-ttl", "2h"]);
    const manifest = JSON.parse(readFileSync(path.join(root, MANIFEST), "utf8")) as Record<string, unknown>;
    writeFileSync(path.join(root, MANIFEST), JSON.stringify({ ...manifest, answers: { tokenTtl: "forever", colour: "blue" } }, null, 2));
    const { code, report } = await runJson(["--yes", "--dry-run"]);
    expect(code).toBe(0);
    expect(report.answers.tokenTtl.source).toBe("default");
    expect(report.warnings.join("\n")).toMatch(/\.auth-integrator\.json: saved answer tokenTtl not used/);
    expect(report.warnings.join("\n")).toMatch(/saved answer colour not used \(not an answer this version knows\)/);
    // In the summary, beside the answers: not under a spec heading (this fixture has no spec).
    const { stdout } = await runBin(["auth", "--cwd", root, "--yes", "--dry-run"]);
    expect(stdout).toMatch(/^  \.auth-integrator\.json: saved answer tokenTtl not used/m);
    expect(stdout).not.toMatch(/^spec$/m);
  });

  it("refuses a manifest that is not JSON, naming its line, and writes nothing", async () => {
    root = makeFixture({ ...SMALL_MONOREPO, [MANIFEST]: '{\n  "version": 1,\n  "answers": { "tokenTtl": "2h", }\n}\n' });
    const before = snapshotTree(root);
    const { code, stderr } = await runJson(["--yes"]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/\.auth-integrator\.json:3/);
    expect(snapshotTree(root)).toEqual(before);
  });
});
