import type { ASTNode } from "magicast";
import type { CodeStyle } from "./code-style.js";
import { span, type ParsedSource } from "./parse.js";
import { indentationAt, indentFollowingLines, insertAt, lineEnd, lineStart, startsLine, type TextEdit } from "../../text-edits.js";

/** A comma-separated list between brackets or braces: array elements, object properties, import specifiers. */
export interface ListSyntax {
  /** Offset of the opening `[` or `{`. */
  open: number;
  /** Offset of the closing `]` or `}`. */
  close: number;
  items: ASTNode[];
  /** Braces pad single-line content with spaces: `{ a, b }`; brackets do not: `[a, b]`. */
  kind: "brackets" | "braces";
}

function hasComments(source: ParsedSource, from: number, to: number): boolean {
  return source.tokens.some((t) => t.comment && t.start > from && t.end <= to);
}

/** Where the comment lines directly above `offset` begin (or `offset` itself): they belong to that item. */
function leadingCommentsStart(source: ParsedSource, offset: number): number {
  let start = offset;
  const before = source.tokens.filter((t) => t.end <= offset);
  for (let i = before.length - 1; i >= 0; i--) {
    const token = before[i];
    if (!token.comment || !startsLine(source.text, token.start) || source.text.slice(token.end, start).trim() !== "") break;
    start = token.start;
  }
  return start;
}

/** The comma right after an item, if the list has one there. */
function commaAfter(source: ParsedSource, offset: number): { end: number } | null {
  const next = source.tokens.find((t) => !t.comment && t.start >= offset);
  return next?.value === "," ? { end: next.end } : null;
}

/** Appends after the last item of a multi-line list, on a line of its own, with the list's trailing-comma habit. */
function appendOnOwnLine(source: ParsedSource, last: ASTNode, item: string): TextEdit[] {
  const { text } = source;
  const indent = indentationAt(text, span(last).start);
  const comma = commaAfter(source, span(last).end);
  const anchor = comma ? comma.end : span(last).end;
  const end = lineEnd(text, anchor);
  // Past a comment that ends the last item's line, but not past code sharing that line (like `]`).
  const onlyCommentsFollow = !source.tokens.some((t) => !t.comment && t.start >= anchor && t.start < end);
  const at = onlyCommentsFollow ? end : anchor;
  const block = `\n${indent}${indentFollowingLines(item, indent)}${comma ? "," : ""}`;
  return comma ? [insertAt(at, block)] : [insertAt(span(last).end, ","), insertAt(at, block)];
}

/** Rewrites a single-line list onto one line per item, the new item at `index`. */
function explode(source: ParsedSource, list: ListSyntax, index: number, item: string, unit: string): TextEdit[] {
  const indent = indentationAt(source.text, list.open);
  const texts = list.items.map((node) => source.text.slice(span(node).start, span(node).end));
  texts.splice(index, 0, item);
  const body = texts.map((t) => `\n${indent}${unit}${indentFollowingLines(t, indent + unit)},`).join("");
  return [{ start: list.open + 1, end: list.close, text: `${body}\n${indent}` }];
}

/**
 * The edits that insert `item` (code whose later lines are indented from column 0) into a list
 * before the item at `index` (or at the end), keeping every existing line as it is: a multi-line
 * list gets a line of its own, a single-line list stays on one line unless the item spans lines.
 */
export function insertIntoList(source: ParsedSource, list: ListSyntax, index: number, item: string, style: CodeStyle): TextEdit[] {
  const { text } = source;
  const multiline = text.slice(list.open, list.close).includes("\n");
  const { items } = list;
  const pad = list.kind === "braces" ? " " : "";

  if (!multiline) {
    if (item.includes("\n") && !hasComments(source, list.open, list.close)) return explode(source, list, index, item, style.indent);
    const inline = indentFollowingLines(item, indentationAt(text, list.open));
    if (items.length === 0) return [{ start: list.open + 1, end: list.close, text: `${pad}${inline}${pad}` }];
    if (index < items.length) return [insertAt(span(items[index]).start, `${inline}, `)];
    return [insertAt(span(items[items.length - 1]).end, `, ${inline}`)];
  }

  if (items.length === 0) {
    const indent = indentationAt(text, list.close) + style.indent;
    return [insertAt(list.open + 1, `\n${indent}${indentFollowingLines(item, indent)},`)];
  }
  if (index >= items.length) return appendOnOwnLine(source, items[items.length - 1], item);
  const before = span(items[index]).start;
  const indent = indentationAt(text, before);
  // Above the item's own comment lines, which describe it.
  if (startsLine(text, before)) return [insertAt(lineStart(text, leadingCommentsStart(source, before)), `${indent}${indentFollowingLines(item, indent)},\n`)];
  return [insertAt(before, `${indentFollowingLines(item, indent)}, `)];
}
