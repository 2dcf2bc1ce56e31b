import { randomBytes } from "node:crypto";
import path from "node:path";
import { UserInputError } from "../errors.js";
import { parseEnv } from "../editors/env.js";
import { AUTH_SECRETS_KEY, secretVersionEntries } from "../secret-versions.js";
import type { PlanTree } from "../tree.js";

export interface ResolvedSecret {
  value: string;
  /** The env file it was read from, or null when freshly generated. */
  source: string | null;
  /** That file's text, for line numbers in messages. */
  text?: string;
}

/** The env files a secret may already live in, in the order they are trusted. */
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

/** A new secret: 32 cryptographically random bytes, base64url, equal to none of `avoid` (the other secrets it must differ from). */
export function generateSecret(avoid: ReadonlyArray<string | undefined> = []): string {
  let value: string;
  do value = randomBytes(32).toString("base64url");
  while (avoid.includes(value));
  return value;
}

/** 1-based line of the last assignment to `key` in dotenv text (the one that wins), if any. */
function keyLine(text: string, key: string): number | undefined {
  const index = text.split("\n").findLastIndex((line) => new RegExp(`^\\s*(export\\s+)?${key}\\s*=`).test(line));
  return index < 0 ? undefined : index + 1;
}

/** Fewer distinct characters than this marks a value as a placeholder ("xxxx…", "changeme…"), not a secret. */
const MIN_DISTINCT_CHARACTERS = 8;

/**
 * Why a value cannot be a secret, or null — the generated backend's secret_weakness(), so a value the
 * generator accepts is never refused at start-up: under 32 bytes (HS256's minimum, RFC 7518 §3.2),
 * fewer than 8 distinct characters, or a short pattern repeated; for API_JWT_SECRET also a `$`, which
 * Next.js expands in .env files (the frontend would sign with another value than the backend reads).
 */
export function secretWeakness(value: string, key: string): string | null {
  const bytes = Buffer.byteLength(value, "utf8");
  const distinct = new Set(value).size;
  if (bytes < 32) return `is ${bytes} bytes; it needs at least 32`;
  if (distinct < MIN_DISTINCT_CHARACTERS) return `is made of ${distinct} distinct character${distinct === 1 ? "" : "s"}: a placeholder, not a secret`;
  if ((value + value).slice(1, -1).includes(value)) return "is a short pattern repeated: a placeholder, not a secret";
  if (key === "API_JWT_SECRET" && value.includes("$")) return "contains `$`, which Next.js expands in .env files, so the frontend would sign with another value than the backend reads";
  return null;
}

/** Refuses a weak secret (see secretWeakness), naming the file and line that hold it. */
export function assertSecretStrength(secret: ResolvedSecret, key: string): void {
  const problem = secretWeakness(secret.value, key);
  if (!problem) return;
  throw new UserInputError(
    `${key} ${problem} — replace it (e.g. openssl rand -base64 32) in every env file and run again`,
    secret.source ?? undefined,
    secret.source ? keyLine(secret.text ?? "", key) : undefined,
  );
}

/**
 * Reuses the secret `key` (BETTER_AUTH_SECRET, API_JWT_SECRET) already in the repo's env files, or
 * generates one from 32 random bytes. Two different existing values are an error naming both files.
 */
export function resolveSecret(tree: PlanTree, frontendDir: string, backendDir: string, key: string): ResolvedSecret {
  const found: Array<{ file: string; value: string; text: string }> = [];
  for (const file of secretCandidateFiles(frontendDir, backendDir)) {
    const text = tree.read(file);
    if (text === null) continue;
    const value = parseEnv(text, file).get(key);
    if (value) found.push({ file, value, text });
  }
  const distinct = found.filter((f, i) => found.findIndex((g) => g.value === f.value) === i);
  if (distinct.length > 1) {
    const [first, second] = distinct;
    throw new UserInputError(
      `${key} differs between ${first.file} and ${second.file}; make them equal (or delete one) and run again`,
      second.file,
      keyLine(second.text, key),
    );
  }
  if (found.length > 0) return { value: found[0].value, source: found[0].file, text: found[0].text };
  return { value: generateSecret(), source: null };
}

/** The version of BETTER_AUTH_SECRETS (in any candidate env file) whose secret is `value`, with where it is; null when none is. */
function secretVersionHolding(tree: PlanTree, frontendDir: string, backendDir: string, value: string): { label: string; at: string } | null {
  for (const file of secretCandidateFiles(frontendDir, backendDir)) {
    const text = tree.read(file);
    const versions = text === null ? undefined : parseEnv(text, file).get(AUTH_SECRETS_KEY);
    const entry = versions ? secretVersionEntries(versions).find((e) => e.value === value) : undefined;
    if (entry) return { label: entry.label, at: `${file}:${keyLine(text!, AUTH_SECRETS_KEY)}` };
  }
  return null;
}

/** Which of Better Auth's secrets API_JWT_SECRET equals ("BETTER_AUTH_SECRET", "version 2 of BETTER_AUTH_SECRETS (frontend/.env.local:3)"), or null. */
function sharedWithBetterAuth(tree: PlanTree, frontendDir: string, backendDir: string, api: string, authSecret: ResolvedSecret): string | null {
  if (api === authSecret.value) return "BETTER_AUTH_SECRET";
  const version = secretVersionHolding(tree, frontendDir, backendDir, api);
  return version ? `${version.label} of ${AUTH_SECRETS_KEY} (${version.at})` : null;
}

/**
 * The key shared-secret API tokens are signed with (API_JWT_SECRET): reused from the env files, else
 * 32 fresh random bytes; never one of Better Auth's own secrets (BETTER_AUTH_SECRET or a version of
 * BETTER_AUTH_SECRETS), which also sign its sessions and email links.
 */
export function resolveApiTokenSecret(tree: PlanTree, frontendDir: string, backendDir: string, authSecret: ResolvedSecret): ResolvedSecret {
  const secret = resolveSecret(tree, frontendDir, backendDir, "API_JWT_SECRET");
  const shared = sharedWithBetterAuth(tree, frontendDir, backendDir, secret.value, authSecret);
  if (shared) {
    throw new UserInputError(
      `API_JWT_SECRET equals ${shared}; the API's key must be a secret of its own — delete API_JWT_SECRET (a new one is generated) or replace it, and run again`,
      secret.source ?? undefined,
      secret.source ? keyLine(secret.text ?? "", "API_JWT_SECRET") : undefined,
    );
  }
  assertSecretStrength(secret, "API_JWT_SECRET");
  return secret;
}
