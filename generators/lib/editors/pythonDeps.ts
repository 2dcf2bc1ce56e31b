import { normalizeProjectName } from "../detect/python-requirements.js";
import { parseTomlDocument, toml } from "../detect/toml-file.js";
import { UserInputError } from "../errors.js";
import { lineIndent } from "../text-offsets.js";

export type PythonDepsKind = "pep621" | "poetry" | "requirements";

export interface AddPythonRequirementOptions {
  /** The edited file's repo-relative path, for error messages. */
  file: string;
  kind: PythonDepsKind;
}

/** A PEP 508 requirement split into the parts the editors need. */
interface Requirement {
  name: string;
  extras: string[];
  /** Version specifiers ("", ">=2.8", "==1.0,<2"). */
  version: string;
  /** Environment marker after ";" ("" when none). */
  marker: string;
  /** Direct reference after "@" ("" when none). */
  url: string;
}

/** A span [start, end) of the text. */
interface Span {
  start: number;
  end: number;
}

const NAME = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?/;

/** The PEP 503 normalised form of a package name: `PyJWT`, `py_jwt` and `py.jwt` → `pyjwt`, `py-jwt`. */
export { normalizeProjectName as normalizePythonName };

/** Splits a requirement ("pyjwt[crypto]>=2.8; python_version < '3.12'") into name, extras, version, marker and url. */
function parseRequirement(requirement: string): Requirement {
  const match = NAME.exec(requirement);
  if (!match) throw new Error(`not a Python requirement: ${requirement}`);
  const extras = splitExtras(match[2] ?? "");
  let rest = requirement.slice(match[0].length);
  let marker = "";
  const semicolon = rest.indexOf(";");
  if (semicolon >= 0) {
    marker = rest.slice(semicolon + 1).trim();
    rest = rest.slice(0, semicolon);
  }
  rest = rest.trim();
  const url = rest.startsWith("@") ? rest.slice(1).trim() : "";
  const version = url ? "" : rest.replace(/^\((.*)\)$/, "$1").trim();
  return { name: match[1], extras, version, marker, url };
}

/** The extras listed inside brackets ("crypto, dev" → ["crypto", "dev"]). */
function splitExtras(inside: string): string[] {
  return inside.split(",").map((extra) => extra.trim()).filter(Boolean);
}

/** The extras of `wanted` that `present` lacks, compared by normalised name. */
function missingExtras(present: string[], wanted: string[]): string[] {
  const have = new Set(present.map(normalizeProjectName));
  return wanted.filter((extra) => !have.has(normalizeProjectName(extra)));
}

/** Adds extras to the requirement text that starts at the package name (`PyJWT>=2` → `PyJWT[crypto]>=2`, `a[x]` → `a[x,crypto]`). */
function addExtrasToRequirementText(text: string, extras: string[]): string {
  const match = NAME.exec(text);
  if (!match || extras.length === 0) return text;
  if (match[2] === undefined) {
    const nameEnd = text.indexOf(match[1]) + match[1].length;
    return `${text.slice(0, nameEnd)}[${extras.join(",")}]${text.slice(nameEnd)}`;
  }
  const close = match[0].lastIndexOf("]");
  const separator = match[2].includes(", ") ? ", " : ",";
  const lead = match[2].trim() === "" ? "" : separator;
  return `${text.slice(0, close)}${lead}${extras.join(separator)}${text.slice(close)}`;
}

/**
 * Adds a requirement to pyproject.toml ([project].dependencies or [tool.poetry.dependencies]) or a
 * requirements file, by editing the text; a package already listed under any spelling is kept, gaining missing extras.
 */
export function addPythonRequirement(text: string, requirement: string, opts: AddPythonRequirementOptions): string {
  const wanted = parseRequirement(requirement);
  if (opts.kind === "requirements") return addToRequirementsFile(text, requirement, wanted, opts.file);
  const data = parseTomlDocument(text, opts.file);
  const edited = opts.kind === "pep621" ? addToPep621(text, data, requirement, wanted, opts.file) : addToPoetry(text, data, wanted, opts.file);
  if (edited !== text) parseTomlDocument(edited, opts.file);
  return edited;
}

// ---------------------------------------------------------------- requirements.txt

/** Lines a requirements file may hold besides requirements: options (-r, -e, --index-url), paths and URLs. */
const REQUIREMENTS_OPTION = /^(?:--?[A-Za-z]|\.{0,2}\/|[A-Za-z][A-Za-z0-9+.-]*:\/\/|[A-Za-z]:[\\/])/;
/** One version clause: `>=2.8`, `== 1.0.*`. */
const VERSION_CLAUSE = String.raw`\s*(?:===|~=|==|!=|<=|>=|<|>)\s*[A-Za-z0-9_.*+!-]+`;
/** What may follow a requirement's name and extras: version clauses (bare or in parentheses) or `@ url`, then an optional `; marker`. */
const REQUIREMENT_TAIL = new RegExp(
  String.raw`^\s*(?:@\s*\S+|\(${VERSION_CLAUSE}(?:\s*,${VERSION_CLAUSE})*\s*\)|${VERSION_CLAUSE}(?:\s*,${VERSION_CLAUSE})*)?\s*(?:;\s*\S.*)?$`,
);
/** Per-requirement options pip allows after a requirement (`--hash=sha256:...`, `--config-settings key=value`). */
const PER_REQUIREMENT_OPTION = /\s--[a-z][a-z-]*(?:=\S*|\s+(?!--)\S+)?/g;

/** The package an editable or URL line installs, from its `#egg=name` fragment (null when it names none). */
function eggName(code: string): string | null {
  return /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(code)?.[1] ?? null;
}

/** A requirements file's logical line: physical lines joined at trailing backslashes, comment removed. */
interface RequirementsLine {
  /** 0-based index of its first physical line. */
  index: number;
  code: string;
}

/** The logical lines of a requirements file (continuations joined, `#` comments removed). */
function requirementsLines(lines: string[]): RequirementsLine[] {
  const result: RequirementsLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    const index = i;
    let code = lines[i];
    while (code.endsWith("\\") && i + 1 < lines.length) code = code.slice(0, -1) + lines[++i];
    if (code.endsWith("\\")) code = code.slice(0, -1);
    result.push({ index, code: code.replace(/(^|\s)#.*$/, "").trim() });
  }
  return result;
}

/** Appends a requirement to a requirements file, or adds missing extras to the line already naming the package. */
function addToRequirementsFile(text: string, requirement: string, wanted: Requirement, file: string): string {
  const lines = text.split("\n");
  let existing: { index: number; extras: string[] } | null = null;
  let installedByUrl = false;
  for (const line of requirementsLines(lines)) {
    if (line.code === "") continue;
    if (REQUIREMENTS_OPTION.test(line.code)) {
      // `-e git+https://...#egg=pyjwt` already installs the package: leave it to the user.
      const egg = eggName(line.code);
      if (egg !== null && normalizeProjectName(egg) === normalizeProjectName(wanted.name)) installedByUrl = true;
      continue;
    }
    const match = NAME.exec(line.code);
    if (!match || !REQUIREMENT_TAIL.test(line.code.slice(match[0].length).replace(PER_REQUIREMENT_OPTION, ""))) {
      throw new UserInputError(`not a requirement, option or comment: ${line.code}`, file, line.index + 1);
    }
    if (!existing && normalizeProjectName(match[1]) === normalizeProjectName(wanted.name)) {
      existing = { index: line.index, extras: splitExtras(match[2] ?? "") };
    }
  }
  if (installedByUrl && !existing) return text;
  if (existing) {
    const extras = missingExtras(existing.extras, wanted.extras);
    if (extras.length === 0) return text;
    lines[existing.index] = addExtrasToRequirementText(lines[existing.index], extras);
    return lines.join("\n");
  }
  if (text === "") return `${requirement}\n`;
  return text.endsWith("\n") ? `${text}${requirement}\n` : `${text}\n${requirement}`;
}

// ---------------------------------------------------------------- TOML scanning

type TomlData = Record<string, unknown>;

/** A top-level line of a TOML document: a table header or a key/value statement (its value may span lines). */
interface TomlStatement {
  kind: "header" | "keyValue";
  /** Header: the table's dotted key parts; keyValue: the key's parts. */
  key: string[];
  /** Offset of the statement's first character. */
  start: number;
  /** The value's span (keyValue only). */
  value: Span;
  /** Offset of the newline ending the statement's last line (or the text's length). */
  lineEnd: number;
}

const isSpace = (ch: string | undefined) => ch === " " || ch === "\t";
const isBareKeyChar = (ch: string | undefined) => ch !== undefined && /[A-Za-z0-9_-]/.test(ch);

/** The offset after whitespace, newlines and comments starting at `i`. */
function skipBlank(text: string, i: number): number {
  for (;;) {
    while (i < text.length && /[ \t\r\n]/.test(text[i])) i++;
    if (text[i] !== "#") return i;
    while (i < text.length && text[i] !== "\n") i++;
  }
}

/** The offset after the string starting at `i` (basic, literal, or their multi-line forms). */
function scanString(text: string, i: number): number {
  const quote = text[i];
  if (text.startsWith(quote.repeat(3), i)) {
    let j = i + 3;
    for (;;) {
      if (j >= text.length) return text.length;
      if (quote === '"' && text[j] === "\\") j += 2;
      else if (text.startsWith(quote.repeat(3), j)) {
        let end = j + 3;
        while (text[end] === quote && end < j + 5) end++;
        return end;
      } else j++;
    }
  }
  let j = i + 1;
  while (j < text.length && text[j] !== quote && text[j] !== "\n") j += quote === '"' && text[j] === "\\" ? 2 : 1;
  return j + 1;
}

/** Reads a (possibly dotted, possibly quoted) key at `i`: its decoded parts and the offset after it. */
function scanKey(text: string, i: number): { parts: string[]; end: number } {
  const parts: string[] = [];
  for (;;) {
    while (isSpace(text[i])) i++;
    if (text[i] === '"' || text[i] === "'") {
      const end = scanString(text, i);
      parts.push(text[i] === "'" ? text.slice(i + 1, end - 1) : (toml().parse(`k = ${text.slice(i, end)}`).k as string));
      i = end;
    } else {
      const start = i;
      while (isBareKeyChar(text[i])) i++;
      parts.push(text.slice(start, i));
    }
    let j = i;
    while (isSpace(text[j])) j++;
    if (text[j] !== ".") return { parts, end: i };
    i = j + 1;
  }
}

/** The offset after the TOML value starting at `i`. */
function scanValue(text: string, i: number): number {
  const ch = text[i];
  if (ch === '"' || ch === "'") return scanString(text, i);
  if (ch === "[" || ch === "{") return scanContainer(text, i).close + 1;
  while (i < text.length && !",]}#\n".includes(text[i])) i++;
  while (isSpace(text[i - 1])) i--;
  return i;
}

/** The items of the array or inline table opening at `open` (inline-table items span `key = value`) and its closing bracket. */
function scanContainer(text: string, open: number): { items: Span[]; close: number } {
  const closer = text[open] === "[" ? "]" : "}";
  const items: Span[] = [];
  let i = open + 1;
  for (;;) {
    i = skipBlank(text, i);
    if (i >= text.length || text[i] === closer) return { items, close: i };
    if (text[i] === ",") {
      i++;
      continue;
    }
    const start = i;
    if (closer === "}") {
      i = scanKey(text, i).end;
      while (isSpace(text[i])) i++;
      i = skipBlank(text, i + 1); // past "="
    }
    i = scanValue(text, i);
    items.push({ start, end: i });
  }
}

/** The document's top-level statements, in order (the text is known to be valid TOML). */
function tomlStatements(text: string): TomlStatement[] {
  const statements: TomlStatement[] = [];
  let i = 0;
  for (;;) {
    i = skipBlank(text, i);
    if (i >= text.length) return statements;
    const start = i;
    let key: string[];
    let value: Span = { start: i, end: i };
    let kind: TomlStatement["kind"];
    if (text[i] === "[") {
      kind = "header";
      const brackets = text[i + 1] === "[" ? 2 : 1;
      const scanned = scanKey(text, i + brackets);
      key = scanned.parts;
      i = text.indexOf("]", scanned.end) + brackets;
    } else {
      kind = "keyValue";
      const scanned = scanKey(text, i);
      key = scanned.parts;
      i = scanned.end;
      while (isSpace(text[i])) i++;
      i++; // "="
      while (isSpace(text[i])) i++;
      value = { start: i, end: scanValue(text, i) };
      i = value.end;
    }
    const newline = text.indexOf("\n", i);
    const lineEnd = newline < 0 ? text.length : newline;
    statements.push({ kind, key, start, value, lineEnd });
    i = lineEnd;
  }
}

/** The key/value statements of the table whose header is `table`, or null when there is no such header. */
function tableStatements(statements: TomlStatement[], table: string[]): { header: TomlStatement; entries: TomlStatement[] } | null {
  const at = statements.findIndex((s) => s.kind === "header" && s.key.join("\u0000") === table.join("\u0000"));
  if (at < 0) return null;
  const entries: TomlStatement[] = [];
  for (const statement of statements.slice(at + 1)) {
    if (statement.kind === "header") break;
    entries.push(statement);
  }
  return { header: statements[at], entries };
}

/** The quote the file uses for strings: that of the first string value in `statements`, else a double quote. */
function quoteStyle(text: string, statements: TomlStatement[]): '"' | "'" {
  for (const statement of statements) {
    const ch = text[statement.value.start];
    if (statement.kind === "keyValue" && (ch === '"' || ch === "'")) return ch;
  }
  return '"';
}

/** A TOML string literal for `value`, in the preferred quote when it can hold the value. */
function tomlString(value: string, quote: '"' | "'"): string {
  if (quote === "'" && !value.includes("'")) return `'${value}'`;
  return JSON.stringify(value);
}

/** Inserts `line` as a new line after the line ending at `lineEnd`. */
function insertLineAfter(text: string, lineEnd: number, line: string): string {
  return `${text.slice(0, lineEnd)}\n${line}${text.slice(lineEnd)}`;
}

// ---------------------------------------------------------------- PEP 621

/** Adds a requirement to [project].dependencies, creating the key after the table's last one when missing. */
function addToPep621(text: string, data: TomlData, requirement: string, wanted: Requirement, file: string): string {
  const project = data.project as TomlData | undefined;
  if (!project || typeof project !== "object") throw new UserInputError("no [project] table", file);
  if (Array.isArray(project.dynamic) && project.dynamic.includes("dependencies")) {
    throw new UserInputError("[project].dependencies is dynamic; add the requirement where it is declared", file);
  }
  const statements = tomlStatements(text);
  const table = tableStatements(statements, ["project"]);
  if (!table) throw new UserInputError("[project] is not declared with a [project] header; add the requirement by hand", file);
  const quote = quoteStyle(text, table.entries);
  const declaration = table.entries.find((s) => s.key.length === 1 && s.key[0] === "dependencies");
  if (!declaration) {
    const after = table.entries.at(-1) ?? table.header;
    return insertLineAfter(text, after.lineEnd, `dependencies = [${tomlString(requirement, quote)}]`);
  }
  if (text[declaration.value.start] !== "[") throw new UserInputError("[project].dependencies is not an array", file);
  return addToDependencyArray(text, declaration, requirement, wanted, quote);
}

/** Adds a requirement string to the dependencies array, or missing extras to the entry already naming the package. */
function addToDependencyArray(text: string, declaration: TomlStatement, requirement: string, wanted: Requirement, fileQuote: '"' | "'"): string {
  const { items, close } = scanContainer(text, declaration.value.start);
  const target = normalizeProjectName(wanted.name);
  for (const item of items) {
    const value = toml().parse(`v = ${text.slice(item.start, item.end)}`).v as string;
    const existing = parseRequirement(value);
    if (normalizeProjectName(existing.name) !== target) continue;
    const extras = missingExtras(existing.extras, wanted.extras);
    if (extras.length === 0) return text;
    const inner = text.slice(item.start + 1, item.end - 1);
    return `${text.slice(0, item.start + 1)}${addExtrasToRequirementText(inner, extras)}${text.slice(item.end - 1)}`;
  }
  const first = items[0];
  const quote = first && (text[first.start] === '"' || text[first.start] === "'") ? (text[first.start] as '"' | "'") : fileQuote;
  const literal = tomlString(requirement, quote);
  const open = declaration.value.start;
  const multiLine = text.slice(open, close).includes("\n");
  const last = items.at(-1);
  if (!last) {
    if (!multiLine) return `${text.slice(0, open + 1)}${literal}${text.slice(close)}`;
    const lineStart = text.lastIndexOf("\n", close - 1) + 1;
    const ownLine = /^[ \t]*$/.test(text.slice(lineStart, close));
    const at = ownLine ? lineStart : close;
    const lead = ownLine ? "" : "\n";
    // Indent like a comment already inside the array, else one step (4 spaces) past the key.
    const inside = text.slice(text.indexOf("\n", open) + 1, lineStart).split("\n").find((line) => line.trim() !== "");
    const indent = inside === undefined ? `${lineIndent(text, declaration.start)}    ` : /^[ \t]*/.exec(inside)![0];
    return `${text.slice(0, at)}${lead}${indent}${literal},\n${text.slice(at)}`;
  }
  if (!multiLine) return `${text.slice(0, last.end)}, ${literal}${text.slice(last.end)}`;
  const commaAt = skipBlank(text, last.end);
  const trailingComma = text[commaAt] === ",";
  const indent = itemIndent(text, items) ?? `${lineIndent(text, declaration.start)}    `;
  const closeOnOwnLine = /^[ \t]*$/.test(text.slice(text.lastIndexOf("\n", close - 1) + 1, close));
  if (closeOnOwnLine) {
    const lineStart = text.lastIndexOf("\n", close - 1) + 1;
    const withComma = trailingComma ? text : `${text.slice(0, last.end)},${text.slice(last.end)}`;
    const shift = trailingComma ? 0 : 1;
    return `${withComma.slice(0, lineStart + shift)}${indent}${literal}${trailingComma ? "," : ""}\n${withComma.slice(lineStart + shift)}`;
  }
  if (trailingComma) return `${text.slice(0, commaAt + 1)}\n${indent}${literal},${text.slice(commaAt + 1)}`;
  return `${text.slice(0, last.end)},\n${indent}${literal}${text.slice(last.end)}`;
}

/** The indentation of array items that start their own line (the last such item's), or null when none does. */
function itemIndent(text: string, items: Span[]): string | null {
  for (const item of [...items].reverse()) {
    const lineStart = text.lastIndexOf("\n", item.start - 1) + 1;
    const before = text.slice(lineStart, item.start);
    if (/^[ \t]*$/.test(before)) return before;
  }
  return null;
}

// ---------------------------------------------------------------- Poetry

/** Adds a requirement to [tool.poetry.dependencies] (`name = "version"` or an inline table with extras/markers). */
function addToPoetry(text: string, data: TomlData, wanted: Requirement, file: string): string {
  const tool = data.tool as TomlData | undefined;
  const poetry = tool?.poetry as TomlData | undefined;
  const dependencies = poetry?.dependencies as TomlData | undefined;
  if (!dependencies || typeof dependencies !== "object") throw new UserInputError("no [tool.poetry.dependencies] table", file);
  const table = tableStatements(tomlStatements(text), ["tool", "poetry", "dependencies"]);
  if (!table) throw new UserInputError("[tool.poetry.dependencies] has no table header; add the requirement by hand", file);
  const quote = quoteStyle(text, table.entries);
  const target = normalizeProjectName(wanted.name);
  const existingKey = Object.keys(dependencies).find((key) => normalizeProjectName(key) === target);
  if (existingKey !== undefined) {
    const entry = table.entries.find((s) => s.key.length === 1 && s.key[0] === existingKey);
    return entry ? addPoetryExtras(text, entry, dependencies[existingKey], wanted.extras, quote) : text;
  }
  const key = /^[A-Za-z0-9_-]+$/.test(wanted.name) ? wanted.name : tomlString(wanted.name, quote);
  const after = table.entries.at(-1) ?? table.header;
  return insertLineAfter(text, after.lineEnd, `${key} = ${poetryValue(wanted, quote)}`);
}

/** A Poetry dependency value: `"^2.8"`, or `{ version = ">=2.8", extras = ["crypto"] }` when it needs more than a version. */
function poetryValue(wanted: Requirement, quote: '"' | "'"): string {
  const str = (value: string) => tomlString(value, quote);
  const fields: string[] = [];
  if (wanted.url) fields.push(`url = ${str(wanted.url)}`);
  else fields.push(`version = ${str(wanted.version || "*")}`);
  if (wanted.extras.length > 0) fields.push(`extras = [${wanted.extras.map(str).join(", ")}]`);
  if (wanted.marker) fields.push(`markers = ${str(wanted.marker)}`);
  return fields.length === 1 && !wanted.url ? str(wanted.version || "*") : `{ ${fields.join(", ")} }`;
}

/** Adds missing extras to an existing Poetry entry in place: a version string becomes an inline table; a table gains/extends `extras`. */
function addPoetryExtras(text: string, entry: TomlStatement, value: unknown, wantedExtras: string[], quote: '"' | "'"): string {
  const str = (extra: string) => tomlString(extra, quote);
  const { start, end } = entry.value;
  if (typeof value === "string") {
    if (wantedExtras.length === 0) return text;
    const replacement = `{ version = ${text.slice(start, end)}, extras = [${wantedExtras.map(str).join(", ")}] }`;
    return `${text.slice(0, start)}${replacement}${text.slice(end)}`;
  }
  // Several constraint tables, or a sub-table: the package is there; leave its extras to the user.
  if (!value || typeof value !== "object" || Array.isArray(value) || text[start] !== "{") return text;
  const present = (value as TomlData).extras;
  const extras = missingExtras(Array.isArray(present) ? (present as string[]) : [], wantedExtras);
  if (extras.length === 0) return text;
  const { items, close } = scanContainer(text, start);
  const extrasItem = items.find((item) => scanKey(text, item.start).parts.join(".") === "extras");
  if (extrasItem) {
    const { items: listed, close: listClose } = scanContainer(text, text.lastIndexOf("[", extrasItem.end));
    const at = listed.at(-1)?.end ?? listClose;
    const lead = listed.length > 0 ? ", " : "";
    return `${text.slice(0, at)}${lead}${extras.map(str).join(", ")}${text.slice(at)}`;
  }
  const last = items.at(-1);
  const field = `extras = [${extras.map(str).join(", ")}]`;
  if (!last) return `${text.slice(0, start + 1)} ${field} ${text.slice(close)}`;
  return `${text.slice(0, last.end)}, ${field}${text.slice(last.end)}`;
}
