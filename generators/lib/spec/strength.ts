import type { SpecStrength } from "./types.js";
import type { Statement } from "./statement.js";

/** Headings whose sections (and subsections) state nothing the tool should follow. */
const NON_NORMATIVE_HEADING =
  /\b(?:out[- ]of[- ]scope|not in scope|non[- ]?goals?|future|later|upgrade path|production upgrade|roadmap|before|old|legacy|deprecated|alternatives?(?: considered)?|open questions?|v2|phase 2|nice[- ]to[- ]have|rejected|previous(?:ly)?|superseded)\b/i;

/** A line that opens by putting itself out of scope: "Out of scope: Google login", "Future: refresh tokens". */
const NON_NORMATIVE_LEAD = /^\s*(?:out[- ]of[- ]scope|not in scope|non[- ]?goals?|future(?: work)?|later|deferred|v2|post[- ]mvp|(?:production )?upgrade path|roadmap)\b\s*(?:[:—–-]|\()/i;

/** A sentence that defers itself: "Social login is out of scope", "may be added in a future release". */
const DEFERRED = /\b(?:out[- ]of[- ]scope|not in scope|non[- ]goal|in a (?:future|later) (?:release|version|phase|iteration)|post[- ]mvp|deferred to|upgrade path|(?:enabled|added|supported|considered|built|done) later|later (?:phase|release|version|iteration))\b/i;

const EXAMPLE_HEADING = /\b(?:examples?|samples?|illustrations?|sketch)\b/i;
const EXAMPLE_MARK = /\b(?:e\.g\.|for example|for instance|such as)|\b(?:examples?|samples?)\s*[:—–]|^\s*(?:an?\s+)?example\b/i;
const DEFAULT_MARK = /\bdefaults?(?: to)?\b|\bby default\b/i;

/** Whether a heading path puts its section out of the normative text. */
export function nonNormativeSection(path: string[]): boolean {
  return path.some((heading) => NON_NORMATIVE_HEADING.test(heading));
}

/** Whether a heading path is an "Example" section. */
export function exampleSection(path: string[]): boolean {
  return path.some((heading) => EXAMPLE_HEADING.test(heading));
}

/** Whether a block's text opens by putting itself (and a list it leads into) out of scope. */
export function nonNormativeLead(text: string): boolean {
  return NON_NORMATIVE_LEAD.test(text);
}

/**
 * How strongly a statement states what is at `index`: its block's base, then an "Out of scope:" opening or a
 * deferring sentence (non-normative), an "e.g." / "such as" before the value (example), a "default" (default).
 */
export function strengthAt(statement: Statement, index: number): SpecStrength {
  if (statement.base === "non-normative") return "non-normative";
  if (statement.kind !== "code" && (NON_NORMATIVE_LEAD.test(statement.text) || DEFERRED.test(statement.text))) return "non-normative";
  if (statement.base === "example" || statement.base === "code") return "example";
  if (EXAMPLE_MARK.test(statement.text.slice(0, index))) return "example";
  if (DEFAULT_MARK.test(statement.text)) return "default";
  return "requirement";
}
