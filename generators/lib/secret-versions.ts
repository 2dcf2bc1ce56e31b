/**
 * BETTER_AUTH_SECRETS, Better Auth's versioned secrets ("2:new,1:old", newest first), read and written as
 * better-auth 1.7's parseSecretsEnv reads them. Shared by rotate-secret (which adds versions), doctor (which
 * checks them) and auth (which keeps API_JWT_SECRET apart from every one of them).
 */
import { UserInputError } from "./errors.js";

export const AUTH_SECRETS_KEY = "BETTER_AUTH_SECRETS";

/** One versioned secret of BETTER_AUTH_SECRETS ("2:value"). */
export interface SecretVersion {
  version: number;
  value: string;
}

/** One "<version>:<secret>" entry, or why Better Auth would refuse it. */
function parseEntry(entry: string, index: number, file: string, line: number | undefined): SecretVersion {
  const trimmed = entry.trim();
  const colon = trimmed.indexOf(":");
  const where = `entry ${index + 1}`;
  if (colon < 0) throw new UserInputError(`${AUTH_SECRETS_KEY}: ${where} is not <version>:<secret>`, file, line);
  const versionText = trimmed.slice(0, colon).trim();
  if (!/^\d+$/.test(versionText)) throw new UserInputError(`${AUTH_SECRETS_KEY}: ${where} has no non-negative integer version`, file, line);
  const secret = trimmed.slice(colon + 1).trim();
  if (!secret) throw new UserInputError(`${AUTH_SECRETS_KEY}: ${where} has an empty secret`, file, line);
  return { version: Number(versionText), value: secret };
}

/** Parses BETTER_AUTH_SECRETS ("2:new,1:old"), refusing what Better Auth would refuse; errors name `file:line`, never a value. */
export function parseSecretVersions(value: string, file: string, line: number | undefined): SecretVersion[] {
  const versions = value.split(",").map((entry, index) => parseEntry(entry, index, file, line));
  const seen = new Set<number>();
  for (const { version } of versions) {
    if (seen.has(version)) throw new UserInputError(`${AUTH_SECRETS_KEY}: version ${version} appears twice`, file, line);
    seen.add(version);
  }
  return versions;
}

/** The entries of a BETTER_AUTH_SECRETS value without checking its form, each named for messages: "2:a,x" → [{ "version 2", a }, { "entry 2", x }]. */
export function secretVersionEntries(value: string): Array<{ label: string; value: string }> {
  return value.split(",").map((entry, index) => {
    const version = entry.slice(0, Math.max(entry.indexOf(":"), 0)).trim();
    return { label: /^\d+$/.test(version) ? `version ${version}` : `entry ${index + 1}`, value: entry.slice(entry.indexOf(":") + 1).trim() };
  });
}

/** The secrets of a BETTER_AUTH_SECRETS value without checking its form (for comparisons and redaction): "2:a,1:b" → ["a", "b"]. */
export function secretVersionValues(value: string): string[] {
  return secretVersionEntries(value).map((entry) => entry.value);
}

/** The version a new secret gets: one above the highest. */
export function nextSecretVersion(versions: SecretVersion[]): number {
  return Math.max(...versions.map((v) => v.version)) + 1;
}

/** Versions as BETTER_AUTH_SECRETS text, in the order given: [{2, a}, {1, b}] → "2:a,1:b". */
export function formatSecretVersions(versions: SecretVersion[]): string {
  return versions.map((v) => `${v.version}:${v.value}`).join(",");
}
