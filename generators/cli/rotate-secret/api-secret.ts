/**
 * Rotating the API's key (shared-secret mode): a new API_JWT_SECRET for the frontend and the backend, the old one kept
 * as API_JWT_SECRET_PREVIOUS until API_JWT_SECRET_PREVIOUS_EXPIRES (the token lifetime from now, or --keep-previous).
 */
import { formatDuration } from "../../lib/answers/duration.js";
import { generateSecret, secretWeakness } from "../../lib/steps/secret.js";
import type { Agreed } from "./better-auth-secrets.js";
import { agreedValue, type AppDirs, type EnvFile } from "./env-files.js";
import { tokenLifetime, type TokenLifetime } from "./frontend-config.js";
import { API_PREVIOUS, API_PREVIOUS_EXPIRES, API_SECRET, AUTH_SECRET } from "./options.js";
import type { Rotation } from "./rotation.js";

/** Characters the generated backend refuses in API_JWT_SECRET besides `$` (its secret_weakness()): dotenv readers differ on them. */
const ENV_UNSAFE = /[#'"`\\\s]|[^\x20-\x7e\u00a0-\uffff]/;

export interface ApiRotationInput {
  dirs: AppDirs;
  api: Agreed;
  /** Every value Better Auth holds: the new key and the kept one must differ from them. */
  authValues: string[];
  /** --keep-previous in seconds, as given (null: the token lifetime) and as typed (for the report). */
  keepPrevious: number | null;
  keepPreviousText: string | undefined;
  /** The saved tokenTtl answer, used when lib/auth.ts names no lifetime. */
  savedTokenTtl: string | undefined;
  now: number;
}

/** Why a value cannot be the generated backend's API_JWT_SECRET (or _PREVIOUS): its secret_weakness(), or null. */
function apiKeyWeakness(value: string): string | null {
  const problem = secretWeakness(value, API_SECRET);
  if (problem) return problem;
  if (ENV_UNSAFE.test(value)) return "contains whitespace, a quote, `#` or a backslash, which the frontend's and the backend's .env readers may read differently";
  return null;
}

/** A time in ms as ISO 8601 to the second, rounded up ("2030-01-01T12:15:00Z"). */
function isoSeconds(ms: number): string {
  return new Date(Math.ceil(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Redacts the previous key this rotation replaces, and warns when it was still accepted. */
function replacePrevious(rotation: Rotation, holders: EnvFile[], now: number): void {
  const oldPrevious = agreedValue(holders, API_PREVIOUS);
  if (oldPrevious) rotation.redact(oldPrevious.value);
  const oldExpires = holders.map((f) => f.vars.get(API_PREVIOUS_EXPIRES)).find((v) => v);
  if (oldPrevious && oldExpires && Date.parse(oldExpires) > now) {
    rotation.report.warnings.push(`the key before the current one (${API_PREVIOUS}) was still accepted until ${oldExpires}; it is replaced now, so tokens signed with it get 401 from the backend's restart on (apiFetch then fetches a new token)`);
  }
}

/** Keeps the old key as API_JWT_SECRET_PREVIOUS until the lifetime has passed: the entries to set, and the report's lines. */
function keepOldKey(rotation: Rotation, old: string, keep: number, lifetime: TokenLifetime, now: number): Array<{ key: string; value: string }> {
  const expiresAt = isoSeconds(now + keep * 1000);
  rotation.report.previous = { key: API_PREVIOUS, expiresAt, acceptedFor: formatDuration(keep), tokenLifetime: lifetime.text, tokenLifetimeFrom: lifetime.from };
  rotation.report.effects.push(
    `the backend accepts a token signed with the old key (${API_PREVIOUS}) until ${expiresAt}, ${formatDuration(keep)} from now (the token lifetime is ${lifetime.text}, from ${lifetime.from}), and ignores it after that; remove ${API_PREVIOUS} and ${API_PREVIOUS_EXPIRES} from then on (the next rotate-secret replaces them)`,
  );
  return [
    { key: API_PREVIOUS, value: old },
    { key: API_PREVIOUS_EXPIRES, value: expiresAt },
  ];
}

/** Why the old key cannot be kept as the previous one (the backend would refuse it), or null. */
function previousKeyProblem(old: string, authValues: string[]): string | null {
  return apiKeyWeakness(old) ?? (authValues.includes(old) ? `equals ${AUTH_SECRET}` : null);
}

/** Plans the new API_JWT_SECRET in every env file that holds it, keeping or dropping the old one as API_JWT_SECRET_PREVIOUS. */
export function rotateApiSecret(rotation: Rotation, input: ApiRotationInput): void {
  const { api, authValues, now } = input;
  const value = generateSecret([...authValues, api.value]);
  rotation.redact(api.value, value);
  const lifetime = tokenLifetime(rotation.tree, input.dirs.frontend, input.savedTokenTtl);
  const keep = input.keepPrevious ?? lifetime.seconds;
  replacePrevious(rotation, api.holders, now);
  const problem = keep > 0 ? previousKeyProblem(api.value, authValues) : null;
  if (problem) {
    rotation.report.warnings.push(`the old ${API_SECRET} ${problem}, so it is not kept as ${API_PREVIOUS}: tokens signed with it get 401 from the backend's restart on (apiFetch then fetches a new token)`);
  }
  const kept = keep > 0 && !problem ? keepOldKey(rotation, api.value, keep, lifetime, now) : [];
  if (keep === 0) {
    rotation.report.effects.push(`no previous key is kept (--keep-previous ${input.keepPreviousText}): tokens signed with the old ${API_SECRET} get 401 from the backend's restart on, and apiFetch fetches a new one`);
  }
  const remove = kept.length > 0 ? [] : [API_PREVIOUS, API_PREVIOUS_EXPIRES];
  for (const f of api.holders) rotation.editEnv(f, [{ key: API_SECRET, value }, ...kept], remove);
  rotation.report.rotated.push(API_SECRET);
}
