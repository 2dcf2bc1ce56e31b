import { UserInputError } from "../errors.js";
import { isObject, parseJsonObject } from "../formats/json.js";
import { lineIndent, lineOf } from "../text-offsets.js";

interface Member {
  key: string;
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
}

interface ObjectSpan {
  open: number;
  close: number;
  members: Member[];
}

/** The layout a file's objects use, mirrored in what we insert. */
interface Layout {
  /** One indentation step: two or four spaces, or a tab. */
  indent: string;
  /** What separates a key from its value (": ", ":"). */
  colon: string;
}

const DEPENDENCY_FIELDS = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"];

/** Index just past the JSON value starting at `i` (the text is already validated by JSON.parse). */
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
    members.push({ key, keyStart, keyEnd, valueStart, valueEnd });
    i = skipSpace(text, valueEnd);
    if (text[i] === ",") i = skipSpace(text, i + 1);
  }
  return { open, close: i, members };
}

const rootSpan = (text: string) => objectSpan(text, skipSpace(text, 0));

/** The last member satisfying `test`. */
const lastOf = (members: Member[], test: (m: Member) => boolean) => [...members].reverse().find(test);

/** 1-based line of offset `at`. */
/** Whether an object lays its members out one per line. */
const isMultiLine = (text: string, span: ObjectSpan) => text.slice(span.open, span.close).includes("\n");

/** The file's indentation step and colon spacing, read from the root object's first member (2 spaces and ": " by default). */
function detectLayout(text: string): Layout {
  const first = rootSpan(text).members[0];
  const colon = first ? text.slice(first.keyEnd, first.valueStart) : ": ";
  const indent = first && isMultiLine(text, rootSpan(text)) ? lineIndent(text, first.keyStart) : "";
  return { indent: indent || "  ", colon: colon.includes("\n") ? ": " : colon };
}

const entry = (key: string, value: string, layout: Layout) => `${JSON.stringify(key)}${layout.colon}${JSON.stringify(value)}`;

/** npm's order for dependency names. */
const compareKeys = (a: string, b: string) => a.localeCompare(b, "en");

/** Inserts one member into an object: in sorted position when its keys are sorted, else at the end; keeps the object's layout. */
function insertMember(text: string, span: ObjectSpan, [key, value]: [string, string], layout: Layout): string {
  if (span.members.length === 0) {
    const inner = text.slice(span.open + 1, span.close);
    if (!inner.includes("\n") && !isMultiLine(text, rootSpan(text))) return `${text.slice(0, span.open)}{${entry(key, value, layout)}}${text.slice(span.close + 1)}`;
    const parentIndent = lineIndent(text, span.open);
    return `${text.slice(0, span.open)}{\n${parentIndent}${layout.indent}${entry(key, value, layout)}\n${parentIndent}}${text.slice(span.close + 1)}`;
  }
  const keys = span.members.map((m) => m.key);
  const sorted = keys.every((k, i) => i === 0 || compareKeys(keys[i - 1], k) <= 0);
  const first = span.members[0];
  // The white space before the first key is what separates members: "\n    " or " " or "".
  const separator = `,${text.slice(span.open + 1, first.keyStart)}`;
  const next = sorted ? span.members.find((m) => compareKeys(m.key, key) > 0) : undefined;
  if (next) return `${text.slice(0, next.keyStart)}${entry(key, value, layout)}${separator}${text.slice(next.keyStart)}`;
  const at = span.members.at(-1)!.valueEnd;
  return `${text.slice(0, at)}${separator}${entry(key, value, layout)}${text.slice(at)}`;
}

/** The span of the root object's `field` object; null when the root has no such member. */
function fieldSpan(text: string, file: string, field: string): ObjectSpan | null {
  // JSON.parse keeps the last of duplicate keys, so edit that one.
  const member = lastOf(rootSpan(text).members, (m) => m.key === field);
  if (!member) return null;
  if (text[member.valueStart] !== "{") throw new UserInputError(`"${field}" must be an object`, file, lineOf(text, member.valueStart));
  return objectSpan(text, member.valueStart);
}

/** Where a new root member goes: next to the field it belongs with (devDependencies after dependencies...), else last. */
const NEIGHBOURS: Record<string, { after?: string[]; before?: string[] }> = {
  scripts: { before: ["dependencies", "devDependencies"] },
  dependencies: { after: ["scripts"], before: ["devDependencies"] },
  devDependencies: { after: ["dependencies"] },
};

/** Adds a new `field` object holding the additions (sorted) to the root object, in the file's layout. */
function addField(text: string, field: string, additions: Array<[string, string]>, layout: Layout): string {
  const root = rootSpan(text);
  const multiLine = root.members.length === 0 ? text.slice(root.open, root.close).includes("\n") || root.open === root.close - 1 : isMultiLine(text, root);
  const sortedAdditions = [...additions].sort(([a], [b]) => compareKeys(a, b));
  // A one-line object keeps its own spacing after commas ("," or ", ").
  const inlineSeparator = root.members.length > 0 ? `,${text.slice(root.open + 1, root.members[0].keyStart)}` : ",";
  const block = multiLine
    ? `${JSON.stringify(field)}${layout.colon}{\n${sortedAdditions.map(([k, v]) => `${layout.indent}${layout.indent}${entry(k, v, layout)}`).join(",\n")}\n${layout.indent}}`
    : `${JSON.stringify(field)}${layout.colon}{${sortedAdditions.map(([k, v]) => entry(k, v, layout)).join(inlineSeparator)}}`;
  if (root.members.length === 0) {
    return multiLine ? `${text.slice(0, root.open)}{\n${layout.indent}${block}\n}${text.slice(root.close + 1)}` : `${text.slice(0, root.open)}{${block}}${text.slice(root.close + 1)}`;
  }
  const separator = multiLine ? `,\n${lineIndent(text, root.members[0].keyStart)}` : inlineSeparator;
  const { after = [], before = [] } = NEIGHBOURS[field] ?? {};
  const previous = lastOf(root.members, (m) => after.includes(m.key));
  const following = root.members.find((m) => before.includes(m.key));
  if (!previous && following) return `${text.slice(0, following.keyStart)}${block}${separator}${text.slice(following.keyStart)}`;
  const at = (previous ?? root.members.at(-1)!).valueEnd;
  return `${text.slice(0, at)}${separator}${block}${text.slice(at)}`;
}

/** Adds members to the root object's `field` object (created when absent), one at a time so offsets stay right. */
function addToField(text: string, file: string, field: string, additions: Array<[string, string]>): string {
  if (additions.length === 0) return text;
  const layout = detectLayout(text);
  if (!fieldSpan(text, file, field)) return addField(text, field, additions, layout);
  return additions.reduce((out, addition) => insertMember(out, fieldSpan(out, file, field)!, addition, layout), text);
}

/** Parses package.json text; a field that should be an object but is not is an error at its line. */
function parsePackage(text: string, file: string, fields: string[]): Record<string, unknown> {
  const pkg = parseJsonObject(text, file);
  for (const field of fields) if (field in pkg && !isObject(pkg[field])) fieldSpan(text, file, field);
  return pkg;
}

/**
 * Adds npm dependencies to package.json text (text in → text out): a package already in dependencies,
 * devDependencies, peerDependencies or optionalDependencies keeps its range; the rest go into `field`,
 * in sorted position when its keys are sorted. Key order, indentation and final newline are kept.
 */
export function addPackageDependencies(text: string, deps: Record<string, string>, opts: { file: string; field?: "dependencies" | "devDependencies" }): string {
  const pkg = parsePackage(text, opts.file, DEPENDENCY_FIELDS);
  const present = (name: string) => DEPENDENCY_FIELDS.some((f) => isObject(pkg[f]) && Object.hasOwn(pkg[f], name));
  const additions = Object.entries(deps).filter(([name]) => !present(name));
  const out = addToField(text, opts.file, opts.field ?? "dependencies", additions);
  parseJsonObject(out, opts.file);
  return out;
}

/** Adds package.json scripts that are not there yet (text in → text out); an existing script of the same name is the user's and stays. */
export function addPackageScripts(text: string, scripts: Record<string, string>, opts: { file: string }): string {
  const pkg = parsePackage(text, opts.file, ["scripts"]);
  const existing = isObject(pkg.scripts) ? pkg.scripts : {};
  const additions = Object.entries(scripts).filter(([name]) => !Object.hasOwn(existing, name));
  const out = addToField(text, opts.file, "scripts", additions);
  parseJsonObject(out, opts.file);
  return out;
}

/** Replaces the range of a dependency already in `field` (text in → text out); the rest of the file stays as it is. */
export function setDependencyRange(text: string, field: string, name: string, range: string, opts: { file: string }): string {
  parsePackage(text, opts.file, [field]);
  const member = lastOf(fieldSpan(text, opts.file, field)?.members ?? [], (m) => m.key === name);
  if (!member) return text;
  const out = `${text.slice(0, member.valueStart)}${JSON.stringify(range)}${text.slice(member.valueEnd)}`;
  parseJsonObject(out, opts.file);
  return out;
}

/**
 * Removes members from the root object's `field` object (text in → text out), with the separator before or after
 * each, so the rest of the file keeps its bytes; absent names change nothing.
 */
export function removePackageMembers(text: string, field: string, names: string[], opts: { file: string }): string {
  parsePackage(text, opts.file, [field]);
  let out = text;
  for (const name of names) {
    const span = fieldSpan(out, opts.file, field);
    const index = span ? span.members.findLastIndex((m) => m.key === name) : -1;
    if (!span || index < 0) continue;
    const member = span.members[index];
    const next = span.members[index + 1];
    const previous = span.members[index - 1];
    // A member before the last goes with everything up to the next key; the last goes with the comma after the one before.
    if (next) out = out.slice(0, member.keyStart) + out.slice(next.keyStart);
    else if (previous) out = out.slice(0, previous.valueEnd) + out.slice(member.valueEnd);
    else out = out.slice(0, span.open + 1) + out.slice(span.close);
  }
  const pkg = parseJsonObject(out, opts.file);
  const left = isObject(pkg[field]) ? pkg[field] : {};
  for (const name of names) if (Object.hasOwn(left, name)) throw new Error(`${opts.file}: ${field}.${name} is still there after removing it`);
  return out;
}

/** Every package named in any dependency field, with its range (the first field that has it). */
export function declaredPackages(text: string, opts: { file: string }): Map<string, string> {
  const pkg = parsePackage(text, opts.file, DEPENDENCY_FIELDS);
  const declared = new Map<string, string>();
  for (const field of DEPENDENCY_FIELDS) {
    if (!isObject(pkg[field])) continue;
    for (const [name, range] of Object.entries(pkg[field])) if (!declared.has(name)) declared.set(name, String(range));
  }
  return declared;
}

/** The package's scripts by name. */
export function packageScripts(text: string, opts: { file: string }): Map<string, string> {
  const pkg = parsePackage(text, opts.file, ["scripts"]);
  return new Map(isObject(pkg.scripts) ? Object.entries(pkg.scripts).map(([name, command]) => [name, String(command)]) : []);
}
