import { existsSync, statSync } from "node:fs";
import { ANSWER_FLAGS, ANSWER_KEYS, PROMPT_KEYS, answerError, detectedDefaults } from "../auth/prompts.js";
import { GENERATOR_NAME, promptedSources, registerAuthGenerator, runAuthAction, type RunFlags } from "../auth/index.js";
import type { AnswerContext } from "../auth/report.js";
import { answerValues, resolveAnswers, type SourcedAnswers } from "../auth/resolve.js";
import { answerOption, type AnswerKey } from "../auth/schema.js";
import { readSavedAnswers, type SavedAnswers } from "../auth/saved-answers.js";
import { readProjectSpec, specConflictMessages, type SpecInput } from "../auth/spec-input.js";
import { createDetection, type Detection } from "../lib/detect/detection.js";
import { MalformedFileError, UserInputError } from "../lib/errors.js";
import type { RunResult } from "../lib/run.js";
import type { Answers } from "../lib/types.js";

export interface CliOptions {
  root: string;
  yes: boolean;
  dryRun: boolean;
  force: boolean;
  /** --install: install the dependencies and run auth:migrate after the files are written. */
  install?: boolean;
  /** One JSON document on stdout instead of the diff and summary; never prompts. */
  json?: boolean;
  /** --spec PATH; --no-spec; --strict-spec (a conflict in the spec is an error). */
  spec?: string;
  noSpec?: boolean;
  strictSpec?: boolean;
  /** Answers given as flags; undefined where not given. */
  given: Partial<Record<keyof Answers, string>>;
  /** Whether prompts can be shown (stdin and stdout are terminals). */
  interactive: boolean;
}

const fail = (message: string, code: number): number => {
  process.stderr.write(`auth-integrator: ${message}\n`);
  return code;
};

/** The answers a run takes without asking: flags, and the answers no prompt asks; with --yes, every answer. */
function takenWithoutAsking(options: CliOptions, answers: SourcedAnswers): SourcedAnswers {
  const taken = Object.entries(answers).filter(([key, answer]) => options.yes || answer.source === "flag" || !answerOption(key as AnswerKey).prompt);
  return Object.fromEntries(taken);
}

/** Required answers a run without a terminal lacks: the spec's and the saved ones count as given, detected and default ones need --yes. */
function missingWithoutTerminal(options: CliOptions, answers: SourcedAnswers): AnswerKey[] {
  const given = ["flag", "spec", "saved"];
  const known = (answer: SourcedAnswers[AnswerKey]) => answer !== undefined && (options.yes || given.includes(answer.source));
  return ANSWER_KEYS.filter((key) => answerOption(key).required && !known(answers[key]));
}

/** The given flags' problems: a manifest that does not parse is a broken file (1), a wrong path or value bad usage (2). */
function flagError(detection: Detection, given: CliOptions["given"]): { message: string; code: number } | null {
  for (const [key, value] of Object.entries(given) as [AnswerKey, string | undefined][]) {
    const error = value === undefined ? null : answerError(detection, key, value);
    if (error) return { message: `${error.message} (nothing was written)`, code: error instanceof MalformedFileError ? 1 : 2 };
  }
  return null;
}

/**
 * The bin's flow, driving node-plop directly (plop's own CLI wrapper mis-parses named flags): the spec, then
 * answers from flags, spec, detection (run once) and defaults, prompts for the rest on a terminal, then the action.
 */
export async function runCli(options: CliOptions): Promise<number> {
  if (!existsSync(options.root) || !statSync(options.root).isDirectory()) return fail(`--cwd ${options.root} is not a folder`, 2);
  let spec: SpecInput;
  try {
    spec = await readProjectSpec(options.root, { path: options.spec, disabled: options.noSpec });
  } catch (error) {
    if (error instanceof UserInputError) return fail(`${error.message} (nothing was written)`, 2);
    throw error;
  }
  if (options.strictSpec && spec.report && spec.report.conflicts.length > 0) {
    return fail(`${specConflictMessages(spec.report).join("\n")}\n(--strict-spec: pass the answer as a flag or fix the spec; nothing was written)`, 2);
  }
  let saved: SavedAnswers | null;
  try {
    saved = readSavedAnswers(options.root);
  } catch (error) {
    if (error instanceof MalformedFileError) return fail(`${error.message} (nothing was written)`, 1);
    throw error;
  }
  const detection = createDetection(options.root);
  const badFlag = flagError(detection, options.given);
  if (badFlag) return fail(badFlag.message, badFlag.code);
  const frontendDir = () => options.given.frontend ?? saved?.answers.frontend;
  const resolved = resolveAnswers({ given: options.given, spec: spec.report, saved, detectedValue: detectedDefaults(detection, frontendDir) });
  for (const [key, answer] of Object.entries(resolved.answers) as [AnswerKey, SourcedAnswers[AnswerKey]][]) {
    const error = answer!.source === "flag" ? null : answerError(detection, key, answer!.value);
    if (error) return fail(`${error.message} (nothing was written)`, error instanceof MalformedFileError ? 1 : 2);
  }
  const context: AnswerContext = { answers: resolved.answers, spec: spec.report, specNotices: [...(spec.notice ? [spec.notice] : []), ...resolved.warnings], savedNotices: saved?.warnings ?? [] };
  const taken = takenWithoutAsking(options, resolved.answers);
  const unasked = PROMPT_KEYS.filter((key) => !taken[key]);
  const canAsk = options.interactive && !options.json;
  const missing = canAsk ? ANSWER_KEYS.filter((key) => answerOption(key).required && !resolved.answers[key]) : missingWithoutTerminal(options, resolved.answers);
  const problems = missing.length > 0 ? detection.repo().problems : [];
  // The app was not found because its manifest does not parse: say which file, not "nothing detected".
  if (problems.length > 0) return fail(`${problems.map((p) => p.message).join("\n")} (nothing was written)`, 1);
  if (missing.length > 0 && !canAsk) {
    const what = missing.map((key) => ANSWER_FLAGS[key]).join(", ");
    const why = options.yes ? "nothing was detected for them" : options.json ? "--json never prompts" : "there is no terminal to ask";
    return fail(`missing answers: ${what} (${why}); pass them as flags${options.yes ? "" : ", or --yes to take the detected defaults"}`, 2);
  }
  let result: RunResult | undefined;
  // Not an answer (never saved): --install runs it; a terminal run without --yes asks, default no.
  const install = options.install ? true : canAsk && !options.yes && !options.dryRun ? "ask" : false;
  const flags: RunFlags = { dryRun: options.dryRun, force: options.force, json: options.json, install, detection, context, onResult: (r) => (result = r) };
  const ask = canAsk && unasked.length > 0;
  const failures = ask ? await promptAndRun(options, taken, resolved.answers, flags) : await runDirectly(options.root, answerValues(resolved.answers), flags);
  if (failures.length > 0) {
    for (const failure of failures) process.stderr.write(`auth-integrator: ${failure}\n`);
    return 1;
  }
  return result ? 0 : 1;
}

/** Every answer known: the generator's action, without loading plop and inquirer (the start-up is benchmarked). */
async function runDirectly(root: string, answers: Partial<Record<AnswerKey, string>>, flags: RunFlags): Promise<string[]> {
  try {
    await runAuthAction(root, answers, flags);
    return [];
  } catch (error) {
    if (error instanceof UserInputError) return [error.message];
    // Not the user's input: a bug of ours, shown with its stack so it can be reported.
    return [`internal error (please report it, with this output): ${(error as Error).stack ?? error}`];
  }
}

/**
 * Asks the answers not taken through node-plop's prompts (the taken ones are bypassed; defaults and their sources
 * come from the resolved answers), then runs the generator's action with every answer and where it came from.
 */
async function promptAndRun(options: CliOptions, taken: SourcedAnswers, offered: SourcedAnswers, flags: RunFlags): Promise<string[]> {
  const { default: nodePlop } = await import("node-plop");
  const plop = await nodePlop(undefined, { destBasePath: options.root, force: options.force });
  registerAuthGenerator(plop, { detection: flags.detection, offered });
  const generator = plop.getGenerator(GENERATOR_NAME);
  // node-plop bypasses a prompt for each positional value; "_" leaves it to be asked.
  const data = await generator.runPrompts(PROMPT_KEYS.map((key) => taken[key]?.value ?? "_"));
  const complete = { ...answerValues(offered), ...data } as Record<string, unknown>;
  const answers = promptedSources(complete, offered);
  const { failures } = await generator.runActions({ ...complete, __flags: { ...flags, context: { ...flags.context!, answers } } });
  return failures.map((failure) => String(failure.error));
}
