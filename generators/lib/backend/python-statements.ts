/** One logical line of Python source: a statement, possibly spanning several physical lines. */
export interface LogicalLine {
  /** 0-based indexes of its first and last physical lines. */
  first: number;
  last: number;
  /** Its code without comments, physical lines joined with a space; string literals kept as written. */
  code: string;
  /** True when it starts in column 0: a module-level statement (or the header of one). */
  topLevel: boolean;
}

const QUOTES = new Set(["'", '"']);

/**
 * Splits Python source into logical lines (text in → statements out), the way the tokenizer does:
 * brackets, backslash continuations and (triple-quoted) strings join physical lines; comments and
 * blank lines are dropped. Not a parser: enough to find top-level imports, assignments and calls.
 */
export function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  let code = "";
  let first = -1;
  let line = 0;
  let depth = 0;
  let quote: string | null = null;
  let triple = false;
  let topLevel = false;

  const finish = () => {
    if (first !== -1 && code.trim()) out.push({ first, last: line, code: code.trim(), topLevel });
    code = "";
    first = -1;
    depth = 0;
  };

  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      code += ch;
      if (ch === "\\") {
        code += text[i + 1] ?? "";
        if (text[i + 1] === "\n") line++;
        i++;
      } else if (ch === "\n") {
        line++;
        if (!triple) quote = null; // an unterminated one-line string ends at the line's end
      } else if (ch === quote && (!triple || text.startsWith(quote.repeat(3), i))) {
        if (triple) {
          code += quote + quote;
          i += 2;
        }
        quote = null;
      }
      continue;
    }
    if (ch === "#") {
      while (i + 1 < text.length && text[i + 1] !== "\n") i++;
      continue;
    }
    if (ch === "\n") {
      if (depth === 0) finish();
      else code += " ";
      line++;
      continue;
    }
    if (ch === "\\" && text[i + 1] === "\n") {
      code += " ";
      line++;
      i++;
      continue;
    }
    if (first === -1 && ch.trim()) {
      first = line;
      topLevel = i === 0 || text[i - 1] === "\n";
    }
    if (QUOTES.has(ch)) {
      quote = ch;
      triple = text.startsWith(ch.repeat(3), i);
      code += triple ? ch.repeat(3) : ch;
      if (triple) i += 2;
      continue;
    }
    if ("([{".includes(ch)) depth++;
    else if (")]}".includes(ch)) depth = Math.max(0, depth - 1);
    code += ch;
  }
  finish();
  return out;
}
