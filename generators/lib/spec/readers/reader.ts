import type { SpecAnswerKey } from "../types.js";
import type { Statement } from "../statement.js";

/** A value a reader found in a statement, at a character of its text. */
export interface Match {
  key: SpecAnswerKey;
  value: string;
  index: number;
  /** Counts only when the key has no other finding (a session lifetime beside a JWT lifetime). */
  weak?: boolean;
}

/** Reads one answer key (or a few related ones) from one statement. */
export type Reader = (statement: Statement) => Match[];

const NEGATION_BEFORE = /\b(?:no|not|never|without|don'?t|do not|doesn'?t|does not|won'?t|will not|instead of|rather than|nor|neither|avoid)\b[^,;.:()]*$/i;
const NEGATION_AFTER = /^[\w\s/-]{0,30}?\b(?:(?:is|are|will be|should be|must be)\s+not\b|isn'?t\b|aren'?t\b|won'?t\b|not (?:supported|planned|needed|required|used|offered|included))/i;

/** Whether what is at [index, end) is denied: "no JWKS", "without Google", "HS256 is not used". */
export function negated(text: string, index: number, end = index): boolean {
  const before = text.slice(Math.max(0, index - 48), index);
  const clause = before.split(/[,;.:()\n]/).pop() ?? "";
  return NEGATION_BEFORE.test(clause) || NEGATION_AFTER.test(text.slice(end, end + 48));
}

/** The name of the cue nearest before `index` (or, when none is before, the first after), or null. */
export function nearestCue(text: string, index: number, cues: RegExp, end = index): string | null {
  let before: string | null = null;
  let after: string | null = null;
  for (const match of text.matchAll(cues)) {
    const name = groupName(match);
    if (match.index + match[0].length <= index) before = name;
    else if (match.index >= end && after === null) after = name;
  }
  return before ?? after;
}

/** The name of the named group that matched, or null. */
function groupName(match: RegExpMatchArray): string | null {
  const groups = match.groups ?? {};
  return Object.keys(groups).find((name) => groups[name] !== undefined) ?? null;
}

/** The name of the last cue in a text (a list's lead-in, a heading), or null. */
export function lastCue(text: string, cues: RegExp): string | null {
  return nearestCue(text, text.length, cues);
}
