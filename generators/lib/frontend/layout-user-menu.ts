import type { ASTNode } from "magicast";
import { detectCodeStyle } from "./source/code-style.js";
import { ensureNamedImport, importBindings, topLevelNames } from "./source/imports.js";
import { parseSource, span, walk, type NodeOf, type ParsedSource } from "./source/parse.js";
import { applyEdits, indentationAt, insertAt, startsLine, type TextEdit } from "../text-edits.js";

export const USER_MENU_COMPONENT = "UserMenu";

export type LayoutEditResult =
  | { status: "added"; text: string }
  | { status: "present" }
  /** `line`: where the shape stopped making sense (1-based), when known. */
  | { status: "unrecognised"; reason: string; line: number | null };

type FunctionNode = NodeOf<"FunctionDeclaration"> | NodeOf<"FunctionExpression"> | NodeOf<"ArrowFunctionExpression">;

const FUNCTION_TYPES = new Set(["FunctionDeclaration", "FunctionExpression", "ArrowFunctionExpression"]);

function lineOf(node: ASTNode): number | null {
  return node.loc?.start.line ?? null;
}

function unwrap(node: ASTNode | null | undefined): ASTNode | null | undefined {
  while (node && (node.type === "ParenthesizedExpression" || node.type === "TSAsExpression" || node.type === "TSSatisfiesExpression")) node = node.expression;
  return node;
}

/** The function a top-level name is declared as (`function L() {}` or `const L = () => ...`). */
function declaredFunction(source: ParsedSource, name: string): FunctionNode | null {
  for (const statement of source.program.body) {
    const declaration = statement.type === "ExportNamedDeclaration" ? statement.declaration : statement;
    if (declaration?.type === "FunctionDeclaration" && declaration.id?.name === name) return declaration;
    if (declaration?.type === "VariableDeclaration") {
      for (const declarator of declaration.declarations) {
        const init = unwrap(declarator.init);
        if (declarator.id.type === "Identifier" && declarator.id.name === name && init && FUNCTION_TYPES.has(init.type)) return init as FunctionNode;
      }
    }
  }
  return null;
}

/** The default-exported component function, or why there is none we can read. */
function defaultExportedFunction(source: ParsedSource): FunctionNode | string {
  const exported = source.program.body.find((s): s is NodeOf<"ExportDefaultDeclaration"> => s.type === "ExportDefaultDeclaration");
  if (!exported) return "no `export default` layout component";
  const declaration = unwrap(exported.declaration as ASTNode);
  if (declaration && FUNCTION_TYPES.has(declaration.type)) return declaration as FunctionNode;
  if (declaration?.type === "Identifier") return declaredFunction(source, declaration.name) ?? `the default export \`${declaration.name}\` is not a function declared in this file`;
  return "the default export is not a function (wrapped in a call, or a class)";
}

/** Return statements of a function body, not those of functions nested in it. */
function ownReturns(fn: FunctionNode): NodeOf<"ReturnStatement">[] {
  const out: NodeOf<"ReturnStatement">[] = [];
  const visit = (node: ASTNode) => {
    for (const [key, value] of Object.entries(node)) {
      if (key === "loc" || key === "comments" || key === "leadingComments" || key === "trailingComments") continue;
      const children = Array.isArray(value) ? value : [value];
      for (const child of children) {
        if (typeof child !== "object" || child === null || typeof (child as ASTNode).type !== "string") continue;
        const c = child as ASTNode;
        if (c.type === "ReturnStatement") out.push(c);
        if (!FUNCTION_TYPES.has(c.type) && c.type !== "ClassMethod" && c.type !== "ObjectMethod") visit(c);
      }
    }
  };
  visit(fn.body);
  return out;
}

/** The JSX the layout returns: its single return's argument, or an arrow's expression body. */
function returnedJsx(fn: FunctionNode): ASTNode | { reason: string; node: ASTNode } {
  if (fn.body.type !== "BlockStatement") {
    const body = unwrap(fn.body);
    return body && (body.type === "JSXElement" || body.type === "JSXFragment") ? body : { reason: "the layout does not return JSX directly", node: fn };
  }
  const returns = ownReturns(fn);
  if (returns.length !== 1) return { reason: returns.length === 0 ? "the layout has no return statement" : `the layout has ${returns.length} return statements`, node: returns[1] ?? fn };
  const argument = unwrap(returns[0].argument);
  if (!argument || (argument.type !== "JSXElement" && argument.type !== "JSXFragment")) return { reason: "the layout does not return JSX directly", node: returns[0] };
  return argument;
}

function isBody(node: ASTNode): node is NodeOf<"JSXElement"> {
  return node.type === "JSXElement" && node.openingElement.name.type === "JSXIdentifier" && node.openingElement.name.name === "body";
}

/** The edit putting `<UserMenu />` first inside <body>: on a line of its own when the body's children are on lines of their own. */
function insertionIntoBody(source: ParsedSource, body: NodeOf<"JSXElement">, element: string): TextEdit {
  const { text } = source;
  const at = span(body.openingElement).end;
  const first = body.children.find((child) => child.type !== "JSXText" || child.value.trim() !== "");
  const firstStart = first ? span(first).start : span(body.closingElement!).start;
  const gap = text.slice(at, firstStart);
  if (!gap.includes("\n")) return insertAt(at, element);
  const indent = first && startsLine(text, firstStart) ? indentationAt(text, firstStart) : `${indentationAt(text, span(body).start)}${detectCodeStyle(source).indent}`;
  return insertAt(at, `\n${indent}${element}`);
}

/**
 * Adds `import { UserMenu } from "<specifier>"` and `<UserMenu />` as the first child of <body> in a root
 * layout, as text edits (every other byte stays); "present" when UserMenu is already imported from there.
 * Only the usual shape is edited: one default-exported function with one return of JSX holding one <body>.
 */
export function addUserMenuToLayout(text: string, specifier: string): LayoutEditResult {
  let source: ParsedSource;
  try {
    source = parseSource(text);
  } catch (error) {
    const line = (error as { loc?: { line?: number } }).loc?.line ?? null;
    return { status: "unrecognised", reason: `it does not parse (${(error as Error).message})`, line };
  }
  if (importBindings(source).some((b) => b.from === specifier && b.imported === USER_MENU_COMPONENT)) return { status: "present" };
  const fn = defaultExportedFunction(source);
  if (typeof fn === "string") return { status: "unrecognised", reason: fn, line: null };
  const jsx = returnedJsx(fn);
  if ("reason" in jsx) return { status: "unrecognised", reason: jsx.reason, line: lineOf(jsx.node) };
  const bodies = [...walk(jsx)].filter(isBody);
  if (bodies.length !== 1) return { status: "unrecognised", reason: bodies.length === 0 ? "no <body> element in the JSX it returns" : `${bodies.length} <body> elements in the JSX it returns`, line: lineOf(jsx) };
  const body = bodies[0];
  if (!body.closingElement) return { status: "unrecognised", reason: "<body /> has no children to put the menu before", line: lineOf(body) };

  const style = detectCodeStyle(source);
  const { local, edits } = ensureNamedImport(source, { name: USER_MENU_COMPONENT, from: specifier }, style, topLevelNames(source));
  const after = applyEdits(text, [...edits, insertionIntoBody(source, body, `<${local} />`)]);
  try {
    parseSource(after);
  } catch (error) {
    return { status: "unrecognised", reason: `the edited layout would not parse (${(error as Error).message})`, line: null };
  }
  return { status: "added", text: after };
}

/** What to add by hand to a layout this tool leaves alone. */
export function userMenuSnippet(specifier: string): string {
  return [`import { ${USER_MENU_COMPONENT} } from "${specifier}";`, "", "// in the root layout, as the first child of <body>:", `<${USER_MENU_COMPONENT} />`].join("\n");
}
