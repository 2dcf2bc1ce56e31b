/**
 * JSON-with-comments (tsconfig.json, jsconfig.json) as plain JSON: `//` and `/* *\/` comments and
 * trailing commas become spaces, strings are left alone, and every offset and line stays where it was.
 */
export function stripJsonComments(text: string): string {
  const out = text.split("");
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== "\n" && out[k] !== "\r") out[k] = " ";
  };
  let lastComma = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      i = endOfString(text, i);
      lastComma = -1;
    } else if (ch === "/" && text[i + 1] === "/") {
      const end = text.indexOf("\n", i);
      const stop = end === -1 ? text.length : end;
      blank(i, stop);
      i = stop - 1;
    } else if (ch === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end === -1 ? text.length : end + 2;
      blank(i, stop);
      i = stop - 1;
    } else if (ch === ",") {
      lastComma = i;
    } else if (ch === "}" || ch === "]") {
      if (lastComma !== -1) out[lastComma] = " ";
      lastComma = -1;
    } else if (!/\s/.test(ch)) {
      lastComma = -1;
    }
  }
  return out.join("");
}

/** Index of the closing quote of the string opening at `start` (or the text's end when unterminated). */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"' || text[i] === "\n") return i;
  }
  return text.length;
}
