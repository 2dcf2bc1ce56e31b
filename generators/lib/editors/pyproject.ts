import { UserInputError } from "../errors.js";
import { addExtrasToRequirementText, missingExtras, normalizeProjectName, parseRequirement, type Requirement } from "../formats/pep508.js";
import {
  commentsWithin,
  findEntry,
  findTable,
  isTomlString,
  parseTomlSyntax,
  quoteOf,
  stringContents,
  tableEnd,
  tableQuote,
  tokenAfter,
  tomlString,
  type TomlArray,
  type TomlKeyValue,
  type TomlNode,
  type TomlQuote,
  type TomlSyntax,
} from "../formats/toml.js";
import { applyEdits, indentationAt, insertAt, lineStart, startsLine, type TextEdit } from "../text-edits.js";

type TomlData = Record<string, unknown>;

/** One step of indentation past a key, for the first item of an array that has none to copy. */
const INDENT_STEP = "    ";

// ---------------------------------------------------------------- PEP 621

/** Adds a requirement to [project].dependencies, creating the key after the table's last one when missing. */
export function addToPep621(text: string, data: TomlData, requirement: string, wanted: Requirement, file: string): string {
  const project = data.project as TomlData | undefined;
  if (!project || typeof project !== "object") throw new UserInputError("no [project] table", file);
  if (Array.isArray(project.dynamic) && project.dynamic.includes("dependencies")) {
    throw new UserInputError("[project].dependencies is dynamic; add the requirement where it is declared", file);
  }
  const syntax = parseTomlSyntax(text, file);
  const table = findTable(syntax, ["project"]);
  if (!table) throw new UserInputError("[project] is not declared with a [project] header; add the requirement by hand", file);
  const quote = tableQuote(table.body);
  const declaration = findEntry(table.body, "dependencies");
  if (!declaration) return applyEdits(text, [insertAt(tableEnd(text, table), `\ndependencies = [${tomlString(requirement, quote)}]`)]);
  if (declaration.value.type !== "TOMLArray") throw new UserInputError("[project].dependencies is not an array", file);
  return applyEdits(text, dependencyArrayEdits(text, syntax, declaration, declaration.value, requirement, wanted, quote));
}

/** Edits adding a requirement string to the dependencies array, or missing extras to the entry already naming it. */
function dependencyArrayEdits(text: string, syntax: TomlSyntax, declaration: TomlKeyValue, array: TomlArray, requirement: string, wanted: Requirement, fileQuote: TomlQuote): TextEdit[] {
  const target = normalizeProjectName(wanted.name);
  const listed = array.elements.filter(isTomlString).find((item) => normalizeProjectName(parseRequirement(item.value).name) === target);
  if (listed) {
    const extras = missingExtras(parseRequirement(listed.value).extras, wanted.extras);
    if (extras.length === 0) return [];
    const [start, end] = stringContents(listed);
    return [{ start, end, text: addExtrasToRequirementText(text.slice(start, end), extras) }];
  }
  const first = array.elements[0];
  const literal = tomlString(requirement, first && isTomlString(first) ? quoteOf(first) : fileQuote);
  const keyIndent = `${indentationAt(text, declaration.range[0])}${INDENT_STEP}`;
  if (array.elements.length === 0) return emptyArrayEdits(text, syntax, array, literal, keyIndent);
  return appendItemEdits(text, syntax, array, literal, keyIndent);
}

/** Edits putting the first item into an empty array: inline when it is on one line, else on a line of its own. */
function emptyArrayEdits(text: string, syntax: TomlSyntax, array: TomlArray, literal: string, keyIndent: string): TextEdit[] {
  const [open, close] = [array.range[0], array.range[1] - 1];
  if (!text.slice(open, close).includes("\n")) return [{ start: open + 1, end: close, text: literal }];
  const ownLine = startsLine(text, close);
  // Indent like a comment already inside the array (on a line after the bracket's), else one step past the key.
  const comment = commentsWithin(syntax, open, close).find((c) => startsLine(text, c.range[0]));
  const indent = comment ? indentationAt(text, comment.range[0]) : keyIndent;
  return [insertAt(ownLine ? lineStart(text, close) : close, `${ownLine ? "" : "\n"}${indent}${literal},\n`)];
}

/** Edits appending an item after the array's last: on the same line for a one-line array, else on a line of its own. */
function appendItemEdits(text: string, syntax: TomlSyntax, array: TomlArray, literal: string, keyIndent: string): TextEdit[] {
  const close = array.range[1] - 1;
  const last = array.elements.at(-1)!.range[1];
  if (!text.slice(array.range[0], close).includes("\n")) return [insertAt(last, `, ${literal}`)];
  const comma = tokenAfter(syntax, last);
  const trailingComma = comma?.value === ",";
  const indent = itemIndent(text, array.elements) ?? keyIndent;
  if (startsLine(text, close)) {
    const item = insertAt(lineStart(text, close), `${indent}${literal}${trailingComma ? "," : ""}\n`);
    return trailingComma ? [item] : [insertAt(last, ","), item];
  }
  if (trailingComma) return [insertAt(comma.range[1], `\n${indent}${literal},`)];
  return [insertAt(last, `,\n${indent}${literal}`)];
}

/** The indentation of array items that start their own line (the last such item's), or null when none does. */
function itemIndent(text: string, items: TomlNode[]): string | null {
  const onOwnLine = items.findLast((item) => startsLine(text, item.range[0]));
  return onOwnLine ? indentationAt(text, onOwnLine.range[0]) : null;
}

// ---------------------------------------------------------------- Poetry

/** Adds a requirement to [tool.poetry.dependencies] (`name = "version"` or an inline table with extras/markers). */
export function addToPoetry(text: string, data: TomlData, wanted: Requirement, file: string): string {
  const tool = data.tool as TomlData | undefined;
  const poetry = tool?.poetry as TomlData | undefined;
  const dependencies = poetry?.dependencies as TomlData | undefined;
  if (!dependencies || typeof dependencies !== "object") throw new UserInputError("no [tool.poetry.dependencies] table", file);
  const table = findTable(parseTomlSyntax(text, file), ["tool", "poetry", "dependencies"]);
  if (!table) throw new UserInputError("[tool.poetry.dependencies] has no table header; add the requirement by hand", file);
  const quote = tableQuote(table.body);
  const target = normalizeProjectName(wanted.name);
  const existingKey = Object.keys(dependencies).find((key) => normalizeProjectName(key) === target);
  if (existingKey !== undefined) {
    const entry = findEntry(table.body, existingKey);
    return entry ? applyEdits(text, poetryExtrasEdits(text, entry, dependencies[existingKey], wanted.extras, quote)) : text;
  }
  const key = /^[A-Za-z0-9_-]+$/.test(wanted.name) ? wanted.name : tomlString(wanted.name, quote);
  return applyEdits(text, [insertAt(tableEnd(text, table), `\n${key} = ${poetryValue(wanted, quote)}`)]);
}

/** A Poetry dependency value: `"^2.8"`, or `{ version = ">=2.8", extras = ["crypto"] }` when it needs more than a version. */
function poetryValue(wanted: Requirement, quote: TomlQuote): string {
  const str = (value: string) => tomlString(value, quote);
  const fields: string[] = [];
  if (wanted.url) fields.push(`url = ${str(wanted.url)}`);
  else fields.push(`version = ${str(wanted.version || "*")}`);
  if (wanted.extras.length > 0) fields.push(`extras = [${wanted.extras.map(str).join(", ")}]`);
  if (wanted.marker) fields.push(`markers = ${str(wanted.marker)}`);
  return fields.length === 1 && !wanted.url ? str(wanted.version || "*") : `{ ${fields.join(", ")} }`;
}

/** Edits adding missing extras to a Poetry entry: a version string becomes an inline table; an inline table gains or extends `extras`. */
function poetryExtrasEdits(text: string, entry: TomlKeyValue, value: unknown, wantedExtras: string[], quote: TomlQuote): TextEdit[] {
  const list = (extras: string[]) => extras.map((extra) => tomlString(extra, quote)).join(", ");
  const node = entry.value;
  if (typeof value === "string") {
    if (wantedExtras.length === 0) return [];
    const [start, end] = node.range;
    return [{ start, end, text: `{ version = ${text.slice(start, end)}, extras = [${list(wantedExtras)}] }` }];
  }
  // Several constraint tables, or a sub-table: the package is there; leave its extras to the user.
  if (node.type !== "TOMLInlineTable") return [];
  const present = (value as TomlData).extras;
  const extras = missingExtras(Array.isArray(present) ? (present as string[]) : [], wantedExtras);
  if (extras.length === 0) return [];
  const listed = findEntry(node.body, "extras");
  if (listed) {
    if (listed.value.type !== "TOMLArray") return [];
    const lastExtra = listed.value.elements.at(-1);
    return [insertAt(lastExtra?.range[1] ?? listed.value.range[1] - 1, `${lastExtra ? ", " : ""}${list(extras)}`)];
  }
  const field = `extras = [${list(extras)}]`;
  const last = node.body.at(-1);
  if (!last) return [{ start: node.range[0] + 1, end: node.range[1] - 1, text: ` ${field} ` }];
  return [insertAt(last.range[1], `, ${field}`)];
}
