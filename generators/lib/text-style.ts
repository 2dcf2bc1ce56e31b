/** The byte-level style of a text file that edits must keep: BOM, line ending, final newline. */
export interface TextStyle {
  bom: boolean;
  eol: "\n" | "\r\n";
  finalNewline: boolean;
}

const BOM = "\uFEFF";

/** Splits raw file text into its style and LF-only, BOM-less content that editors work on. */
export function normalizeText(raw: string): { text: string; style: TextStyle } {
  const bom = raw.startsWith(BOM);
  const body = bom ? raw.slice(1) : raw;
  const crlf = (body.match(/\r\n/g) ?? []).length;
  const lf = (body.match(/\n/g) ?? []).length;
  // A file counts as CRLF when most of its line breaks are CRLF.
  const eol = crlf > 0 && crlf * 2 >= lf ? "\r\n" : "\n";
  const text = body.replace(/\r\n/g, "\n");
  return { text, style: { bom, eol, finalNewline: text.length === 0 || text.endsWith("\n") } };
}

/** Applies a file's original style to LF-only edited text: its line endings, BOM and final-newline state. */
export function applyTextStyle(text: string, style: TextStyle): string {
  let out = text;
  if (!style.finalNewline) out = out.replace(/\n+$/, "");
  else if (out.length > 0 && !out.endsWith("\n")) out += "\n";
  if (style.eol === "\r\n") out = out.replace(/\r?\n/g, "\r\n");
  return (style.bom ? BOM : "") + out;
}

/** Style for files this tool creates: LF, no BOM, final newline. */
export const DEFAULT_STYLE: TextStyle = { bom: false, eol: "\n", finalNewline: true };
