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

/** How a file's bytes encode its text: UTF-8 unless it starts with a UTF-16 byte-order mark (Windows tools write those, `pip freeze > requirements.txt` in PowerShell). */
export type FileEncoding = "utf8" | "utf16le" | "utf16be";

/** A file's text and encoding; a UTF-16 file's BOM stays in the text as U+FEFF (normalizeText takes it off and applyTextStyle puts it back). */
export function decodeFile(bytes: Buffer): { raw: string; encoding: FileEncoding } {
  const encoding: FileEncoding = bytes[0] === 0xff && bytes[1] === 0xfe ? "utf16le" : bytes[0] === 0xfe && bytes[1] === 0xff ? "utf16be" : "utf8";
  if (encoding === "utf8") return { raw: bytes.toString("utf8"), encoding };
  return { raw: new TextDecoder(encoding === "utf16le" ? "utf-16le" : "utf-16be", { ignoreBOM: true }).decode(bytes), encoding };
}

/** The bytes of a text in a file's encoding (see decodeFile). */
export function encodeFile(text: string, encoding: FileEncoding = "utf8"): Buffer {
  if (encoding === "utf8") return Buffer.from(text, "utf8");
  const little = Buffer.from(text, "utf16le");
  return encoding === "utf16le" ? little : little.swap16();
}
