import type { Statement } from "../statement.js";
import { lastCue, type Match } from "./reader.js";

const UNIT = String.raw`\s*(?:characters?|chars?)`;
/** Not a count of something else: "minimum 5 attempts", "max 10 requests". */
const NOT_LENGTH = String.raw`(?!\s*(?:attempts?|tries|requests?|times|sessions?|users?|tasks?|minutes?|seconds?|hours?|days?|weeks?|%))`;
const MIN = [
  new RegExp(String.raw`\bat least (\d+)(?:${UNIT}|\s+long|\s+in length)`, "gi"),
  new RegExp(String.raw`\bno (?:fewer|less|shorter) than (\d+)(?:${UNIT}|\s+long)`, "gi"),
  new RegExp(String.raw`\bmin(?:imum|\.)?(?:\s+(?:password\s+)?length)?\s*(?:of|is|:|=|\|)?\s*(\d+)\b${NOT_LENGTH}`, "gi"),
  new RegExp(String.raw`\b(\d+)${UNIT}\s*(?:minimum|min\b|or more|or longer|at least)`, "gi"),
  new RegExp(String.raw`\b(\d+)\+${UNIT}`, "gi"),
  /\b(?:minPasswordLength|minLength|min_length)\s*[:=]\s*(\d+)/gi,
  /\.min(?:Length)?\(\s*(\d+)/g,
];
const MAX = [
  new RegExp(String.raw`\bat most (\d+)(?:${UNIT}|\s+long)`, "gi"),
  new RegExp(String.raw`\bno (?:more|longer) than (\d+)(?:${UNIT}|\s+long)`, "gi"),
  new RegExp(String.raw`\bup to (\d+)${UNIT}`, "gi"),
  new RegExp(String.raw`\bmax(?:imum|\.)?(?:\s+(?:password\s+)?length)?\s*(?:of|is|:|=|\|)?\s*(\d+)\b${NOT_LENGTH}`, "gi"),
  new RegExp(String.raw`\b(\d+)${UNIT}\s*(?:maximum|max\b|at most)`, "gi"),
  /\b(?:maxPasswordLength|maxLength|max_length)\s*[:=]\s*(\d+)/gi,
  /\.max(?:Length)?\(\s*(\d+)/g,
];
const RANGE = new RegExp(String.raw`\b(?:between )?(\d+)\s*(?:-|–|to|and)\s*(\d+)${UNIT}`, "gi");
const PASSWORD_WORD = /passw|passphrase/i;
/** The field a length is about: the nearest named before it. */
const FIELD =
  /(?<password>\w*passw\w*|\bpassphrases?\b)|(?<other>\b(?:user)?names?\b|\btitles?\b|\bdescriptions?\b|\bemails?\b|\bbios?\b|\btasks?\b|\bcomments?\b|\bsecrets?\b|\bkeys?\b|\btokens?\b|\bnotes?\b|\bmessages?\b|\bids?\b)/gi;

/** passwordMinLength / passwordMaxLength: "at least 8 characters", "min length: 8", minPasswordLength: 8, .min(8), "between 8 and 128 characters" — about a password. */
export function readPasswordLength(s: Statement): Match[] {
  if (!/\d/.test(s.text) || !mentionsPassword(s)) return [];
  const matches: Match[] = [];
  /** `at`: where the number is; the field is looked for before it. */
  const add = (key: "passwordMinLength" | "passwordMaxLength", digits: string, index: number, at: number) => {
    const n = Number(digits);
    const sane = key === "passwordMinLength" ? n >= 4 && n <= 128 : n >= 8 && n <= 4096;
    if (sane && aboutPassword(s, at) && !matches.some((m) => m.key === key && m.index === index)) matches.push({ key, value: String(n), index });
  };
  const numberAt = (m: RegExpMatchArray, group: number) => (m.index ?? 0) + m[0].search(new RegExp(`\\b${m[group]}\\b`));
  for (const m of s.text.matchAll(RANGE)) {
    add("passwordMinLength", m[1], m.index, m.index);
    add("passwordMaxLength", m[2], m.index + m[0].lastIndexOf(m[2]), m.index);
  }
  for (const pattern of MIN) for (const m of s.text.matchAll(pattern)) add("passwordMinLength", m[1], m.index, numberAt(m, 1));
  for (const pattern of MAX) for (const m of s.text.matchAll(pattern)) add("passwordMaxLength", m[1], m.index, numberAt(m, 1));
  return matches;
}

/** Cheap test first: a length can be about a password only when a password is named in the statement or around it. */
function mentionsPassword(s: Statement): boolean {
  return PASSWORD_WORD.test(s.text) || PASSWORD_WORD.test(s.context) || PASSWORD_WORD.test(s.section);
}

function aboutPassword(s: Statement, index: number): boolean {
  const before = s.text.slice(0, index);
  const field = lastCue(before, FIELD) ?? lastCue(s.context, FIELD) ?? lastCue(s.section, FIELD);
  return field === "password";
}
