import { UserInputError } from "../errors.js";

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

interface EnvLine {
  key: string;
  value: string;
}

/** Unquotes a dotenv value: 'single' is literal, "double" understands \n \t \" \\, bare stops at " #". */
function parseValue(raw: string): string | null {
  const value = raw.trim();
  const quote = value[0];
  if (quote === "'" || quote === '"' || quote === "`") {
    let end = 1;
    while (end < value.length && value[end] !== quote) end += quote === '"' && value[end] === "\\" ? 2 : 1;
    if (end >= value.length) return null;
    const rest = value.slice(end + 1).trim();
    if (rest !== "" && !rest.startsWith("#")) return null;
    const inner = value.slice(1, end);
    return quote === '"' ? inner.replace(/\\([nrt"\\])/g, (_m, c: string) => ({ n: "\n", r: "\r", t: "\t" })[c] ?? c) : inner;
  }
  return value.replace(/\s+#.*$/, "");
}

/** One dotenv line: null for blank and comment lines, the pair for KEY=value, "invalid" otherwise. */
function parseLine(line: string): EnvLine | null | "invalid" {
  const trimmed = line.trim();
  if (trimmed === "" || trimmed.startsWith("#")) return null;
  const match = /^(?:export\s+)?([^=\s]+)\s*=(.*)$/.exec(trimmed);
  if (!match || !KEY.test(match[1])) return "invalid";
  const value = parseValue(match[2]);
  return value === null ? "invalid" : { key: match[1], value };
}

/** Parses dotenv text into its keys and values; a line that is not KEY=value, blank or a comment is an error naming file and line. */
export function parseEnv(text: string, file: string): Map<string, string> {
  const out = new Map<string, string>();
  text.split("\n").forEach((line, index) => {
    const parsed = parseLine(line);
    if (parsed === "invalid") {
      const shown = line.length > 40 ? `${line.slice(0, 40)}…` : line;
      throw new UserInputError(`expected KEY=value, got ${JSON.stringify(shown)}`, file, index + 1);
    }
    if (parsed) out.set(parsed.key, parsed.value);
  });
  return out;
}

/** A value as dotenv writes it: bare when safe, else double-quoted with escapes. */
export function formatEnvValue(value: string): string {
  if (/^[A-Za-z0-9_./:@+,=%~-]*$/.test(value) && !value.includes(" #")) return value;
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

/** Replaces the value part of an existing KEY= line, keeping `export` and the key's spelling. */
function replaceValue(line: string, value: string): string {
  return line.replace(/^(\s*(?:export\s+)?[^=\s]+\s*=).*$/, `$1${formatEnvValue(value)}`);
}

/**
 * Merges entries into dotenv text: keys already present keep their value (unless `overwrite`,
 * which replaces just the value in place); missing keys are appended at the end.
 */
export function mergeEnvContent(text: string, entries: Array<{ key: string; value: string }>, opts: { file: string; overwrite?: boolean }): string {
  const existing = parseEnv(text, opts.file);
  let lines = text === "" ? [] : text.replace(/\n$/, "").split("\n");
  if (opts.overwrite) {
    lines = lines.map((line) => {
      const parsed = parseLine(line);
      if (!parsed || parsed === "invalid") return line;
      const entry = entries.find((e) => e.key === parsed.key);
      return entry && entry.value !== parsed.value ? replaceValue(line, entry.value) : line;
    });
  }
  const added = entries.filter((e, i) => !existing.has(e.key) && entries.findIndex((f) => f.key === e.key) === i);
  lines.push(...added.map((e) => `${e.key}=${formatEnvValue(e.value)}`));
  const finalNewline = text === "" || text.endsWith("\n");
  const out = lines.length === 0 ? "" : `${lines.join("\n")}${finalNewline ? "\n" : ""}`;
  parseEnv(out, opts.file);
  return out;
}
