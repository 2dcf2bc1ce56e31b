import { parseSource, walk, type ParsedSource } from "./parse.js";
import { applyEdits, convertIndentUnit, type TextEdit } from "../../text-edits.js";

/** How a file writes code, so inserted code matches it. */
export interface CodeStyle {
  /** One indentation level: "  ", "    " or "\t". */
  indent: string;
  quote: '"' | "'";
  semicolons: boolean;
}

export const DEFAULT_CODE_STYLE: CodeStyle = { indent: "  ", quote: '"', semicolons: true };

/** The most common step by which indentation grows from one code line to the next. */
function detectIndentUnit(text: string): string {
  const counts = new Map<string, number>();
  let previous = "";
  for (const line of text.split("\n")) {
    if (line.trim() === "" || /^\s*\*/.test(line)) continue;
    const indent = /^[ \t]*/.exec(line)![0];
    if (indent.length > previous.length && indent.startsWith(previous)) {
      const step = indent.startsWith("\t") ? "\t" : indent.slice(previous.length);
      if (/^( +|\t)$/.test(step)) counts.set(step, (counts.get(step) ?? 0) + 1);
    }
    previous = indent;
  }
  let best = DEFAULT_CODE_STYLE.indent;
  let bestCount = 0;
  for (const [step, count] of counts) {
    if (count > bestCount) [best, bestCount] = [step, count];
  }
  return best;
}

/** Quote and semicolon habits from the module's import and top-level statements. */
export function detectCodeStyle(source: ParsedSource): CodeStyle {
  let single = 0;
  let double = 0;
  let withSemi = 0;
  let withoutSemi = 0;
  for (const statement of source.program.body) {
    if (statement.type === "ImportDeclaration") {
      if (source.text[statement.source.start ?? 0] === "'") single++;
      else double++;
    }
    if (["ImportDeclaration", "ExportNamedDeclaration", "VariableDeclaration", "ExpressionStatement"].includes(statement.type)) {
      if (statement.type === "ExportNamedDeclaration" && statement.declaration && statement.declaration.type !== "VariableDeclaration") continue;
      if (source.text[(statement.end ?? 1) - 1] === ";") withSemi++;
      else withoutSemi++;
    }
  }
  return {
    indent: detectIndentUnit(source.text),
    quote: single > double ? "'" : '"',
    semicolons: withSemi >= withoutSemi,
  };
}

/** A string literal's source in the given quote. */
export function quoteString(value: string, quote: '"' | "'"): string {
  const escaped = value
    .replace(/\\/g, "\\\\")
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(new RegExp(quote, "g"), `\\${quote}`);
  return `${quote}${escaped}${quote}`;
}

const STATEMENTS_ENDING_IN_SEMICOLON = new Set(["ExpressionStatement", "VariableDeclaration", "ReturnStatement", "ThrowStatement", "BreakStatement", "ContinueStatement"]);

/**
 * Rewrites an expression written in the default style (two-space indent, double quotes,
 * semicolons) into another file's style.
 */
export function restyleExpression(code: string, style: CodeStyle): string {
  const wrapped = parseSource(`(${code})`);
  const edits: TextEdit[] = [];
  for (const node of walk(wrapped.program)) {
    const start = (node.start ?? 0) - 1;
    const end = (node.end ?? 0) - 1;
    if (node.type === "StringLiteral" && style.quote !== '"' && node.extra?.raw !== undefined) {
      edits.push({ start, end, text: quoteString(node.value, style.quote) });
    }
    if (!style.semicolons && STATEMENTS_ENDING_IN_SEMICOLON.has(node.type) && code[end - 1] === ";") {
      edits.push({ start: end - 1, end, text: "" });
    }
  }
  return convertIndentUnit(applyEdits(code, edits), style.indent);
}
