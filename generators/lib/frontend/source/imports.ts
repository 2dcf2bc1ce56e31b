import type { CodeStyle } from "./code-style.js";
import { insertIntoList } from "./list-insert.js";
import { span, walk, type NodeOf, type ParsedSource } from "./parse.js";
import { insertAt, lineEnd, type TextEdit } from "../../text-edits.js";

/** One name an import statement binds: `import { jwt as j } from "m"` → { local: "j", imported: "jwt", from: "m" }. */
export interface ImportBinding {
  local: string;
  /** The exported name, "default" or "*". */
  imported: string;
  from: string;
  typeOnly: boolean;
}

/** A named import to have in a module. */
export interface NamedImport {
  name: string;
  from: string;
}

function importDeclarations(source: ParsedSource): NodeOf<"ImportDeclaration">[] {
  return source.program.body.filter((s): s is NodeOf<"ImportDeclaration"> => s.type === "ImportDeclaration");
}

/** Every binding the module's import statements create. */
export function importBindings(source: ParsedSource): ImportBinding[] {
  const out: ImportBinding[] = [];
  for (const declaration of importDeclarations(source)) {
    const from = declaration.source.value;
    for (const specifier of declaration.specifiers) {
      const typeOnly = declaration.importKind === "type" || (specifier.type === "ImportSpecifier" && specifier.importKind === "type");
      const imported =
        specifier.type === "ImportDefaultSpecifier"
          ? "default"
          : specifier.type === "ImportNamespaceSpecifier"
            ? "*"
            : specifier.imported.type === "Identifier"
              ? specifier.imported.name
              : specifier.imported.value;
      out.push({ local: specifier.local.name, imported, from, typeOnly });
    }
  }
  return out;
}

/** Local names under which `name` is imported (as a value) from any of `modules`. */
export function localNamesOf(bindings: ImportBinding[], name: string, modules: readonly string[]): string[] {
  return bindings.filter((b) => !b.typeOnly && b.imported === name && modules.includes(b.from)).map((b) => b.local);
}

/** Names bound at the top level of the module: imports, declared variables, functions and classes. */
export function topLevelNames(source: ParsedSource): Set<string> {
  const names = new Set(importBindings(source).map((b) => b.local));
  for (const statement of source.program.body) {
    const declaration = statement.type === "ExportNamedDeclaration" || statement.type === "ExportDefaultDeclaration" ? statement.declaration : statement;
    if (!declaration) continue;
    if (declaration.type === "VariableDeclaration") {
      for (const declarator of declaration.declarations) {
        for (const node of walk(declarator.id)) if (node.type === "Identifier") names.add(node.name);
      }
    } else if ((declaration.type === "FunctionDeclaration" || declaration.type === "ClassDeclaration") && declaration.id) {
      names.add(declaration.id.name);
    }
  }
  return names;
}

/** `jwt` from "better-auth/plugins" → "betterAuthJwt": a readable alias when the plain name is taken. */
function aliasFor(name: string, from: string, taken: Set<string>): string {
  const packageName = from.replace(/^@/, "").split("/")[0];
  const base = packageName.replace(/[^A-Za-z0-9]+([A-Za-z0-9])/g, (_m, c: string) => c.toUpperCase()) + name[0].toUpperCase() + name.slice(1);
  let alias = base;
  for (let n = 2; taken.has(alias); n++) alias = `${base}${n}`;
  return alias;
}

/** The `{ ... }` braces of an import statement with named specifiers. */
function namedSpecifierBraces(source: ParsedSource, declaration: NodeOf<"ImportDeclaration">): { open: number; close: number } | null {
  const { start, end } = span(declaration.source);
  const tokens = source.tokens.filter((t) => !t.comment && t.start >= (declaration.start ?? 0) && t.end <= start);
  const open = tokens.find((t) => t.value === "{");
  const close = [...tokens].reverse().find((t) => t.value === "}");
  return open && close && end > close.start ? { open: open.start, close: close.start } : null;
}

/**
 * Makes sure `wanted` is imported: reuses an existing import, else adds the name to an import
 * statement from the same module, else adds an import line after the last one. A name already
 * bound to something else gets an alias. Returns the local name and the edits.
 */
export function ensureNamedImport(source: ParsedSource, wanted: NamedImport, style: CodeStyle, taken: Set<string>): { local: string; edits: TextEdit[] } {
  const existing = localNamesOf(importBindings(source), wanted.name, [wanted.from]);
  if (existing.length > 0) return { local: existing[0], edits: [] };
  const local = taken.has(wanted.name) ? aliasFor(wanted.name, wanted.from, taken) : wanted.name;
  taken.add(local);
  const specifier = local === wanted.name ? wanted.name : `${wanted.name} as ${local}`;
  const declarations = importDeclarations(source);
  const sameModule = declarations.find(
    (d) => d.source.value === wanted.from && d.importKind !== "type" && d.specifiers.some((s) => s.type === "ImportSpecifier"),
  );
  const braces = sameModule && namedSpecifierBraces(source, sameModule);
  if (sameModule && braces) {
    const items = sameModule.specifiers.filter((s) => s.type === "ImportSpecifier");
    return { local, edits: insertIntoList(source, { ...braces, items, kind: "braces" }, items.length, specifier, style) };
  }
  const line = `import { ${specifier} } from ${style.quote}${wanted.from}${style.quote}${style.semicolons ? ";" : ""}`;
  const last = declarations.at(-1);
  if (!last) return { local, edits: [insertAt(0, `${line}\n`)] };
  // After the last import's line, so a comment at its end stays with it.
  return { local, edits: [insertAt(lineEnd(source.text, last.end ?? 0), `\n${line}`)] };
}
