/** What `rotate-secret` is asked to do: its options, the names of the variables it rotates, and its usage errors. */
import { parseDuration } from "../../lib/answers/duration.js";

/** The keys `--key` takes; `all` is every key the repo holds (BETTER_AUTH_SECRET, and API_JWT_SECRET in shared-secret mode). */
export const ROTATABLE_KEYS = ["BETTER_AUTH_SECRET", "API_JWT_SECRET", "all"] as const;

export const AUTH_SECRET = "BETTER_AUTH_SECRET";
export const API_SECRET = "API_JWT_SECRET";
export const API_PREVIOUS = "API_JWT_SECRET_PREVIOUS";
export const API_PREVIOUS_EXPIRES = "API_JWT_SECRET_PREVIOUS_EXPIRES";

export interface RotateSecretOptions {
  /** The monorepo root. */
  root: string;
  /** BETTER_AUTH_SECRET, API_JWT_SECRET or all (the default). */
  key?: string;
  /** How long API_JWT_SECRET_PREVIOUS stays accepted: a duration ("15m", "1h", seconds), or 0/none for no previous key. Default: the token lifetime. */
  keepPrevious?: string;
  /** The Next.js and FastAPI folders; from the saved answers or detected when absent. */
  frontend?: string;
  backend?: string;
  /** Print the redacted diffs and write nothing. */
  dryRun: boolean;
  /** Print one JSON object on stdout and nothing else. */
  json: boolean;
  /** The current time in ms (tests); Date.now() when absent. */
  now?: number;
}

/** A failure with its exit status: 1 for a file (malformed, inconsistent, nothing to rotate), 2 for bad usage. */
export class RotateError extends Error {
  constructor(
    message: string,
    readonly code: 1 | 2,
  ) {
    super(message);
  }
}

/** --key, checked; throws RotateError (exit 2) for anything but ROTATABLE_KEYS. */
export function rotatedKey(options: RotateSecretOptions): (typeof ROTATABLE_KEYS)[number] {
  const key = options.key ?? "all";
  if (!(ROTATABLE_KEYS as readonly string[]).includes(key)) throw new RotateError(`--key must be one of ${ROTATABLE_KEYS.join(", ")}, not "${key}"`, 2);
  return key as (typeof ROTATABLE_KEYS)[number];
}

/** --keep-previous in seconds (0 for none), or null when not given (then the token lifetime); throws RotateError (exit 2) for a non-duration. */
export function keepPreviousSeconds(options: RotateSecretOptions): number | null {
  if (options.keepPrevious === undefined) return null;
  const seconds = /^(0|none)$/i.test(options.keepPrevious.trim()) ? 0 : parseDuration(options.keepPrevious);
  if (seconds === null) throw new RotateError(`--keep-previous must be a duration (15m, 1h, 900) or 0/none, not "${options.keepPrevious}"`, 2);
  return seconds;
}
