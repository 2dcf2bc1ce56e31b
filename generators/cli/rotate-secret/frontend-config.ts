/** What the frontend's own files say about a rotation: the token lifetime, and whether Better Auth would read BETTER_AUTH_SECRETS. */
import path from "node:path";
import { parseDuration } from "../../lib/answers/duration.js";
import { BETTER_AUTH_FLOOR, compareVersions, lockedBetterAuth, parseVersion, rangeFloor } from "../../lib/frontend/better-auth-version.js";
import { AUTH_SECRETS_KEY } from "../../lib/secret-versions.js";
import type { PlanTree } from "../../lib/tree.js";
import type { FrontendInfo } from "../../lib/types.js";
import { RotateError } from "./options.js";

/** Where Better Auth's config may be, relative to the frontend. */
const AUTH_CONFIG_FILES = ["lib/auth.ts", "src/lib/auth.ts", "lib/auth.js", "src/lib/auth.js"];
/** The token lifetime the generator writes when none is given: what is assumed when lib/auth.ts does not say. */
const DEFAULT_TOKEN_TTL = "15m";

/** The frontend's Better Auth config files that exist, with their text. */
function authConfigs(tree: PlanTree, frontendDir: string): Array<{ file: string; text: string }> {
  return AUTH_CONFIG_FILES.map((rel) => path.posix.normalize(path.posix.join(frontendDir, rel)))
    .map((file) => ({ file, text: tree.read(file) }))
    .filter((config): config is { file: string; text: string } => config.text !== null);
}

/** The 1-based line of a character offset in `text`. */
const lineAt = (text: string, offset: number): number => text.slice(0, offset).split("\n").length;

export interface TokenLifetime {
  seconds: number;
  text: string;
  /** Where it was read: "frontend/lib/auth.ts:12", the saved answer, or the default. */
  from: string;
}

/** The jwt plugin's token lifetime in the frontend's lib/auth.ts, with where it was read; the saved answer, else the default. */
export function tokenLifetime(tree: PlanTree, frontendDir: string, saved: string | undefined): TokenLifetime {
  for (const { file, text } of authConfigs(tree, frontendDir)) {
    const match = /expirationTime\s*:\s*(?:["'`]([^"'`\n]+)["'`]|(\d+))/.exec(text);
    const value = match?.[1] ?? match?.[2];
    const seconds = value === undefined ? null : parseDuration(value);
    if (seconds !== null) return { seconds, text: value!, from: `${file}:${lineAt(text, match!.index)}` };
  }
  const fallback = saved ?? DEFAULT_TOKEN_TTL;
  return { seconds: parseDuration(fallback)!, text: fallback, from: saved ? ".auth-integrator.json (saved answer tokenTtl)" : "the default (lib/auth.ts names no expirationTime)" };
}

/** The frontend's lib/auth.ts line when it passes `secrets` itself: then BETTER_AUTH_SECRETS in the env files would be ignored. */
function ownSecretsOption(tree: PlanTree, frontendDir: string): string | null {
  for (const { file, text } of authConfigs(tree, frontendDir)) {
    const match = /^\s*secrets\s*:/m.exec(text);
    if (match) return `${file}:${lineAt(text, match.index + match[0].search(/\S/))}`;
  }
  return null;
}

/** The installed (else the lowest declared) better-auth version, with the file it was read from. */
function betterAuthVersion(tree: PlanTree, frontendDir: string): { version: ReturnType<typeof parseVersion>; where: string | undefined } {
  const locked = lockedBetterAuth(tree, { dir: frontendDir } as FrontendInfo);
  const version = locked ? parseVersion(locked.version) : null;
  if (version) return { version, where: locked?.file };
  const pkgFile = path.posix.normalize(path.posix.join(frontendDir, "package.json"));
  const range = /"better-auth"\s*:\s*"([^"]+)"/.exec(tree.read(pkgFile) ?? "")?.[1];
  return { version: range ? rangeFloor(range) : null, where: pkgFile };
}

/** Refuses a frontend that would ignore BETTER_AUTH_SECRETS: its own `secrets` option, or a better-auth older than the one checked. */
export function assertReadsSecretVersions(tree: PlanTree, frontendDir: string): void {
  const own = ownSecretsOption(tree, frontendDir);
  if (own) {
    throw new RotateError(`${own}: lib/auth.ts passes \`secrets\` to betterAuth() itself, so ${AUTH_SECRETS_KEY} in the env files would be ignored; add the new version there by hand (nothing was written)`, 1);
  }
  const { version, where } = betterAuthVersion(tree, frontendDir);
  if (version && compareVersions(version, parseVersion(BETTER_AUTH_FLOOR)!) < 0) {
    throw new RotateError(
      `${where}: better-auth ${version.slice(0, 3).join(".")} is older than ${BETTER_AUTH_FLOOR}, whose versioned secrets (${AUTH_SECRETS_KEY}) this rotation relies on; an older one would ignore them and keep signing with the old secret. Run \`npx auth-integrator auth\` (it raises the range) and install, then rotate (nothing was written)`,
      1,
    );
  }
}
