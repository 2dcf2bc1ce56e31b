import type { SyntaxNode } from "@lezer/common";
import { argumentsOf, childrenOf, dottedName, statementsOf, textOf, undecorated, lineAt, type PySource } from "./syntax.js";

/** A decorator: its dotted name (`router.get`) and its call's arguments, when it is called. */
export interface DecoratorInfo {
  node: SyntaxNode;
  name: string;
  args: ReturnType<typeof argumentsOf> | null;
}

/** One parameter of a function definition. */
export interface ParamInfo {
  name: string;
  /** "*" for *args, "**" for **kwargs, "" otherwise. */
  star: "" | "*" | "**";
  annotation: SyntaxNode | null;
  default: SyntaxNode | null;
  /** Offsets of the whole parameter (name to end of default). */
  from: number;
  to: number;
}

/** A function definition (a top-level `def`/`async def`, or a method). */
export interface FunctionInfo {
  name: string;
  async: boolean;
  node: SyntaxNode;
  /** The DecoratedStatement around it, or the definition itself. */
  statement: SyntaxNode;
  decorators: DecoratorInfo[];
  paramList: SyntaxNode;
  params: ParamInfo[];
  returns: SyntaxNode | null;
  body: SyntaxNode;
  /** 1-based line of the `def`. */
  line: number;
}

/** A class definition. */
export interface ClassInfo {
  name: string;
  node: SyntaxNode;
  statement: SyntaxNode;
  /** Positional bases as written (`SQLModel`, `db.Model`); keyword arguments in `keywords`. */
  bases: string[];
  keywords: Map<string, SyntaxNode>;
  body: SyntaxNode;
  line: number;
}

/** An assignment statement `a = b = value`, `a: T = value` or `a: T`, or the 3.12 `type A = value`. */
export interface AssignmentInfo {
  node: SyntaxNode;
  targets: string[];
  annotation: SyntaxNode | null;
  value: SyntaxNode | null;
  line: number;
}

function decoratorOf(source: PySource, node: SyntaxNode): DecoratorInfo {
  const parts = childrenOf(node).filter((child) => child.name === "VariableName" || child.name === "PropertyName");
  const argList = node.getChild("ArgList");
  return { node, name: parts.map((part) => textOf(source, part)).join("."), args: argList ? argumentsOf(source, argList) : null };
}

function paramsOf(source: PySource, paramList: SyntaxNode): ParamInfo[] {
  const params: ParamInfo[] = [];
  let star: ParamInfo["star"] = "";
  let current: ParamInfo | null = null;
  let afterAssign = false;
  for (const child of childrenOf(paramList)) {
    if (child.name === "(" || child.name === ")") continue;
    if (child.name === ",") {
      current = null;
      star = "";
      afterAssign = false;
    } else if (child.name === "*" || child.name === "**") {
      star = child.name;
    } else if (child.name === "VariableName" && current === null) {
      current = { name: textOf(source, child), star, annotation: null, default: null, from: child.from, to: child.to };
      params.push(current);
    } else if (current && child.name === "TypeDef") {
      current.annotation = child.lastChild;
      current.to = child.to;
    } else if (current && child.name === "AssignOp") {
      afterAssign = true;
    } else if (current && afterAssign) {
      current.default = child;
      current.to = child.to;
    }
  }
  return params;
}

/** The function a statement defines (decorated or not); null when it defines none. */
export function functionOf(source: PySource, statement: SyntaxNode): FunctionInfo | null {
  const node = undecorated(statement);
  if (node.name !== "FunctionDefinition") return null;
  const nameNode = node.getChild("VariableName");
  const paramList = node.getChild("ParamList");
  const body = node.getChild("Body");
  if (!nameNode || !paramList || !body) return null;
  const params = paramsOf(source, paramList);
  const decorators = statement.name === "DecoratedStatement" ? statement.getChildren("Decorator").map((d) => decoratorOf(source, d)) : [];
  const returns = node.getChild("TypeDef")?.lastChild ?? null;
  return {
    name: textOf(source, nameNode),
    async: node.getChild("async") !== null,
    node,
    statement,
    decorators,
    paramList,
    params,
    returns,
    body,
    line: lineAt(source.text, node.from),
  };
}

/** The class a statement defines (decorated or not); null when it defines none. */
export function classOf(source: PySource, statement: SyntaxNode): ClassInfo | null {
  const node = undecorated(statement);
  if (node.name !== "ClassDefinition") return null;
  const nameNode = node.getChild("VariableName");
  const body = node.getChild("Body");
  if (!nameNode || !body) return null;
  const argList = node.getChild("ArgList");
  const args = argList ? argumentsOf(source, argList) : { positional: [], keywords: new Map<string, SyntaxNode>() };
  return {
    name: textOf(source, nameNode),
    node,
    statement,
    bases: args.positional.map((base) => textOf(source, base).replace(/\s+/g, "")),
    keywords: args.keywords,
    body,
    line: lineAt(source.text, node.from),
  };
}

/** The assignment a statement is; null for any other statement. Targets that are not plain names are left out. */
export function assignmentOf(source: PySource, statement: SyntaxNode): AssignmentInfo | null {
  if (statement.name !== "AssignStatement" && statement.name !== "TypeDefinition") return null;
  const parts = childrenOf(statement).filter((child) => child.name !== "type");
  const line = lineAt(source.text, statement.from);
  if (statement.name === "TypeDefinition") {
    const name = dottedName(source, parts[0]);
    return { node: statement, targets: name ? [name] : [], annotation: null, value: parts.at(-1) ?? null, line };
  }
  const lastOp = parts.map((part) => part.name).lastIndexOf("AssignOp");
  const value = lastOp === -1 ? null : (parts[lastOp + 1] ?? null);
  const annotation = parts.find((part) => part.name === "TypeDef")?.lastChild ?? null;
  const targets = parts
    .filter((part, i) => (lastOp === -1 ? i === 0 : i < lastOp) && part.name !== "AssignOp" && part.name !== "TypeDef")
    .map((part) => (part.name === "VariableName" ? textOf(source, part) : null))
    .filter((name): name is string => name !== null);
  return { node: statement, targets, annotation, value, line };
}

/** Every function defined directly in a module or body (decorated ones included). */
export function functionsIn(source: PySource, scope: SyntaxNode = source.top): FunctionInfo[] {
  return statementsOf(scope).flatMap((statement) => functionOf(source, statement) ?? []);
}

/** Every class defined directly in a module or body. */
export function classesIn(source: PySource, scope: SyntaxNode = source.top): ClassInfo[] {
  return statementsOf(scope).flatMap((statement) => classOf(source, statement) ?? []);
}

/** Every assignment made directly in a module or body. */
export function assignmentsIn(source: PySource, scope: SyntaxNode = source.top): AssignmentInfo[] {
  return statementsOf(scope).flatMap((statement) => assignmentOf(source, statement) ?? []);
}
