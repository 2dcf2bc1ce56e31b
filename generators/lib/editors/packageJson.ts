import { parseJsonObject, isObject } from "../detect/json-file.js";
import { UserInputError } from "../errors.js";

interface Member {
  key: string;
  keyStart: number;
  valueStart: number;
  valueEnd: number;
}

interface ObjectSpan {
  open: number;
  close: number;
  members: Member[];
}

/** Index just past the JSON value starting at `i` (text already validated by JSON.parse). */
function skipValue(text: string, i: number): number {
  if (text[i] === '"') {
    for (i++; text[i] !== '"'; i++) if (text[i] === "\\") i++;
    return i + 1;
  }
  if (text[i] === "{" || text[i] === "[") {
    let depth = 0;
    for (; ; i++) {
      const c = text[i];
      if (c === '"') i = skipValue(text, i) - 1;
      else if (c === "{" || c === "[") depth++;
      else if ((c === "}" || c === "]") && --depth === 0) return i + 1;
    }
  }
  while (i < text.length && !/[,}\]\s]/.test(text[i])) i++;
  return i;
}

const skipSpace = (text: string, i: number): number => {
  while (/\s/.test(text[i] ?? "")) i++;
  return i;
};

/** The members of the JSON object whose `{` is at `open`, with their text positions. */
function objectSpan(text: string, open: number): ObjectSpan {
  const members: Member[] = [];
  let i = skipSpace(text, open + 1);
  while (text[i] !== "}") {
    const keyStart = i;
    const keyEnd = skipValue(text, i);
    const key = JSON.parse(text.slice(keyStart, keyEnd)) as string;
    const valueStart = skipSpace(text, skipSpace(text, keyEnd) + 1);
    const valueEnd = skipValue(text, valueStart);
    members.push({ key, keyStart, valueStart, valueEnd });
    i = skipSpace(text, valueEnd);
    if (text[i] === ",") i = skipSpace(text, i + 1);
  }
  return { open, close: i, members };
}

/** The file's indentation unit: the leading white space of its first indented line (two spaces by default). */
function detectIndent(text: string): string {
  return /\n([ \t]+)\S/.exec(text)?.[1] ?? "  ";
}

/** Leading white space of the line that holds offset `i`. */
function lineIndent(text: string, i: number): string {
  const start = text.lastIndexOf("\n", i - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

const entry = (key: string, value: string) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`;

/** Inserts one member into an object: in sorted position when its keys are sorted, else at the end; keeps the object's layout. */
function insertMember(text: string, span: ObjectSpan, [key, value]: [string, string], indent: string): string {
  if (span.members.length === 0) {
    const parentIndent = lineIndent(text, span.close);
    return `${text.slice(0, span.open)}{\n${parentIndent}${indent}${entry(key, value)}\n${parentIndent}}${text.slice(span.close + 1)}`;
  }
  const keys = span.members.map((m) => m.key);
  const sorted = keys.every((k, i) => i === 0 || keys[i - 1].localeCompare(k) <= 0);
  const multiLine = text.slice(span.open, span.members[0].keyStart).includes("\n");
  const separator = multiLine ? `,\n${lineIndent(text, span.members[0].keyStart)}` : ", ";
  const next = sorted ? span.members.find((m) => m.key.localeCompare(key) > 0) : undefined;
  if (next) return `${text.slice(0, next.keyStart)}${entry(key, value)}${separator}${text.slice(next.keyStart)}`;
  const at = span.members.at(-1)!.valueEnd;
  return `${text.slice(0, at)}${separator}${entry(key, value)}${text.slice(at)}`;
}

/** The span of the root object's `field` object; null when the root has no such member. */
function fieldSpan(text: string, file: string, field: string): ObjectSpan | null {
  const member = objectSpan(text, skipSpace(text, 0)).members.find((m) => m.key === field);
  if (!member) return null;
  if (text[member.valueStart] !== "{") throw new UserInputError(`"${field}" must be an object`, file);
  return objectSpan(text, member.valueStart);
}

/** Appends a new `field` object holding the additions (sorted) as the root object's last member. */
function appendField(text: string, field: string, additions: Array<[string, string]>, indent: string): string {
  const root = objectSpan(text, skipSpace(text, 0));
  const body = [...additions].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${indent}${indent}${entry(k, v)}`).join(",\n");
  const block = `${JSON.stringify(field)}: {\n${body}\n${indent}}`;
  if (root.members.length === 0) return `${text.slice(0, root.open)}{\n${indent}${block}\n}${text.slice(root.close + 1)}`;
  const at = root.members.at(-1)!.valueEnd;
  return `${text.slice(0, at)},\n${indent}${block}${text.slice(at)}`;
}

/** Adds missing members to the root object's `field` object (created at the end of the root when absent). */
function addToField(text: string, file: string, field: string, additions: Array<[string, string]>): string {
  if (additions.length === 0) return text;
  const indent = detectIndent(text);
  if (!fieldSpan(text, file, field)) return appendField(text, field, additions, indent);
  // One member at a time, re-reading the object: each insertion moves the offsets after it.
  return additions.reduce((out, addition) => insertMember(out, fieldSpan(out, file, field)!, addition, indent), text);
}

/**
 * Adds npm dependencies to package.json text: a package already in dependencies, devDependencies or
 * peerDependencies keeps its range; the rest go into `field`. Key order, indentation and final newline are kept.
 */
export function addPackageDependencies(text: string, deps: Record<string, string>, opts: { file: string; field?: "dependencies" | "devDependencies" }): string {
  const pkg = parseJsonObject(text, opts.file);
  const present = (name: string) => ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"].some((f) => isObject(pkg[f]) && name in (pkg[f] as object));
  const additions = Object.entries(deps).filter(([name]) => !present(name));
  const out = addToField(text, opts.file, opts.field ?? "dependencies", additions);
  parseJsonObject(out, opts.file);
  return out;
}

/** Adds package.json scripts that are not there yet; an existing script of the same name is the user's and stays. */
export function addPackageScripts(text: string, scripts: Record<string, string>, opts: { file: string }): string {
  const pkg = parseJsonObject(text, opts.file);
  const existing = isObject(pkg.scripts) ? pkg.scripts : {};
  const additions = Object.entries(scripts).filter(([name]) => !(name in existing));
  const out = addToField(text, opts.file, "scripts", additions);
  parseJsonObject(out, opts.file);
  return out;
}
