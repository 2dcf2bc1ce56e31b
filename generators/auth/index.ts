import type { CustomActionConfig, NodePlopAPI } from "node-plop";
import { createDetection, type Detection } from "../lib/detect/detection.js";
import { UserInputError } from "../lib/errors.js";
import type { InstallReport } from "../lib/install-run.js";
import { runAuthIntegration, type RunResult } from "../lib/run.js";
import { formatSummary, useColor } from "../lib/summary.js";
import type { Answers } from "../lib/types.js";
import { authPrompts, detectedDefaults } from "./prompts.js";
import { formatAnswerLines, jsonReport, type AnswerContext } from "./report.js";
import { resolveAnswers, type SourcedAnswers } from "./resolve.js";
import { readSavedAnswers } from "./saved-answers.js";
import { ANSWER_KEYS, type AnswerKey } from "./schema.js";
import { readProjectSpec } from "./spec-input.js";

export const GENERATOR_NAME = "auth";
export const ACTION_TYPE = "auth-integrator";

/** Options the bin passes to the action through the answers (plop's CLI has no such flags). */
export interface RunFlags {
  dryRun?: boolean;
  force?: boolean;
  /** Print one JSON document instead of the diff and summary. */
  json?: boolean;
  /** The run's detection, reused by the plan. */
  detection?: Detection;
  /** Where each answer came from, and the spec read; shown in the summary and --json. */
  context?: AnswerContext;
  /** Where the summary and diff go; stdout by default. */
  print?: (text: string) => void;
  /** Receives the result record (for the bin's exit code and for tests). */
  onResult?: (result: RunResult) => void;
  /**
   * --install: after the files are written, install the dependencies and run auth:migrate (true); "ask": ask
   * "Install the new dependencies now?" (default no) when the run changed a dependency file; false or absent: neither.
   */
  install?: boolean | "ask";
}

/** Whether the run created or modified a file whose dependencies the install installs (package.json, pyproject.toml...). */
function changedDependencies(result: RunResult): boolean {
  const changed = new Set([...result.created, ...result.modified]);
  return (result.install ?? []).some((command) => command.manifest !== undefined && changed.has(command.manifest));
}

/** --install after the summary (or, under --json, before the document, which then records it); throws when a command failed. */
async function installAfterRun(root: string, result: RunResult, flags: RunFlags, print: (text: string) => void): Promise<InstallReport | null> {
  if (!flags.install) return null;
  if (flags.install === "ask" && (flags.dryRun || flags.json || !changedDependencies(result))) return null;
  const { askInstall, runInstall } = await import("../lib/install-run.js");
  if (flags.install === "ask" && !(await askInstall())) return null;
  return runInstall(root, result.install ?? [], { dryRun: flags.dryRun === true, json: flags.json === true, print });
}

/** Keeps only the answer keys, trimmed: plop hands over every bypass and prompt value as-is. */
function pickAnswers(data: Record<string, unknown>): Answers {
  // A long lifetime declined at the prompt was replaced by the follow-up answer.
  const values = data.keepLongTokenTtl === false && data.shorterTokenTtl ? { ...data, tokenTtl: data.shorterTokenTtl } : data;
  return Object.fromEntries(ANSWER_KEYS.map((key) => [key, String(values[key] ?? "").trim()])) as unknown as Answers;
}

/** The sources of the answers a prompt run ended with: an offered default kept its source, anything else was typed. */
export function promptedSources(data: Record<string, unknown>, offered: SourcedAnswers): SourcedAnswers {
  const answers = pickAnswers(data);
  return Object.fromEntries(
    ANSWER_KEYS.map((key: AnswerKey) => {
      const value = answers[key];
      const was = offered[key];
      return [key, was && was.value === value ? was : { value, source: "prompt" as const }];
    }),
  );
}

/** The answers the user chose (a flag, a prompt, a saved one): what .auth-integrator.json records for the next run. */
function chosenAnswers(answers: SourcedAnswers): Record<string, string> {
  const chosen = Object.entries(answers).filter(([, answer]) => answer && ["flag", "prompt", "saved"].includes(answer.source));
  return Object.fromEntries(chosen.map(([key, answer]) => [key, answer!.value]));
}

/**
 * What the action does, callable without plop: the bin uses it directly when every answer is
 * known, so a non-interactive run does not load plop's prompt machinery.
 */
export async function runAuthAction(root: string, data: Record<string, unknown>, flags: RunFlags): Promise<string> {
  const { dryRun, force } = flags;
  const print = flags.print ?? ((text: string) => process.stdout.write(text));
  let result: RunResult;
  try {
    result = runAuthIntegration(root, pickAnswers(data), { dryRun, force, detection: flags.detection, chosenAnswers: flags.context && chosenAnswers(flags.context.answers) });
  } catch (error) {
    // Still a UserInputError (callers tell the user's mistakes from our bugs by the class), now saying that nothing was written.
    if (error instanceof UserInputError) error.message = `${error.message} (nothing was written)`;
    throw error;
  }
  let install: InstallReport | null = null;
  if (flags.json) {
    install = await installAfterRun(root, result, flags, print);
    const report = jsonReport(result, flags.context ?? { answers: {}, spec: null, specNotices: [] });
    print(`${JSON.stringify(install ? { ...report, install } : report, null, 2)}\n`);
  } else {
    if (result.diff) print(result.diff);
    const answerLines = flags.context ? formatAnswerLines(flags.context) : [];
    print(`${answerLines.map((line) => `${line}\n`).join("")}${formatSummary(result, useColor(process.stdout))}`);
  }
  flags.onResult?.(result);
  if (!flags.json) install = await installAfterRun(root, result, flags, print);
  if (install?.failure) {
    const { InstallFailedError } = await import("../lib/install-run.js");
    throw new InstallFailedError(install.failure);
  }
  const changed = result.created.length + result.modified.length;
  return changed === 0 ? "nothing to do" : `${changed} file(s) ${dryRun ? "would change" : "changed"}`;
}

/** The answers plop's prompts offer: the project's spec, then the saved answers, then detection, then the fixed defaults; read once per root. */
function offeredAnswers(detection: () => Detection): () => Promise<{ answers: SourcedAnswers; context: AnswerContext }> {
  let cached: { root: string; offered: Promise<{ answers: SourcedAnswers; context: AnswerContext }> } | null = null;
  return () => {
    const current = detection();
    if (cached?.root !== current.root) {
      const offered = readProjectSpec(current.root, {}).then(({ report, notice }) => {
        const { answers, warnings } = resolveAnswers({ given: {}, spec: report, saved: readSavedAnswers(current.root), detectedValue: detectedDefaults(current) });
        return { answers, context: { answers, spec: report, specNotices: [...(notice ? [notice] : []), ...warnings] } };
      });
      cached = { root: current.root, offered };
    }
    return cached.offered;
  };
}

/** What the bin already worked out: its detection and the answers it offers (flags, spec, defaults). */
export interface KnownContext {
  detection?: Detection;
  offered?: SourcedAnswers;
}

/** Registers the `auth` generator and its action on a plop instance (the pack's named export). */
export function registerAuthGenerator(plop: NodePlopAPI, known: KnownContext = {}): void {
  let detectionCache: Detection | null = known.detection ?? null;
  const detection = () => {
    const root = plop.getDestBasePath();
    if (detectionCache?.root !== root) detectionCache = createDetection(root);
    return detectionCache;
  };
  const offered = offeredAnswers(detection);
  // The bin passes the answers it resolved for the prompts' defaults, and its own context to the action.
  const promptDefaults = known.offered ? async () => known.offered! : async () => (await offered()).answers;
  /** The single plop action: plans every change in memory, then writes all of it or none. */
  const action = async (data: Record<string, unknown>, config: CustomActionConfig<string>): Promise<string> => {
    const flags = (data.__flags ?? {}) as RunFlags;
    // Under plop's own CLI, --dry-run passes through its lenient argument parser untouched.
    const dryRun = flags.dryRun ?? process.argv.slice(2).includes("--dry-run");
    const force = flags.force ?? config.force === true;
    const run = flags.context ? { data, context: flags.context } : await withOffered(data, offered);
    return runAuthAction(plop.getDestBasePath(), run.data, { detection: detection(), ...flags, dryRun, force, context: run.context });
  };
  plop.setActionType(ACTION_TYPE, action as never);
  plop.setGenerator(GENERATOR_NAME, {
    description: "Add Better Auth + JWT authentication to a Next.js + FastAPI monorepo",
    prompts: authPrompts(detection, promptDefaults),
    actions: [{ type: ACTION_TYPE }],
  });
}

/**
 * A plop run's answers completed with the offered ones it was not asked (the spec's password length, say),
 * and their sources against what the prompts offered.
 */
async function withOffered(
  data: Record<string, unknown>,
  offered: () => Promise<{ answers: SourcedAnswers; context: AnswerContext }>,
): Promise<{ data: Record<string, unknown>; context: AnswerContext }> {
  // Every answer already given (a caller passing them all): nothing to offer, nothing to read.
  if (ANSWER_KEYS.every((key) => key in data)) return { data, context: { answers: promptedSources(data, {}), spec: null, specNotices: [] } };
  const { answers, context } = await offered();
  const unasked = Object.fromEntries(ANSWER_KEYS.filter((key) => !(key in data) && answers[key]).map((key) => [key, answers[key]!.value]));
  const complete = { ...unasked, ...data };
  return { data: complete, context: { ...context, answers: promptedSources(complete, answers) } };
}
