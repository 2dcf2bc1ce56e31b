import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mergeEnvContent, parseEnv } from "../../generators/lib/editors/env.js";

const FILE = "frontend/.env.local";
const entries = [
  { key: "BETTER_AUTH_SECRET", value: "abc" },
  { key: "BETTER_AUTH_URL", value: "http://localhost:3000" },
];

describe("parseEnv", () => {
  it("reads plain, exported, quoted and commented values", () => {
    const env = parseEnv(`# comment\nA=1\nexport B=two\nC="x y\\n"\nD='lit $x'\nE=bare # note\n\nF=\n`, FILE);
    expect(Object.fromEntries(env)).toEqual({ A: "1", B: "two", C: "x y\n", D: "lit $x", E: "bare", F: "" });
  });

  it("names the file and line of a line that is not KEY=value", () => {
    expect(() => parseEnv("A=1\nthis is not an env line\n", FILE)).toThrow('frontend/.env.local:2: expected KEY=value, got "this is not an env line"');
    expect(() => parseEnv('A="unclosed\n', FILE)).toThrow(/:1:/);
  });
});

describe("mergeEnvContent", () => {
  it("appends missing keys and keeps every existing line and value", () => {
    const text = "# app\nBETTER_AUTH_URL=https://app.example.com\nOTHER=1\n";
    expect(mergeEnvContent(text, entries, { file: FILE })).toBe(`${text}BETTER_AUTH_SECRET=abc\n`);
  });

  it("creates content for an empty file", () => {
    expect(mergeEnvContent("", entries, { file: FILE })).toBe("BETTER_AUTH_SECRET=abc\nBETTER_AUTH_URL=http://localhost:3000\n");
  });

  it("keeps a missing final newline missing", () => {
    expect(mergeEnvContent("A=1", entries.slice(0, 1), { file: FILE })).toBe("A=1\nBETTER_AUTH_SECRET=abc");
  });

  it("replaces only the value with overwrite, keeping export and comments", () => {
    expect(mergeEnvContent("export BETTER_AUTH_URL=old # note\n", entries.slice(1), { file: FILE, overwrite: true })).toBe("export BETTER_AUTH_URL=http://localhost:3000\n");
  });

  it("quotes values that need it", () => {
    expect(mergeEnvContent("", [{ key: "K", value: 'a b"c' }], { file: FILE })).toBe('K="a b\\"c"\n');
    expect(parseEnv(mergeEnvContent("", [{ key: "K", value: 'a b"c' }], { file: FILE }), FILE).get("K")).toBe('a b"c');
  });

  it("refuses malformed input with file and line", () => {
    expect(() => mergeEnvContent("A=1\n???\n", entries, { file: FILE })).toThrow("frontend/.env.local:2");
  });

  const envLine = fc.oneof(
    fc.constant(""),
    fc.stringMatching(/^# [^\n]{0,20}$/),
    fc.tuple(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/), fc.stringMatching(/^[a-z0-9:/.]{0,12}$/)).map(([k, v]) => `${k}=${v}`),
  );

  it("keeps every original line, in order, and is idempotent (property)", () => {
    fc.assert(
      fc.property(fc.array(envLine, { maxLength: 12 }), fc.boolean(), (lines, finalNewline) => {
        const text = lines.join("\n") + (finalNewline && lines.length > 0 ? "\n" : "");
        const once = mergeEnvContent(text, entries, { file: FILE });
        expect(once.startsWith(text.endsWith("\n") || text === "" ? text : `${text}\n`)).toBe(true);
        expect(mergeEnvContent(once, entries, { file: FILE })).toBe(once);
        const parsed = parseEnv(once, FILE);
        for (const { key } of entries) expect(parsed.has(key)).toBe(true);
      }),
    );
  });
});
