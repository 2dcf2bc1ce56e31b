import ts from "typescript";

/** One JSX element of a file: its tag, its attributes (string values, or the expression's source) and its text. */
export interface JsxElementInfo {
  tag: string;
  attrs: Record<string, string | true>;
  /** The element's text content, whitespace collapsed (`{" "}` counts as a space). */
  text: string;
}

/** TypeScript's parser in TSX mode: a second opinion, independent of the generator's Babel one. */
export function parseTsx(text: string): ts.SourceFile {
  return ts.createSourceFile("file.tsx", text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
}

export function tsxSyntaxErrors(text: string): string[] {
  const source = parseTsx(text) as ts.SourceFile & { parseDiagnostics?: ts.Diagnostic[] };
  return (source.parseDiagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

function textOf(node: ts.Node): string {
  let out = "";
  const visit = (n: ts.Node) => {
    if (ts.isJsxText(n)) out += n.text;
    else if (ts.isJsxExpression(n) && n.expression && ts.isStringLiteral(n.expression)) out += n.expression.text;
    else n.forEachChild(visit);
  };
  node.forEachChild(visit);
  return out.replace(/\s+/g, " ").trim();
}

function attributesOf(attributes: ts.JsxAttributes): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (const attr of attributes.properties) {
    if (!ts.isJsxAttribute(attr)) continue;
    const name = attr.name.getText();
    const init = attr.initializer;
    if (!init) out[name] = true;
    else if (ts.isStringLiteral(init)) out[name] = init.text;
    else if (ts.isJsxExpression(init)) out[name] = init.expression ? init.expression.getText() : "";
    else out[name] = init.getText();
  }
  return out;
}

/** Every JSX element in the file, in source order. */
export function jsxElements(text: string): JsxElementInfo[] {
  const out: JsxElementInfo[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isJsxElement(n)) out.push({ tag: n.openingElement.tagName.getText(), attrs: attributesOf(n.openingElement.attributes), text: textOf(n) });
    if (ts.isJsxSelfClosingElement(n)) out.push({ tag: n.tagName.getText(), attrs: attributesOf(n.attributes), text: "" });
    n.forEachChild(visit);
  };
  visit(parseTsx(text));
  return out;
}

/** `import ... from "x"` → { x: ["Link"] }, the names each module's imports bind. */
export function importsOf(text: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const statement of parseTsx(text).statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const names: string[] = [];
    const clause = statement.importClause;
    if (clause?.name) names.push(clause.name.text);
    if (clause?.namedBindings && ts.isNamedImports(clause.namedBindings)) names.push(...clause.namedBindings.elements.map((e) => e.name.text));
    (out[statement.moduleSpecifier.text] ??= []).push(...names);
  }
  return out;
}

/** The file's directive prologue ("use client"). */
export function directives(text: string): string[] {
  const out: string[] = [];
  for (const statement of parseTsx(text).statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) break;
    out.push(statement.expression.text);
  }
  return out;
}
