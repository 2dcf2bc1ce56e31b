import type { SyntaxNode } from "@lezer/common";
import { parentPackage } from "../backend/python-module.js";
import { childrenOf, statementsOf, textOf, type PySource } from "./syntax.js";

/** A name an import statement binds, with the dotted path it stands for ("auth_router" → "routes.auth.router"). */
export interface ImportBinding {
  name: string;
  target: string;
  /** The ImportStatement that binds it. */
  statement: SyntaxNode;
}

/** Resolves `from ..x import` module paths against the importing module ("app.main"); null when it cannot. */
export function resolveRelative(dots: number, module: string, importer: string | undefined): string | null {
  if (dots === 0) return module;
  if (importer === undefined) return null;
  let pkg = parentPackage(importer);
  for (let level = 1; level < dots; level++) {
    if (!pkg) return null;
    pkg = parentPackage(pkg);
  }
  return [pkg, module].filter(Boolean).join(".") || null;
}

/** Splits `a.b as c, d` (tokens after `import`) into [dotted name, alias] pairs. */
function importedNames(source: PySource, tokens: SyntaxNode[]): [string, string | null][] {
  const out: [string, string | null][] = [];
  let name = "";
  let alias: string | null = null;
  let inAlias = false;
  const flush = () => {
    if (name) out.push([name, alias]);
    name = "";
    alias = null;
    inAlias = false;
  };
  for (const token of tokens) {
    if (token.name === ",") flush();
    else if (token.name === "as") inAlias = true;
    else if (token.name === "VariableName" && inAlias) alias = textOf(source, token);
    else if (token.name === "VariableName") name += textOf(source, token);
    else if (token.name === "." && name) name += ".";
    else if (token.name === "*") name = "*";
  }
  flush();
  return out;
}

/** The module a `from ... import` statement reads, as written: its leading dots and dotted name (`from ..db import x` → 2, "db"); null for a plain `import`. */
export function fromClause(source: PySource, statement: SyntaxNode): { dots: number; module: string } | null {
  const tokens = childrenOf(statement);
  const importAt = tokens.findIndex((token) => token.name === "import");
  if (tokens[0]?.name !== "from" || importAt === -1) return null;
  const head = tokens.slice(1, importAt);
  const firstName = head.findIndex((token) => token.name === "VariableName");
  const dotTokens = firstName === -1 ? head : head.slice(0, firstName);
  const dots = dotTokens.reduce((n, token) => n + textOf(source, token).length, 0);
  const module = firstName === -1 ? "" : head.slice(firstName).map((token) => textOf(source, token)).join("");
  return { dots, module };
}

/** The names one ImportStatement binds; `importer` (the importing module) resolves relative imports. */
export function bindingsOf(source: PySource, statement: SyntaxNode, importer?: string): ImportBinding[] {
  const tokens = childrenOf(statement);
  const importAt = tokens.findIndex((token) => token.name === "import");
  if (importAt === -1) return [];
  const names = importedNames(source, tokens.slice(importAt + 1));
  if (tokens[0]?.name !== "from") {
    return names.map(([module, alias]) => ({ name: alias ?? module.split(".")[0], target: alias ? module : module.split(".")[0], statement }));
  }
  const from = fromClause(source, statement)!;
  const module = resolveRelative(from.dots, from.module, importer);
  if (module === null) return [];
  return names.filter(([name]) => name !== "*").map(([name, alias]) => ({ name: alias ?? name, target: `${module}.${name}`, statement }));
}

/** Every name the module's top-level imports bind, later imports overriding earlier ones. */
export function moduleBindings(source: PySource, importer?: string): Map<string, ImportBinding> {
  const bindings = new Map<string, ImportBinding>();
  for (const statement of statementsOf(source.top)) {
    if (statement.name !== "ImportStatement") continue;
    for (const binding of bindingsOf(source, statement, importer)) bindings.set(binding.name, binding);
  }
  return bindings;
}

/** The dotted path an expression names through the bindings: `auth.router` with `from routes import auth` → routes.auth.router. */
export function resolveDotted(expression: string, bindings: ReadonlyMap<string, { target: string }>): string | null {
  const [head, ...rest] = expression.split(".");
  const target = bindings.get(head)?.target;
  return target === undefined ? null : [target, ...rest].join(".");
}

/**
 * The module's bindings plus those of imports nested anywhere in it (a `try:` around an optional router, a
 * factory's own imports): a name the top level binds keeps that binding. For reading which object code means.
 */
export function bindingsAnywhere(source: PySource, importer?: string): Map<string, ImportBinding> {
  const bindings = moduleBindings(source, importer);
  const cursor = source.top.cursor();
  const nested: ImportBinding[] = [];
  do {
    if (cursor.name === "ImportStatement" && cursor.node.parent !== source.top) nested.push(...bindingsOf(source, cursor.node, importer));
  } while (cursor.next());
  for (const binding of nested) if (!bindings.has(binding.name)) bindings.set(binding.name, binding);
  return bindings;
}
