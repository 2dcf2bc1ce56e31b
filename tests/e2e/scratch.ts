import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { REPO_ROOT } from "../helpers/python.js";
import { withoutTsxImport } from "./processes.js";

/** The bundled example monorepo: the "before" state every end-to-end run starts from. */
export const EXAMPLE_DIR = path.join(REPO_ROOT, "examples", "todo-monorepo");
/** The compiled command (`npm run build` makes it); AUTH_INTEGRATOR_BIN runs another build of it instead. */
export const BIN = process.env.AUTH_INTEGRATOR_BIN ?? path.join(REPO_ROOT, "dist", "bin", "auth-integrator.js");

/** Copies the example into a new temp folder (without local leftovers such as node_modules or *.db) and returns its path. */
export function copyExample(prefix = "auth-integrator-e2e-", parent = os.tmpdir()): string {
  const root = mkdtempSync(path.join(parent, prefix));
  const leftovers = /(^|\/)(node_modules|\.next|__pycache__|\.pytest_cache)(\/|$)|\.db$|(^|\/)\.env(\.local)?$/;
  cpSync(EXAMPLE_DIR, root, {
    recursive: true,
    filter: (source) => !leftovers.test(path.relative(EXAMPLE_DIR, source).split(path.sep).join("/")),
  });
  return root;
}

/** Gives a scratch frontend the repo's node_modules (better-auth, better-sqlite3, react types...) without installing. */
export function linkNodeModules(frontendDir: string): void {
  const link = path.join(frontendDir, "node_modules");
  if (!existsSync(link)) symlinkSync(path.join(REPO_ROOT, "node_modules"), link, "dir");
}

export function removeScratch(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the compiled bin (`auth-integrator auth --cwd root ...args`) without a terminal; never throws on a non-zero exit. */
export function runGenerator(root: string, args: string[], timeoutMs = 60_000): Promise<CommandResult> {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first`);
  return runCommand(process.execPath, [BIN, "auth", "--cwd", root, ...args], { cwd: root, timeoutMs });
}

/** Runs a command to completion with a time limit; resolves with its exit code and output. */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number; input?: string },
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      { cwd: options.cwd, env: withoutTsxImport(options.env ?? process.env), timeout: options.timeoutMs, killSignal: "SIGKILL", maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        const note = error && error.killed ? `\n[killed after ${options.timeoutMs} ms]` : "";
        resolve({ code, stdout: String(stdout), stderr: String(stderr) + note });
      },
    );
    child.stdin?.end(options.input ?? "");
  });
}

/** Parses a dotenv file's text: KEY=value lines, `#` comments, optional `export `, single or double quotes. */
export function parseDotenv(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(raw);
    if (!match) continue;
    let value = match[2];
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[1] === '"' ? quoted[2].replace(/\\n/g, "\n") : quoted[2];
    else value = value.replace(/\s+#.*$/, "");
    values[match[1]] = value;
  }
  return values;
}

/** The variables of a dotenv file, or {} when it does not exist. */
export function readDotenv(file: string): Record<string, string> {
  return existsSync(file) ? parseDotenv(readFileSync(file, "utf8")) : {};
}
