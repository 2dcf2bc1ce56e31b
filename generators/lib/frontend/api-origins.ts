import path from "node:path";
import type { ASTNode } from "magicast";
import type { PlanTree } from "../tree.js";
import type { FrontendInfo } from "../types.js";
import { lineOf } from "../text-offsets.js";
import { importBindings } from "./source/imports.js";
import { parseSource, span, walk, type ParsedSource } from "./source/parse.js";

/**
 * Which origin a URL in the frontend's code names, and whether that is the API's: loopback hosts
 * (localhost, 127.0.0.1, [::1], 0.0.0.0) on the same scheme and port are one origin, so
 * `http://127.0.0.1:8000` is the API when the answer is `http://localhost:8000`. Also finds the one
 * loopback API origin a frontend names in its calls, env files and next.config (the apiUrl answer's
 * detected default).
 */

export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["localhost", "127.0.0.1", "[::1]", "0.0.0.0"]);

/**
 * The http(s) origin a URL text starts with and the length of that part, or null. `complete`: the text
 * is the whole URL (a template literal's head is not, so `http://localhost:${port}` names no origin).
 */
export function leadingOrigin(text: string, complete = true): { origin: string; length: number } | null {
  const match = /^https?:\/\/[^/?#\s"'`\\]*/i.exec(text);
  if (!match) return null;
  const head = match[0];
  if (head.includes("@") || head.endsWith(":") || head.length === "http://".length || (!complete && head.length === text.length)) return null;
  try {
    const url = new URL(head);
    return { origin: url.origin, length: head.length };
  } catch {
    return null;
  }
}

/** Whether an origin is on a loopback host (this machine: where `next dev` reaches a local API). */
export function isLoopbackOrigin(origin: string): boolean {
  try {
    return LOOPBACK_HOSTS.has(new URL(origin).hostname);
  } catch {
    return false;
  }
}

/** An origin's identity: loopback hosts on one scheme and port are the same origin. */
function originKey(origin: string): string | null {
  try {
    const url = new URL(origin);
    if (!/^https?:$/.test(url.protocol)) return null;
    if (!LOOPBACK_HOSTS.has(url.hostname)) return url.origin;
    return `${url.protocol}//loopback:${url.port || (url.protocol === "https:" ? "443" : "80")}`;
  } catch {
    return null;
  }
}

/** Whether two origins (or URLs) are the same API origin: equal, or loopback hosts on one scheme and port. */
export function sameApiOrigin(a: string, b: string): boolean {
  const ka = originKey(a);
  return ka !== null && ka === originKey(b);
}

/**
 * The length of the API URL a URL text starts with (`http://127.0.0.1:8000` in
 * `http://127.0.0.1:8000/items` for the API `http://localhost:8000`), followed by "/" or the end;
 * -1 when the text does not start with the API's URL.
 */
export function apiPrefixLength(text: string, apiUrl: string, complete = true): number {
  const lead = leadingOrigin(text, complete);
  if (!lead || !sameApiOrigin(lead.origin, apiUrl)) return -1;
  let basePath = "";
  try {
    basePath = new URL(apiUrl).pathname.replace(/\/+$/, "");
  } catch {
    return -1;
  }
  const rest = text.slice(lead.length);
  if (!rest.startsWith(basePath)) return -1;
  const after = rest.slice(basePath.length);
  if (after !== "" && !after.startsWith("/")) return -1;
  return lead.length + basePath.length;
}

const unwrapTs = (node: ASTNode): ASTNode =>
  node.type === "TSNonNullExpression" || node.type === "TSAsExpression" || node.type === "TSSatisfiesExpression" || node.type === "ParenthesizedExpression" ? unwrapTs(node.expression as ASTNode) : node;

/** A string literal's value, or a template literal's without `${}`; null for anything else. */
export function literalValue(node: ASTNode | null | undefined): string | null {
  if (!node) return null;
  const inner = unwrapTs(node);
  if (inner.type === "StringLiteral") return inner.value;
  if (inner.type === "TemplateLiteral" && inner.expressions.length === 0) return inner.quasis[0].value.cooked ?? null;
  return null;
}

/** `process.env.X`'s (or `process.env["X"]`'s) name, through `!`, `as`, `satisfies` and parentheses. */
export function envOf(node: ASTNode | null | undefined): string | null {
  if (!node) return null;
  const inner = unwrapTs(node);
  if (inner.type !== "MemberExpression") return null;
  const object = inner.object;
  if (object.type !== "MemberExpression" || object.computed || object.object.type !== "Identifier" || object.object.name !== "process") return null;
  if (object.property.type !== "Identifier" || object.property.name !== "env") return null;
  if (!inner.computed && inner.property.type === "Identifier") return inner.property.name;
  if (inner.computed && inner.property.type === "StringLiteral") return inner.property.value;
  return null;
}

/** The URL text a value stands for: a literal, or the literal fallback of `process.env.X ?? "..."` / `||`. */
export function urlValueOf(node: ASTNode | null | undefined): string | null {
  if (!node) return null;
  const literal = literalValue(node);
  if (literal !== null) return literal;
  const inner = unwrapTs(node);
  if (inner.type === "LogicalExpression" && (inner.operator === "??" || inner.operator === "||") && envOf(inner.left as ASTNode)) return literalValue(inner.right as ASTNode);
  return null;
}

/** Names bound to a URL value in a module (`const API = "http://127.0.0.1:8080"`, `const B = process.env.X ?? "http://..."`). */
export function urlBindings(source: ParsedSource): Map<string, string> {
  const out = new Map<string, string>();
  for (const node of walk(source.program)) {
    if (node.type !== "VariableDeclarator" || node.id.type !== "Identifier") continue;
    const value = urlValueOf(node.init as ASTNode | null);
    if (value !== null && leadingOrigin(value)) out.set(node.id.name, value);
  }
  return out;
}

/** The absolute origin a call's URL argument starts with: its literal head, or the URL value of the base it starts with. */
export function targetOrigin(url: ASTNode | undefined, bindings: ReadonlyMap<string, string>): string | null {
  if (!url) return null;
  const node = unwrapTs(url);
  if (node.type === "StringLiteral") return leadingOrigin(node.value)?.origin ?? null;
  if (node.type === "Identifier") {
    const value = bindings.get(node.name);
    return value === undefined ? null : (leadingOrigin(value)?.origin ?? null);
  }
  if (node.type === "TemplateLiteral") {
    const head = node.quasis[0].value.cooked ?? "";
    if (head !== "") return leadingOrigin(head, node.expressions.length === 0)?.origin ?? null;
    const first = node.expressions[0] as ASTNode | undefined;
    if (!first) return null;
    const value = first.type === "Identifier" ? bindings.get(first.name) : urlValueOf(first);
    return value === undefined || value === null ? null : (leadingOrigin(value)?.origin ?? null);
  }
  if (node.type === "BinaryExpression" && node.operator === "+") {
    const left = unwrapTs(node.left as ASTNode);
    if (left.type === "StringLiteral") return leadingOrigin(left.value, false)?.origin ?? null;
    if (left.type === "TemplateLiteral") return leadingOrigin(left.quasis[0].value.cooked ?? "", false)?.origin ?? null;
    return targetOrigin(left, bindings);
  }
  const value = urlValueOf(node);
  return value === null ? null : (leadingOrigin(value)?.origin ?? null);
}

const FETCH_OBJECTS = new Set(["window", "globalThis", "self"]);

/** The origin of every fetch and axios call in a module whose URL is absolute (and of each axios baseURL), with its line. */
export function callOrigins(source: ParsedSource): { origin: string; line: number }[] {
  const bindings = urlBindings(source);
  const axiosNames = new Set(importBindings(source).filter((b) => b.from === "axios" && !b.typeOnly && (b.imported === "default" || b.imported === "*")).map((b) => b.local));
  const out: { origin: string; line: number }[] = [];
  const add = (node: ASTNode, at: ASTNode) => {
    const origin = targetOrigin(node, bindings);
    if (origin) out.push({ origin, line: lineOf(source.text, span(at).start) });
  };
  for (const node of walk(source.program)) {
    if (node.type !== "CallExpression") continue;
    const callee = node.callee as ASTNode;
    const [first] = node.arguments as ASTNode[];
    const isFetch =
      (callee.type === "Identifier" && callee.name === "fetch") ||
      (callee.type === "MemberExpression" && !callee.computed && callee.object.type === "Identifier" && FETCH_OBJECTS.has(callee.object.name) && callee.property.type === "Identifier" && callee.property.name === "fetch");
    const isAxios =
      (callee.type === "Identifier" && axiosNames.has(callee.name)) || (callee.type === "MemberExpression" && callee.object.type === "Identifier" && axiosNames.has(callee.object.name));
    if (!isFetch && !isAxios) continue;
    if (first && first.type !== "ObjectExpression") add(first, node);
    // axios({ url }), axios.create({ baseURL }), axios.get(url, { baseURL })
    for (const argument of node.arguments as ASTNode[]) {
      if (!isAxios || argument.type !== "ObjectExpression") continue;
      for (const property of argument.properties) {
        if (property.type === "ObjectProperty" && property.key.type === "Identifier" && (property.key.name === "baseURL" || property.key.name === "url")) add(property.value as ASTNode, node);
      }
    }
  }
  return out;
}

const SOURCE_EXTENSIONS = /\.(tsx?|jsx?|mjs|mts)$/;
const SKIPPED_NAMES = /\.(d\.ts|test\.[jt]sx?|spec\.[jt]sx?|stories\.[jt]sx?)$/;
const SKIPPED_DIRS = new Set(["node_modules", ".next", "public", "__tests__", "__mocks__", "dist", "build", "out", "coverage"]);

/** The frontend's own source modules under its code folder (app/, components/, lib/, hooks/, ...). */
export function sourceFiles(tree: PlanTree, codeDir: string, generated: ReadonlySet<string>): string[] {
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

/** Whether an env variable's name says it holds the API's URL (NEXT_PUBLIC_API_URL, API_BASE_URL, BACKEND_URL), not the auth server's. */
export function apiLikeVariable(name: string): boolean {
  return /(^|_)(API|BACKEND)(_|$)/i.test(name) && !/(^|_)(AUTH|NEXTAUTH)(_|$)/i.test(name);
}

/** Variables that hold the frontend's own URL: a loopback origin in one is the Next.js app, not the API. */
const OWN_URL_VARIABLE = /^(BETTER_AUTH_URL|NEXT_PUBLIC_BETTER_AUTH_URL|NEXTAUTH_URL|NEXT_PUBLIC_(APP|SITE|BASE|FRONTEND)_URL|(APP|SITE|FRONTEND)_URL)$/;

/** `KEY=value` lines of a dotenv file, read leniently (a line that is not one is skipped, never an error: this only reads). */
function envAssignments(text: string): { key: string; value: string; line: number }[] {
  const out: { key: string; value: string; line: number }[] = [];
  text.split("\n").forEach((raw, i) => {
    const match = /^\s*(?:export\s+)?([A-Za-z_][\w.-]*)\s*=\s*(.*)$/.exec(raw);
    if (!match) return;
    let value = match[2].trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.indexOf(quote, 1) > 0) value = value.slice(1, value.indexOf(quote, 1));
    else value = value.replace(/\s+#.*$/, "");
    out.push({ key: match[1], value, line: i + 1 });
  });
  return out;
}

const NEXT_CONFIGS = ["next.config.ts", "next.config.mjs", "next.config.js", "next.config.cjs", "next.config.mts"];

/** The frontend folder's dotenv files (.env, .env.local, .env.development...), sorted. */
function envFilesOf(tree: PlanTree, frontend: FrontendInfo): string[] {
  return tree
    .list(frontend.dir)
    .filter((name) => /^\.env(\..+)?$/.test(name))
    .sort()
    .map((name) => path.posix.join(frontend.dir, name))
    .filter((file) => !tree.isDir(file));
}

/**
 * The Next.js app's own local origins, which are not an API: port 3000, the port of its `dev` script
 * (`next dev -p 3001`, `PORT=3001`), and the loopback URLs in BETTER_AUTH_URL, NEXT_PUBLIC_APP_URL and the like.
 */
export function frontendOrigins(tree: PlanTree, frontend: FrontendInfo): string[] {
  const own = ["http://localhost:3000"];
  const devScript = /"dev"\s*:\s*"([^"]*)"/.exec(tree.read(path.posix.join(frontend.dir, "package.json")) ?? "")?.[1] ?? "";
  const devPort = /(?:-p|--port)[\s=]+(\d+)/.exec(devScript)?.[1] ?? /\bPORT=(\d+)/.exec(devScript)?.[1];
  if (devPort) own.push(`http://localhost:${devPort}`);
  for (const file of envFilesOf(tree, frontend)) {
    for (const { key, value } of envAssignments(tree.read(file) ?? "")) {
      const origin = leadingOrigin(value)?.origin;
      if (origin && isLoopbackOrigin(origin) && OWN_URL_VARIABLE.test(key)) own.push(origin);
    }
  }
  return own;
}

/** A loopback origin named in the frontend: where, and what names it. */
export interface NamedOrigin {
  origin: string;
  file: string;
  line: number;
  /** "NEXT_PUBLIC_API_URL", "a rewrite's destination", "a fetch call"... */
  what: string;
  /** Found in a fetch or axios call of the code (those get their own warning when they are not the API). */
  call: boolean;
}

/**
 * The loopback origins the frontend names for an API: its API-like env variables (`.env*` in the
 * frontend folder), next.config's rewrite destinations and API-like `env` entries, and the absolute URLs
 * of its fetch and axios calls. The frontend's own origin (port 3000, `next dev -p`, BETTER_AUTH_URL...
 * and `ownUrls`) is left out.
 */
export function namedApiOrigins(tree: PlanTree, frontend: FrontendInfo, generated: ReadonlySet<string>, ownUrls: readonly string[] = []): NamedOrigin[] {
  const found: NamedOrigin[] = [];
  const own = [...frontendOrigins(tree, frontend), ...ownUrls];
  for (const file of envFilesOf(tree, frontend)) {
    for (const { key, value, line } of envAssignments(tree.read(file) ?? "")) {
      const origin = leadingOrigin(value)?.origin;
      if (origin && isLoopbackOrigin(origin) && apiLikeVariable(key) && !OWN_URL_VARIABLE.test(key)) found.push({ origin, file, line, what: key, call: false });
    }
  }
  for (const name of NEXT_CONFIGS) {
    const file = path.posix.join(frontend.dir, name);
    const text = tree.read(file);
    if (text === null) continue;
    found.push(...configOrigins(text, file));
    break;
  }
  for (const rel of sourceFiles(tree, frontend.codeDir, generated)) {
    const text = tree.read(rel);
    if (text === null || !/https?:\/\//.test(text) || (!text.includes("fetch") && !text.includes("axios"))) continue;
    let source: ParsedSource;
    try {
      source = parseSource(text);
    } catch {
      continue;
    }
    for (const { origin, line } of callOrigins(source)) {
      if (isLoopbackOrigin(origin)) found.push({ origin, file: rel, line, what: "a fetch or axios call", call: true });
    }
  }
  return found.filter((f) => !own.some((o) => sameApiOrigin(o, f.origin)));
}

/** next.config's loopback origins for an API: rewrite destinations, and `env` entries with an API-like name. */
function configOrigins(text: string, file: string): NamedOrigin[] {
  let source: ParsedSource;
  try {
    source = parseSource(text);
  } catch {
    return [];
  }
  const out: NamedOrigin[] = [];
  for (const node of walk(source.program)) {
    if (node.type !== "ObjectProperty") continue;
    const key = node.key.type === "Identifier" ? node.key.name : node.key.type === "StringLiteral" ? node.key.value : null;
    if (key === null || (key !== "destination" && !apiLikeVariable(key))) continue;
    const value = node.value as ASTNode;
    const head = value.type === "TemplateLiteral" ? (value.quasis[0].value.cooked ?? "") : urlValueOf(value);
    const origin = head ? leadingOrigin(head, value.type !== "TemplateLiteral" || value.expressions.length === 0)?.origin : undefined;
    if (origin && isLoopbackOrigin(origin)) out.push({ origin, file, line: lineOf(text, span(node).start), what: key === "destination" ? "a rewrite's destination" : key, call: false });
  }
  return out;
}

/** The distinct origins of a list, loopback hosts on one port counted once (the first spelling kept). */
export function distinctOrigins(named: readonly NamedOrigin[]): NamedOrigin[] {
  const out: NamedOrigin[] = [];
  for (const n of named) if (!out.some((o) => sameApiOrigin(o.origin, n.origin))) out.push(n);
  return out;
}

/**
 * The API origin the frontend names, when it names exactly one loopback origin for an API (env files
 * first, then next.config, then its calls); null when it names none or several that differ.
 */
export function detectApiOrigin(tree: PlanTree, frontend: FrontendInfo, generated: ReadonlySet<string>): NamedOrigin | null {
  const distinct = distinctOrigins(namedApiOrigins(tree, frontend, generated));
  return distinct.length === 1 ? distinct[0] : null;
}
