import path from "node:path";
import type { ASTNode } from "magicast";
import { lineOf } from "../text-offsets.js";
import type { PlanTree } from "../tree.js";
import { leadingOrigin, sameApiOrigin } from "./api-origins.js";
import { parseSource, span, walk, type ParsedSource } from "./source/parse.js";

/** A rewrite of next.config that forwards a path of the frontend to the API: `/api/todos/:path*` → `http://localhost:8000/todos/:path*`. */
export interface ApiRewrite {
  /** The literal start of its source ("/api/todos"). */
  from: string;
  /** The path the API gets in its place ("/todos"). */
  to: string;
  file: string;
  line: number;
}

const NEXT_CONFIGS = ["next.config.ts", "next.config.mjs", "next.config.js", "next.config.cjs", "next.config.mts"];

/** The text a string or template literal starts with, up to its first `${...}`; null for other nodes. */
function literalStart(node: ASTNode | undefined): string | null {
  if (node?.type === "StringLiteral") return node.value;
  if (node?.type === "TemplateLiteral") return node.quasis[0]?.value.cooked ?? null;
  return null;
}

/** True when a template literal's first expression reads an env variable named like the API's (`${process.env.API_URL}/...`). */
function startsWithApiEnv(node: ASTNode | undefined): boolean {
  if (node?.type !== "TemplateLiteral" || (node.quasis[0]?.value.cooked ?? "") !== "") return false;
  const first = node.expressions[0] as ASTNode | undefined;
  return first?.type === "MemberExpression" && first.property.type === "Identifier" && /API|BACKEND|SERVER/i.test(first.property.name);
}

/** The path prefix of a rewrite pattern: up to its first parameter or wildcard, without a trailing slash. */
const patternPrefix = (pattern: string) => pattern.split(/[:(*]/)[0].replace(/\/+$/, "");

/** The rewrites of a next.config that forward to the API (its origin, or an API_URL-like env variable); text in, list out. */
export function apiRewritesIn(text: string, file: string, apiUrl: string): ApiRewrite[] {
  let source: ParsedSource;
  try {
    source = parseSource(text);
  } catch {
    return [];
  }
  const apiOrigin = new URL(apiUrl).origin;
  const out: ApiRewrite[] = [];
  for (const node of walk(source.program)) {
    if (node.type !== "ObjectExpression") continue;
    const value = (key: string) =>
      node.properties.find((p): p is Extract<typeof p, { type: "ObjectProperty" }> => p.type === "ObjectProperty" && p.key.type === "Identifier" && p.key.name === key)?.value as ASTNode | undefined;
    const from = literalStart(value("source"));
    const destination = value("destination");
    const target = literalStart(destination);
    if (from === null || !from.startsWith("/")) continue;
    let to: string | null = null;
    // The API's origin, loopback hosts being one: http://127.0.0.1:8000 is http://localhost:8000.
    const lead = target === null ? null : leadingOrigin(target, destination?.type !== "TemplateLiteral" || destination.expressions.length === 0);
    if (target !== null && lead && sameApiOrigin(lead.origin, apiOrigin) && (target.length === lead.length || target[lead.length] === "/")) to = target.slice(lead.length);
    else if (startsWithApiEnv(destination) && destination?.type === "TemplateLiteral") to = destination.quasis[1]?.value.cooked ?? "";
    if (to === null) continue;
    out.push({ from: patternPrefix(from), to: patternPrefix(to), file, line: lineOf(text, span(node).start) });
  }
  return out;
}

/** The frontend's rewrites to the API, from its next.config. */
export function apiRewrites(tree: PlanTree, frontendDir: string, apiUrl: string): ApiRewrite[] {
  for (const name of NEXT_CONFIGS) {
    const file = path.posix.join(frontendDir, name);
    const text = tree.read(file);
    if (text !== null) return apiRewritesIn(text, file, apiUrl);
  }
  return [];
}

/** Lines of the fetch and axios calls in a module whose URL starts with a rewritten path: they reach the API without a token. */
export function proxiedCallLines(source: ParsedSource, rewrites: ApiRewrite[]): { line: number; rewrite: ApiRewrite }[] {
  const out: { line: number; rewrite: ApiRewrite }[] = [];
  for (const node of walk(source.program)) {
    if (node.type !== "CallExpression") continue;
    const callee = node.callee as ASTNode;
    const name = callee.type === "Identifier" ? callee.name : callee.type === "MemberExpression" && callee.property.type === "Identifier" ? callee.property.name : null;
    const isCall = name === "fetch" || (callee.type === "MemberExpression" && callee.object.type === "Identifier" && callee.object.name === "axios") || name === "axios";
    const url = literalStart(node.arguments[0] as ASTNode | undefined);
    if (!isCall || url === null) continue;
    const rewrite = rewrites.find((r) => url === r.from || url.startsWith(`${r.from}/`) || url.startsWith(`${r.from}?`));
    if (rewrite) out.push({ line: lineOf(source.text, span(node).start), rewrite });
  }
  return out;
}
