import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatEnvValue, mergeEnvContent, parseEnv } from "../../generators/lib/editors/env.js";
import { keepsLines } from "../helpers/keeps-lines.js";
import { userError } from "../helpers/user-error.js";

const FILE = "frontend/.env.local";
const entries = [
  { key: "BETTER_AUTH_SECRET", value: "abc" },
  { key: "BETTER_AUTH_URL", value: "http://localhost:3000" },
];

describe("parseEnv", () => {
  it("reads plain, exported, quoted and commented values", () => {
    const env = parseEnv(`# comment\nA=1\nexport B=two\nC="x y\\n"\nD='lit $x'\nE=bare # note\n\nF=\nG = spaced  \nH=a#b\n`, FILE);
    expect(Object.fromEntries(env)).toEqual({ A: "1", B: "two", C: "x y\n", D: "lit $x", E: "bare", F: "", G: "spaced", H: "a#b" });
  });

  it("reads quoted values that run over several lines, and comments after a closing quote", () => {
    const env = parseEnv(`KEY="-----BEGIN-----\nabc\n-----END-----" # pem\nNEXT='a\nb'\nLAST=1\n`, FILE);
    expect(Object.fromEntries(env)).toEqual({ KEY: "-----BEGIN-----\nabc\n-----END-----", NEXT: "a\nb", LAST: "1" });
  });

  it("treats # after whitespace as a comment, and # inside a bare word as part of the value", () => {
    expect(Object.fromEntries(parseEnv("A= # note\nB=#x\nC=x # y # z\n", FILE))).toEqual({ A: "", B: "#x", C: "x" });
  });

  it("lets the last assignment of a key win", () => {
    expect(parseEnv("A=1\nA=2\n", FILE).get("A")).toBe("2");
  });

  it("names the file and line of a line that is not KEY=value", () => {
    expect(() => parseEnv("A=1\n\n# c\noops\n", FILE)).toThrow('frontend/.env.local:4: expected KEY=value, a comment or a blank line');
    const error = userError(() => parseEnv("A=1\nthis is not an env line\n", FILE));
    expect([error.file, error.line, error.reason]).toEqual([FILE, 2, 'expected KEY=value, a comment or a blank line']);
    // An env line may be a secret: the message never repeats it.
    expect(error.message).not.toContain("this is not");
  });

  it("refuses keys that are not variable names, bare words and a lone export", () => {
    expect(userError(() => parseEnv("1A=2\n", FILE)).line).toBe(1);
    expect(userError(() => parseEnv("A=1\nB\n", FILE)).line).toBe(2);
    expect(userError(() => parseEnv("export\n", FILE)).line).toBe(1);
  });

  it("refuses an unclosed quote at the line it opens on", () => {
    expect(userError(() => parseEnv('A=1\nB="unclosed\nC=3\n', FILE)).message).toBe("frontend/.env.local:2: B: the value's closing \" is missing");
    expect(userError(() => parseEnv("A='x\n", FILE)).line).toBe(1);
  });

  it("refuses text after a closing quote", () => {
    expect(userError(() => parseEnv('A=1\nB="x" y\n', FILE)).message).toBe("frontend/.env.local:2: B: unexpected text after the quoted value");
  });
});

describe("formatEnvValue", () => {
  it("writes safe values bare and quotes the rest so they read back", () => {
    expect(formatEnvValue("http://localhost:3000/api")).toBe("http://localhost:3000/api");
    expect(formatEnvValue("a b $x")).toBe("'a b $x'");
    expect(formatEnvValue("it's\nmulti")).toBe('"it\'s\\nmulti"');
    expect(formatEnvValue("")).toBe("");
  });

  it("round-trips any value through parseEnv (property)", () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        expect(parseEnv(`K=${formatEnvValue(value)}\n`, FILE).get("K")).toBe(value);
      }),
    );
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

  it("adds a key given twice only once, the first value winning", () => {
    expect(mergeEnvContent("", [{ key: "A", value: "1" }, { key: "A", value: "2" }], { file: FILE })).toBe("A=1\n");
  });

  it("with overwrite, replaces only the value in place, keeping export, spacing and the inline comment", () => {
    expect(mergeEnvContent("X=1\nexport BETTER_AUTH_URL = old # note\nY=2\n", entries.slice(1), { file: FILE, overwrite: true })).toBe(
      "X=1\nexport BETTER_AUTH_URL = http://localhost:3000 # note\nY=2\n",
    );
  });

  it("with overwrite, replaces a multi-line quoted value and leaves an equal value's quoting alone", () => {
    expect(mergeEnvContent('A="x\ny"\nB=1\n', [{ key: "A", value: "z" }], { file: FILE, overwrite: true })).toBe("A=z\nB=1\n");
    expect(mergeEnvContent("A='z'\n", [{ key: "A", value: "z" }], { file: FILE, overwrite: true })).toBe("A='z'\n");
  });

  it("with overwrite, edits the assignment that wins (the last)", () => {
    expect(mergeEnvContent("A=1\nA=2\n", [{ key: "A", value: "3" }], { file: FILE, overwrite: true })).toBe("A=1\nA=3\n");
  });

  it("quotes values that need it", () => {
    const out = mergeEnvContent("", [{ key: "K", value: 'a b"c' }, { key: "Q", value: "it's" }], { file: FILE });
    expect(out).toBe("K='a b\"c'\nQ=\"it's\"\n");
    expect(Object.fromEntries(parseEnv(out, FILE))).toEqual({ K: 'a b"c', Q: "it's" });
  });

  it("refuses malformed input with file and line", () => {
    expect(() => mergeEnvContent("A=1\n???\n", entries, { file: FILE })).toThrow('frontend/.env.local:2: expected KEY=value, a comment or a blank line');
    expect(() => mergeEnvContent('A="open\n', entries, { file: FILE })).toThrow("frontend/.env.local:1:");
  });

  const key = fc.constantFrom<string>("A", "B_2", "BETTER_AUTH_URL", "BETTER_AUTH_SECRET", "NEXT_PUBLIC_API_URL");
  const value = fc.oneof(fc.stringMatching(/^[a-z0-9:/.]{0,12}$/), fc.string({ maxLength: 8 }));
  const envLine = fc.oneof(
    fc.constant(""),
    fc.stringMatching(/^# [^\n]{0,20}$/),
    fc.tuple(key, fc.stringMatching(/^[a-z0-9:/.]{0,12}$/)).map(([k, v]) => `${k}=${v}`),
    fc.tuple(key, fc.stringMatching(/^[a-z0-9 $]{0,8}$/)).map(([k, v]) => `export ${k}='${v}' # c`),
    fc.tuple(key, fc.stringMatching(/^[a-z0-9]{0,8}$/)).map(([k, v]) => `${k}="${v}\\n"`),
  );
  const files = fc.tuple(fc.array(envLine, { maxLength: 12 }), fc.boolean()).map(([lines, nl]) => lines.join("\n") + (nl && lines.length > 0 ? "\n" : ""));
  const wanted = fc.array(fc.record({ key, value }), { maxLength: 4 });

  it("keeps every original line in order, keeps existing values, keeps the final newline, and is idempotent (property)", () => {
    fc.assert(
      fc.property(files, wanted, (text, add) => {
        const once = mergeEnvContent(text, add, { file: FILE });
        expect(keepsLines(text, once)).toBe(true);
        expect(once.endsWith("\n")).toBe(text === "" ? add.length > 0 : text.endsWith("\n"));
        expect(mergeEnvContent(once, add, { file: FILE })).toBe(once);
        const before = parseEnv(text, FILE);
        const after = parseEnv(once, FILE);
        for (const { key: k } of add) expect(after.get(k)).toBe(before.has(k) ? before.get(k) : add.find((e) => e.key === k)!.value);
      }),
    );
  });

  it("with overwrite, keeps every line but the edited assignments, sets every value, and is idempotent (property)", () => {
    fc.assert(
      fc.property(files, wanted, (text, add) => {
        const once = mergeEnvContent(text, add, { file: FILE, overwrite: true });
        const keys = new Set(add.map((e) => e.key));
        const untouched = text.split("\n").filter((line) => !keys.has(/^(?:export )?([A-Z_0-9]+)=/.exec(line)?.[1] ?? ""));
        expect(keepsLines(untouched, once)).toBe(true);
        expect(mergeEnvContent(once, add, { file: FILE, overwrite: true })).toBe(once);
        const after = parseEnv(once, FILE);
        for (const k of keys) expect(after.get(k)).toBe(add.find((e) => e.key === k)!.value);
      }),
    );
  });
});
