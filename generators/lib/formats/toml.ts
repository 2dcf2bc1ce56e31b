import type * as SmolToml from "smol-toml";
import type * as TomlEslintParser from "toml-eslint-parser";
import type { AST } from "toml-eslint-parser";
import { MalformedFileError } from "../errors.js";
import { lazyModule } from "../lazy-module.js";
import { lineEnd } from "../text-edits.js";

/**
 * TOML files: values are read with smol-toml; edits take their positions from toml-eslint-parser's syntax tree
 * (tables, key/values, arrays, inline tables, strings with their quote style, each with its offsets).
 */

export type TomlSyntax = AST.TOMLProgram;
export type TomlTable = AST.TOMLTable;
export type TomlKeyValue = AST.TOMLKeyValue;
export type TomlNode = AST.TOMLContentNode;
export type TomlArray = AST.TOMLArray;
export type TomlQuote = '"' | "'";

/** smol-toml is loaded on first use only: most CLI starts never parse a pyproject.toml. */
const toml = lazyModule<typeof SmolToml>("smol-toml");
/** toml-eslint-parser is loaded on first use only: just the edit of a pyproject.toml needs positions. */
const tomlParser = lazyModule<typeof TomlEslintParser>("toml-eslint-parser");

/** Parses TOML; a syntax error becomes a MalformedFileError at the file and line it is on. */
export function parseTomlDocument(text: string, file: string): Record<string, unknown> {
  const { parse, TomlError } = toml();
  try {
    return parse(text) as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const problem = error.message.split("\n")[0].replace(/^Invalid TOML document:\s*/, "");
    throw new MalformedFileError(`invalid TOML: ${problem}`, file, error.line);
  }
}

/** The syntax tree of a TOML document, with offsets; a syntax error becomes a MalformedFileError at its file and line. */
export function parseTomlSyntax(text: string, file: string): TomlSyntax {
  const { parseTOML, ParseError } = tomlParser();
  try {
    return parseTOML(text);
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    throw new MalformedFileError(`invalid TOML: ${error.message}`, file, error.lineNumber);
  }
}

/** A key's parts, unquoted (`tool."poetry".dependencies` → ["tool", "poetry", "dependencies"]). */
export function keyPath(key: AST.TOMLKey): string[] {
  return key.keys.map((part) => (part.type === "TOMLBare" ? part.name : part.value));
}

/** True when a key is exactly `path`. */
function isKey(key: AST.TOMLKey, path: readonly string[]): boolean {
  const parts = keyPath(key);
  return parts.length === path.length && parts.every((part, i) => part === path[i]);
}

/** The `[a.b]` table with that key path (not an array of tables), or null when no such header exists. */
export function findTable(syntax: TomlSyntax, path: readonly string[]): TomlTable | null {
  const found = syntax.body[0].body.find((node): node is TomlTable => node.type === "TOMLTable" && node.kind === "standard" && isKey(node.key, path));
  return found ?? null;
}

/** The key/value among `entries` whose key is the single, undotted `name`. */
export function findEntry(entries: readonly TomlKeyValue[], name: string): TomlKeyValue | undefined {
  return entries.find((entry) => isKey(entry.key, [name]));
}

/** The offset of the newline ending a table's last line: its last key/value's, or its header's when it has none. */
export function tableEnd(text: string, table: TomlTable): number {
  return lineEnd(text, (table.body.at(-1) ?? table.key).range[1]);
}

/** True when a node is a string value. */
export function isTomlString(node: TomlNode): node is AST.TOMLStringValue {
  return node.type === "TOMLValue" && node.kind === "string";
}

/** The quote a string value is written with: `"` for basic strings, `'` for literal ones (either multi-line or not). */
export function quoteOf(node: AST.TOMLStringValue): TomlQuote {
  return node.style === "literal" ? "'" : '"';
}

/** The quote a table's entries use: that of its first string value, else a double quote. */
export function tableQuote(entries: readonly TomlKeyValue[]): TomlQuote {
  const first = entries.map((entry) => entry.value).find(isTomlString);
  return first ? quoteOf(first) : '"';
}

/** The span [start, end) of a string value's contents, between its quotes. */
export function stringContents(node: AST.TOMLStringValue): [number, number] {
  const quotes = node.multiline ? 3 : 1;
  return [node.range[0] + quotes, node.range[1] - quotes];
}

/** A TOML string literal for `value`, in the preferred quote when it can hold the value. */
export function tomlString(value: string, quote: TomlQuote): string {
  if (quote === "'" && !value.includes("'")) return `'${value}'`;
  return JSON.stringify(value);
}

/** The first token starting at or after `offset` (a `,` after an array item, or the closing bracket), or undefined at the end. */
export function tokenAfter(syntax: TomlSyntax, offset: number): AST.Token | undefined {
  return syntax.tokens.find((token) => token.range[0] >= offset);
}

/** The comments between `start` and `end`. */
export function commentsWithin(syntax: TomlSyntax, start: number, end: number): AST.Comment[] {
  return syntax.comments.filter((comment) => comment.range[0] >= start && comment.range[1] <= end);
}
