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
import { importClause } from "./exports.js";
import type { ExportedAs } from "./source/exported-binding.js";
import {
  apiLikeVariable,
  apiPrefixLength,
  distinctOrigins,
  envOf,
  frontendOrigins,
  isLoopbackOrigin,
  leadingOrigin,
  namedApiOrigins,
  sameApiOrigin,
  sourceFiles,
  targetOrigin,
  urlBindings,
} from "./api-origins.js";

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
 * - The API is the apiUrl answer's origin, loopback hosts being one (`http://127.0.0.1:8000` is
 *   `http://localhost:8000`); a base is `process.env.X` (the variable lib/api.ts reads), or a constant
 *   holding the API's URL (`const API = "http://127.0.0.1:8000"`, `process.env.API_URL ?? "http://..."`).
 * - Calls that cannot be rewritten safely (the URL is not a base followed by a literal "/...", axios,
 *   server-side code, a base other than the one lib/api.ts uses, another loopback origin) are reported with file:line.
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

const LOCAL_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\]|0\.0\.0\.0)(:|\/|$)/;

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
  /** The frontend's own origins (the authUrl answer): a call there is not one to another API. */
  ownOrigins?: readonly string[];
  /** How server-side code imports Better Auth's `auth`, for the change a server-side call is told to make. */
  authImport?: string;
}

export interface RewriteResult {
  text: string;
  rewritten: number;
  /** Calls left as they are: the line and why. */
  unrewritten: { line: number; reason: string }[];
}

const BODY_READERS = new Set(["json", "text", "blob", "arrayBuffer", "formData"]);
/**
 * HTTP client libraries: their calls cannot become apiFetch(), so a call (or a client made) for the API is reported
 * with where that library adds a header to every request. A client's import (default, namespace or named, not
 * type-only) is called directly or through one of CLIENT_METHODS.
 */
const HTTP_CLIENTS: Record<string, string> = {
  axios: "a request interceptor (client.interceptors.request.use)",
  ky: "a beforeRequest hook (ky.create({ hooks: { beforeRequest: [...] } }))",
  ofetch: "an onRequest hook (ofetch.create({ onRequest }))",
  "openapi-fetch": "a middleware (client.use({ onRequest }))",
  "@hey-api/client-fetch": "a request interceptor (client.interceptors.request.use)",
  "@hey-api/client-axios": "a request interceptor (client.instance.interceptors.request.use)",
};
const CLIENT_METHODS = new Set(["get", "post", "put", "patch", "delete", "head", "options", "request", "create", "extend"]);
/** Where a client is given the API's URL: axios's baseURL, ky's prefixUrl, openapi-fetch's baseUrl, or a url. */
const BASE_URL_KEYS = new Set(["baseURL", "baseUrl", "prefixUrl", "url"]);

/** The HTTP client package a call goes through (`axios(...)`, `ky.get(...)`, `createClient(...)`), or null. */
function clientCalled(callee: ASTNode, clients: Map<string, string>): string | null {
  if (callee.type === "Identifier") return clients.get(callee.name) ?? null;
  if (callee.type !== "MemberExpression" || callee.property.type !== "Identifier" || !CLIENT_METHODS.has(callee.property.name)) return null;
  return callee.object.type === "Identifier" ? (clients.get(callee.object.name) ?? null) : null;
}

/** A base expression: `process.env.X`, `process.env.X ?? "fallback"`, `process.env.X || "..."`, with `!`/`as string`. */
function baseOf(node: ASTNode | null | undefined): { env: string; fallback: string | null } | null {
  if (!node) return null;
  if (node.type === "TSNonNullExpression" || node.type === "TSAsExpression" || node.type === "ParenthesizedExpression") return baseOf(node.expression);
  const env = envOf(node);
  if (env) return { env, fallback: null };
  if (node.type === "LogicalExpression" && (node.operator === "??" || node.operator === "||")) {
    const left = envOf(node.left);
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
    const isApi =
      fallbackOrigin !== null
        ? (apiOrigin !== null && sameApiOrigin(fallbackOrigin, apiOrigin)) || (apiLikeName(base.env) && fallbackOrigin.startsWith("http:") && isLoopbackOrigin(fallbackOrigin))
        : apiLikeName(base.env);
    if (isApi) found.set(base.env, (found.get(base.env) ?? 0) + 1);
  }
  return found;
}

interface BaseBinding {
  name: string;
  /** The `process.env` variable it reads; null for a constant holding a literal URL. */
  env: string | null;
  /** Its literal URL, or the literal fallback of its variable; null when it has none. */
  value: string | null;
  declarator: NodeOf<"VariableDeclarator">;
  /** The declaration statement (one declarator) that removing it takes away, at module level or in a block; null otherwise. */
  statement: ASTNode | null;
  exported: boolean;
}

/** Constants bound to a base expression or a literal URL: `const API_URL = process.env.NEXT_PUBLIC_API_URL ?? "..."`, `const API = "http://127.0.0.1:8000"`. */
function baseBindings(source: ParsedSource, parentOf: Map<ASTNode, ASTNode>): BaseBinding[] {
  const out: BaseBinding[] = [];
  for (const node of walk(source.program)) {
    if (node.type !== "VariableDeclarator" || node.id.type !== "Identifier") continue;
    const base = baseOf(node.init);
    const literal = base ? null : literalUrl(node.init as ASTNode | null);
    if (!base && literal === null) continue;
    const declaration = parentOf.get(node);
    const holder = declaration ? parentOf.get(declaration) : undefined;
    const exported = holder?.type === "ExportNamedDeclaration";
    const removable =
      declaration?.type === "VariableDeclaration" && declaration.declarations.length === 1 && (holder?.type === "Program" || holder?.type === "BlockStatement" || exported);
    out.push({ name: node.id.name, env: base?.env ?? null, value: base ? base.fallback : literal, declarator: node, statement: removable ? declaration : null, exported });
  }
  return out;
}

/** A string or plain template literal that is an absolute http(s) URL, through `as const` and parentheses; null otherwise. */
function literalUrl(node: ASTNode | null): string | null {
  if (!node) return null;
  if (node.type === "TSAsExpression" || node.type === "TSSatisfiesExpression" || node.type === "ParenthesizedExpression") return literalUrl(node.expression as ASTNode);
  const value = node.type === "StringLiteral" ? node.value : node.type === "TemplateLiteral" && node.expressions.length === 0 ? node.quasis[0].value.cooked : null;
  return typeof value === "string" && leadingOrigin(value) ? value : null;
}

/**
 * The path a base constant stands for when it holds the API's URL itself (`"http://127.0.0.1:8000"` → "",
 * `"http://localhost:8000/v1"` → "/v1"); null when it holds another URL or a path not safe to inline.
 */
function literalBasePath(value: string | null, apiUrl: string): string | null {
  if (value === null) return null;
  const at = apiPrefixLength(value, apiUrl);
  if (at < 0) return null;
  const rest = value.slice(at).replace(/\/+$/, "");
  return /^(\/[\w\-.~%]+)*$/.test(rest) ? rest : null;
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

/** The edits that leave only the path of a URL argument, or why it cannot be split. */
function pathEdit(
  url: ASTNode,
  basePath: (node: ASTNode) => string | null,
  apiUrl: string,
  text: string,
): { edits: TextEdit[]; removed: ASTNode[] } | { reason: string } | null {
  const startsWithSlash = (value: string | null | undefined) => typeof value === "string" && value.startsWith("/");
  const notSlash = { reason: "the URL after the API base does not start with a literal \"/\"" };
  if (url.type === "TemplateLiteral") {
    const first = url.quasis[0];
    const prefix = first.value.raw === "" && url.expressions.length > 0 ? basePath(url.expressions[0] as ASTNode) : null;
    if (prefix !== null) {
      const next = url.quasis[1];
      if (!startsWithSlash(next.value.cooked)) return notSlash;
      return { edits: [{ start: span(url).start + 1, end: span(next).start, text: prefix }], removed: [url.expressions[0] as ASTNode] };
    }
    const at = apiPrefixLength(first.value.raw, apiUrl, url.expressions.length === 0);
    if (at >= 0) {
      const start = span(first).start;
      return { edits: [{ start, end: start + at, text: "" }], removed: [] };
    }
  }
  if (url.type === "StringLiteral") {
    const raw = text.slice(span(url).start + 1, span(url).end - 1);
    const at = apiPrefixLength(raw, apiUrl);
    if (at >= 0) {
      const start = span(url).start + 1;
      return { edits: [{ start, end: start + at, text: raw.length === at ? "/" : "" }], removed: [] };
    }
  }
  if (url.type === "BinaryExpression" && url.operator === "+") {
    let innermost: NodeOf<"BinaryExpression"> = url;
    while (innermost.left.type === "BinaryExpression" && innermost.left.operator === "+") innermost = innermost.left;
    const prefix = basePath(innermost.left as ASTNode);
    if (prefix !== null) {
      const right = innermost.right;
      const head = right.type === "StringLiteral" ? right.value : right.type === "TemplateLiteral" ? right.quasis[0].value.cooked : null;
      if (!startsWithSlash(head)) return notSlash;
      const edits: TextEdit[] = [{ start: span(innermost.left).start, end: span(right).start, text: "" }];
      // A constant that held the API's URL with a base path ("http://localhost:8000/v1"): the path goes into the literal.
      if (prefix !== "") edits.push(insertAt(span(right).start + 1, prefix));
      return { edits, removed: [innermost.left as ASTNode] };
    }
  }
  return null;
}

/** The change a server-side call needs to send the signed-in user's token (it has no browser session for apiFetch). */
function serverSideReason(authImport: string): string {
  return (
    "server-side code (a route handler, server component or server action) has no browser session for apiFetch(); send the caller's token yourself: " +
    `add \`import { headers } from "next/headers"\` and \`${authImport}\`, then before the call ` +
    "`const { token } = await auth.api.getToken({ headers: await headers() })` and add the header \"Authorization\": `Bearer ${token}` to it"
  );
}

/**
 * Routes a module's API calls through lib/api.ts (see the top of this file). Pure: text in, text out;
 * the result re-parses. Nothing to do → the same text.
 */
export function rewriteApiCalls(text: string, options: RewriteOptions): RewriteResult {
  const source = parseSource(text);
  const apiUrl = options.apiUrl.replace(/\/+$/, "");
  const parentOf = parents(source.program);
  const bindings = baseBindings(source, parentOf);
  // A constant is our base when it reads lib/api.ts's variable, or holds the API's URL itself (a literal, or
  // the fallback of a variable the browser does not have: only NEXT_PUBLIC_* ones are inlined).
  const ours = new Map<string, string>();
  const pathOf = (b: BaseBinding): string | null =>
    b.env === options.baseEnv ? "" : b.env === null || !b.env.startsWith("NEXT_PUBLIC_") ? literalBasePath(b.value, apiUrl) : null;
  for (const b of bindings) {
    // A name bound twice (two components' own constants) is a base only when every binding of it is the same base.
    const paths = new Set(bindings.filter((other) => other.name === b.name).map(pathOf));
    const path = pathOf(b);
    if (path !== null && paths.size === 1) ours.set(b.name, path);
  }
  const declaredNames = new Set<string>();
  for (const n of walk(source.program)) {
    if ((n.type === "VariableDeclarator" && n.id.type === "Identifier") || (FUNCTION_TYPES.has(n.type) && "params" in n)) {
      const ids = n.type === "VariableDeclarator" ? [n.id] : (n as { params: ASTNode[] }).params;
      for (const id of ids) if (id.type === "Identifier" && !bindings.some((b) => b.declarator.id === id)) declaredNames.add(id.name);
    }
  }
  // ...and not when a parameter or another variable shadows it somewhere.
  for (const name of [...ours.keys()]) if (declaredNames.has(name)) ours.delete(name);
  const others = new Set(bindings.filter((b) => b.env !== null && b.env !== options.baseEnv && options.otherApiEnvs.has(b.env) && !ours.has(b.name)).map((b) => b.name));
  /** The path a base expression stands for ("" for the API's root), or null when the node is no API base. */
  const basePath = (node: ASTNode): string | null => {
    if (node.type === "Identifier") return ours.get(node.name) ?? null;
    const base = baseOf(node);
    if (base === null) return null;
    if (base.env === options.baseEnv) return "";
    return base.env.startsWith("NEXT_PUBLIC_") ? null : literalBasePath(base.fallback, apiUrl);
  };
  const isBase = (node: ASTNode): boolean => basePath(node) !== null;
  const startsWithApi = (value: string | null | undefined): boolean => {
    const lead = typeof value === "string" ? leadingOrigin(value) : null;
    return lead !== null && sameApiOrigin(lead.origin, apiUrl);
  };
  const mentions = (node: ASTNode, names: (n: ASTNode) => boolean): boolean => [...walk(node)].some(names);
  const mentionsApi = (node: ASTNode): boolean =>
    mentions(node, (n) => isBase(n) || (n.type === "StringLiteral" && startsWithApi(n.value)) || (n.type === "TemplateElement" && startsWithApi(n.value.cooked)));
  const mentionsOther = (node: ASTNode): string | null => {
    for (const n of walk(node)) {
      if (n.type === "Identifier" && others.has(n.name)) return bindings.find((b) => b.name === n.name)!.env;
      const env = envOf(n);
      if (env && env !== options.baseEnv && options.otherApiEnvs.has(env)) return env;
    }
    return null;
  };
  // Server code may read the API's URL from a variable the browser never sees (API_URL, BACKEND_URL).
  const mentionsServerApi = (node: ASTNode): boolean =>
    mentions(node, (n) => {
      const env = envOf(n);
      if (env !== null) return apiLikeVariable(env);
      const binding = n.type === "Identifier" ? bindings.find((b) => b.name === n.name) : undefined;
      return binding?.env != null && apiLikeVariable(binding.env);
    });
  // Variables holding an API URL (`const url = `${API_URL}/x``): a call through one cannot be split.
  const urlVariables = new Set<string>();
  for (const node of walk(source.program)) {
    if (node.type === "VariableDeclarator" && node.id.type === "Identifier" && node.init && !ours.has(node.id.name) && mentionsApi(node.init)) urlVariables.add(node.id.name);
  }
  // Another loopback origin than the API's (not the frontend's own): most likely this project's API under another port.
  const urlValues = urlBindings(source);
  const ownOrigins = ["http://localhost:3000", ...(options.ownOrigins ?? [])];
  const otherOrigin = (node: ASTNode | undefined): string | null => {
    const origin = targetOrigin(node, urlValues);
    if (origin === null || !isLoopbackOrigin(origin) || sameApiOrigin(origin, apiUrl) || ownOrigins.some((own) => sameApiOrigin(own, origin))) return null;
    return origin;
  };
  const fetchShadowed = topLevelNames(source).has("fetch");
  /** Each imported HTTP client's local name → its package. */
  const clients = new Map(importBindings(source).filter((b) => b.from in HTTP_CLIENTS && !b.typeOnly).map((b) => [b.local, b.from]));

  const edits: TextEdit[] = [];
  const removedRefs = new Set<ASTNode>();
  const unrewritten: RewriteResult["unrewritten"] = [];
  const needed = new Set<"apiFetch" | "apiResponse">();
  const calls: { callee: ASTNode; helper: "apiFetch" | "apiResponse" }[] = [];
  const apiFile = options.apiFile ?? "lib/api.ts";
  const report = (node: ASTNode, reason: string) => unrewritten.push({ line: lineOf(text, span(node).start), reason });
  const otherOriginReason = (origin: string) =>
    `it goes to ${origin}, another origin than --api-url (${apiUrl}), and ${apiFile} sends the token only to --api-url; if ${origin} is the API, rerun with --api-url ${origin}`;
  const serverReason = serverSideReason(options.authImport ?? 'import { auth } from "@/lib/auth"');

  for (const node of walk(source.program)) {
    if (node.type !== "CallExpression") continue;
    const callee = node.callee as ASTNode;
    const [url] = node.arguments as ASTNode[];
    const client = clientCalled(callee, clients);
    if (client) {
      if (node.arguments.some((a) => mentionsApi(a as ASTNode) || (a.type === "Identifier" && urlVariables.has(a.name)))) {
        report(node, `an ${client} call: route it through apiFetch() from ${apiFile}, or send Authorization: Bearer <token> from ${HTTP_CLIENTS[client]}`);
        continue;
      }
      // axios.get("http://127.0.0.1:8080/x"), axios.create({ baseURL: "http://127.0.0.1:8080" }), createClient({ baseUrl: ... })
      const targets = (node.arguments as ASTNode[]).flatMap((a) =>
        a.type === "ObjectExpression"
          ? a.properties.flatMap((p) => (p.type === "ObjectProperty" && p.key.type === "Identifier" && BASE_URL_KEYS.has(p.key.name) ? [p.value as ASTNode] : []))
          : [a],
      );
      const origin = targets.map(otherOrigin).find((o) => o !== null);
      if (origin) report(node, `an ${client} call: ${otherOriginReason(origin)}`);
      continue;
    }
    if (!isFetchCallee(callee, fetchShadowed) || !url) continue;
    const other = mentionsOther(url);
    if (other && !mentionsApi(url)) {
      report(node, `its URL is built from ${other}, while ${apiFile} sends the token to ${options.baseEnv}; use apiFetch() if both are the same API`);
      continue;
    }
    if (url.type === "Identifier" && urlVariables.has(url.name)) {
      report(node, options.serverSide ? serverReason : `its URL comes from the variable ${url.name}: pass the path to apiFetch() from ${apiFile} instead`);
      continue;
    }
    if (!mentionsApi(url)) {
      const origin = otherOrigin(url);
      if (origin) report(node, otherOriginReason(origin));
      else if (options.serverSide && mentionsServerApi(url)) report(node, serverReason);
      continue;
    }
    if (options.serverSide) {
      report(node, serverReason);
      continue;
    }
    const split = pathEdit(url, basePath, apiUrl, text);
    if (!split || "reason" in split) {
      report(node, split?.reason ?? "its URL is not the API base followed by a literal path");
      continue;
    }
    edits.push(...split.edits);
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
  for (const binding of bindings.filter((b) => ours.has(b.name))) {
    if (!binding.statement || binding.exported || !standsAlone(text, binding.statement)) continue;
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

/** Whether a statement has its lines to itself (nothing else before or after it on them): removeStatement takes whole lines. */
function standsAlone(text: string, statement: ASTNode): boolean {
  const { start, end } = span(statement);
  return text.slice(lineStart(text, start), start).trim() === "" && text.slice(end, lineEnd(text, end)).trim() === "";
}

/** Removes a statement's lines, and one of the blank lines around it when it stood between two. */
function removeStatement(text: string, statement: ASTNode): TextEdit {
  const start = lineStart(text, span(statement).start);
  let end = Math.min(lineEnd(text, span(statement).end) + 1, text.length);
  const blankBefore = start === 0 || text.slice(0, start).endsWith("\n\n");
  if (blankBefore && text[end] === "\n") end++;
  return { start, end, text: "" };
}

/** Server-side modules: app/ files without "use client" (server components, route handlers), "use server" modules. */
function isServerSide(source: ParsedSource, rel: string, codeDir: string): boolean {
  const directives = ((source.program as unknown as { directives?: { value: { value: string } }[] }).directives ?? []).map((d) => d.value.value);
  if (directives.includes("use client")) return false;
  if (directives.includes("use server")) return true;
  // A module that imports server-only code runs on the server wherever it lives (lib/, a data module).
  if (source.program.body.some((s) => s.type === "ImportDeclaration" && (s.source.value === "server-only" || s.source.value === "next/headers"))) return true;
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
 * Warns about the loopback API origins the frontend names besides --api-url (in its env files, next.config
 * and calls): several different ones are one warning (the run cannot tell which is the API); a single
 * other one in an env file or next.config is named where it is (its calls are already reported one by one).
 */
function warnOtherOrigins(tree: PlanTree, answers: Answers, frontend: FrontendInfo, generated: ReadonlySet<string>, apiFile: string): void {
  const named = namedApiOrigins(tree, frontend, generated, [answers.authUrl]).filter((n) => !sameApiOrigin(n.origin, answers.apiUrl));
  const distinct = distinctOrigins(named);
  if (distinct.length > 1) {
    const list = distinct.map((n) => `${n.origin} (${n.file}:${n.line})`).join(", ");
    tree.warn(`the frontend names several API origins besides --api-url (${answers.apiUrl}): ${list}; ${apiFile} sends the token only to --api-url: rerun with --api-url <the API's origin> if it is one of these`);
    return;
  }
  for (const n of named) {
    if (n.call) continue;
    tree.warn(`${n.file}:${n.line}: ${n.what} names ${n.origin}, another origin than --api-url (${answers.apiUrl}), and ${apiFile} sends the token only to --api-url; if ${n.origin} is the API, rerun with --api-url ${n.origin}`);
  }
}

/**
 * Finds the frontend's API calls and plans their rewrite (see rewriteApiCalls); the ones left as they
 * are become warnings with file:line. Returns the project's own API-base variable for lib/api.ts.
 */
export function planApiCalls(tree: PlanTree, answers: Answers, frontend: FrontendInfo, paths: FrontendPaths, authExport: ExportedAs | null = null): ApiCallsPlan {
  const generated = new Set<string>(Object.values(paths));
  const parsed: { rel: string; source: ParsedSource }[] = [];
  const envCounts = new Map<string, number>();
  for (const rel of sourceFiles(tree, frontend.codeDir, generated)) {
    if (rel.startsWith(`${paths.authRoutes}/`)) continue;
    const text = tree.read(rel);
    // fetch, ofetch, openapi-fetch, @hey-api/client-fetch; axios; ky.
    if (text === null || !/fetch|axios|["']ky["']/.test(text)) continue;
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
  const ownOrigins = [answers.authUrl, ...frontendOrigins(tree, frontend)];
  for (const { rel, source } of parsed) {
    const result = rewriteApiCalls(source.text, {
      apiUrl: answers.apiUrl,
      baseEnv,
      otherApiEnvs,
      apiModule: moduleSpecifier(frontend, rel, paths.api),
      apiFile: path.posix.relative(frontend.codeDir, paths.api),
      serverSide: isServerSide(source, rel, frontend.codeDir),
      ownOrigins,
      authImport: `import ${importClause(authExport ?? { kind: "named", name: "auth" }, "auth")} from "${moduleSpecifier(frontend, rel, paths.auth)}"`,
    });
    if (result.rewritten > 0) tree.write(rel, result.text);
    for (const call of result.unrewritten) tree.warn(`${rel}:${call.line}: this API call still sends no token: ${call.reason}`);
  }
  warnProxiedCalls(tree, frontend, parsed, path.posix.relative(frontend.codeDir, paths.api), answers.apiUrl);
  warnOtherOrigins(tree, answers, frontend, generated, path.posix.relative(frontend.codeDir, paths.api));
  return { baseEnv: baseEnv === NEXT_PUBLIC_API_URL ? null : baseEnv, baseFallback };
}
