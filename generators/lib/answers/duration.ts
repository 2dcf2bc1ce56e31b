/**
 * The one duration grammar for token lifetimes: a number and an optional unit ("15m", "1 h",
 * "7days", "900"); no unit means seconds. The prompt, the flags, the spec reader and the
 * renderer all go through it, so what one accepts the others render.
 */
const DURATION = /^(\d+(?:\.\d+)?)\s*(s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|weeks?)?$/i;

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** Seconds in a duration ("15m" → 900, "900" → 900), or null when it is not one. */
export function parseDuration(text: string): number | null {
  const match = DURATION.exec(text.trim());
  if (!match) return null;
  const seconds = Number(match[1]) * UNIT_SECONDS[(match[2] ?? "s")[0].toLowerCase()];
  return seconds > 0 && Number.isFinite(seconds) ? seconds : null;
}

/** Seconds in the largest unit that divides them ("7d", "15m", "90s"): the form Better Auth's jwt plugin takes. */
export function formatDuration(seconds: number): string {
  // No weeks: "7d" reads better than "1w".
  for (const [unit, size] of [["d", 86_400], ["h", 3600], ["m", 60]] as const) {
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

/** The lifetime as the jwt plugin's `expirationTime` string ("15m" stays "15m", "900" → "900s", "1 hour" → "1hour"), or null when it is no duration. */
export function compactDuration(text: string): string | null {
  if (parseDuration(text) === null) return null;
  const compact = text.trim().replace(/\s+/g, "");
  return /^[\d.]+$/.test(compact) ? `${compact}s` : compact;
}
