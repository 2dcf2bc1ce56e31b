import { fail, listText, pass, skip, type Check } from "./check.js";
import type { DoctorContext } from "./context.js";
import { backendPythonFiles } from "./python-files.js";
import { originOf } from "./urls.js";

const GROUP = "cors";
const ID = "frontend-origin";

/** One CORSMiddleware configuration: where it is and its keyword arguments' source text. */
interface CorsConfig {
  file: string;
  line: number;
  args: Map<string, string>;
}

/** The offset after a string literal or comment starting at `i`, or `i` when none starts there. */
function skipStringOrComment(text: string, i: number): number {
  const char = text[i];
  if (char === "#") {
    const newline = text.indexOf("\n", i);
    return newline < 0 ? text.length : newline;
  }
  if (char !== '"' && char !== "'") return i;
  const quote = text.startsWith(char.repeat(3), i) ? char.repeat(3) : char;
  let j = i + quote.length;
  while (j < text.length && !text.startsWith(quote, j)) j += text[j] === "\\" ? 2 : 1;
  return Math.min(j + quote.length, text.length);
}

/** The offset after the bracket closing the one at `open`, skipping strings and comments; -1 when unclosed. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; ) {
    const skipped = skipStringOrComment(text, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    const char = text[i];
    if ("([{".includes(char)) depth++;
    else if (")]}".includes(char) && --depth === 0) return i + 1;
    i++;
  }
  return -1;
}

/** The comma-separated parts of a bracket's inside at depth 0, comments dropped. */
function splitTopLevel(inside: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (let i = 0; i < inside.length; ) {
    const skipped = skipStringOrComment(inside, i);
    if (skipped !== i) {
      if (inside[i] !== "#") current += inside.slice(i, skipped);
      i = skipped;
      continue;
    }
    const char = inside[i++];
    if ("([{".includes(char)) depth++;
    else if (")]}".includes(char)) depth--;
    if (char === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += char;
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter(Boolean);
}

/** Every `add_middleware(CORSMiddleware, …)` or `Middleware(CORSMiddleware, …)` in the backend's modules. */
export function corsConfigs(context: DoctorContext): CorsConfig[] {
  const configs: CorsConfig[] = [];
  for (const file of backendPythonFiles(context)) {
    const text = context.text(file);
    if (!text || !text.includes("CORSMiddleware")) continue;
    for (const match of text.matchAll(/\b(?:add_middleware|Middleware)\s*\(\s*(?:[\w.]+\.)?CORSMiddleware\b/g)) {
      const open = text.indexOf("(", match.index);
      const end = closing(text, open);
      if (end < 0) continue;
      const args = new Map<string, string>();
      for (const part of splitTopLevel(text.slice(open + 1, end - 1))) {
        const keyword = /^([A-Za-z_]\w*)\s*=(?!=)\s*([\s\S]*)$/.exec(part);
        if (keyword) args.set(keyword[1], keyword[2].trim());
      }
      configs.push({ file, line: text.slice(0, match.index).split("\n").length, args });
    }
  }
  return configs;
}

/** A Python string literal's value (plain, single or double quotes; no prefixes but r), or null. */
function stringLiteral(source: string): string | null {
  const match = /^[rR]?(["'])((?:\\.|(?!\1)[^\\])*)\1$/.exec(source.trim());
  return match ? match[2].replace(/\\(.)/g, "$1") : null;
}

/** What an allow_origins item allows: a literal origin, the backend's BETTER_AUTH_URL (the generated policy's), or unknown. */
function originItem(context: DoctorContext, item: string): { origin: string | null; from?: string } | null {
  const literal = stringLiteral(item);
  if (literal !== null) return { origin: literal === "*" ? "*" : literal.replace(/\/+$/, "") };
  const env = /\b(?:environ\.get|getenv)\(\s*["']BETTER_AUTH_URL["']\s*(?:,\s*(["'][^"']*["']))?\s*\)/.exec(item) ?? /\benviron\[\s*["']BETTER_AUTH_URL["']\s*\]/.exec(item);
  if (!env) return null;
  const file = context.backendEnvFile;
  const value = (file ? context.env(file)?.get("BETTER_AUTH_URL") : undefined) ?? (env[1] ? stringLiteral(env[1]) : null);
  return { origin: value === null ? null : (originOf(value) ?? value.replace(/\/+$/, "")), from: `BETTER_AUTH_URL${file ? ` (${file})` : ""}` };
}

/** The list or tuple literal's items, or null when the value is not one. */
function listItems(value: string): string[] | null {
  const trimmed = value.trim();
  if (!/^[[(]/.test(trimmed) || closing(trimmed, 0) !== trimmed.length) return null;
  return splitTopLevel(trimmed.slice(1, -1));
}

/** Whether one policy lets the frontend's origin call with Authorization: true, or why not / why it cannot be told. */
function judge(context: DoctorContext, config: CorsConfig, origin: string): { ok: true; note: string } | { ok: false; detail: string; fix: string } | { ok: "skip"; detail: string } {
  const at = `${config.file}:${config.line}`;
  const origins = config.args.get("allow_origins");
  const regex = config.args.get("allow_origin_regex");
  let allowed: boolean | null = false;
  let note = "";
  if (origins !== undefined) {
    const items = listItems(origins);
    if (items === null) return { ok: "skip", detail: `${at}: allow_origins is ${origins.replace(/\s+/g, " ")}, not a literal list: make sure it includes ${origin}` };
    const resolved = items.map((item) => originItem(context, item));
    if (resolved.some((r) => r?.origin === "*")) {
      allowed = true;
      note = "every origin (*)";
    } else if (resolved.some((r) => r?.origin === origin)) {
      allowed = true;
      const via = resolved.find((r) => r?.origin === origin)?.from;
      note = via ? `${origin}, from ${via}` : origin;
    } else if (resolved.some((r) => r === null || r.origin === null)) allowed = null;
  }
  if (!allowed && regex !== undefined) {
    const pattern = stringLiteral(regex);
    try {
      if (pattern !== null && new RegExp(`^(?:${pattern})$`).test(origin)) {
        allowed = true;
        note = `${origin}, by allow_origin_regex`;
      } else if (pattern === null) allowed = null;
    } catch {
      allowed = null;
    }
  }
  if (allowed === null) return { ok: "skip", detail: `${at}: allow_origins holds values that are not literals; make sure they include ${origin}` };
  if (!allowed) {
    return {
      ok: false,
      detail: `${at}: allow_origins ${origins === undefined ? "is not set" : `is ${origins.replace(/\s+/g, " ")}`}, without ${origin}: the browser blocks the frontend's API calls`,
      fix: `add "${origin}" to allow_origins at ${at} (or re-run npx auth-integrator auth, which adds it)`,
    };
  }
  const headers = config.args.get("allow_headers");
  const headerItems = headers === undefined ? [] : listItems(headers);
  if (headerItems === null) return { ok: "skip", detail: `${at}: allow_headers is not a literal list; make sure it allows Authorization` };
  const headerValues = headerItems.map(stringLiteral);
  if (!headerValues.some((h) => h === "*" || h?.toLowerCase() === "authorization")) {
    return {
      ok: false,
      detail: `${at}: allow_headers ${headers === undefined ? "is not set" : `is ${headers.replace(/\s+/g, " ")}`}, without Authorization: the preflight of every API call with a token fails`,
      fix: `add "Authorization" to allow_headers at ${at}`,
    };
  }
  return { ok: true, note };
}

/**
 * The backend's CORS policy lets the frontend's origin (its BETTER_AUTH_URL) call it with `Authorization`. Read as text
 * (no Python parser): a literal list, or the generated `os.environ.get("BETTER_AUTH_URL", …)` item; anything else is a skip.
 */
export function corsCheck(context: DoctorContext): Check {
  const title = "CORS allows the frontend's origin";
  if (context.backendDir === null || context.frontendDir === null) return skip(GROUP, ID, title, { detail: "no Next.js or FastAPI app found" });
  const frontendUrl = context.frontendValue("BETTER_AUTH_URL");
  const origin = frontendUrl ? originOf(frontendUrl.value) : null;
  if (origin === null) return skip(GROUP, ID, title, { detail: "the frontend's BETTER_AUTH_URL is not set (see urls)" });
  const apiUrl = context.frontendValue("NEXT_PUBLIC_API_URL")?.value;
  if (apiUrl !== undefined && (originOf(apiUrl) === null || originOf(apiUrl) === origin)) {
    return skip(GROUP, ID, title, { detail: `NEXT_PUBLIC_API_URL (${apiUrl}) is on the frontend's own origin: the browser needs no CORS` });
  }
  const configs = corsConfigs(context);
  if (configs.length === 0) {
    return fail(GROUP, ID, title, {
      detail: `no CORSMiddleware in ${context.backendDir}: the browser blocks the frontend's calls to the API`,
      fix: "re-run npx auth-integrator auth (it adds one allowing BETTER_AUTH_URL), or add CORSMiddleware with allow_origins=[\"" + origin + "\"]",
    });
  }
  const results = configs.map((config) => judge(context, config, origin));
  const failed = results.filter((r): r is { ok: false; detail: string; fix: string } => r.ok === false);
  if (failed.length > 0) return fail(GROUP, ID, title, { detail: failed.map((r) => r.detail).join("; "), fix: failed.map((r) => r.fix).join("; ") });
  const skipped = results.filter((r): r is { ok: "skip"; detail: string } => r.ok === "skip");
  if (skipped.length > 0) return skip(GROUP, ID, title, { detail: skipped.map((r) => r.detail).join("; ") });
  const notes = results.map((r) => (r.ok === true ? r.note : "")).filter(Boolean);
  return pass(GROUP, ID, `CORS allows ${listText([...new Set(notes)])}`);
}
