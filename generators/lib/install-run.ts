import { execa } from "execa";
import path from "node:path";
import { createInterface } from "node:readline";
import { UserInputError } from "./errors.js";
import type { InstallCommand } from "./install-commands.js";

/** What became of one command: it ran, it failed, it was not run (refused, or after a failure), or --dry-run would run it. */
export type InstallStatus = "ran" | "failed" | "not run" | "would run";

export interface InstallEntry {
  step: InstallCommand["step"];
  cwd: string;
  command: string;
  status: InstallStatus;
  exitCode?: number;
  /** Why it was not run, or how it failed. */
  reason?: string;
}

/** --install's record, also the `install` field of --json. */
export interface InstallReport {
  dryRun: boolean;
  commands: InstallEntry[];
  /** The message for a failed command, naming what to rerun; undefined when nothing failed. */
  failure?: string;
}

/** A command of --install failed: the files stay written and the message says what to rerun (exit 1). */
export class InstallFailedError extends UserInputError {
  constructor(message: string) {
    super(message);
    this.name = "InstallFailedError";
  }
}

export interface InstallRunOptions {
  dryRun: boolean;
  /** --json: the tools' output and these lines go to stderr, so stdout stays one JSON document. */
  json: boolean;
  /** Where this module's own lines go when not --json (stdout by default). */
  print?: (text: string) => void;
}

/** How a failed command ended, as the failure message says it. */
function howItEnded(command: InstallCommand, result: { exitCode?: number; signal?: string; code?: string; shortMessage?: string }): string {
  if (result.code === "ENOENT") return `could not start (${command.file} is not installed or not on PATH)`;
  if (result.signal) return `was stopped by ${result.signal}`;
  if (result.exitCode !== undefined) return `exited with ${result.exitCode}`;
  return `could not run (${result.shortMessage ?? "unknown error"})`;
}

/**
 * Runs the install commands in order with the tools' own progress shown (execa, inherited output; under --json the
 * output goes to stderr). A refused command (pip without a virtual environment, a migration without DATABASE_URL)
 * is printed instead of run; the first failure stops the rest and the report's failure says which commands to rerun.
 * --dry-run runs nothing and lists them.
 */
export async function runInstall(root: string, commands: InstallCommand[], options: InstallRunOptions): Promise<InstallReport> {
  const say = options.json ? (text: string) => void process.stderr.write(text) : (options.print ?? ((text: string) => void process.stdout.write(text)));
  const entries: InstallEntry[] = [];
  const base = (command: InstallCommand) => ({ step: command.step, cwd: command.cwd, command: command.display });
  if (options.dryRun) {
    say(`\n--install (dry run): would run, in order:\n`);
    commands.forEach((command, i) => {
      say(`  ${i + 1}. ${command.display}${command.refused ? ` — not run: ${command.refused}` : ""}\n`);
      entries.push({ ...base(command), status: command.refused ? "not run" : "would run", ...(command.refused ? { reason: command.refused } : {}) });
    });
    return { dryRun: true, commands: entries };
  }
  say(`\nInstalling (--install):\n`);
  for (const [i, command] of commands.entries()) {
    if (command.refused) {
      say(`\nNot run: ${command.display}\n  ${command.refused}\n`);
      entries.push({ ...base(command), status: "not run", reason: command.refused });
      continue;
    }
    say(`\n$ ${command.display}\n`);
    // A path to a virtual environment's python is relative to the folder it runs in.
    const cwd = path.resolve(root, command.cwd);
    const file = command.file.includes("/") || command.file.includes("\\") ? path.resolve(cwd, command.file) : command.file;
    const result = await execa(file, command.args, {
      cwd,
      reject: false,
      stdin: options.json ? "ignore" : "inherit",
      stdout: options.json ? 2 : "inherit",
      stderr: "inherit",
    });
    if (!result.failed) {
      entries.push({ ...base(command), status: "ran", exitCode: 0 });
      continue;
    }
    const ended = howItEnded(command, result as never);
    entries.push({ ...base(command), status: "failed", ...(result.exitCode !== undefined ? { exitCode: result.exitCode } : {}), reason: ended });
    const rest = commands.slice(i + 1);
    for (const later of rest) entries.push({ ...base(later), status: "not run", reason: `${command.display} failed first` });
    const rerun = [command, ...rest].map((c) => c.display).join(", then ");
    return { dryRun: false, commands: entries, failure: `Install failed: ${command.display} ${ended}; the files are written — fix it and rerun: ${rerun}` };
  }
  const notRun = entries.filter((e) => e.status === "not run");
  say(`\n--install: ${entries.length - notRun.length} command(s) ran${notRun.length > 0 ? `; not run (see above): ${notRun.map((e) => e.command).join(", ")}` : ""}\n`);
  return { dryRun: false, commands: entries };
}

/** Asks "Install the new dependencies now?" on the terminal; default (Enter), Ctrl-C or a closed input: no. */
export function askInstall(): Promise<boolean> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    let answered = false;
    rl.on("SIGINT", () => rl.close());
    rl.on("close", () => {
      if (!answered) {
        answered = true;
        process.stdout.write("\n");
        resolve(false);
      }
    });
    rl.question("? Install the new dependencies now? (y/N) ", (answer) => {
      answered = true;
      rl.close();
      resolve(/^\s*y(es)?\s*$/i.test(answer));
    });
  });
}
