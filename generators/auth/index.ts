import type { CustomActionConfig, NodePlopAPI } from "node-plop";
import { UserInputError } from "../lib/errors.js";
import { runAuthIntegration, type RunResult } from "../lib/run.js";
import { formatSummary, useColor } from "../lib/summary.js";
import type { Answers } from "../lib/types.js";
import { ANSWER_KEYS, authPrompts, lazyDetection } from "./prompts.js";

export const GENERATOR_NAME = "auth";
export const ACTION_TYPE = "auth-integrator";

/** Options the bin passes to the action through the answers (plop's CLI has no such flags). */
export interface RunFlags {
  dryRun?: boolean;
  force?: boolean;
  /** Where the summary and diff go; stdout by default. */
  print?: (text: string) => void;
  /** Receives the result record (for the bin's exit code and for tests). */
  onResult?: (result: RunResult) => void;
}

/** Keeps only the answer keys, trimmed: plop hands over every bypass and prompt value as-is. */
function pickAnswers(data: Record<string, unknown>): Answers {
  // A long lifetime declined at the prompt was replaced by the follow-up answer.
  const values = data.keepLongTokenTtl === false && data.shorterTokenTtl ? { ...data, tokenTtl: data.shorterTokenTtl } : data;
  return Object.fromEntries(ANSWER_KEYS.map((key) => [key, String(values[key] ?? "").trim()])) as unknown as Answers;
}

/** The single plop action: plans every change in memory, then writes all of it or none. */
async function applyAuthIntegration(data: Record<string, unknown>, config: CustomActionConfig<string>, plop: NodePlopAPI): Promise<string> {
  const flags = (data.__flags ?? {}) as RunFlags;
  // Under plop's own CLI, --dry-run passes through its lenient argument parser untouched.
  const dryRun = flags.dryRun ?? process.argv.slice(2).includes("--dry-run");
  const force = flags.force ?? config.force === true;
  return runAuthAction(plop.getDestBasePath(), data, { ...flags, dryRun, force });
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
    result = runAuthIntegration(root, pickAnswers(data), { dryRun, force });
  } catch (error) {
    // Still a UserInputError (callers tell the user's mistakes from our bugs by the class), now saying that nothing was written.
    if (error instanceof UserInputError) error.message = `${error.message} (nothing was written)`;
    throw error;
  }
  if (result.diff) print(result.diff);
  print(formatSummary(result, useColor(process.stdout)));
  flags.onResult?.(result);
  const changed = result.created.length + result.modified.length;
  return changed === 0 ? "nothing to do" : `${changed} file(s) ${dryRun ? "would change" : "changed"}`;
}

/** Registers the `auth` generator and its action on a plop instance (the pack's named export). */
export function registerAuthGenerator(plop: NodePlopAPI): void {
  const root = () => plop.getDestBasePath();
  plop.setActionType(ACTION_TYPE, applyAuthIntegration as never);
  plop.setGenerator(GENERATOR_NAME, {
    description: "Add Better Auth + JWT authentication to a Next.js + FastAPI monorepo",
    prompts: authPrompts(root, lazyDetection(root)),
    actions: [{ type: ACTION_TYPE }],
  });
}
