import type { SyntaxNode } from "@lezer/common";
import { applyEdits, insertAt, lineEnding, linesAfter, type TextEdit } from "../text-edits.js";
import { moduleBindings } from "./imports.js";
import { statementsOf, textOf, type PySource } from "./syntax.js";

/** A name to import: `from <module> import <name>`. */
export interface ImportedName {
  module: string;
  name: string;
}

/** The module's `from <module> import a, b` (no star, no alias on the last name) that a name can be appended to. */
function extendableImport(source: PySource, imports: SyntaxNode[], module: string): SyntaxNode | null {
  const pattern = new RegExp(`^from\\s+${module.replace(/\./g, "\\.")}\\s+import\\s`);
  return imports.find((node) => pattern.test(textOf(source, node)) && !textOf(source, node).includes("*")) ?? null;
}

/**
 * Edits that import each name the module does not bind yet to the same target: appended to an existing
 * `from <module> import ...` when there is one, else as new lines after the last top-level import.
 */
export function importEdits(source: PySource, wanted: ImportedName[]): TextEdit[] {
  const bindings = moduleBindings(source);
  const imports = statementsOf(source.top).filter((node) => node.name === "ImportStatement");
  const edits: TextEdit[] = [];
  // New imports, one line per module: `from m import a, b`.
  const added = new Map<string, string[]>();
  for (const { module, name } of wanted) {
    if (bindings.get(name)?.target === `${module}.${name}`) continue;
    if (bindings.has(name)) throw new Error(`${name} already names something else in this module`);
    const existing = extendableImport(source, imports, module);
    const last = existing?.getChildren("VariableName").at(-1);
    if (existing && last) edits.push(insertAt(last.to, `, ${name}`));
    else added.set(module, [...(added.get(module) ?? []), name]);
  }
  const lines = [...added].map(([module, names]) => `from ${module} import ${names.join(", ")}`);
  if (lines.length === 0) return edits;
  const anchor = imports.at(-1);
  if (!anchor) return [...edits, insertAt(0, lines.map((line) => `${line}${lineEnding(source.text)}`).join(""))];
  return [...edits, linesAfter(source.text, anchor.from, anchor.to, lines)];
}

/** The text with the names imported (text in → text out); see importEdits. */
export function addImports(source: PySource, wanted: ImportedName[]): string {
  return applyEdits(source.text, importEdits(source, wanted));
}
