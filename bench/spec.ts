/**
 * Spec benchmark: the same full run of the compiled bin on a small monorepo with a 50 KB authentication spec
 * and with --no-spec, as whole processes, interleaved; prints the ratio. Target: at most 1.1×
 * (the Markdown parser loads only when a spec exists, and reading it is a small part of a run).
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { makeFixture } from "../tests/helpers/fixture.js";
import { SMALL_MONOREPO } from "../tests/helpers/monorepo.js";
import { ANSWER_SCHEMA } from "../generators/auth/schema.js";
import { median, timeChild } from "./cli.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(ROOT, "dist/bin/auth-integrator.js");
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const env = { ...process.env, NODE_OPTIONS: "", NO_COLOR: "1" };

/** One part of a long spec: a requirements list, a table, a code block and prose, numbered so no two are alike. */
function specPart(n: number): string {
  return [
    `## Part ${n}: sign-in flow ${n}`,
    "",
    `- Users must sign in with email and password before they see task list ${n}.`,
    "- The backend must verify JWTs with HS256 using the same BETTER_AUTH_SECRET as the frontend.",
    "- Tokens expire after 7 days.",
    "- Passwords must be at least 8 characters.",
    "",
    "| Endpoint | Method | Description |",
    "| --- | --- | --- |",
    `| \`/api/{user_id}/tasks\` | GET | list ${n} |`,
    `| \`/api/{user_id}/tasks/{id}\` | PATCH | update ${n} |`,
    "",
    "```ts",
    `// sign-in ${n}`,
    'const result = await authClient.signIn.email({ email, password, callbackURL: "/dashboard" });',
    "```",
    "",
    `Rate limiting: at most 5 attempts per 15 minutes per address (part ${n}); a failed sign-in shows an error within 2 seconds.`,
    "",
  ].join("\n");
}

/** About 50 KB of spec. */
export function longSpec(bytes = 50_000): string {
  let text = "# Feature: Authentication\n\n";
  for (let n = 1; text.length < bytes; n++) text += specPart(n);
  return text;
}

/**
 * The spec's answers as flags: the run without the spec gets them so that both runs generate the same files and the
 * difference is the cost of reading the spec (a different secret mode or route style renders other templates).
 */
function specDecisionsAsFlags(dest: string): string[] {
  const report = JSON.parse(execFileSync(process.execPath, [BIN, "auth", "--cwd", dest, "--yes", "--json", "--dry-run"], { env, encoding: "utf8" })) as {
    answers: Record<string, { value: string; source: string }>;
  };
  return ANSWER_SCHEMA.flatMap((option) => (report.answers[option.key]?.source === "spec" ? [`--${option.flag}`, report.answers[option.key].value] : []));
}

export interface SpecBench {
  specMs: number;
  noSpecMs: number;
  /** Wall clock, with the spec against without. */
  ratio: number;
  /** The same in CPU time of the runs' processes: what reading the spec costs, apart from the machine's other load. */
  cpuRatio: number | null;
  bytes: number;
  flags: string[];
}

export function benchSpec(): SpecBench {
  const spec = longSpec();
  const template = makeFixture({ ...SMALL_MONOREPO, "specs/features/authentication.md": spec }, "bench-spec-");
  const scratch = mkdtempSync(path.join(os.tmpdir(), "bench-spec-runs-"));
  const withSpec: ReturnType<typeof timeChild>[] = [];
  const without: ReturnType<typeof timeChild>[] = [];
  const flags = specDecisionsAsFlags(template);
  try {
    for (let i = 0; i < RUNS; i++) {
      for (const [side, extra] of [[withSpec, []], [without, ["--no-spec", ...flags]]] as const) {
        const dest = path.join(scratch, `${i}-${extra.length}`);
        cpSync(template, dest, { recursive: true });
        side.push(timeChild(() => execFileSync(process.execPath, [BIN, "auth", "--cwd", dest, "--yes", ...extra], { env, stdio: "ignore" })));
      }
    }
  } finally {
    rmSync(template, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
  const specMs = median(withSpec.map((run) => run.ms));
  const noSpecMs = median(without.map((run) => run.ms));
  const cpu = (runs: typeof withSpec) => (runs.every((run) => run.cpuMs !== null) ? median(runs.map((run) => run.cpuMs!)) : null);
  const [specCpu, noSpecCpu] = [cpu(withSpec), cpu(without)];
  const cpuRatio = specCpu !== null && noSpecCpu ? specCpu / noSpecCpu : null;
  return { specMs, noSpecMs, ratio: specMs / noSpecMs, cpuRatio, bytes: Buffer.byteLength(spec), flags };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { specMs, noSpecMs, ratio, cpuRatio, bytes, flags } = benchSpec();
  console.log(`spec: full run with a ${(bytes / 1000).toFixed(0)} KB spec ${specMs.toFixed(0)} ms, with --no-spec ${flags.join(" ")} ${noSpecMs.toFixed(0)} ms (median of ${RUNS})`);
  console.log(`spec ratio: ${ratio.toFixed(2)}x wall clock${cpuRatio === null ? "" : `, ${cpuRatio.toFixed(2)}x CPU time`} (target <= 1.10x)`);
}
