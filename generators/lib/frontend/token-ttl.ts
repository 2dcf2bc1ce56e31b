import { compactDuration, parseDuration } from "../answers/duration.js";
import { UserInputError } from "../errors.js";

/**
 * The token lifetime as the jwt plugin's `expirationTime` string: "15m" stays, "900" becomes
 * "900s" (a number there would be read as an absolute expiry timestamp, not a duration).
 */
export function expirationTime(tokenTtl: string): string {
  const span = compactDuration(tokenTtl);
  if (span === null) throw new UserInputError(`token lifetime "${tokenTtl}" is not a duration like 15m, 1h or 900 (seconds)`);
  return span;
}

/** The token lifetime in seconds ("15m" → 900, "900" → 900); throws like expirationTime on a bad value. */
export function ttlSeconds(tokenTtl: string): number {
  expirationTime(tokenTtl);
  return parseDuration(tokenTtl)!;
}

/** Above this, a lifetime is asked about again (prompt) or warned about (--yes): a token outlives its sign-out. */
export const LONG_TOKEN_TTL_SECONDS = 3600;

/** Why a long lifetime is risky, or null for one hour or less. */
export function longTtlWarning(tokenTtl: string): string | null {
  if (ttlSeconds(tokenTtl) <= LONG_TOKEN_TTL_SECONDS) return null;
  return `API tokens live ${tokenTtl}: a copied token keeps working that long, and signing out does not end it (the API checks only the signature and expiry); 15m to 1h is the usual choice — pass --token-ttl 15m to shorten it`;
}
