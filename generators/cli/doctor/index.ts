import { existsSync, statSync } from "node:fs";
import { joinRel } from "../../lib/detect/paths.js";
import { processIo, type CommandIo } from "../command-io.js";
import { betterAuthVersionCheck } from "./better-auth-version.js";
import { fail, pass, skip, type Check } from "./check.js";
import { loadContext, type DoctorContext } from "./context.js";
import { corsCheck } from "./cors.js";
import { dependencyChecks } from "./dependencies.js";
import { generatedFilesCheck } from "./generated-files.js";
import { gitignoreCheck } from "./gitignore.js";
import { secretChecks } from "./secrets.js";
import { urlChecks } from "./urls.js";

export type { Check } from "./check.js";

export interface DoctorOptions {
  /** The monorepo root. */
  root: string;
  /** Print `{ ok, checks }` as JSON instead of the lines. */
  json: boolean;
  /** Also run the live checks against the running apps (--live; implied by a token). */
  live: boolean;
  /** A token from Better Auth for the "accepted" live check (--token, else AUTH_INTEGRATOR_TOKEN). */
  token?: string;
  /** The backend's URL for the live checks (--api-url; default NEXT_PUBLIC_API_URL). */
  apiUrl?: string;
}

/** Where doctor writes: stdout gets the lines or the JSON only, stderr the errors. */
export type DoctorIo = CommandIo;

/** The order groups are printed in, with their headings. */
const GROUPS: Array<[string, string]> = [
  ["files", "files"],
  ["generated", "generated files"],
  ["secrets", "secrets"],
  ["urls", "URLs"],
  ["dependencies", "dependencies"],
  ["git", "git"],
  ["cors", "CORS"],
  ["live", "live (the running apps)"],
];

/** The secret mode, where it was read from; a ✗ when the saved answer and the generated files disagree. */
function modeCheck(context: DoctorContext): Check {
  const { value, source, conflict } = context.mode;
  const title = `secret mode ${value} (${source === "default" ? "the default: nothing says otherwise" : source})`;
  if (conflict) return fail("generated", "mode", title, { detail: conflict, fix: "re-run npx auth-integrator auth, so the generated files follow the saved answer (or pass --secret-mode)" });
  return pass("generated", "mode", title);
}

/** One ✗ per file that does not parse, naming its line; one ✓ when all do. */
function fileChecks(context: DoctorContext): Check[] {
  if (context.problems.length === 0) return [pass("files", "parse", "the manifest, env files, compose file and package.json parse")];
  return context.problems.map((problem) => fail("files", `parse:${problem.file}`, `${problem.file} parses`, { detail: problem.message, fix: `fix ${problem.message.split(": ")[0]} (doctor checked what does not depend on it)` }));
}

/** Reads every file the checks depend on up front, so a malformed one is found once and named under "files". */
function readAll(context: DoctorContext): void {
  for (const file of [...context.frontendEnvFiles(), context.backendEnvFile, context.composeEnvFile()]) if (file) context.env(file);
  context.compose();
  if (context.frontendDir !== null) context.json(joinRel(context.frontendDir, "package.json"));
}

/** Runs the offline checks (and the live ones when asked), in print order. */
export async function runChecks(options: DoctorOptions): Promise<Check[]> {
  const context = await loadContext(options.root);
  readAll(context);
  const checks: Check[] = [
    modeCheck(context),
    ...generatedFilesCheck(context),
    ...secretChecks(context),
    ...urlChecks(context),
    ...dependencyChecks(context),
    betterAuthVersionCheck(context),
    gitignoreCheck(context),
    corsCheck(context),
  ];
  if (options.live || options.token) {
    const { liveChecks } = await import("./live.js");
    checks.push(...(await liveChecks(context, { token: options.token, apiUrl: options.apiUrl })));
  } else {
    checks.push(skip("live", "all", "live checks (JWKS, a forged token refused, a real token accepted)", { detail: "run with --live while the frontend and backend are running" }));
  }
  const all = [...fileChecks(context), ...checks];
  return GROUPS.flatMap(([group]) => all.filter((check) => check.group === group));
}

/** One line: `✓ title (note)`, `✗ title: what — fix`, `- title: skipped, why`. */
export function formatCheck(check: Check): string {
  if (check.ok === true) return `  ✓ ${check.title}${check.detail ? ` (${check.detail})` : ""}`;
  if (check.ok === "skip") return `  - ${check.title}: skipped${check.detail ? `, ${check.detail}` : ""}`;
  return `  ✗ ${check.title}${check.detail ? `: ${check.detail}` : ""}${check.fix ? ` — fix: ${check.fix}` : ""}`;
}

export function formatReport(root: string, checks: Check[]): string {
  const lines = [`auth-integrator doctor: ${root}`];
  for (const [group, heading] of GROUPS) {
    const inGroup = checks.filter((check) => check.group === group);
    if (inGroup.length === 0) continue;
    lines.push("", heading, ...inGroup.map(formatCheck));
  }
  const count = (ok: Check["ok"]) => checks.filter((check) => check.ok === ok).length;
  const failed = count(false);
  lines.push("", `${count(true)} passed, ${failed} failed, ${count("skip")} skipped${failed > 0 ? " — fix the ✗ lines and run doctor again" : ""}`);
  return `${lines.join("\n")}\n`;
}

/**
 * `auth-integrator doctor`: checks a repo auth-integrator has run on. Exit 0 when nothing failed (skips are fine),
 * 1 when a check failed, 2 when --cwd is not a folder.
 */
export async function runDoctor(options: DoctorOptions, io: DoctorIo = processIo): Promise<number> {
  if (!existsSync(options.root) || !statSync(options.root).isDirectory()) {
    io.stderr(`auth-integrator doctor: --cwd ${options.root} is not a folder\n`);
    return 2;
  }
  const checks = await runChecks(options);
  const ok = !checks.some((check) => check.ok === false);
  if (options.json) io.stdout(`${JSON.stringify({ ok, checks }, null, 2)}\n`);
  else io.stdout(formatReport(options.root, checks));
  return ok ? 0 : 1;
}
