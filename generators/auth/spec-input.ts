import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { UserInputError } from "../lib/errors.js";
import { locateSpec, readSpecFile } from "../lib/spec/locate.js";
import type { SpecReport } from "../lib/spec/types.js";

/** Which spec to read: a given path, the one found in the repo, or none (--no-spec). */
export interface SpecChoice {
  /** --spec PATH, relative to the repo root or absolute. */
  path?: string;
  /** --no-spec. */
  disabled?: boolean;
}

/** The spec read (or null), and why a found spec was not used. */
export interface SpecInput {
  report: SpecReport | null;
  notice: string | null;
}

/**
 * Reads the project's authentication spec. A given path that is missing, unreadable or not UTF-8 is the user's
 * mistake (UserInputError); a found spec that cannot be decoded is named and the run goes on without it.
 * The Markdown parser is imported only here, only when there is a spec to parse.
 */
export async function readProjectSpec(root: string, choice: SpecChoice): Promise<SpecInput> {
  if (choice.disabled) return { report: null, notice: null };
  const rel = choice.path === undefined ? locateSpec(root) : path.relative(root, path.resolve(root, choice.path)).split(path.sep).join("/");
  if (rel === null) return { report: null, notice: null };
  if (choice.path !== undefined && (!existsSync(path.join(root, rel)) || !statSync(path.join(root, rel)).isFile())) {
    throw new UserInputError(`--spec ${choice.path}: no such file`);
  }
  const read = readSpecFile(root, rel);
  if ("error" in read) {
    if (choice.path !== undefined) throw new UserInputError(`--spec ${choice.path}: ${read.error}`);
    return { report: null, notice: `${read.error}; the run goes on without a spec` };
  }
  const { readSpec } = await import("../lib/spec/read-spec.js");
  return { report: readSpec(read.text, rel), notice: null };
}

/** The spec's conflicts as one error per conflict, for --strict-spec. */
export function specConflictMessages(report: SpecReport): string[] {
  return report.conflicts.map(
    (conflict) => `${report.file}: the spec disagrees on ${conflict.key}: ${conflict.findings.map((f) => `line ${f.line} says ${f.value} ("${f.text}")`).join("; ")}`,
  );
}
