import nodePlop from "node-plop";
import { registerAuthGenerator, type RunFlags } from "../../generators/auth/index.js";
import type { RunResult } from "../../generators/lib/run.js";
import type { Answers } from "../../generators/lib/types.js";
import { DEFAULT_ANSWERS } from "./answers.js";

/** Runs the `auth` generator through node-plop (as plop does) on a folder; returns plop's failures and our result record. */
export async function runGenerator(
  root: string,
  answers: Partial<Answers> = {},
  flags: Omit<RunFlags, "onResult" | "print"> = {},
): Promise<{ result: RunResult | null; failures: string[]; output: string }> {
  const plop = await nodePlop(undefined, { destBasePath: root, force: flags.force === true });
  registerAuthGenerator(plop);
  let result: RunResult | null = null;
  let output = "";
  const run: RunFlags = { ...flags, print: (text) => (output += text), onResult: (r) => (result = r) };
  const { failures } = await plop.getGenerator("auth").runActions({ ...DEFAULT_ANSWERS, ...answers, __flags: run });
  return { result, failures: failures.map((f) => String(f.error)), output };
}
