import { existsSync, statSync } from "node:fs";
import { ANSWER_FLAGS, ANSWER_KEYS, answerError, defaultAnswers } from "../auth/prompts.js";
import { MalformedFileError, UserInputError } from "../lib/errors.js";
import { GENERATOR_NAME, registerAuthGenerator, runAuthAction, type RunFlags } from "../auth/index.js";
import { detectRepo } from "../lib/detect/index.js";
import type { RunResult } from "../lib/run.js";
import type { Answers } from "../lib/types.js";

export interface CliOptions {
  root: string;
  yes: boolean;
  dryRun: boolean;
  force: boolean;
  /** Answers given as flags; undefined where not given. */
  given: Partial<Record<keyof Answers, string>>;
  /** Whether prompts can be shown (stdin and stdout are terminals). */
  interactive: boolean;
}

const fail = (message: string, code: number): number => {
  process.stderr.write(`auth-integrator: ${message}\n`);
  return code;
};

/** Answers from flags, filled with detected defaults; lists those still missing, and malformed files detection met. */
function answersFromFlags(options: CliOptions): { answers: Partial<Record<keyof Answers, string>>; missing: (keyof Answers)[]; problems: Error[] } {
  const needDefaults = options.yes && ANSWER_KEYS.some((key) => options.given[key] === undefined);
  const detected = needDefaults ? detectRepo(options.root) : null;
  const defaults = detected ? defaultAnswers(detected) : null;
  const answers: Partial<Record<keyof Answers, string>> = {};
  for (const key of ANSWER_KEYS) {
    const value = options.given[key] ?? defaults?.[key] ?? undefined;
    if (value !== undefined && value !== null) answers[key] = value;
  }
  // --protect-pages and --protect are optional: left out, the plan protects the pages that call the API and every
  // resource router found (asked only when other answers are).
  const missing = ANSWER_KEYS.filter((key) => answers[key] === undefined && key !== "protectPages" && key !== "protectRouters");
  return { answers, missing, problems: detected?.problems ?? [] };
}

/**
 * The bin's flow, driving node-plop directly (plop's own CLI wrapper mis-parses named flags):
 * answers from flags (and detection with --yes), prompts for the rest on a terminal, then the generator's action.
 */
export async function runCli(options: CliOptions): Promise<number> {
  if (!existsSync(options.root) || !statSync(options.root).isDirectory()) return fail(`--cwd ${options.root} is not a folder`, 2);
  const { answers, missing, problems } = answersFromFlags(options);
  for (const [key, value] of Object.entries(answers) as [keyof Answers, string][]) {
    const error = answerError(options.root, key, value);
    // A manifest that does not parse is a broken file (1); a wrong path or value is bad usage (2).
    if (error) return fail(`${error.message} (nothing was written)`, error instanceof MalformedFileError ? 1 : 2);
  }
  if (missing.length > 0 && problems.length > 0) {
    // The app was not found because its manifest does not parse: say which file, not "nothing detected".
    return fail(`${problems.map((p) => p.message).join("\n")} (nothing was written)`, 1);
  }
  if (missing.length > 0 && !options.interactive) {
    const what = missing.map((key) => ANSWER_FLAGS[key]).join(", ");
    const why = options.yes ? "nothing was detected for them" : "there is no terminal to ask";
    return fail(`missing answers: ${what} (${why}); pass them as flags${options.yes ? "" : ", or --yes to take the detected defaults"}`, 2);
  }
  let result: RunResult | undefined;
  const flags: RunFlags = { dryRun: options.dryRun, force: options.force, onResult: (r) => (result = r) };
  const failures = missing.length > 0 ? await promptAndRun(options, answers, flags) : await runDirectly(options.root, answers, flags);
  if (failures.length > 0) {
    for (const failure of failures) process.stderr.write(`auth-integrator: ${failure}\n`);
    return 1;
  }
  return result ? 0 : 1;
}

/** Every answer known: the generator's action, without loading plop and inquirer (the start-up is benchmarked). */
async function runDirectly(root: string, answers: Partial<Record<keyof Answers, string>>, flags: RunFlags): Promise<string[]> {
  try {
    await runAuthAction(root, answers, flags);
    return [];
  } catch (error) {
    if (error instanceof UserInputError) return [error.message];
    // Not the user's input: a bug of ours, shown with its stack so it can be reported.
    return [`internal error (please report it, with this output): ${(error as Error).stack ?? error}`];
  }
}

/** Asks the missing answers through node-plop's prompts (the given ones are bypassed), then runs the generator's action. */
async function promptAndRun(options: CliOptions, answers: Partial<Record<keyof Answers, string>>, flags: RunFlags): Promise<string[]> {
  const { default: nodePlop } = await import("node-plop");
  const plop = await nodePlop(undefined, { destBasePath: options.root, force: options.force });
  registerAuthGenerator(plop);
  const generator = plop.getGenerator(GENERATOR_NAME);
  // node-plop bypasses a prompt for each positional value; "_" leaves it to be asked.
  const data = await generator.runPrompts(ANSWER_KEYS.map((key) => answers[key] ?? "_"));
  const { failures } = await generator.runActions({ ...data, __flags: flags });
  return failures.map((failure) => String(failure.error));
}
