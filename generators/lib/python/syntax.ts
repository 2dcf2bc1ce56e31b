import type { SyntaxNode, Tree } from "@lezer/common";
import { lazyModule } from "../lazy-module.js";

/** Loaded on the first Python file read: most runs of the frontend-only paths never need it. */
const lezerPython = lazyModule<typeof import("@lezer/python")>("@lezer/python");

/** One parsed Python module: its text and its syntax tree (Lezer's, error-tolerant, offsets into `text`). */
export interface PySource {
  text: string;
  tree: Tree;
  top: SyntaxNode;
}

/** Parsed modules by text: detection, the route inventory and the editors each read the same files in one run. */
const parsed = new Map<string, PySource>();
/** Enough for every module of a large backend; the oldest entry goes first. */
const PARSED_LIMIT = 1024;

/** Parses Python source (text in → tree out); never throws: unparsable parts become error nodes. Trees are immutable, so one text's tree is shared. */
export function parsePython(text: string): PySource {
  const known = parsed.get(text);
  if (known) return known;
  const tree = lezerPython().parser.parse(text);
  const source = { text, tree, top: tree.topNode };
  if (parsed.size >= PARSED_LIMIT) parsed.delete(parsed.keys().next().value!);
  parsed.set(text, source);
  return source;
}

/** The source text of a node. */
export function textOf(source: PySource, node: SyntaxNode): string {
  return source.text.slice(node.from, node.to);
}

/** The 1-based line of an offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/** Offsets of the parse errors in a module; empty for valid Python. */
export function syntaxErrors(source: PySource): number[] {
  const errors: number[] = [];
  source.tree.iterate({ enter: (node) => void (node.type.isError && errors.push(node.from)) });
  return errors;
}

/** The direct children of a node, in order. */
export function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) out.push(child);
  return out;
}

/** Every descendant of a node (itself included) whose type is `name`, in source order. */
export function descendants(node: SyntaxNode, name: string): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const cursor = node.cursor();
  do {
    if (cursor.name === name) out.push(cursor.node);
  } while (cursor.next() && cursor.from < node.to);
  return out.filter((found) => found.from >= node.from && found.to <= node.to);
}

/** A statement with its decorators: the definition inside a DecoratedStatement, or the node itself. */
export function undecorated(node: SyntaxNode): SyntaxNode {
  return node.name === "DecoratedStatement" ? (node.getChild("FunctionDefinition") ?? node.getChild("ClassDefinition") ?? node) : node;
}

/** The statements of a module or of a Body node (a class or function body). */
export function statementsOf(node: SyntaxNode): SyntaxNode[] {
  return childrenOf(node).filter((child) => child.name !== ":" && !child.type.isError && child.name !== "Comment");
}

/** The value of a plain string literal (prefixes r/u/b allowed, adjacent literals joined); null for f-strings and non-strings. */
export function stringValue(source: PySource, node: SyntaxNode | null | undefined): string | null {
  if (!node) return null;
  if (node.name === "ContinuedString") {
    const parts = childrenOf(node).map((part) => stringValue(source, part));
    return parts.every((part) => part !== null) ? parts.join("") : null;
  }
  if (node.name !== "String") return null;
  const raw = textOf(source, node);
  const match = /^([rRuUbB]{0,2})('''|"""|'|")([\s\S]*)\2$/.exec(raw);
  if (!match) return null;
  const body = match[3];
  if (/r/i.test(match[1])) return body;
  return body.replace(/\\(\r?\n|[\\'"nt])/g, (_, ch: string) => (ch === "n" ? "\n" : ch === "t" ? "\t" : /\n/.test(ch) ? "" : ch));
}

/** A dotted name written as a name or attribute chain (`app`, `fastapi.FastAPI`, `app.state.x`); null for anything else. */
export function dottedName(source: PySource, node: SyntaxNode | null | undefined): string | null {
  if (!node) return null;
  if (node.name === "VariableName") return textOf(source, node);
  if (node.name !== "MemberExpression") return null;
  const [object, dot, property, ...rest] = childrenOf(node);
  if (rest.length > 0 || dot?.name !== "." || property?.name !== "PropertyName") return null;
  const head = dottedName(source, object);
  return head === null ? null : `${head}.${textOf(source, property)}`;
}

/** A call's parts: the callee as a dotted name (null when it is not one), positional and keyword arguments. */
export interface CallParts {
  callee: string | null;
  calleeNode: SyntaxNode;
  argList: SyntaxNode;
  positional: SyntaxNode[];
  keywords: Map<string, SyntaxNode>;
}

/** Splits an argument list into positional and keyword arguments (`*a` and `**k` are left out). */
export function argumentsOf(source: PySource, argList: SyntaxNode): Pick<CallParts, "positional" | "keywords"> {
  const positional: SyntaxNode[] = [];
  const keywords = new Map<string, SyntaxNode>();
  const items = childrenOf(argList).filter((child) => !["(", ")", ",", "Comment"].includes(child.name));
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item.name === "*" || item.name === "**") {
      i++;
      continue;
    }
    if (item.name === "VariableName" && items[i + 1]?.name === "AssignOp") {
      keywords.set(textOf(source, item), items[i + 2]);
      i += 2;
      continue;
    }
    positional.push(item);
  }
  return { positional, keywords };
}

/** The parts of a CallExpression; null for any other node. */
export function callParts(source: PySource, node: SyntaxNode | null | undefined): CallParts | null {
  if (node?.name !== "CallExpression") return null;
  const calleeNode = node.firstChild;
  const argList = node.getChild("ArgList");
  if (!calleeNode || !argList) return null;
  return { callee: dottedName(source, calleeNode), calleeNode, argList, ...argumentsOf(source, argList) };
}

/** The last segment of a dotted name: "fastapi.FastAPI" → "FastAPI". */
export function lastName(dotted: string | null): string | null {
  return dotted === null ? null : (dotted.split(".").pop() ?? null);
}

/** A subscript's parts: `Annotated[Session, Depends(f)]` → the head's dotted name ("Annotated") and its items; null for other nodes. */
export function subscriptParts(source: PySource, node: SyntaxNode | null | undefined): { head: string | null; items: SyntaxNode[] } | null {
  if (node?.name !== "MemberExpression" || !node.getChild("[")) return null;
  const [head, ...rest] = childrenOf(node);
  return { head: dottedName(source, head), items: rest.filter((child) => !["[", "]", ",", "Comment"].includes(child.name)) };
}
