import type * as Magicast from "magicast";
import type { ASTNode } from "magicast";
import { lazyModule } from "../../lazy-module.js";

// magicast pulls in Babel and recast: load it only when a user's existing file has to be parsed.
const magicast = lazyModule<typeof Magicast>("magicast");

/** A Babel AST node of one type, e.g. NodeOf<"CallExpression">. */
export type NodeOf<T extends ASTNode["type"]> = Extract<ASTNode, { type: T }>;

/** A token of the source: punctuation, names, literals and comments, with offsets into the text. */
export interface SourceToken {
  value: string;
  start: number;
  end: number;
  comment: boolean;
}

/** A parsed TypeScript module: its text, its Program node and its tokens (comments included). */
export interface ParsedSource {
  text: string;
  program: NodeOf<"Program">;
  tokens: SourceToken[];
}

interface RawToken {
  type: string | { label: string };
  value?: unknown;
  start: number;
  end: number;
}

/**
 * Parses TypeScript with magicast's Babel parser; throws the parser's SyntaxError (with `loc.line`).
 * Offsets index into `text` (LF line endings, as PlanTree gives it).
 */
export function parseSource(text: string): ParsedSource {
  // recast hands the parser a copy with leading tabs expanded to `tabWidth` spaces: with 1, every
  // offset still points at the same character of the original text.
  const program = magicast().parseModule(text, { tabWidth: 1 }).$ast as NodeOf<"Program">;
  const raw = ((program.loc as unknown as { tokens?: RawToken[] }).tokens ?? []) as RawToken[];
  const misplaced = raw.some((t) => typeof t.type !== "string" && t.type.label === "name" && text.slice(t.start, t.end) !== t.value);
  if (program.end !== text.length || misplaced) throw new Error("the parser's offsets do not match the text");
  const tokens = raw
    .filter((t) => typeof t.type === "string" || t.type.label !== "eof")
    .map((t) => ({ value: text.slice(t.start, t.end), start: t.start, end: t.end, comment: typeof t.type === "string" }));
  return { text, program, tokens };
}

const SKIPPED_KEYS = new Set(["loc", "start", "end", "extra", "comments", "leadingComments", "trailingComments", "innerComments", "original", "tokens"]);

function isNode(value: unknown): value is ASTNode {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}

/** Every node under `root` (itself included), depth first in source order. */
export function* walk(root: ASTNode): Generator<ASTNode> {
  yield root;
  for (const [key, value] of Object.entries(root)) {
    if (SKIPPED_KEYS.has(key)) continue;
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) yield* walk(item);
    } else if (isNode(value)) {
      yield* walk(value);
    }
  }
}

/** Start and end offsets of a node (Babel always sets them). */
export function span(node: ASTNode): { start: number; end: number } {
  return { start: node.start ?? 0, end: node.end ?? 0 };
}

/** The name a property is keyed by (`plugins`, `"plugins"`), or null for computed keys and spreads. */
export function propertyName(property: ASTNode): string | null {
  if (property.type !== "ObjectProperty" && property.type !== "ObjectMethod") return null;
  if (property.computed) return null;
  if (property.key.type === "Identifier") return property.key.name;
  if (property.key.type === "StringLiteral") return property.key.value;
  return null;
}

/** The property of an object literal with this name, if any. */
export function findProperty(object: NodeOf<"ObjectExpression">, name: string): NodeOf<"ObjectProperty"> | NodeOf<"ObjectMethod"> | null {
  for (const property of object.properties) {
    if (propertyName(property) === name) return property as NodeOf<"ObjectProperty"> | NodeOf<"ObjectMethod">;
  }
  return null;
}
