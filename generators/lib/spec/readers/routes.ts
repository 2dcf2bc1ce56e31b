import type { Statement } from "../statement.js";
import type { Match } from "./reader.js";

/** /api/ at the start of a path or after a host: "GET /api/tasks", "http://localhost:8000/api/{user_id}/tasks", not "app/api/". */
const API_PATH = /(?:^|[\s`'"(\[=|]|https?:\/\/[\w.-]+(?::\d+)?)(\/api\/(?:v\d+\/)?)([^\s`'")|,;]*)/g;
const USER_SEGMENT = /^(?:\{\s*user_?id\s*\}|\{\s*userId\s*\}|:user_?id\b|:userId\b|<(?:\w+:)?user_?id>|\$\{\s*user_?[iI]d\s*\}|\[user_?[iI]d\])/i;
const NOT_A_RESOURCE = /^(?:auth|health\w*|docs|openapi(?:\.json)?|redoc|jwks|me|session|token|login|signin|sign-in|signup|sign-up|register|users?|v\d+)$/i;

/** A user id said to be in the URL: "the user_id in the URL", "the path's user_id", "URL parameter userId". */
const USER_ID_IN_PATH = /\buser[_ ]?id\b[^.\n]{0,25}\b(?:url|path|route)\b|\b(?:url|path|route)\b[^.\n]{0,25}\buser[_ ]?id\b/i;
/** ...that is checked against the token's user: only then is it a route of the user-scoped style. */
const CHECKED = /\b(?:match\w*|mismatch\w*|compar\w*|verif\w*|validat\w*|reject\w*|check\w*|equal\w*|same)\b/i;
/** ...and not said to be absent: "no user_id in the URL", "without a user id in the path", "instead of". */
const ABSENT = /\b(?:no|without|never (?:put|include)|not (?:in|part of)|instead of|rather than|remove[ds]?|drop(?:ped|s)?)\b[^.\n]{0,25}\b(?:user[_ ]?id|url|path)\b/i;

/** routeStyle from prose: a user_id in the URL that is compared with the token's user ("Reject a mismatched user_id in the URL"). */
function readUserIdInPath(s: Statement): Match[] {
  const found = USER_ID_IN_PATH.exec(s.text);
  if (!found || !(CHECKED.test(s.text) || MISMATCH.test(s.text)) || ABSENT.test(s.text)) return [];
  return [{ key: "routeStyle", value: "user-scoped", index: found.index }];
}

/**
 * routeStyle: endpoint paths under /api: /api/{user_id}/tasks (or :user_id, {userId}) → user-scoped; /api/tasks → flat;
 * without a path, a user_id in the URL checked against the token → user-scoped.
 */
export function readRouteStyle(s: Statement): Match[] {
  if (!s.text.includes("/api/")) return readUserIdInPath(s);
  const matches: Match[] = [];
  for (const m of s.text.matchAll(API_PATH)) {
    const index = m.index + m[0].length - m[1].length - m[2].length;
    const first = m[2].split("/")[0];
    if (USER_SEGMENT.test(m[2])) matches.push({ key: "routeStyle", value: "user-scoped", index });
    else if (/^[a-z][\w-]*$/i.test(first) && !NOT_A_RESOURCE.test(first)) matches.push({ key: "routeStyle", value: "flat", index });
  }
  return matches;
}

const STATUS = /\b(403|404)\b|\b(Forbidden)\b|\b(Not Found)\b/gi;
const PATH_USER =
  /\buser[_ ]?id\b|\buserId\b|\b(?:path|url|route)\b[^.\n]{0,40}\buser\b|\buser\b[^.\n]{0,30}\b(?:path|url|route)\b/i;
const MISMATCH = /\bmatch\w*|\bmismatch\w*|\bdiffer\w*|\bnot\b|\banother\b|\bother\b|\bsomeone else|!=|\bbelong\w*|\bwrong\b|\bforeign\b|\bisn'?t\b|\bdoesn'?t\b/i;

/**
 * mismatchStatus: 403 or 404 stated for a path whose user_id is not the token's user ("403 Forbidden if user_id
 * does not match"). A 404 for a missing task says nothing. When a sentence names both, each clause is read alone.
 */
export function readMismatchStatus(s: Statement): Match[] {
  if (!/40[34]|forbidden|not found/i.test(s.text)) return [];
  const found = [...s.text.matchAll(STATUS)].map((m) => ({ index: m.index, value: m[1] ?? (m[2] ? "403" : "404") }));
  const both = new Set(found.map((f) => f.value)).size > 1;
  return found
    .filter(({ index }) => about(both ? clauseAt(s.text, index) : `${s.context} ${s.text}`))
    .map(({ index, value }) => ({ key: "mismatchStatus", value, index }));
}

/** Whether a text is about a path's user_id not being the token's user (the endpoint paths themselves left out). */
function about(text: string): boolean {
  const prose = text.replace(/\/api\/\S*/g, " ");
  return PATH_USER.test(prose) && MISMATCH.test(prose);
}

/** The clause around a character: between ; , . and line breaks (a table row stays whole). */
function clauseAt(text: string, index: number): string {
  const start = Math.max(...[";", ",", ".", "\n"].map((c) => text.lastIndexOf(c, index))) + 1;
  const ends = [";", ",", ".", "\n"].map((c) => text.indexOf(c, index)).filter((i) => i >= 0);
  return text.slice(start, ends.length ? Math.min(...ends) : text.length);
}
