import ts from "typescript";

/** TypeScript's own parser, independent of the magicast one the generator uses: a second opinion for tests. */
function parse(text: string): ts.SourceFile {
  return ts.createSourceFile("file.ts", text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

function find<T extends ts.Node>(node: ts.Node, test: (n: ts.Node) => n is T): T[] {
  const out: T[] = [];
  const visit = (n: ts.Node) => {
    if (test(n)) out.push(n);
    n.forEachChild(visit);
  };
  visit(node);
  return out;
}

function callsTo(source: ts.SourceFile, name: string): ts.CallExpression[] {
  return find(source, (n): n is ts.CallExpression => ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === name);
}

/** The options object of the single `factory({...})` call. */
export function factoryOptions(text: string, factory: string): ts.ObjectLiteralExpression {
  const calls = callsTo(parse(text), factory);
  if (calls.length !== 1 || !calls[0].arguments[0] || !ts.isObjectLiteralExpression(calls[0].arguments[0])) throw new Error(`expected one ${factory}({...}) call`);
  return calls[0].arguments[0];
}

/** Names of the top-level option keys of `factory({...})`. */
export function optionKeys(text: string, factory: string): string[] {
  return factoryOptions(text, factory).properties.map((p) => (p.name && ts.isIdentifier(p.name) ? p.name.text : p.getText()));
}

/** The callee names in `factory({ plugins: [...] })`, in order: ["jwt", "nextCookies"]. */
export function pluginNames(text: string, factory: string): string[] {
  const plugins = factoryOptions(text, factory).properties.find((p) => p.name && ts.isIdentifier(p.name) && p.name.text === "plugins");
  if (!plugins || !ts.isPropertyAssignment(plugins) || !ts.isArrayLiteralExpression(plugins.initializer)) throw new Error("no plugins array");
  return plugins.initializer.elements.map((e) => (ts.isCallExpression(e) ? e.expression.getText() : e.getText()));
}

/** Every string literal's value in the file. */
export function stringLiterals(text: string): string[] {
  return find(parse(text), (n): n is ts.StringLiteral => ts.isStringLiteral(n)).map((n) => n.text);
}

/** Syntax errors TypeScript's parser reports (an empty list for valid code). */
export function syntaxErrors(text: string): string[] {
  const source = parse(text) as ts.SourceFile & { parseDiagnostics?: ts.Diagnostic[] };
  return (source.parseDiagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}
