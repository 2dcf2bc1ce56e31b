import { randomBytes } from "node:crypto";
import path from "node:path";
import { UserInputError } from "../errors.js";
import { parseEnv } from "../editors/env.js";
import type { PlanTree } from "../tree.js";

export interface ResolvedSecret {
  value: string;
  /** The env file it was read from, or null when freshly generated. */
  source: string | null;
}

/** The env files a BETTER_AUTH_SECRET may already live in, in the order they are trusted. */
export function secretCandidateFiles(frontendDir: string, backendDir: string): string[] {
  const files = [
    path.posix.join(frontendDir, ".env.local"),
    path.posix.join(frontendDir, ".env"),
    path.posix.join(backendDir, ".env"),
    ".env",
    ".env.local",
  ];
  return [...new Set(files.map((f) => path.posix.normalize(f)))];
}

/**
 * Reuses the BETTER_AUTH_SECRET already in the repo's env files, or generates one from
 * 32 random bytes. Two different existing values are an error naming both files.
 */
export function resolveSecret(tree: PlanTree, frontendDir: string, backendDir: string): ResolvedSecret {
  const found: Array<{ file: string; value: string }> = [];
  for (const file of secretCandidateFiles(frontendDir, backendDir)) {
    const text = tree.read(file);
    if (text === null) continue;
    const value = parseEnv(text, file).get("BETTER_AUTH_SECRET");
    if (value) found.push({ file, value });
  }
  const distinct = found.filter((f, i) => found.findIndex((g) => g.value === f.value) === i);
  if (distinct.length > 1) {
    throw new UserInputError(
      `BETTER_AUTH_SECRET differs between ${distinct[0].file} and ${distinct[1].file}; make them equal (or delete one) and run again`,
      distinct[1].file,
    );
  }
  if (found.length > 0) return { value: found[0].value, source: found[0].file };
  return { value: randomBytes(32).toString("base64url"), source: null };
}
