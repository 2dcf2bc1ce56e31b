/** A replacement of text[start, end) (an insertion when start === end). */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export function insertAt(offset: number, text: string): TextEdit {
  return { start: offset, end: offset, text };
}

/** Applies non-overlapping edits (in any order); insertions at one offset keep their given order. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const ordered = edits.map((edit, i) => ({ edit, i })).sort((a, b) => a.edit.start - b.edit.start || a.i - b.i);
  let out = "";
  let cursor = 0;
  for (const { edit } of ordered) {
    if (edit.start < cursor) throw new Error(`overlapping edits at offset ${edit.start}`);
    out += text.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  return out + text.slice(cursor);
}

/** Offset where the line holding `offset` starts. */
export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

/** Offset of the newline ending the line holding `offset` (or the text's end). */
export function lineEnd(text: string, offset: number): number {
  const end = text.indexOf("\n", offset);
  return end === -1 ? text.length : end;
}

/** The whitespace a line starts with. */
export function indentationAt(text: string, offset: number): string {
  const start = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** True when only whitespace precedes `offset` on its line. */
export function startsLine(text: string, offset: number): boolean {
  return text.slice(lineStart(text, offset), offset).trim() === "";
}

/** Prefixes every line but the first with `indent` (blank lines stay empty): a block placed mid-line. */
export function indentFollowingLines(block: string, indent: string): string {
  return block
    .split("\n")
    .map((line, i) => (i === 0 || line === "" ? line : indent + line))
    .join("\n");
}

/** Re-indents a block written with two spaces per level to another unit (a tab, four spaces). */
export function convertIndentUnit(block: string, unit: string): string {
  if (unit === "  ") return block;
  return block
    .split("\n")
    .map((line) => {
      const spaces = /^ */.exec(line)![0].length;
      return unit.repeat(Math.floor(spaces / 2)) + " ".repeat(spaces % 2) + line.slice(spaces);
    })
    .join("\n");
}

/** The line ending a text uses: "\r\n" when its first line ends so, else "\n". */
export function lineEnding(text: string): string {
  const first = text.indexOf("\n");
  return first > 0 && text[first - 1] === "\r" ? "\r\n" : "\n";
}

/** Offset where the line holding `offset` ends, before its "\r\n" or "\n": where a statement is appended to it. */
export function endOfLine(text: string, offset: number): number {
  const end = lineEnd(text, offset);
  return end > 0 && text[end - 1] === "\r" ? end - 1 : end;
}

/** Lines inserted on their own after the line holding `end`, indented like the line holding `start` (a statement's span). */
export function linesAfter(text: string, start: number, end: number, lines: string[]): TextEdit {
  const eol = lineEnding(text);
  const indent = indentationAt(text, start);
  return insertAt(endOfLine(text, end), lines.map((line) => `${eol}${indent}${line}`).join(""));
}
