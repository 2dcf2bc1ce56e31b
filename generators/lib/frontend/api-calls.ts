import path from "node:path";
import type { ASTNode } from "magicast";
import type { PlanTree } from "../tree.js";
import type { Answers, FrontendInfo } from "../types.js";
import { lineOf } from "../text-offsets.js";
import { detectCodeStyle } from "./source/code-style.js";
import { importBindings, topLevelNames } from "./source/imports.js";
import { insertIntoList } from "./source/list-insert.js";
import { parseSource, span, walk, type NodeOf, type ParsedSource } from "./source/parse.js";
import { applyEdits, insertAt, lineEnd, lineStart, type TextEdit } from "../text-edits.js";
import { moduleSpecifier, type FrontendPaths } from "./paths.js";
import { apiRewrites, proxiedCallLines } from "./proxied-api.js";

/**
 * The project's own calls to its API: `fetch(`${API_URL}/api/tasks`)` and the like, found in the
 * frontend's source and routed through lib/api.ts so they send the bearer token.
 *
 * - A call whose response the code inspects (`res.ok`, `res.status`), hands on (returned, passed) or
 *   ignores becomes `apiResponse(path, init)`: fetch's own semantics (it resolves with the Response
 *   on any status, a 401 when nobody is signed in), plus the token. A call whose response is only
 *   read for its body (`(await fetch(u)).json()`) becomes `apiFetch(path, init)`, which throws an
 *   ApiError unless 2xx (before, a failed call's error body was read as data).
 * - The URL argument keeps only its path: `${API_URL}/api/tasks/${id}` → `/api/tasks/${id}`; the
 *   method, body and headers are left as written. A base constant nothing else uses is removed.
 * - Calls that cannot be rewritten safely (the URL is not a base followed by a literal "/...", axios,
 *   server-side code, a base other than the one lib/api.ts uses) are reported with file:line.
 */

export const NEXT_PUBLIC_API_URL = "NEXT_PUBLIC_API_URL";

/** The `process.env.X` variable lib/api.ts takes the API's base URL from, besides NEXT_PUBLIC_API_URL. */
export interface ApiCallsPlan {
  /** The project's own API-base variable (e.g. NEXT_PUBLIC_BACKEND_URL) when it is not NEXT_PUBLIC_API_URL; else null. */
  baseEnv: string | null;
  /**
   * The deployed API's URL the project falls back to when that variable is unset
   * (`process.env.X || "https://api.example.com"`), so lib/api.ts keeps it; null when it has none, or only a local one.
   */
  baseFallback: string | null;
}

const LOCAL_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:|\/|$)/;

/** The non-local literal fallbacks of `process.env.<env> || "..."` in a module. */
function deployedFallbacks(source: ParsedSource, env: string): string[] {
  const out: string[] = [];
  for (const node of walk(source.program)) {
    const base = baseOf(node);
    if (base?.env === env && base.fallback && !LOCAL_ORIGIN.test(base.fallback) && originOf(base.fallback)) out.push(base.fallback.replace(/\/+$/, ""));
  }
  return out;
}

export interface RewriteOptions {
  /** The API's URL (the apiUrl answer), no trailing slash: literal URLs starting with it are API calls. */
  apiUrl: string;
  /** The NEXT_PUBLIC_* variable that holds the API base lib/api.ts uses. */
  baseEnv: string;
  /** Other NEXT_PUBLIC_* variables that look like an API base (reported, not rewritten). */
  otherApiEnvs: ReadonlySet<string>;
  /** How this file imports the generated API client ("@/lib/api", "../lib/api", "@/lib/auth-api" beside the project's own). */
  apiModule: string;
  /** The generated API client as the reports name it: "lib/api.ts" unless given ("lib/auth-api.ts" beside the project's own). */
  apiFile?: string;
  /** Server-side code (a server component, a route handler): calls are reported, not rewritten. */
  serverSide?: boolean;
}

export interface RewriteResult {
  text: string;
  rewritten: number;
  /** Calls left as they are: the line and why. */
  unrewritten: { line: number; reason: string }[];
}

const BODY_READERS = new Set(["json", "text", "blob", "arrayBuffer", "formData"]);
const AXIOS_METHODS = new Set(["get", "post", "put", "patch", "delete", "head", "options", "request", "create"]);

/** `process.env.NAME` / `process.env["NAME"]` → NAME. */
function envName(node: ASTNode | null | undefined): string | null {
  if (!node) return null;
  if (node.type === "TSNonNullExpression" || node.type === "TSAsExpression" || node.type === "ParenthesizedExpression") return envName(node.expression);
  if (node.type !== "MemberExpression") return null;
  const object = node.object;
  if (object.type !== "MemberExpression" || object.computed || object.object.type !== "Identifier" || object.object.name !== "process") return null;
  if (object.property.type !== "Identifier" || object.property.name !== "env") return null;
  if (!node.computed && node.property.type === "Identifier") return node.property.name;
  if (node.computed && node.property.type === "StringLiteral") return node.property.value;
  return null;
}

/** A base expression: `process.env.X`, `process.env.X ?? "fallback"`, `process.env.X || "..."`, with `!`/`as string`. */
function baseOf(node: ASTNode | null | undefined): { env: string; fallback: string | null } | null {
  if (!node) return null;
  if (node.type === "TSNonNullExpression" || node.type === "TSAsExpression" || node.type === "ParenthesizedExpression") return baseOf(node.expression);
  const env = envName(node);
  if (env) return { env, fallback: null };
  if (node.type === "LogicalExpression" && (node.operator === "??" || node.operator === "||")) {
    const left = envName(node.left);
    if (!left) return null;
    const right = node.right.type === "TemplateLiteral" && node.right.expressions.length === 0 ? node.right.quasis[0].value.cooked : node.right.type === "StringLiteral" ? node.right.value : null;
    return { env: left, fallback: right ?? null };
  }
  return null;
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** Whether a NEXT_PUBLIC_* variable names an API base by its name (NEXT_PUBLIC_API_URL, NEXT_PUBLIC_BACKEND_BASE...). */
function apiLikeName(env: string): boolean {
  return /^NEXT_PUBLIC_/.test(env) && /(^|_)(API|BACKEND)(_|$)/.test(env) && !/(^|_)AUTH(_|$)/.test(env);
}

/** The NEXT_PUBLIC_* API-base variables a module uses, with how often. */
export function apiBaseEnvsIn(source: ParsedSource, apiUrl: string): Map<string, number> {
  const found = new Map<string, number>();
  const apiOrigin = originOf(apiUrl);
  // `process.env.X ?? "..."` is one use, not two: its inner `process.env.X` is skipped.
  const inner = new Set<ASTNode>();
  for (const node of walk(source.program)) {
    if (inner.has(node)) continue;
    const base = baseOf(node);
    if (!base || !base.env.startsWith("NEXT_PUBLIC_")) continue;
    for (const n of walk(node)) if (n !== node) inner.add(n);
    const fallbackOrigin = base.fallback === null ? null : originOf(base.fallback);
    // A fallback names the origin: the API's, or a local one for an API-like name; anything else is another service.
    const isApi = fallbackOrigin !== null ? fallbackOrigin === apiOrigin || (apiLikeName(base.env) && /^http:\/\/(localhost|127\.0\.0\.1)(:|$)/.test(fallbackOrigin)) : apiLikeName(base.env);
    if (isApi) found.set(base.env, (found.get(base.env) ?? 0) + 1);
  }
  return found;
}

interface BaseBinding {
  name: string;
  env: string;
  declarator: NodeOf<"VariableDeclarator">;
  statement: ASTNode | null;
  exported: boolean;
}

/** Constants bound to a base expression: `const API_URL = process.env.NEXT_PUBLIC_API_URL ?? "..."`. */
function baseBindings(source: ParsedSource): BaseBinding[] {
  const out: BaseBinding[] = [];
  const statementOf = new Map<ASTNode, { statement: ASTNode; exported: boolean }>();
  for (const statement of source.program.body) {
    const declaration = statement.type === "ExportNamedDeclaration" ? statement.declaration : statement;
    if (declaration?.type === "VariableDeclaration") {
      for (const d of declaration.declarations) statementOf.set(d, { statement, exported: statement.type === "ExportNamedDeclaration" });
    }
  }
  for (const node of walk(source.program)) {
    if (node.type !== "VariableDeclarator" || node.id.type !== "Identifier") continue;
    const base = baseOf(node.init);
    if (!base) continue;
    const top = statementOf.get(node);
    const statement = top && top.statement.type === "VariableDeclaration" && top.statement.declarations.length === 1 ? top.statement : null;
    out.push({ name: node.id.name, env: base.env, declarator: node, statement, exported: top?.exported ?? false });
  }
  return out;
}

/** Parent links for every node under the program. */
function parents(program: ASTNode): Map<ASTNode, ASTNode> {
  const map = new Map<ASTNode, ASTNode>();
  const visit = (node: ASTNode) => {
    for (const [key, value] of Object.entries(node)) {
      if (key === "loc" || key === "extra" || key.endsWith("Comments") || key === "comments" || key === "tokens") continue;
      const children = Array.isArray(value) ? value : [value];
      for (const child of children) {
        if (typeof child === "object" && child !== null && typeof (child as { type?: unknown }).type === "string") {
          map.set(child as ASTNode, node);
          visit(child as ASTNode);
        }
      }
    }
  };
  visit(program);
  return map;
}

const FUNCTION_TYPES = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression", "ObjectMethod", "ClassMethod"]);

/** Whether an Identifier node is a reference (not a property key or member name). */
function isReference(node: NodeOf<"Identifier">, parent: ASTNode | undefined): boolean {
  if (!parent) return true;
  if ((parent.type === "MemberExpression" || parent.type === "OptionalMemberExpression") && parent.property === node && !parent.computed) return false;
  if ((parent.type === "ObjectProperty" || parent.type === "ObjectMethod") && parent.key === node && !parent.computed && !(parent.type === "ObjectProperty" && parent.shorthand)) return false;
  if (parent.type === "TSPropertySignature" || parent.type === "TSQualifiedName") return false;
  return true;
}

/** Which helper a call becomes: apiFetch when its response is only read for its body, else apiResponse. */
function helperFor(call: ASTNode, parentOf: Map<ASTNode, ASTNode>): "apiFetch" | "apiResponse" {
  let expression: ASTNode = call;
  let parent = parentOf.get(expression);
  if (parent?.type === "AwaitExpression") {
    expression = parent;
    parent = parentOf.get(expression);
  }
  while (parent?.type === "ParenthesizedExpression") {
    expression = parent;
    parent = parentOf.get(expression);
  }
  const readsBody = (member: ASTNode | undefined, object: ASTNode) =>
    member?.type === "MemberExpression" && member.object === object && !member.computed && member.property.type === "Identifier" && BODY_READERS.has(member.property.name);
  if (readsBody(parent, expression)) return "apiFetch";
  if (parent?.type === "VariableDeclarator" && parent.init === expression && parent.id.type === "Identifier") {
    const name = parent.id.name;
    let scope: ASTNode | undefined = parent;
    while (scope && !FUNCTION_TYPES.has(scope.type) && scope.type !== "Program") scope = parentOf.get(scope);
    if (!scope) return "apiResponse";
    const uses = [...walk(scope)].filter((n): n is NodeOf<"Identifier"> => n.type === "Identifier" && n.name === name && n !== parent.id && isReference(n, parentOf.get(n)));
    if (uses.length > 0 && uses.every((use) => readsBody(parentOf.get(use), use))) return "apiFetch";
  }
  return "apiResponse";
}

/** The fetch function a call calls: `fetch`, `window.fetch`, `globalThis.fetch`, `self.fetch`. */
function isFetchCallee(callee: ASTNode, shadowed: boolean): boolean {
  if (callee.type === "Identifier") return callee.name === "fetch" && !shadowed;
  return (
    callee.type === "MemberExpression" &&
    !callee.computed &&
    callee.object.type === "Identifier" &&
    ["window", "globalThis", "self"].includes(callee.object.name) &&
    callee.property.type === "Identifier" &&
    callee.property.name === "fetch"
  );
}

/** The edit that leaves only the path of a URL argument, or why it cannot be split. */
function pathEdit(
  url: ASTNode,
  isBase: (node: ASTNode) => boolean,
  apiUrl: string,
  text: string,
): { edit: TextEdit; removed: ASTNode[] } | { reason: string } | null {
  const startsWithSlash = (value: string | null | undefined) => typeof value === "string" && value.startsWith("/");
  if (url.type === "TemplateLiteral") {
    const first = url.quasis[0];
    if (first.value.raw === "" && url.expressions.length > 0 && isBase(url.expressions[0] as ASTNode)) {
      const next = url.quasis[1];
      if (!startsWithSlash(next.value.cooked)) return { reason: "the URL after the API base does not start with a literal \"/\"" };
      return { edit: { start: span(url).start + 1, end: span(next).start, text: "" }, removed: [url.expressions[0] as ASTNode] };
    }
    const raw = first.value.raw;
    if (raw.startsWith(apiUrl) && (raw.length === apiUrl.length ? url.expressions.length === 0 : raw[apiUrl.length] === "/")) {
      const at = span(first).start;
      return { edit: { start: at, end: at + apiUrl.length, text: "" }, removed: [] };
    }
  }
  if (url.type === "StringLiteral") {
    const raw = text.slice(span(url).start + 1, span(url).end - 1);
    if (raw.startsWith(apiUrl) && (raw.length === apiUrl.length || raw[apiUrl.length] === "/")) {
      const at = span(url).start + 1;
      return { edit: { start: at, end: at + apiUrl.length, text: raw.length === apiUrl.length ? "/" : "" }, removed: [] };
    }
  }
  if (url.type === "BinaryExpression" && url.operator === "+") {
    let innermost: NodeOf<"BinaryExpression"> = url;
    while (innermost.left.type === "BinaryExpression" && innermost.left.operator === "+") innermost = innermost.left;
    if (isBase(innermost.left as ASTNode)) {
      const right = innermost.right;
      const head = right.type === "StringLiteral" ? right.value : right.type === "TemplateLiteral" ? right.quasis[0].value.cooked : null;
      if (!startsWithSlash(head)) return { reason: "the URL after the API base does not start with a literal \"/\"" };
      return { edit: { start: span(innermost.left).start, end: span(right).start, text: "" }, removed: [innermost.left as ASTNode] };
    }
  }
  return null;
}

/**
 * Routes a module's API calls through lib/api.ts (see the top of this file). Pure: text in, text out;
 * the result re-parses. Nothing to do → the same text.
 */
export function rewriteApiCalls(text: string, options: RewriteOptions): RewriteResult {
  const source = parseSource(text);
  const apiUrl = options.apiUrl.replace(/\/+$/, "");
  const parentOf = parents(source.program);
  const bindings = baseBindings(source);
  const ours = new Map(bindings.filter((b) => b.env === options.baseEnv).map((b) => [b.name, b]));
  const others = new Set(bindings.filter((b) => b.env !== options.baseEnv && options.otherApiEnvs.has(b.env)).map((b) => b.name));
  const isBase = (node: ASTNode): boolean => {
    if (node.type === "Identifier") return ours.has(node.name);
    const base = baseOf(node);
    return base !== null && base.env === options.baseEnv;
  };
  const mentions = (node: ASTNode, names: (n: ASTNode) => boolean): boolean => [...walk(node)].some(names);
  const mentionsApi = (node: ASTNode): boolean =>
    mentions(
      node,
      (n) =>
        isBase(n) ||
        (n.type === "StringLiteral" && n.value.startsWith(apiUrl)) ||
        (n.type === "TemplateElement" && (n.value.cooked ?? "").startsWith(apiUrl)),
    );
  const mentionsOther = (node: ASTNode): string | null => {
    for (const n of walk(node)) {
      if (n.type === "Identifier" && others.has(n.name)) return bindings.find((b) => b.name === n.name)!.env;
      const env = envName(n);
      if (env && env !== options.baseEnv && options.otherApiEnvs.has(env)) return env;
    }
    return null;
  };
  // Variables holding an API URL (`const url = `${API_URL}/x``): a call through one cannot be split.
  const urlVariables = new Set<string>();
  for (const node of walk(source.program)) {
    if (node.type === "VariableDeclarator" && node.id.type === "Identifier" && node.init && !ours.has(node.id.name) && mentionsApi(node.init)) urlVariables.add(node.id.name);
  }
  const fetchShadowed = topLevelNames(source).has("fetch");
  const axiosNames = new Set(importBindings(source).filter((b) => b.from === "axios" && !b.typeOnly && (b.imported === "default" || b.imported === "*")).map((b) => b.local));

  const edits: TextEdit[] = [];
  const removedRefs = new Set<ASTNode>();
  const unrewritten: RewriteResult["unrewritten"] = [];
  const needed = new Set<"apiFetch" | "apiResponse">();
  const calls: { callee: ASTNode; helper: "apiFetch" | "apiResponse" }[] = [];
  const apiFile = options.apiFile ?? "lib/api.ts";
  const report = (node: ASTNode, reason: string) => unrewritten.push({ line: lineOf(text, span(node).start), reason });

  for (const node of walk(source.program)) {
    if (node.type !== "CallExpression") continue;
    const callee = node.callee as ASTNode;
    const [url] = node.arguments as ASTNode[];
    const isAxios =
      (callee.type === "Identifier" && axiosNames.has(callee.name)) ||
      (callee.type === "MemberExpression" && callee.object.type === "Identifier" && axiosNames.has(callee.object.name) && callee.property.type === "Identifier" && AXIOS_METHODS.has(callee.property.name));
    if (isAxios) {
      if (node.arguments.some((a) => mentionsApi(a as ASTNode) || (a.type === "Identifier" && urlVariables.has(a.name)))) {
        report(node, `an axios call: route it through apiFetch() from ${apiFile}, or add the header from a request interceptor`);
      }
      continue;
    }
    if (!isFetchCallee(callee, fetchShadowed) || !url) continue;
    const other = mentionsOther(url);
    if (other && !mentionsApi(url)) {
      report(node, `its URL is built from ${other}, while ${apiFile} sends the token to ${options.baseEnv}; use apiFetch() if both are the same API`);
      continue;
    }
    if (url.type === "Identifier" && urlVariables.has(url.name)) {
      report(node, `its URL comes from the variable ${url.name}: pass the path to apiFetch() from ${apiFile} instead`);
      continue;
    }
    if (!mentionsApi(url)) continue;
    if (options.serverSide) {
      report(node, `server-side code: apiFetch() works in the browser; here use createApiClient() from ${apiFile} with auth.api.getToken()`);
      continue;
    }
    const split = pathEdit(url, isBase, apiUrl, text);
    if (!split || "reason" in split) {
      report(node, split?.reason ?? "its URL is not the API base followed by a literal path");
      continue;
    }
    edits.push(split.edit);
    for (const removed of split.removed) for (const n of walk(removed)) removedRefs.add(n);
    const helper = helperFor(node, parentOf);
    needed.add(helper);
    calls.push({ callee, helper });
  }
  if (calls.length === 0) return { text, rewritten: 0, unrewritten };

  // The helpers' local names (an alias when the name is taken), and their import.
  const style = detectCodeStyle(source);
  const taken = topLevelNames(source);
  const locals = new Map<string, string>();
  const importEdits = importHelpers(source, [...needed].sort(), options.apiModule, style, taken, locals);
  for (const { callee, helper } of calls) edits.push({ ...span(callee), text: locals.get(helper)! });

  // A base constant nothing else uses any more goes (an exported one stays: other modules may use it).
  for (const binding of ours.values()) {
    if (!binding.statement || binding.exported) continue;
    const stillUsed = [...walk(source.program)].some(
      (n) => n.type === "Identifier" && n.name === binding.name && n !== binding.declarator.id && !removedRefs.has(n) && isReference(n, parentOf.get(n)),
    );
    if (!stillUsed) edits.push(removeStatement(text, binding.statement));
  }
  const out = applyEdits(text, [...edits, ...importEdits]);
  parseSource(out);
  return { text: out, rewritten: calls.length, unrewritten };
}

/** Imports `names` from `module`: into an existing `import { ... }` from it, else on a new line after the imports (after any directive). */
function importHelpers(
  source: ParsedSource,
  names: string[],
  module: string,
  style: ReturnType<typeof detectCodeStyle>,
  taken: Set<string>,
  locals: Map<string, string>,
): TextEdit[] {
  const existing = importBindings(source).filter((b) => b.from === module && !b.typeOnly);
  const specifiers: string[] = [];
  for (const name of names) {
    const found = existing.find((b) => b.imported === name);
    if (found) {
      locals.set(name, found.local);
      continue;
    }
    let local = name;
    for (let n = 2; taken.has(local); n++) local = `${name}${n}`;
    taken.add(local);
    locals.set(name, local);
    specifiers.push(local === name ? name : `${name} as ${local}`);
  }
  if (specifiers.length === 0) return [];
  const imports = source.program.body.filter((s): s is NodeOf<"ImportDeclaration"> => s.type === "ImportDeclaration");
  const named = imports.find((d) => d.source.value === module && d.importKind !== "type" && d.specifiers.some((x) => x.type === "ImportSpecifier"));
  if (named) {
    const tokens = source.tokens.filter((t) => !t.comment && t.start >= span(named).start && t.end <= span(named.source).start);
    const open = tokens.find((t) => t.value === "{");
    const close = [...tokens].reverse().find((t) => t.value === "}");
    if (open && close) {
      const items = named.specifiers.filter((x) => x.type === "ImportSpecifier");
      const multiline = source.text.slice(open.start, close.start).includes("\n");
      const item = specifiers.join(multiline ? ",\n" : ", ");
      return insertIntoList(source, { open: open.start, close: close.start, items, kind: "braces" }, items.length, item, style);
    }
  }
  const line = `import { ${specifiers.join(", ")} } from ${style.quote}${module}${style.quote}${style.semicolons ? ";" : ""}`;
  const last = imports.at(-1);
  if (last) return [insertAt(lineEnd(source.text, span(last).end), `\n${line}`)];
  const directives = (source.program as unknown as { directives?: ASTNode[] }).directives ?? [];
  const lastDirective = directives.at(-1);
  if (lastDirective) return [insertAt(lineEnd(source.text, span(lastDirective).end), `\n\n${line}`)];
  return [insertAt(0, `${line}\n\n`)];
}

/** Removes a statement's lines, and one of the blank lines around it when it stood between two. */
function removeStatement(text: string, statement: ASTNode): TextEdit {
  const start = lineStart(text, span(statement).start);
  let end = Math.min(lineEnd(text, span(statement).end) + 1, text.length);
  const blankBefore = start === 0 || text.slice(0, start).endsWith("\n\n");
  if (blankBefore && text[end] === "\n") end++;
  return { start, end, text: "" };
}

const SOURCE_EXTENSIONS = /\.(tsx?|jsx?|mjs|mts)$/;
const SKIPPED_NAMES = /\.(d\.ts|test\.[jt]sx?|spec\.[jt]sx?|stories\.[jt]sx?)$/;
const SKIPPED_DIRS = new Set(["node_modules", ".next", "public", "__tests__", "__mocks__", "dist", "build", "out", "coverage"]);

/** The frontend's own source modules under its code folder (app/, components/, lib/, hooks/, ...). */
function sourceFiles(tree: PlanTree, codeDir: string, generated: Set<string>): string[] {
  const out: string[] = [];
  const visit = (dir: string, depth: number) => {
    if (depth > 12) return;
    for (const name of tree.list(dir).sort()) {
      if (name.startsWith(".") || SKIPPED_DIRS.has(name)) continue;
      const rel = path.posix.join(dir, name);
      if (tree.isDir(rel)) visit(rel, depth + 1);
      else if (SOURCE_EXTENSIONS.test(name) && !SKIPPED_NAMES.test(name) && !generated.has(rel)) out.push(rel);
    }
  };
  for (const top of tree.list(codeDir).sort()) {
    if (top.startsWith(".") || SKIPPED_DIRS.has(top) || top === "scripts") continue;
    const rel = path.posix.join(codeDir, top);
    if (tree.isDir(rel)) visit(rel, 1);
    else if (SOURCE_EXTENSIONS.test(top) && !SKIPPED_NAMES.test(top) && !/^(next|tailwind|postcss|eslint|vitest|jest|playwright)\.config\./.test(top) && !/^(middleware|proxy|instrumentation)\./.test(top)) out.push(rel);
  }
  return out;
}

/** Server-side modules: app/ files without "use client" (server components, route handlers), "use server" modules. */
function isServerSide(source: ParsedSource, rel: string, codeDir: string): boolean {
  const directives = ((source.program as unknown as { directives?: { value: { value: string } }[] }).directives ?? []).map((d) => d.value.value);
  if (directives.includes("use client")) return false;
  if (directives.includes("use server")) return true;
  return path.posix.relative(codeDir, rel).startsWith("app/");
}

/** The variable and deployed fallback an earlier run's lib/api.ts took its base from (the project's own), so a second run keeps them. */
function previousBase(tree: PlanTree, apiFile: string): { env: string | null; fallback: string | null } {
  const text = tree.read(apiFile);
  const match = text && /baseUrl: (?:process\.env\.(NEXT_PUBLIC_\w+) \|\| )?process\.env\.NEXT_PUBLIC_API_URL \|\| "([^"]*)"/.exec(text);
  return { env: match?.[1] ?? null, fallback: match && !LOCAL_ORIGIN.test(match[2]) ? match[2] : null };
}

/** Warns about calls that reach the API through a rewrite of next.config (a same-origin path): the rewrite forwards no token. */
function warnProxiedCalls(tree: PlanTree, frontend: FrontendInfo, parsed: { rel: string; source: ParsedSource }[], apiFile: string, apiUrl: string): void {
  const rewrites = apiRewrites(tree, frontend.dir, apiUrl);
  if (rewrites.length === 0) return;
  for (const { rel, source } of parsed) {
    for (const { line, rewrite } of proxiedCallLines(source, rewrites)) {
      tree.warn(
        `${rel}:${line}: this API call goes through the rewrite at ${rewrite.file}:${rewrite.line} (${rewrite.from} → the API's ${rewrite.to || "/"}) and sends no token, ` +
          `so the API now answers 401: call apiFetch("${rewrite.to || "/"}...") from ${apiFile} instead, which sends Authorization: Bearer`,
      );
    }
  }
}

/**
 * Finds the frontend's API calls and plans their rewrite (see rewriteApiCalls); the ones left as they
 * are become warnings with file:line. Returns the project's own API-base variable for lib/api.ts.
 */
export function planApiCalls(tree: PlanTree, answers: Answers, frontend: FrontendInfo, paths: FrontendPaths): ApiCallsPlan {
  const generated = new Set<string>(Object.values(paths));
  const parsed: { rel: string; source: ParsedSource }[] = [];
  const envCounts = new Map<string, number>();
  for (const rel of sourceFiles(tree, frontend.codeDir, generated)) {
    if (rel.startsWith(`${paths.authRoutes}/`)) continue;
    const text = tree.read(rel);
    if (text === null || (!text.includes("fetch") && !text.includes("axios"))) continue;
    let source: ParsedSource;
    try {
      source = parseSource(text);
    } catch {
      continue; // Not parseable here (flow, odd syntax): not ours to judge.
    }
    parsed.push({ rel, source });
    for (const [env, n] of apiBaseEnvsIn(source, answers.apiUrl)) envCounts.set(env, (envCounts.get(env) ?? 0) + n);
  }
  const previous = previousBase(tree, paths.api);
  const ranked = [...envCounts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([env]) => env);
  const baseEnv = envCounts.has(NEXT_PUBLIC_API_URL) ? NEXT_PUBLIC_API_URL : (previous.env ?? ranked[0] ?? NEXT_PUBLIC_API_URL);
  // Read before the rewrite, which may remove the constant that holds it.
  const fallbacks = [...new Set(parsed.flatMap(({ source }) => deployedFallbacks(source, baseEnv)))];
  if (fallbacks.length > 1) tree.warn(`${baseEnv} falls back to different URLs (${fallbacks.join(", ")}); ${paths.api} uses ${fallbacks[0]} when it is unset`);
  const baseFallback = fallbacks[0] ?? previous.fallback;
  const otherApiEnvs = new Set(ranked.filter((env) => env !== baseEnv));
  for (const { rel, source } of parsed) {
    const result = rewriteApiCalls(source.text, {
      apiUrl: answers.apiUrl,
      baseEnv,
      otherApiEnvs,
      apiModule: moduleSpecifier(frontend, rel, paths.api),
      apiFile: path.posix.relative(frontend.codeDir, paths.api),
      serverSide: isServerSide(source, rel, frontend.codeDir),
    });
    if (result.rewritten > 0) tree.write(rel, result.text);
    for (const call of result.unrewritten) tree.warn(`${rel}:${call.line}: this API call still sends no token: ${call.reason}`);
  }
  warnProxiedCalls(tree, frontend, parsed, path.posix.relative(frontend.codeDir, paths.api), answers.apiUrl);
  return { baseEnv: baseEnv === NEXT_PUBLIC_API_URL ? null : baseEnv, baseFallback };
}
