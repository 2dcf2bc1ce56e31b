import { importBindings } from "../backend/python-imports.js";
import { logicalLines, type LogicalLine } from "../backend/python-statements.js";
import { lineOf } from "../text-offsets.js";
import { findAppAssignment } from "./fastapiApp.js";

/** What the API's CORS policy must let through: the frontend's origin, sending `Authorization`. */
export interface CorsOptions {
  /** The module's path, for messages. */
  file: string;
  /** The variable holding the FastAPI app ("app"). */
  appVariable: string;
  /** The frontend's origin (the BETTER_AUTH_URL answer), no trailing slash. */
  origin: string;
}

export interface CorsResult {
  text: string;
  /** Policies that would block the frontend and could not be fixed in place, each with the fix. */
  warnings: string[];
}

/** The headers a browser asks a preflight for when apiFetch() calls the API. */
const GENERATED_HEADERS = ["Authorization", "Content-Type"];

interface Token {
  kind: "name" | "string" | "op" | "number";
  value: string;
  start: number;
  end: number;
}

/**
 * Python tokens from `from` to the end of the statement that holds it (text in → tokens out):
 * comments dropped, strings whole (prefixes and triple quotes included), brackets balanced.
 */
function statementTokens(text: string, from: number): Token[] {
  const out: Token[] = [];
  let depth = 0;
  for (let i = from; i < text.length; ) {
    const ch = text[i];
    if (ch === "#") {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    if (ch === "\\" && text[i + 1] === "\n") {
      i += 2;
      continue;
    }
    if (ch === "\n") {
      if (depth === 0 && out.length > 0) break;
      i++;
      continue;
    }
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const stringStart = /^[rRbBuUfF]{0,2}(['"])/.exec(text.slice(i, i + 3));
    if (stringStart) {
      const quoteAt = i + stringStart[0].length - 1;
      const quote = text[quoteAt];
      const triple = text.startsWith(quote.repeat(3), quoteAt);
      const close = triple ? quote.repeat(3) : quote;
      let j = quoteAt + close.length;
      while (j < text.length && !text.startsWith(close, j)) {
        if (text[j] === "\\") j++;
        else if (!triple && text[j] === "\n") break;
        j++;
      }
      const end = Math.min(text.length, j + close.length);
      out.push({ kind: "string", value: text.slice(i, end), start: i, end });
      i = end;
      continue;
    }
    const word = /^[A-Za-z_]\w*/.exec(text.slice(i, i + 200));
    if (word) {
      out.push({ kind: "name", value: word[0], start: i, end: i + word[0].length });
      i += word[0].length;
      continue;
    }
    const number = /^\d[\w.]*/.exec(text.slice(i, i + 50));
    if (number) {
      out.push({ kind: "number", value: number[0], start: i, end: i + number[0].length });
      i += number[0].length;
      continue;
    }
    const op = /^(\*\*|==|!=|<=|>=|:=|->|[^\s\w])/.exec(text.slice(i, i + 2))![0];
    if ("([{".includes(op)) depth++;
    if (")]}".includes(op)) depth = Math.max(0, depth - 1);
    out.push({ kind: "op", value: op, start: i, end: i + op.length });
    i += op.length;
  }
  return out;
}

/** A plain string literal's value ('x', "x", r"x"); null for f-strings, bytes and anything else. */
function stringValue(token: Token): string | null {
  if (token.kind !== "string") return null;
  const match = /^([rRuU]?)(['"]{3}|['"])([\s\S]*)\2$/.exec(token.value);
  if (!match) return null;
  return match[1] ? match[3] : match[3].replace(/\\(.)/g, "$1");
}

/** One argument of a call: its tokens, and its keyword when it is `name=value`. */
interface Argument {
  keyword: string | null;
  /** The value's tokens (the whole argument for a positional one). */
  value: Token[];
  /** `*args` or `**kwargs`: may set anything. */
  splat: boolean;
}

/** The arguments of the call whose `(` is tokens[open], and the index of its `)`. */
function callArguments(tokens: Token[], open: number): { args: Argument[]; close: number } | null {
  const args: Argument[] = [];
  let depth = 0;
  let current: Token[] = [];
  const push = () => {
    if (current.length === 0) return;
    const keyword = current.length > 2 && current[0].kind === "name" && current[1].value === "=" ? current[0].value : null;
    args.push({ keyword, value: keyword ? current.slice(2) : current, splat: current[0].value === "*" || current[0].value === "**" });
    current = [];
  };
  for (let i = open + 1; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind === "op" && "([{".includes(token.value)) depth++;
    if (token.kind === "op" && ")]}".includes(token.value)) {
      if (depth === 0) {
        push();
        return { args, close: i };
      }
      depth--;
    }
    if (depth === 0 && token.value === ",") push();
    else current.push(token);
  }
  return null;
}

/** A list or tuple of string literals, with what an insertion needs; null when it is anything else. */
interface StringList {
  values: string[];
  items: Token[];
  open: Token;
  close: Token;
}

function stringList(value: Token[]): StringList | null {
  if (value.length < 2) return null;
  const open = value[0];
  const close = value[value.length - 1];
  const pairs: Record<string, string> = { "[": "]", "(": ")" };
  if (pairs[open.value] !== close.value) return null;
  const inner = value.slice(1, -1);
  const items: Token[] = [];
  for (let i = 0; i < inner.length; i++) {
    const expectComma = i % 2 === 1;
    if (expectComma ? inner[i].value !== "," : stringValue(inner[i]) === null) return null;
    if (!expectComma) items.push(inner[i]);
  }
  // `("a")` is a string, not a tuple.
  if (open.value === "(" && items.length === 1 && inner.length === 1) return null;
  return { values: items.map((t) => stringValue(t)!), items, open, close };
}

interface Edit {
  at: number;
  text: string;
}

/** The edit that appends a string to a literal list, in its layout: one per line when it is written so, else inline. */
function appendItem(text: string, list: StringList, value: string): Edit {
  const last = list.items.at(-1);
  const quote = last ? (/['"]/.exec(last.value)?.[0] ?? '"') : '"';
  const literal = `${quote}${value}${quote}`;
  if (!last) return { at: list.open.end, text: literal };
  const between = text.slice(last.end, list.close.start);
  if (between.includes("\n")) {
    const lineStart = text.lastIndexOf("\n", last.start) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
    const comma = between.trimStart().startsWith(",");
    // After the line of the last item's comma, so a comment at its end stays with it.
    const lineEnd = text.indexOf("\n", text.indexOf(",", last.end));
    return comma ? { at: lineEnd, text: `\n${indent}${literal},` } : { at: last.end, text: `,\n${indent}${literal}` };
  }
  return { at: last.end, text: `, ${literal}` };
}

const sameOrigin = (a: string, b: string) => a.replace(/\/+$/, "").toLowerCase() === b.replace(/\/+$/, "").toLowerCase();
const source = (text: string, tokens: Token[]) => (tokens.length ? text.slice(tokens[0].start, tokens.at(-1)!.end) : "");

/** Fixes one CORSMiddleware(...) configuration in place where its values are literals; returns the edits and what it could not fix. */
function fixPolicy(text: string, tokens: Token[], open: number, options: CorsOptions): { edits: Edit[]; warnings: string[] } {
  const call = callArguments(tokens, open);
  const where = `${options.file}:${lineOf(text, tokens[open].start)}`;
  if (!call) return { edits: [], warnings: [`${where}: could not read this CORSMiddleware's settings; make sure it allows the origin ${options.origin} and the Authorization header`] };
  const edits: Edit[] = [];
  const warnings: string[] = [];
  const kw = (name: string) => call.args.find((a) => a.keyword === name);
  const splat = call.args.find((a) => a.splat);
  const origins = kw("allow_origins");
  const credentials = kw("allow_credentials");
  const headers = kw("allow_headers");
  const regex = kw("allow_origin_regex");
  const credentialsOn = credentials !== undefined && source(text, credentials.value) === "True";

  if (splat && (!origins || !headers)) {
    warnings.push(`${where}: CORSMiddleware takes settings from \`${source(text, splat.value)}\`; make sure they allow the origin ${options.origin} and the Authorization header`);
    return { edits, warnings };
  }
  // Origins.
  const originList = origins ? stringList(origins.value) : null;
  // An origin read from BETTER_AUTH_URL (what addCorsMiddleware writes) is the frontend's by definition.
  const readsAuthUrl = origins !== undefined && /\bBETTER_AUTH_URL\b/.test(source(text, origins.value));
  if (origins && !originList && readsAuthUrl) {
    // Nothing to check: the value follows the frontend's configured origin.
  } else if (origins && !originList) {
    warnings.push(
      `${where}: allow_origins is \`${source(text, origins.value)}\`, which auth-integrator does not edit; make sure it includes "${options.origin}" (the frontend's origin), or the browser blocks every API call from it`,
    );
  } else if (originList?.values.includes("*")) {
    if (credentialsOn) {
      warnings.push(
        `${where}: allow_origins=["*"] with allow_credentials=True lets every website make credentialed calls to this API (Starlette echoes the caller's origin; browsers refuse a literal "*" with credentials); list the frontend's origin instead: allow_origins=["${options.origin}"]`,
      );
    }
  } else if (originList && !originList.values.some((v) => sameOrigin(v, options.origin))) {
    edits.push(appendItem(text, originList, options.origin));
  } else if (!origins && regex) {
    warnings.push(`${where}: CORSMiddleware allows origins by allow_origin_regex; make sure it matches "${options.origin}"`);
  } else if (!origins) {
    const last = tokens[call.close - 1];
    edits.push(addKeyword(text, tokens[open], last, `allow_origins=["${options.origin}"]`));
  }
  // Headers.
  const headerList = headers ? stringList(headers.value) : null;
  if (headers && !headerList) {
    warnings.push(`${where}: allow_headers is \`${source(text, headers.value)}\`, which auth-integrator does not edit; make sure it includes "Authorization", or the browser blocks every call that sends a token`);
  } else if (headerList && !headerList.values.some((v) => v === "*" || v.toLowerCase() === "authorization")) {
    edits.push(appendItem(text, headerList, "Authorization"));
  } else if (!headers) {
    const last = tokens[call.close - 1];
    edits.push(addKeyword(text, tokens[open], last, `allow_headers=[${GENERATED_HEADERS.map((h) => `"${h}"`).join(", ")}]`));
  }
  return { edits, warnings };
}

/** Adds `keyword=value` as the call's last argument, one per line when its arguments are written so. */
function addKeyword(text: string, open: Token, last: Token, argument: string): Edit {
  const trailingComma = last.value === ",";
  const lastArgEnd = last.end;
  const between = text.slice(open.end, text.indexOf(")", lastArgEnd));
  if (between.includes("\n")) {
    const lineStart = text.lastIndexOf("\n", last.start) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
    return { at: lastArgEnd, text: trailingComma ? `\n${indent}${argument},` : `,\n${indent}${argument}` };
  }
  return { at: lastArgEnd, text: trailingComma ? ` ${argument}` : `, ${argument}` };
}

/** Offsets where each statement starts, by line. */
function lineOffsets(text: string): number[] {
  const offsets = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") offsets.push(i + 1);
  return offsets;
}

/** Every CORSMiddleware(...) configuration in the module: `add_middleware(CORSMiddleware, ...)` or `Middleware(CORSMiddleware, ...)`. */
function corsConfigurations(text: string, statements: LogicalLine[]): Array<{ tokens: Token[]; open: number }> {
  const offsets = lineOffsets(text);
  const out: Array<{ tokens: Token[]; open: number }> = [];
  for (const statement of statements) {
    if (!/\bCORSMiddleware\b/.test(statement.code) || /^(?:import|from)\s/.test(statement.code)) continue;
    const tokens = statementTokens(text, offsets[statement.first]);
    for (let i = 2; i < tokens.length; i++) {
      if (tokens[i].value !== "CORSMiddleware") continue;
      // The middleware class may be named through a module: cors.CORSMiddleware.
      let j = i;
      while (j >= 2 && tokens[j - 1].value === "." && tokens[j - 2].kind === "name") j -= 2;
      if (tokens[j - 1]?.value === "(") out.push({ tokens, open: j - 1 });
    }
  }
  return out;
}

/** True when the module configures CORSMiddleware anywhere (not just imports it). */
export function configuresCors(text: string): boolean {
  return /\bCORSMiddleware\b/.test(text) && logicalLines(text).some((s) => /\bCORSMiddleware\b/.test(s.code) && !/^(?:import|from)\s/.test(s.code));
}

/**
 * Makes an existing CORS policy let the frontend call the API with a token (text in → text out): a
 * literal allow_origins list lacking the frontend's origin gets it, a literal allow_headers list lacking
 * "Authorization" gets it; values that are not literals are reported with the fix. Every line is kept.
 */
export function fixCorsPolicies(text: string, options: CorsOptions): CorsResult {
  const edits: Edit[] = [];
  const warnings: string[] = [];
  for (const { tokens, open } of corsConfigurations(text, logicalLines(text))) {
    const fixed = fixPolicy(text, tokens, open, options);
    edits.push(...fixed.edits);
    warnings.push(...fixed.warnings);
  }
  return { text: applyInsertions(text, edits), warnings };
}

function applyInsertions(text: string, edits: Edit[]): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.at - a.at)) out = out.slice(0, edit.at) + edit.text + out.slice(edit.at);
  return out;
}

/** The lines a module without CORS gets after its `app = FastAPI(...)`; `environ` is how the module reaches os.environ. */
export function corsMiddlewareLines(appVariable: string, environ: string, origin: string): string[] {
  return [
    "",
    "# Lets the frontend (BETTER_AUTH_URL, its origin) call this API from the browser with Authorization: Bearer <token>.",
    `${appVariable}.add_middleware(`,
    "    CORSMiddleware,",
    `    allow_origins=[${environ}.get("BETTER_AUTH_URL", "${origin}").rstrip("/")],`,
    "    allow_credentials=True,",
    '    allow_methods=["*"],',
    `    allow_headers=[${GENERATED_HEADERS.map((h) => `"${h}"`).join(", ")}],`,
    ")",
  ];
}

const STDLIB_HINT = /^(?:import|from)\s+(?:__future__|os|sys|re|json|logging|typing|collections|contextlib|datetime|pathlib|functools|asyncio|uuid|enum|dataclasses|abc|time)\b/;

/**
 * Adds CORSMiddleware to a module that has none (text in → text out), right after the statement creating
 * the app: allowing the frontend's origin from BETTER_AUTH_URL (the answer as the fallback) and the
 * Authorization header. Imports `os` and CORSMiddleware unless the module already binds them. Returns
 * null when there is no top-level `app = ...` to add it after.
 */
export function addCorsMiddleware(text: string, options: CorsOptions): string | null {
  const statements = logicalLines(text).filter((s) => s.topLevel);
  const assignment = findAppAssignment(statements, options.appVariable);
  if (!assignment) return null;
  const imports = statements.filter((s) => /^(?:import|from)\s/.test(s.code) && s.last < assignment.first);
  const bindings = imports.flatMap((s) => importBindings(s.code));
  const bound = (target: string) => bindings.find((b) => b.target === target)?.name;
  const environ = bound("os.environ") ?? (bound("os") ? `${bound("os")}.environ` : "os.environ");
  const cors = bound("fastapi.middleware.cors.CORSMiddleware") ?? bound("starlette.middleware.cors.CORSMiddleware");

  const lines = text.split("\n");
  const block = corsMiddlewareLines(options.appVariable, environ, options.origin).map((line) => (cors ? line.replace("    CORSMiddleware,", `    ${cors},`) : line));
  const next = lines[assignment.last + 1];
  lines.splice(assignment.last + 1, 0, ...block, ...(next !== undefined && next.trim() !== "" ? [""] : []));
  // Imports: CORSMiddleware after the module's fastapi imports (else its last import), `import os` with the standard library.
  const fastapiImports = imports.filter((s) => /^(?:from|import)\s+fastapi\b/.test(s.code));
  const corsAt = (fastapiImports.at(-1) ?? imports.at(-1))?.last;
  if (!cors) lines.splice(corsAt === undefined ? assignment.first : corsAt + 1, 0, ...(corsAt === undefined ? ["from fastapi.middleware.cors import CORSMiddleware", ""] : ["from fastapi.middleware.cors import CORSMiddleware"]));
  if (environ === "os.environ" && !bound("os")) {
    const firstImport = imports.find((s) => !/^from\s+__future__\b/.test(s.code));
    const futureImports = imports.filter((s) => /^from\s+__future__\b/.test(s.code));
    if (firstImport) {
      lines.splice(firstImport.first, 0, ...(STDLIB_HINT.test(firstImport.code) ? ["import os"] : ["import os", ""]));
    } else {
      const at = futureImports.at(-1)?.last;
      lines.splice(at === undefined ? assignment.first : at + 1, 0, ...(at === undefined ? ["import os", ""] : ["", "import os"]));
    }
  }
  return lines.join("\n");
}
