import type { SyntaxNode } from "@lezer/common";
import { bindingsOf } from "../python/imports.js";
import { argumentsOf, childrenOf, descendants, dottedName, lastName, parsePython, statementsOf, stringValue, textOf, type PySource } from "../python/syntax.js";
import { applyEdits, endOfLine, insertAt, lineEnd, lineEnding, lineStart } from "../text-edits.js";
import { lineIndent, lineOf } from "../text-offsets.js";
import { findAppAssignment } from "./fastapi-app.js";

/** What the API's CORS policy must let through: the frontend's origin, sending `Authorization`. */
export interface CorsOptions {
  /** The module's path, for messages. */
  file: string;
  /** The variable holding the FastAPI app ("app"). */
  appVariable: string;
  /** The frontend's origin (the BETTER_AUTH_URL answer), no trailing slash. */
  origin: string;
  /** Other origins to allow (the corsOrigins answer), no trailing slash; none by default. */
  extraOrigins?: string[];
}

export interface CorsResult {
  text: string;
  /** Policies that would block the frontend and could not be fixed in place, each with the fix. */
  warnings: string[];
}

/** The headers a browser asks a preflight for when apiFetch() calls the API. */
const GENERATED_HEADERS = ["Authorization", "Content-Type"];

/** A call's argument list: its `(`, its `)` and what is just before the `)` (the last argument, or a trailing comma). */
interface ArgListNodes {
  open: SyntaxNode;
  close: SyntaxNode;
  last: SyntaxNode;
}

/** The brackets of an argument list; null when it is unterminated (a parse error). */
function argListNodes(argList: SyntaxNode): ArgListNodes | null {
  const parts = childrenOf(argList).filter((child) => child.name !== "Comment");
  const [open, close] = [parts[0], parts.at(-1)];
  if (open?.name !== "(" || close?.name !== ")" || parts.length < 3 || parts.some((part) => part.type.isError)) return null;
  return { open, close, last: parts.at(-2)! };
}

/** A list or tuple of string literals, with what an insertion needs; null when it is anything else. */
interface StringList {
  values: string[];
  items: SyntaxNode[];
  open: SyntaxNode;
  close: SyntaxNode;
}

/** A list or tuple literal whose items may be any expression: `values` holds the string literals among them. */
function listLiteral(source: PySource, node: SyntaxNode): (StringList & { allStrings: boolean }) | null {
  if (node.name !== "ArrayExpression" && node.name !== "TupleExpression") return null;
  const parts = childrenOf(node).filter((child) => child.name !== "Comment");
  const [open, close] = [parts[0], parts.at(-1)];
  if (!open || !close || !["[", "("].includes(open.name) || ![")", "]"].includes(close.name)) return null;
  const items = parts.slice(1, -1).filter((part) => part.name !== ",");
  const literal = (item: SyntaxNode) => stringValue(source, item) !== null && !/^[bBfF]|^[rR][bBfF]/.test(textOf(source, item));
  return { values: items.filter(literal).map((item) => stringValue(source, item)!), items, open, close, allStrings: items.every(literal) };
}

function stringList(source: PySource, node: SyntaxNode): StringList | null {
  const list = listLiteral(source, node);
  return list?.allStrings ? list : null;
}

interface Edit {
  at: number;
  text: string;
}

/** The edit that appends strings to a literal list, in its layout: one per line when it is written so, else inline. */
function appendItems(source: PySource, list: StringList, values: string[]): Edit {
  const { text } = source;
  const last = list.items.at(-1);
  const quote = last ? (/['"]/.exec(textOf(source, last))?.[0] ?? '"') : '"';
  const literals = values.map((value) => `${quote}${value}${quote}`);
  if (!last) return { at: list.open.to, text: list.open.name === "(" ? `${literals.join(", ")},` : literals.join(", ") };
  const between = text.slice(last.to, list.close.from);
  if (between.includes("\n")) {
    const indent = lineIndent(text, last.from);
    const eol = lineEnding(text);
    const comma = last.nextSibling?.name === "," ? last.nextSibling : null;
    // After the line of the last item's comma, so a comment at its end stays with it.
    if (comma) return { at: endOfLine(text, comma.to), text: literals.map((literal) => `${eol}${indent}${literal},`).join("") };
    return { at: last.to, text: literals.map((literal) => `,${eol}${indent}${literal}`).join("") };
  }
  return { at: last.to, text: literals.map((literal) => `, ${literal}`).join("") };
}

const sameOrigin = (a: string, b: string) => a.replace(/\/+$/, "").toLowerCase() === b.replace(/\/+$/, "").toLowerCase();

/** The `*args` / `**kwargs` of an argument list, as written; null when it has none. */
function splatArgument(source: PySource, argList: SyntaxNode): string | null {
  const star = childrenOf(argList).find((child) => child.name === "*" || child.name === "**");
  return star ? source.text.slice(star.from, star.nextSibling?.to ?? star.to) : null;
}

/** Fixes one CORSMiddleware(...) configuration in place where its values are literals; returns the edits and what it could not fix. */
function fixPolicy(source: PySource, argList: SyntaxNode, options: CorsOptions): { edits: Edit[]; warnings: string[] } {
  const { text } = source;
  const brackets = argListNodes(argList);
  const where = `${options.file}:${lineOf(text, argList.from)}`;
  const wanted = [options.origin, ...(options.extraOrigins ?? [])];
  // "a", "b": how the messages name the origins to allow.
  const named = wanted.join(", ");
  const missing = (values: string[]) => wanted.filter((origin) => !values.some((v) => sameOrigin(v, origin)));
  if (!brackets) return { edits: [], warnings: [`${where}: could not read this CORSMiddleware's settings; make sure it allows the origin ${named} and the Authorization header`] };
  const edits: Edit[] = [];
  const warnings: string[] = [];
  const { keywords } = argumentsOf(source, argList);
  const splat = splatArgument(source, argList);
  const origins = keywords.get("allow_origins");
  const credentials = keywords.get("allow_credentials");
  const headers = keywords.get("allow_headers");
  const regex = keywords.get("allow_origin_regex");
  const credentialsOn = credentials !== undefined && textOf(source, credentials) === "True";

  if (splat && (!origins || !headers)) {
    warnings.push(`${where}: CORSMiddleware takes settings from \`${splat}\`; make sure they allow the origin ${named} and the Authorization header`);
    return { edits, warnings };
  }
  // Origins.
  const originList = origins ? stringList(source, origins) : null;
  // An origin read from BETTER_AUTH_URL (what addCorsMiddleware writes) is the frontend's by definition.
  const readsAuthUrl = origins !== undefined && /\bBETTER_AUTH_URL\b/.test(textOf(source, origins));
  if (origins && !originList && readsAuthUrl) {
    // The frontend's origin follows its configured value; the other origins asked for are added to a list beside it.
    const list = listLiteral(source, origins);
    const extra = list ? missing(list.values).filter((origin) => origin !== options.origin) : [];
    if (list && extra.length > 0) edits.push(appendItems(source, list, extra));
    else if (!list && wanted.length > 1) warnings.push(`${where}: allow_origins is \`${textOf(source, origins)}\`, which auth-integrator does not edit; make sure it also includes ${wanted.slice(1).map((o) => `"${o}"`).join(", ")}`);
  } else if (origins && !originList) {
    warnings.push(
      `${where}: allow_origins is \`${textOf(source, origins)}\`, which auth-integrator does not edit; make sure it includes ${wanted.map((o) => `"${o}"`).join(", ")} (the frontend's origin${wanted.length > 1 ? " and the other origins asked for" : ""}), or the browser blocks every API call from it`,
    );
  } else if (originList?.values.includes("*")) {
    if (credentialsOn) {
      warnings.push(
        `${where}: allow_origins=["*"] with allow_credentials=True lets every website make credentialed calls to this API (Starlette echoes the caller's origin; browsers refuse a literal "*" with credentials); list the frontend's origin instead: allow_origins=[${wanted.map((o) => `"${o}"`).join(", ")}]`,
      );
    }
  } else if (originList && missing(originList.values).length > 0) {
    edits.push(appendItems(source, originList, missing(originList.values)));
  } else if (!origins && regex) {
    warnings.push(`${where}: CORSMiddleware allows origins by allow_origin_regex; make sure it matches ${wanted.map((o) => `"${o}"`).join(", ")}`);
  } else if (!origins) {
    edits.push(addKeyword(text, brackets, `allow_origins=[${wanted.map((o) => `"${o}"`).join(", ")}]`));
  }
  // Headers.
  const headerList = headers ? stringList(source, headers) : null;
  if (headers && !headerList) {
    warnings.push(`${where}: allow_headers is \`${textOf(source, headers)}\`, which auth-integrator does not edit; make sure it includes "Authorization", or the browser blocks every call that sends a token`);
  } else if (headerList && !headerList.values.some((v) => v === "*" || v.toLowerCase() === "authorization")) {
    edits.push(appendItems(source, headerList, ["Authorization"]));
  } else if (!headers) {
    edits.push(addKeyword(text, brackets, `allow_headers=[${GENERATED_HEADERS.map((h) => `"${h}"`).join(", ")}]`));
  }
  return { edits, warnings };
}

/** Adds `keyword=value` as the call's last argument, one per line when its arguments are written so. */
function addKeyword(text: string, { open, close, last }: ArgListNodes, argument: string): Edit {
  const trailingComma = last.name === ",";
  if (text.slice(open.to, close.from).includes("\n")) {
    const indent = lineIndent(text, last.from);
    const eol = lineEnding(text);
    if (!trailingComma) return { at: last.to, text: `,${eol}${indent}${argument}` };
    // After the line of the trailing comma, so a comment at its end stays with it.
    const lineEndAt = endOfLine(text, last.to);
    return lineEndAt < close.from ? { at: lineEndAt, text: `${eol}${indent}${argument},` } : { at: last.to, text: `${eol}${indent}${argument},` };
  }
  return { at: last.to, text: trailingComma ? ` ${argument}` : `, ${argument}` };
}

/** True for a `CORSMiddleware` or `x.CORSMiddleware` expression. */
function namesCors(source: PySource, node: SyntaxNode | undefined): boolean {
  return lastName(dottedName(source, node)) === "CORSMiddleware";
}

/** The argument lists of every CORSMiddleware(...) configuration in the module: `add_middleware(CORSMiddleware, ...)` or `Middleware(CORSMiddleware, ...)`. */
function corsConfigurations(source: PySource): SyntaxNode[] {
  return descendants(source.top, "ArgList").filter((argList) => {
    const first = childrenOf(argList).find((child) => child.name !== "(" && child.name !== "Comment");
    return namesCors(source, first) && first?.nextSibling?.name !== "AssignOp";
  });
}

/** True when the module configures CORSMiddleware anywhere (names it in code, not just imports it). */
export function configuresCors(text: string): boolean {
  if (!/\bCORSMiddleware\b/.test(text)) return false;
  const source = parsePython(text);
  const named = [...descendants(source.top, "VariableName"), ...descendants(source.top, "PropertyName")].filter((node) => textOf(source, node) === "CORSMiddleware");
  return named.some((node) => !ancestorNamed(node, "ImportStatement"));
}

/** True when one of a node's ancestors has the type `name`. */
function ancestorNamed(node: SyntaxNode, name: string): boolean {
  for (let parent = node.parent; parent; parent = parent.parent) if (parent.name === name) return true;
  return false;
}

/**
 * Makes an existing CORS policy let the frontend call the API with a token (text in → text out): a
 * literal allow_origins list lacking the frontend's origin gets it, a literal allow_headers list lacking
 * "Authorization" gets it; values that are not literals are reported with the fix. Every line is kept.
 */
export function fixCorsPolicies(text: string, options: CorsOptions): CorsResult {
  const source = parsePython(text);
  const edits: Edit[] = [];
  const warnings: string[] = [];
  for (const argList of corsConfigurations(source)) {
    const fixed = fixPolicy(source, argList, options);
    edits.push(...fixed.edits);
    warnings.push(...fixed.warnings);
  }
  return { text: applyInsertions(text, edits), warnings };
}

function applyInsertions(text: string, edits: Edit[]): string {
  return applyEdits(text, edits.map((edit) => insertAt(edit.at, edit.text)));
}

/**
 * The lines a module without CORS gets after its `app = FastAPI(...)`; `environ` is how the module reaches os.environ.
 * The frontend's origin comes from BETTER_AUTH_URL, first; `extraOrigins` follow it as literals.
 */
export function corsMiddlewareLines(appVariable: string, environ: string, origin: string, extraOrigins: string[] = []): string[] {
  return [
    "",
    "# Lets the frontend (BETTER_AUTH_URL, its origin) call this API from the browser with Authorization: Bearer <token>.",
    `${appVariable}.add_middleware(`,
    "    CORSMiddleware,",
    `    allow_origins=[${[`${environ}.get("BETTER_AUTH_URL", "${origin}").rstrip("/")`, ...extraOrigins.map((o) => `"${o}"`)].join(", ")}],`,
    "    allow_credentials=True,",
    '    allow_methods=["*"],',
    `    allow_headers=[${GENERATED_HEADERS.map((h) => `"${h}"`).join(", ")}],`,
    ")",
  ];
}

/** Standard-library modules whose imports `import os` joins without a blank line. */
const STDLIB_HINT = new Set(["__future__", "os", "sys", "re", "json", "logging", "typing", "collections", "contextlib", "datetime", "pathlib", "functools", "asyncio", "uuid", "enum", "dataclasses", "abc", "time"]);

/** The first module name an import statement reads (`from fastapi.x import y` → "fastapi"); "" for relative imports. */
function importedTopModule(source: PySource, statement: SyntaxNode): string {
  const head = childrenOf(statement)[1];
  return head?.name === "VariableName" ? textOf(source, head) : "";
}

/** The edit inserting lines on their own after the line holding `offset`. */
function linesAfterOffset(text: string, offset: number, lines: string[]): Edit {
  const eol = lineEnding(text);
  return { at: endOfLine(text, offset), text: lines.map((line) => `${eol}${line}`).join("") };
}

/** The edit inserting lines on their own before the line holding `offset`. */
function linesBefore(text: string, offset: number, lines: string[]): Edit {
  const eol = lineEnding(text);
  return { at: lineStart(text, offset), text: lines.map((line) => `${line}${eol}`).join("") };
}

/** True when the line after the one holding `offset` exists and is not blank. */
function nextLineHasCode(text: string, offset: number): boolean {
  const next = lineEnd(text, offset) + 1;
  return next <= text.length && text.slice(next, lineEnd(text, next)).trim() !== "";
}

/**
 * Adds CORSMiddleware to a module that has none (text in → text out), right after the statement creating
 * the app: allowing the frontend's origin from BETTER_AUTH_URL (the answer as the fallback) and the
 * Authorization header. Imports `os` and CORSMiddleware unless the module already binds them. Returns
 * null when there is no top-level `app = ...` to add it after.
 */
export function addCorsMiddleware(text: string, options: CorsOptions): string | null {
  const source = parsePython(text);
  const assignment = findAppAssignment(source, options.appVariable)?.node;
  if (!assignment) return null;
  const imports = statementsOf(source.top).filter((s) => s.name === "ImportStatement" && s.to <= assignment.from);
  const bindings = imports.flatMap((s) => bindingsOf(source, s));
  const bound = (target: string) => bindings.find((b) => b.target === target)?.name;
  const environ = bound("os.environ") ?? (bound("os") ? `${bound("os")}.environ` : "os.environ");
  const cors = bound("fastapi.middleware.cors.CORSMiddleware") ?? bound("starlette.middleware.cors.CORSMiddleware");

  const edits: Edit[] = [];
  // `import os` with the standard library; inserted first, so it comes before CORSMiddleware's import at the same place.
  if (environ === "os.environ" && !bound("os")) {
    const isFuture = (s: SyntaxNode) => importedTopModule(source, s) === "__future__";
    const firstImport = imports.find((s) => !isFuture(s));
    const lastFuture = imports.filter(isFuture).at(-1);
    if (firstImport) edits.push(linesBefore(text, firstImport.from, STDLIB_HINT.has(importedTopModule(source, firstImport)) ? ["import os"] : ["import os", ""]));
    else if (lastFuture) edits.push(linesAfterOffset(text, lastFuture.to, ["", "import os"]));
    else edits.push(linesBefore(text, assignment.from, ["import os", ""]));
  }
  // CORSMiddleware after the module's fastapi imports, else its last import.
  const corsAt = imports.filter((s) => importedTopModule(source, s) === "fastapi").at(-1) ?? imports.at(-1);
  const corsImport = "from fastapi.middleware.cors import CORSMiddleware";
  if (!cors) edits.push(corsAt ? linesAfterOffset(text, corsAt.to, [corsImport]) : linesBefore(text, assignment.from, [corsImport, ""]));
  const block = corsMiddlewareLines(options.appVariable, environ, options.origin, options.extraOrigins).map((line) => (cors ? line.replace("    CORSMiddleware,", `    ${cors},`) : line));
  edits.push(linesAfterOffset(text, assignment.to, nextLineHasCode(text, assignment.to) ? [...block, ""] : block));
  return applyInsertions(text, edits);
}

/** The allow_origins list literals of every CORSMiddleware(...) configuration in a parsed module. */
function originLists(source: PySource): Array<StringList & { allStrings: boolean }> {
  return corsConfigurations(source).flatMap((argList) => {
    const origins = argumentsOf(source, argList).keywords.get("allow_origins");
    const list = origins ? listLiteral(source, origins) : null;
    return list ? [list] : [];
  });
}

/** The origins the module's CORS policies list as string literals (text in, origins out). */
export function literalCorsOrigins(text: string): string[] {
  if (!configuresCors(text)) return [];
  return [...new Set(originLists(parsePython(text)).flatMap((list) => list.values))];
}

/**
 * Takes origins out of the allow_origins list literals (text in → text out), each item with the separator that
 * appendItems put before it: `, "x"` inline, its own line in a list written one per line. Other bytes are kept.
 */
export function removeCorsOrigins(text: string, origins: string[]): string {
  let out = text;
  // One item at a time, parsing again after each: neighbouring items' separators would overlap otherwise.
  for (let span = originItemSpan(out, origins); span; span = originItemSpan(out, origins)) out = out.slice(0, span.from) + out.slice(span.to);
  return out;
}

/** The text to cut for the first allow_origins item naming one of the origins (see removeCorsOrigins); null when none does. */
function originItemSpan(text: string, origins: string[]): { from: number; to: number } | null {
  if (origins.length === 0 || !configuresCors(text)) return null;
  const source = parsePython(text);
  for (const list of originLists(source)) {
    const i = list.items.findIndex((item) => {
      const value = stringValue(source, item);
      return value !== null && origins.some((origin) => sameOrigin(origin, value));
    });
    if (i < 0) continue;
    const item = list.items[i];
    const comma = item.nextSibling?.name === "," ? item.nextSibling : null;
    const previous = list.items[i - 1];
    const ownLine = text.slice(lineStart(text, item.from), item.from).trim() === "";
    if (comma && ownLine && previous) return { from: lineStart(text, item.from) - lineEnding(text).length, to: endOfLine(text, comma.to) };
    if (previous) return { from: previous.to, to: item.to };
    return { from: item.from, to: comma ? comma.to + (text[comma.to] === " " ? 1 : 0) : item.to };
  }
  return null;
}
