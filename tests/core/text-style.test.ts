import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applyTextStyle, normalizeText } from "../../generators/lib/text-style.js";

describe("text style", () => {
  it("strips CRLF and BOM for editors and puts them back on write", () => {
    const raw = "\uFEFFa=1\r\nb=2\r\n";
    const { text, style } = normalizeText(raw);
    expect(text).toBe("a=1\nb=2\n");
    expect(style).toEqual({ bom: true, eol: "\r\n", finalNewline: true });
    expect(applyTextStyle(`${text}c=3\n`, style)).toBe("\uFEFFa=1\r\nb=2\r\nc=3\r\n");
  });

  it("keeps a missing final newline missing", () => {
    const { text, style } = normalizeText("a=1\nb=2");
    expect(applyTextStyle(`${text}\nc=3\n`, style)).toBe("a=1\nb=2\nc=3");
  });

  it("round-trips any text unchanged when nothing is edited", () => {
    const line = fc.stringMatching(/^[^\r\n]*$/);
    fc.assert(
      fc.property(fc.array(line), fc.boolean(), fc.boolean(), fc.boolean(), (lines, crlf, bom, finalNl) => {
        const eol = crlf ? "\r\n" : "\n";
        const raw = (bom ? "\uFEFF" : "") + lines.join(eol) + (finalNl && lines.length > 0 ? eol : "");
        const { text, style } = normalizeText(raw);
        if (lines.length > 1) expect(applyTextStyle(text, style)).toBe(raw);
      }),
    );
  });
});
