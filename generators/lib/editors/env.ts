import { UserInputError } from "../errors.js";

/** One `KEY=value` assignment as written in the file. */
interface EnvAssignment {
  key: string;
  value: string;
  /** 0-based index of the line the assignment starts on, and of the line it ends on (quoted values may span lines). */
  firstLine: number;
  lastLine: number;
  /** Offsets of the raw value (quotes included) within the joined text of its lines. */
  valueStart: number;
  valueEnd: number;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const ASSIGNMENT = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_.-]*)(\s*=)/;
const DOUBLE_QUOTE_ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };

/** A quoted value's text and where it ends, or null when its closing quote is missing. */
function readQuoted(rest: string, quote: "'" | '"'): { value: string; end: number } | null {
  let value = "";
  for (let i = 1; i < rest.length; i++) {
    const char = rest[i];
    if (char === quote) return { value, end: i + 1 };
    if (quote === '"' && char === "\\" && i + 1 < rest.length) {
      const escaped = DOUBLE_QUOTE_ESCAPES[rest[i + 1]];
      value += escaped ?? `\\${rest[i + 1]}`;
      i++;
      continue;
    }
    value += char;
  }
  return null;
}


/** Every assignment in a dotenv file, in order; anything that is not blank, a comment or KEY=value throws. */
function scanEnv(text: string, file: string): EnvAssignment[] {
  const lines = text.split("\n");
  const assignments: EnvAssignment[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^\s*(#.*)?$/.test(line)) continue;
    const head = ASSIGNMENT.exec(line);
    // The line itself is not shown: env files hold secrets, and error messages end up in CI logs.
    if (!head) throw new UserInputError("expected KEY=value, a comment or a blank line", file, i + 1);
    const key = head[2];
    const valueStart = head[0].length + /^[ \t]*/.exec(line.slice(head[0].length))![0].length;
    const firstChar = line[valueStart];
    if (firstChar === '"' || firstChar === "'") {
      // A quoted value may run over several lines, as dotenv allows.
      let lastLine = i;
      let joined = line;
      let quoted = readQuoted(joined.slice(valueStart), firstChar);
      while (!quoted && lastLine + 1 < lines.length) {
        lastLine++;
        joined += `\n${lines[lastLine]}`;
        quoted = readQuoted(joined.slice(valueStart), firstChar);
      }
      if (!quoted) throw new UserInputError(`${key}: the value's closing ${firstChar} is missing`, file, i + 1);
      const after = joined.slice(valueStart + quoted.end);
      if (!/^\s*(\s#.*)?$/.test(after) && !/^\s*#/.test(after)) {
        throw new UserInputError(`${key}: unexpected text after the quoted value`, file, lastLine + 1);
      }
      assignments.push({ key, value: quoted.value, firstLine: i, lastLine, valueStart, valueEnd: valueStart + quoted.end });
      i = lastLine;
      continue;
    }
    // Unquoted: an inline comment starts at whitespace followed by # (`KEY= # note` is empty).
    const rest = line.slice(valueStart);
    const comment = valueStart > head[0].length && rest.startsWith("#") ? { index: 0 } : /\s#/.exec(rest);
    const raw = (comment ? rest.slice(0, comment.index) : rest).trimEnd();
    assignments.push({ key, value: raw, firstLine: i, lastLine: i, valueStart, valueEnd: valueStart + raw.length });
  }
  return assignments;
}

/** Parses dotenv text into its variables (the last assignment of a key wins); malformed lines throw naming file and line. */
export function parseEnv(text: string, file: string): Map<string, string> {
  return new Map(scanEnv(text, file).map((a) => [a.key, a.value]));
}

/** A value written so that parseEnv reads it back exactly: bare when safe, else single or double quotes. */
export function formatEnvValue(value: string): string {
  if (/^[A-Za-z0-9_\-.:/@+=,%~^]*$/.test(value)) return value;
  if (!/['\n\r]/.test(value)) return `'${value}'`;
  const escaped = value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r");
  return `"${escaped}"`;
}

export interface MergeEnvOptions {
  /** The file's repo-relative path, for error messages. */
  file: string;
  /** Replace the value of keys already present (in place, keeping `export`, spacing and inline comments). */
  overwrite?: boolean;
}

/** Replaces the value of one assignment in place: only its value text changes. */
function replaceValue(lines: string[], assignment: EnvAssignment, value: string): string[] {
  const joined = lines.slice(assignment.firstLine, assignment.lastLine + 1).join("\n");
  const edited = joined.slice(0, assignment.valueStart) + formatEnvValue(value) + joined.slice(assignment.valueEnd);
  return [...lines.slice(0, assignment.firstLine), ...edited.split("\n"), ...lines.slice(assignment.lastLine + 1)];
}

/**
 * Merges variables into dotenv text (text in → text out): keys already present keep their value
 * (or, with `overwrite`, get the new value in place); missing keys are appended at the end as
 * KEY=value lines. Every other line is kept; the final-newline state is kept.
 */
export function mergeEnvContent(text: string, entries: Array<{ key: string; value: string }>, opts: MergeEnvOptions): string {
  scanEnv(text, opts.file);
  let lines = text.length === 0 ? [] : text.split("\n");
  const finalNewline = text.length === 0 || text.endsWith("\n");
  if (finalNewline && lines.length > 0) lines.pop();
  const seen = new Set<string>();
  const appended: string[] = [];
  for (const { key, value } of entries) {
    if (!KEY.test(key)) throw new Error(`mergeEnvContent: invalid variable name ${JSON.stringify(key)}`);
    if (seen.has(key)) continue;
    seen.add(key);
    const existing = scanEnv(lines.join("\n"), opts.file).filter((a) => a.key === key).pop();
    if (!existing) appended.push(`${key}=${formatEnvValue(value)}`);
    else if (opts.overwrite && existing.value !== value) lines = replaceValue(lines, existing, value);
  }
  lines.push(...appended);
  const out = lines.join("\n") + (finalNewline && lines.length > 0 ? "\n" : "");
  const parsed = parseEnv(out, opts.file);
  for (const { key } of entries) {
    if (!parsed.has(key)) throw new Error(`mergeEnvContent: ${key} missing from the merged ${opts.file}`);
  }
  return out;
}

/**
 * Removes every assignment of the given keys from dotenv text (text in → text out): their lines
 * go (all of them, for a quoted value spanning several); every other line and the final-newline
 * state are kept. Keys that are absent change nothing.
 */
export function removeEnvKeys(text: string, keys: string[], opts: { file: string }): string {
  const drop = new Set<number>();
  for (const a of scanEnv(text, opts.file)) {
    if (!keys.includes(a.key)) continue;
    for (let line = a.firstLine; line <= a.lastLine; line++) drop.add(line);
  }
  if (drop.size === 0) return text;
  const out = text.split("\n").filter((_, i) => !drop.has(i)).join("\n");
  const left = parseEnv(out, opts.file);
  for (const key of keys) if (left.has(key)) throw new Error(`removeEnvKeys: ${key} is still set in ${opts.file}`);
  return out;
}

/** The 1-based line of the assignment of `key` that wins (the last one), or undefined when the text does not set it. */
export function envKeyLine(text: string, key: string, file: string): number | undefined {
  const assignment = scanEnv(text, file).filter((a) => a.key === key).pop();
  return assignment === undefined ? undefined : assignment.firstLine + 1;
}
