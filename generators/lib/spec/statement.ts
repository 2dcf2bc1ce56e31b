/**
 * A statement: the unit the readers read. One sentence of a paragraph or list item, one table row, one line of
 * fenced code or one heading, in plain text (inline Markdown removed), with the source lines it spans.
 */
export interface Statement {
  /** Plain text; "\n" between source lines. */
  text: string;
  /** Where each source line starts in `text`, with its 1-based line number (the first starts at offset 0). */
  starts: { offset: number; line: number }[];
  /** The heading path, "Security > Tokens" ("" before the first heading). */
  section: string;
  kind: "heading" | "text" | "item" | "row" | "code";
  /** The fenced code's language ("" elsewhere). */
  lang: string;
  /** What the statement continues: a list's lead-in, the parent item, a table's header, the previous code line, earlier Given/When lines. */
  context: string;
  /** The block's surroundings: section, lead-in paragraph, code language and first comment line. */
  scope: string;
  /** How the block states things before any sentence-level marker: code is an example unless it alone states a value. */
  base: "normal" | "example" | "code" | "non-normative";
}

/** The 1-based source line of a character of a statement's text. */
export function lineAt(statement: Statement, index: number): number {
  let line = statement.starts[0].line;
  for (const start of statement.starts) {
    if (start.offset > index) break;
    line = start.line;
  }
  return line;
}

/** A statement for text[from, to) of a larger one (a sentence of a paragraph), keeping its line map. */
export function sliceStatement(whole: Statement, from: number, to: number): Statement {
  const starts = [{ offset: 0, line: lineAt(whole, from) }];
  for (const start of whole.starts) {
    if (start.offset > from && start.offset < to) starts.push({ offset: start.offset - from, line: start.line });
  }
  return { ...whole, text: whole.text.slice(from, to), starts };
}
