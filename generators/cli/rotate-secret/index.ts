/**
 * `auth-integrator rotate-secret`: a new Better Auth secret (a new version of BETTER_AUTH_SECRETS) and, in
 * shared-secret mode, a new API_JWT_SECRET with the old one kept as API_JWT_SECRET_PREVIOUS until the token
 * lifetime has passed; every env file at once or none, no value printed.
 */
import { existsSync, statSync } from "node:fs";
import { commitChanges } from "../../lib/commit.js";
import { formatChangeDiff, isEnvFileName } from "../../lib/diff.js";
import { UserInputError } from "../../lib/errors.js";
import { processIo, type CommandIo } from "../command-io.js";
import { RotateError, type RotateSecretOptions } from "./options.js";
import { planRotation } from "./plan.js";
import { formatJsonReport, formatReport } from "./report.js";

export { ROTATABLE_KEYS, type RotateSecretOptions } from "./options.js";
export type { RotationReport } from "./report.js";

/** Where the command writes: stdout gets the report or the JSON only, stderr the errors. */
export type RotateSecretIo = CommandIo;

/** The plan, or the exit status of the error that stopped it (a usage or file error; anything else is a bug and throws). */
function planOrStatus(options: RotateSecretOptions, fail: (message: string, code: number) => number): ReturnType<typeof planRotation> | number {
  try {
    return planRotation(options);
  } catch (error) {
    if (error instanceof RotateError) return fail(error.message, error.code);
    if (error instanceof UserInputError) return fail(`${error.message} (nothing was written)`, 1);
    throw error;
  }
}

/**
 * Runs rotate-secret: options → plan → write (unless --dry-run) → report. Returns the exit status: 0, 1 for a
 * malformed or inconsistent env file or nothing to rotate, 2 for bad usage.
 */
export function runRotateSecretCommand(options: RotateSecretOptions, io: RotateSecretIo = processIo): number {
  const fail = (message: string, code: number) => (io.stderr(`auth-integrator rotate-secret: ${message}\n`), code);
  if (!existsSync(options.root) || !statSync(options.root).isDirectory()) return fail(`--cwd ${options.root} is not a folder`, 2);
  const planned = planOrStatus(options, fail);
  if (typeof planned === "number") return planned;
  const { tree, report, secrets } = planned;
  const changes = tree.changes();
  if (!options.dryRun) {
    try {
      commitChanges(options.root, changes);
    } catch (error) {
      if (error instanceof UserInputError) return fail(error.message, 1);
      throw error;
    }
  }
  if (options.json) {
    io.stdout(formatJsonReport(report));
    return 0;
  }
  if (options.dryRun) for (const change of changes) io.stdout(formatChangeDiff(change, secrets, isEnvFileName(change.path)));
  io.stdout(formatReport(report));
  return 0;
}
