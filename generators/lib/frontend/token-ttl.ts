import { UserInputError } from "../errors.js";

const TIME_SPAN = /^\d+(\.\d+)?(s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)$/i;

/**
 * The token lifetime as the jwt plugin's `expirationTime` string: "15m" stays, "900" becomes
 * "900s" (a number there would be read as an absolute expiry timestamp, not a duration).
 */
export function expirationTime(tokenTtl: string): string {
  const compact = tokenTtl.replace(/\s+/g, "");
  const span = /^\d+$/.test(compact) ? `${compact}s` : compact;
  if (!TIME_SPAN.test(span)) throw new UserInputError(`token lifetime "${tokenTtl}" is not a duration like 15m, 1h or 900 (seconds)`);
  return span;
}
