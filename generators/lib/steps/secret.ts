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

/** 1-based line of the last assignment to `key` in dotenv text (the one that wins), if any. */
function keyLine(text: string, key: string): number | undefined {
  const index = text.split("\n").findLastIndex((line) => new RegExp(`^\\s*(export\\s+)?${key}\\s*=`).test(line));
  return index < 0 ? undefined : index + 1;
}

/** HS256 needs a key of at least 32 bytes (RFC 7518 §3.2); the generated backend refuses to start with less. */
export function assertHmacStrength(secret: ResolvedSecret): void {
  const bytes = Buffer.byteLength(secret.value, "utf8");
  if (bytes < 32) {
    throw new UserInputError(
      `BETTER_AUTH_SECRET is ${bytes} bytes; shared-secret (HS256) mode needs at least 32 — replace it (e.g. openssl rand -base64 32) in every env file and run again`,
      secret.source ?? undefined,
    );
  }
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
    const [first, second] = distinct;
    throw new UserInputError(
      `BETTER_AUTH_SECRET differs between ${first.file} and ${second.file}; make them equal (or delete one) and run again`,
      second.file,
      keyLine(tree.read(second.file) ?? "", "BETTER_AUTH_SECRET"),
    );
  }
  if (found.length > 0) return { value: found[0].value, source: found[0].file };
  return { value: randomBytes(32).toString("base64url"), source: null };
}
