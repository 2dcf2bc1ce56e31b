import { formatDuration } from "../../answers/duration.js";
import type { Statement } from "../statement.js";
import { lastCue, nearestCue, type Match } from "./reader.js";

const WORDS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twelve: 12,
  fifteen: 15, twenty: 20, "twenty-four": 24, thirty: 30, "forty-five": 45, sixty: 60, ninety: 90,
};
const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
const NUMBER = `(\\d+(?:\\.\\d+)?|${Object.keys(WORDS).sort((a, b) => b.length - a.length).join("|")})`;
/** "7 days", "one week", "24-hour", "30 mins"; "7d", "1h", "15m" only written together. */
const PHRASE = new RegExp(`\\b${NUMBER}(?:\\s*-?\\s*(seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?)\\b|(?<=\\d)([smhdw])\\b)`, "gi");
const TIMEDELTA = /\btimedelta\(([^)]*)\)/g;
const PRODUCT = /\b\d+(?:\s*\*\s*\d+)+\b/g;
const NAMED = /\b([A-Z][A-Z0-9_]*(?:EXPIR|TTL|LIFETIME|MAX_AGE|EXP_)[A-Z0-9_]*)\s*(?::\s*int\s*)?[=:]\s*["']?(\d+)\b(?!\s*\*)/g;
const KEYED = /\b(expiresIn|expires_in|expirationTime|maxAge|max_age|ttl)\s*[:=]\s*(\d+)\b(?!\s*[*\w"'])/g;

/** A word or sign every duration pattern above needs (a unit, a named or keyed setting, timedelta, a product): most statements fail this one test. */
const MAY_HOLD_DURATION = /sec|min|hour|hr|day|week|\d[smhdw]\b|timedelta|\*|expir|ttl|lifetime|max_?age|exp_/i;

/** Near a duration: what it is about. An exclusion nearer than the subject rules it out. */
const CUES =
  /(?<refresh>\w*refresh[- ]?tokens?\b)|(?<session>\w*sessions?\w*|\w*cookies?\b|\bremember me\b)|(?<token>\w*(?:tokens?|jwts?)\b|\bexp\b|\w*expir\w*|\bttl\b|\blifetime\b|\blifespan\b|\bvalid for\b|\bbearer\b)|(?<skip>\brate[- ]?limit\w*|\battempts?\b|\bper\b|\block\w*|\btime ?outs?\b|\bcach\w*(?:\s+ttl\b)?|\bpoll\w*|\bwithin\b|\bretr(?:y|ies)\b|\bdebounce\w*|\bcooldown\b|\bthrottl\w*|\binterval\b|\bevery\b|\blatency\b|\brespon\w*|\bidle\b|\binactiv\w*|\bsleep\b|\bwait\w*)/gi;
const SUBJECT = /(?<refresh>\w*refresh[- ]?tokens?\b)|(?<session>\w*sessions?\w*|\w*cookies?\b)|(?<token>\w*(?:tokens?|jwts?)\b|\w*expirationTime\b|\w*expiresIn\b|\bexp\b|\bbearer\b)/gi;

/**
 * tokenTtl: a duration about the token, JWT, access token, session or expiry ("tokens expire after 7 days",
 * expirationTime: "1h", timedelta(days=7), 60 * 60 * 24 * 7, JWT_EXPIRATION_HOURS=168), as "7d". Not a rate limit,
 * timeout, cache, lockout, poll or "within 2 seconds"; a refresh token's lifetime is not the token's. A session
 * lifetime is weak: it counts only when the spec gives no JWT/access-token lifetime.
 */
export function readTokenTtl(s: Statement): Match[] {
  if (!/\d|week|day|hour|minute/i.test(s.text) || !MAY_HOLD_DURATION.test(s.text)) return [];
  const matches: Match[] = [];
  const found = durations(s.text);
  if (found.length === 0) return matches;
  const read: Worded = { text: words(s.text), context: words(s.context), section: s.section };
  for (const { index, end, seconds, named } of found) {
    if (seconds < 60 || seconds > 366 * 86_400) continue;
    if (/^\s*(?:ago|old|later|earlier|before)\b/i.test(s.text.slice(end))) continue;
    const about = named ?? cueFor(read, index, end);
    const subject = subjectFor(read, index, named);
    if ((about === "token" || about === "session") && subject !== "refresh") {
      matches.push({ key: "tokenTtl", value: formatDuration(Math.round(seconds)), index, weak: subject === "session" });
    }
  }
  return matches;
}

/** Identifiers read as words for cues: ACCESS_TOKEN_EXPIRE → "ACCESS TOKEN EXPIRE" (same length, same indexes). */
const words = (text: string) => text.replace(/_/g, " ");

/** A statement's text and context with identifiers read as words, and its section. */
interface Worded {
  text: string;
  context: string;
  section: string;
}

function cueFor(s: Worded, index: number, end: number): string | null {
  return nearestCue(s.text, index, CUES, end) ?? lastCue(s.context, CUES) ?? lastCue(s.section, CUES);
}

function subjectFor(s: Worded, index: number, named: string | null): string | null {
  if (named) return named;
  return nearestCue(s.text, index, SUBJECT) ?? lastCue(s.context, SUBJECT) ?? lastCue(s.section, SUBJECT);
}

interface Duration {
  index: number;
  end: number;
  seconds: number;
  /** What a setting's name says it is ("token", "session"), when the duration is a named setting. */
  named: string | null;
}

/** Every duration in a text, in seconds. */
function durations(text: string): Duration[] {
  const found: Duration[] = [];
  const add = (index: number, end: number, seconds: number, named: string | null = null) => {
    if (!found.some((d) => index < d.end && d.index < end)) found.push({ index, end, seconds, named });
  };
  for (const m of text.matchAll(NAMED)) {
    const unit = /_(SECONDS?|SECS?|MINUTES?|MINS?|HOURS?|HRS?|DAYS?|WEEKS?)\b/.exec(m[1])?.[1][0].toLowerCase() ?? "s";
    add(m.index, m.index + m[0].length, Number(m[2]) * UNIT[unit], /SESSION|COOKIE/.test(m[1]) ? "session" : /REFRESH/.test(m[1]) ? "refresh" : "token");
  }
  for (const m of text.matchAll(TIMEDELTA)) {
    let seconds = 0;
    for (const arg of m[1].matchAll(/\b(weeks|days|hours|minutes|seconds)\s*=\s*(\d+(?:\.\d+)?)/g)) seconds += Number(arg[2]) * UNIT[arg[1][0]];
    if (seconds > 0) add(m.index, m.index + m[0].length, seconds);
  }
  for (const m of text.matchAll(PRODUCT)) {
    const factors = m[0].split("*").map((f) => Number(f.trim()));
    const product = factors.reduce((a, b) => a * b, 1);
    add(m.index, m.index + m[0].length, factors.includes(1000) ? product / 1000 : product);
  }
  for (const m of text.matchAll(KEYED)) add(m.index + m[0].length - m[2].length, m.index + m[0].length, Number(m[2]));
  for (const m of text.matchAll(PHRASE)) {
    const count = /^\d/.test(m[1]) ? Number(m[1]) : WORDS[m[1].toLowerCase()];
    const unit = (m[2] ?? m[3])[0].toLowerCase();
    add(m.index, m.index + m[0].length, count * UNIT[unit]);
  }
  return found.sort((a, b) => a.index - b.index);
}
