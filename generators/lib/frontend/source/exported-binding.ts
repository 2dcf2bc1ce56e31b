import type { ASTNode } from "magicast";
import type { ParsedSource } from "./parse.js";

/** How other modules import a value: `import { name }` or `import x` (the default export). */
export type ExportedAs = { kind: "named"; name: string } | { kind: "default" };

/** The expression inside `x as T`, `x satisfies T`, `x!` and parentheses. */
function unwrap(node: ASTNode | null | undefined): ASTNode | null | undefined {
  while (node && (node.type === "TSAsExpression" || node.type === "TSSatisfiesExpression" || node.type === "TSNonNullExpression" || node.type === "ParenthesizedExpression")) {
    node = node.expression;
  }
  return node;
}

/** The top-level variable a value is assigned to (`const auth = <value>`), if any. */
function variableHolding(source: ParsedSource, value: ASTNode): { name: string; exportedInPlace: boolean } | null {
  for (const statement of source.program.body) {
    const exported = statement.type === "ExportNamedDeclaration";
    const declaration = exported ? statement.declaration : statement;
    if (declaration?.type !== "VariableDeclaration") continue;
    for (const declarator of declaration.declarations) {
      if (unwrap(declarator.init) === value && declarator.id.type === "Identifier") return { name: declarator.id.name, exportedInPlace: exported };
    }
  }
  return null;
}

/** How `export { local as x }` or `export default local` exports a top-level name, if at all. */
function exportOf(source: ParsedSource, local: string): ExportedAs | null {
  for (const statement of source.program.body) {
    if (statement.type === "ExportNamedDeclaration" && !statement.source) {
      for (const specifier of statement.specifiers) {
        if (specifier.type !== "ExportSpecifier" || specifier.local.name !== local) continue;
        const name = specifier.exported.type === "Identifier" ? specifier.exported.name : specifier.exported.value;
        return name === "default" ? { kind: "default" } : { kind: "named", name };
      }
    }
    if (statement.type === "ExportDefaultDeclaration" && statement.declaration.type === "Identifier" && statement.declaration.name === local) return { kind: "default" };
  }
  return null;
}

/** How the module exports a value (e.g. the `betterAuth({...})` call), or null when it does not. */
export function exportedAs(source: ParsedSource, value: ASTNode): ExportedAs | null {
  for (const statement of source.program.body) {
    if (statement.type === "ExportDefaultDeclaration" && unwrap(statement.declaration as ASTNode) === value) return { kind: "default" };
  }
  const variable = variableHolding(source, value);
  if (!variable) return null;
  return variable.exportedInPlace ? { kind: "named", name: variable.name } : exportOf(source, variable.name);
}
