import path from "node:path";
import type * as Yaml from "yaml";
import type { Document, Node, Pair, YAMLMap, YAMLSeq } from "yaml";
import { lazyModule } from "../lazy-module.js";

// yaml is loaded only when a compose file is edited (the CLI's start-up is benchmarked).
const yaml = lazyModule<typeof Yaml>("yaml");
const isAlias = ((node: unknown) => yaml().isAlias(node)) as typeof Yaml.isAlias;
const isMap = ((node: unknown) => yaml().isMap(node)) as typeof Yaml.isMap;
const isPair = ((node: unknown) => yaml().isPair(node)) as typeof Yaml.isPair;
const isScalar = ((node: unknown) => yaml().isScalar(node)) as typeof Yaml.isScalar;
const isSeq = ((node: unknown) => yaml().isSeq(node)) as typeof Yaml.isSeq;
const parseDocument = ((...args: Parameters<typeof Yaml.parseDocument>) => yaml().parseDocument(...args)) as typeof Yaml.parseDocument;
import { UserInputError } from "../errors.js";
import { lineOf } from "../text-offsets.js";

export interface FindComposeServicesOptions {
  /** The compose file's repo-relative path, for error messages. */
  file: string;
  /** The compose file's folder, repo-relative POSIX ("." for the root). */
  composeDir: string;
  frontendDir: string;
  backendDir: string;
}

export interface AddComposeEnvironmentOptions {
  file: string;
  service: string;
  env: Record<string, string>;
}

type AnyPair = Pair<unknown, unknown>;

/** Parses a compose file, turning the first YAML error into a UserInputError at its line. */
function parseCompose(text: string, file: string): Document.Parsed {
  const doc = parseDocument(text, { merge: true });
  const error = doc.errors[0];
  if (error) {
    // yaml's messages end with " at line L, column C:" and a code excerpt; the line goes in our prefix instead.
    const reason = error.code === "MULTIPLE_DOCS" ? "holds more than one YAML document; compose reads a single one" : error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    throw new UserInputError(reason, file, error.linePos?.[0].line);
  }
  return doc;
}

/** A pair's key as a string (scalar keys only). */
function keyOf(pair: AnyPair): string | null {
  return isScalar(pair.key) && pair.key.value !== null ? String(pair.key.value) : null;
}

/** The pair under `key` in a map. */
function pairOf(map: YAMLMap<unknown, unknown>, key: string): AnyPair | undefined {
  return map.items.find((pair) => keyOf(pair) === key);
}

/** The `services` map, or null when the file has none. */
function servicesMap(doc: Document.Parsed): YAMLMap<unknown, unknown> | null {
  if (!isMap(doc.contents)) return null;
  const services = pairOf(doc.contents, "services")?.value;
  return isMap(services) ? services : null;
}

/** A repo-relative POSIX folder in canonical form: `./frontend`, `frontend/` → `frontend`; the root → ".". */
function canonicalDir(dir: string): string {
  return path.posix.normalize(dir.replace(/\\/g, "/")).replace(/\/+$/, "") || ".";
}

/** A plain object (not an array or null). */
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** The folder a service builds from (repo-relative), or null when it has no local build context. */
function buildFolder(service: Record<string, unknown>, composeDir: string): string | null {
  const { build } = service;
  // A build map without `context` builds the compose file's own folder.
  const context = typeof build === "string" ? build : isRecord(build) ? (build.context ?? ".") : null;
  if (typeof context !== "string" || /^[a-z][a-z0-9+.-]*:\/\//i.test(context) || context.startsWith("git@") || context.includes("${")) return null;
  return canonicalDir(path.posix.join(composeDir, context));
}

/** The services as compose sees them: aliases and `<<` merge keys resolved. */
function resolvedServices(doc: Document.Parsed): Record<string, unknown> {
  const services = (doc.toJS({ maxAliasCount: -1 }) as { services?: unknown } | null)?.services;
  return isRecord(services) ? services : {};
}

/** The names of the services that build the frontend and backend folders (the first match each; null when none). */
export function findComposeServices(text: string, opts: FindComposeServicesOptions): { frontend: string | null; backend: string | null } {
  const doc = parseCompose(text, opts.file);
  const found = { frontend: null as string | null, backend: null as string | null };
  const frontendDir = canonicalDir(opts.frontendDir);
  const backendDir = canonicalDir(opts.backendDir);
  for (const [name, service] of Object.entries(resolvedServices(doc))) {
    if (!isRecord(service)) continue;
    const folder = buildFolder(service, canonicalDir(opts.composeDir));
    if (folder === frontendDir && found.frontend === null) found.frontend = name;
    else if (folder === backendDir && found.backend === null) found.backend = name;
  }
  return found;
}

// ---------------------------------------------------------------- environment

/** The variables a service's environment sets as compose reads it (merge keys resolved; null for a bare `KEY` in a list). */
function environmentEntries(doc: Document.Parsed, service: string): Map<string, string | null> {
  const entries = new Map<string, string | null>();
  const definition = resolvedServices(doc)[service];
  const env = isRecord(definition) ? definition.environment : undefined;
  if (Array.isArray(env)) {
    for (const item of env) {
      if (item === null || item === undefined) continue;
      const entry = String(item);
      const eq = entry.indexOf("=");
      entries.set(eq < 0 ? entry : entry.slice(0, eq), eq < 0 ? null : entry.slice(eq + 1));
    }
  } else if (isRecord(env)) {
    for (const [key, value] of Object.entries(env)) entries.set(key, value === null || value === undefined ? null : String(value));
  }
  return entries;
}

/** The variables a compose service's environment sets (text in, map out; a variable without a value maps to ""). */
export function composeEnvironment(text: string, opts: { file: string; service: string }): Map<string, string> {
  const entries = environmentEntries(parseCompose(text, opts.file), opts.service);
  return new Map([...entries].map(([key, value]) => [key, value ?? ""]));
}

/** True when `source` parses (in the given flow/block context) to exactly the string `expected`. */
function readsBack(source: string, expected: string, context: "map" | "seq" | "flowMap" | "flowSeq"): boolean {
  const wrapped = { map: `k: ${source}\n`, seq: `- ${source}\n`, flowMap: `{k: ${source}}\n`, flowSeq: `[${source}]\n` }[context];
  const doc = parseDocument(wrapped);
  if (doc.errors.length > 0) return false;
  const node = isMap(doc.contents) ? doc.contents.items[0]?.value : isSeq(doc.contents) ? doc.contents.items[0] : null;
  return isScalar(node) && node.value === expected;
}

/** A YAML scalar for `value`: plain when it reads back exactly in `context`, else double-quoted. */
function yamlScalar(value: string, context: "map" | "seq" | "flowMap" | "flowSeq"): string {
  return readsBack(value, value, context) ? value : JSON.stringify(value);
}

/** The offset where a node's own content ends (block collections' ranges run on over trailing comments and blank lines). */
function contentEnd(node: unknown): number {
  if (isPair(node)) {
    const pair = node as AnyPair;
    const keyEnd = (pair.key as Node).range![1];
    const value = pair.value as Node | null;
    if (!value || !value.range || (isScalar(value) && value.value === null && value.range[0] === value.range[1])) return keyEnd;
    return Math.max(keyEnd, contentEnd(value));
  }
  if ((isMap(node) || isSeq(node)) && !node.flow && node.items.length > 0) return contentEnd(node.items.at(-1));
  return (node as Node).range![1];
}

/** The offset of the newline ending the line where content ending at `end` stops (or the text's length). */
function lineEndAfter(text: string, end: number): number {
  while (end > 0 && /[ \t\r\n]/.test(text[end - 1])) end--;
  const newline = text.indexOf("\n", end);
  return newline < 0 ? text.length : newline;
}

/** The 1-based line of offset `at`. */
/** The column of offset `at` in its line. */
function columnOf(text: string, at: number): number {
  return at - (text.lastIndexOf("\n", at - 1) + 1);
}

/** Inserts lines after the line ending at `lineEnd`, keeping the text's final-newline state. */
function insertLines(text: string, lineEnd: number, lines: string[]): string {
  return `${text.slice(0, lineEnd)}\n${lines.join("\n")}${text.slice(lineEnd)}`;
}

/** The offset just after the last item of a flow collection, or after its opening bracket when empty. */
function flowInsertionPoint(text: string, node: YAMLMap<unknown, unknown> | YAMLSeq<unknown>): number {
  const last = node.items.at(-1);
  if (last) return contentEnd(last);
  return text.indexOf(isMap(node) ? "{" : "[", node.range![0]) + 1;
}

/** The quote of a list's first item, to mirror in new items ("" for plain). */
function listQuote(node: YAMLSeq<unknown>): string {
  const first = node.items[0];
  if (isScalar(first) && first.type === "QUOTE_DOUBLE") return '"';
  if (isScalar(first) && first.type === "QUOTE_SINGLE") return "'";
  return "";
}

/** A list item `KEY=value` in the list's quote style, quoted when plain would not read back. */
function listItem(entry: string, quote: string, context: "seq" | "flowSeq"): string {
  if (quote === "'" && !entry.includes("'")) return `'${entry}'`;
  if (quote === '"') return JSON.stringify(entry);
  return yamlScalar(entry, context);
}

/**
 * Adds missing variables to a compose service's `environment`, keeping its form (block/flow map or list);
 * creates a block-map `environment` as the service's last key when it has none. Existing variables keep their values.
 */
export function addComposeEnvironment(text: string, opts: AddComposeEnvironmentOptions): string {
  const doc = parseCompose(text, opts.file);
  const service = servicesMap(doc) && pairOf(servicesMap(doc)!, opts.service);
  if (!service) throw new UserInputError(`no service named "${opts.service}" under services`, opts.file);
  if (service.value === null || (isScalar(service.value) && service.value.value === null)) {
    return addToEmptyService(text, service as AnyPair, opts);
  }
  if (!isMap(service.value) || service.value.flow) {
    throw new UserInputError(`service "${opts.service}" is not a block mapping; add its environment by hand`, opts.file, lineOf(text, (service.key as Node).range![0]));
  }
  const environmentPair = pairOf(service.value, "environment");
  const node = environmentPair?.value ?? null;
  const existing = environmentEntries(doc, opts.service);
  const missing = Object.entries(opts.env).filter(([key]) => !existing.has(key));
  if (missing.length === 0) return text;
  if (!environmentPair) assertNoMergedEnvironment(doc, opts);

  const edited = insertEnvironment(text, service as AnyPair, environmentPair, missing, opts);
  verifyEnvironment(edited, opts, new Set(existing.keys()));
  return edited;
}

/** Gives a service declared with nothing under it (`api:`) an environment block map, one indentation step (the file's) deeper. */
function addToEmptyService(text: string, service: AnyPair, opts: AddComposeEnvironmentOptions): string {
  const keyColumn = columnOf(text, (service.key as Node).range![0]);
  const step = keyColumn > 0 ? keyColumn : 2;
  const lines = [`${" ".repeat(keyColumn + step)}environment:`];
  for (const [key, value] of Object.entries(opts.env)) lines.push(`${" ".repeat(keyColumn + 2 * step)}${yamlScalar(key, "map")}: ${yamlScalar(value, "map")}`);
  const edited = insertLines(text, lineEndAfter(text, contentEnd(service)), lines);
  verifyEnvironment(edited, opts, new Set());
  return edited;
}

/** Refuses to add an own `environment` to a service that inherits one through `<<`, which would silently replace it. */
function assertNoMergedEnvironment(doc: Document.Parsed, opts: AddComposeEnvironmentOptions): void {
  const definition = resolvedServices(doc)[opts.service];
  if (isRecord(definition) && definition.environment !== undefined) {
    throw new UserInputError(`service "${opts.service}" inherits environment through a merge key (<<); add the variables by hand`, opts.file);
  }
}

/** Splices the missing variables into the text, in the environment node's own form. */
function insertEnvironment(text: string, service: AnyPair, environmentPair: AnyPair | undefined, missing: [string, string][], opts: AddComposeEnvironmentOptions): string {
  const serviceMap = service.value as YAMLMap<unknown, unknown>;
  const serviceKeyColumn = columnOf(text, (service.key as Node).range![0]);
  const siblingColumn = columnOf(text, (serviceMap.items[0].key as Node).range![0]);
  const step = Math.max(siblingColumn - serviceKeyColumn, 2);
  const mapLine = (indent: number, [key, value]: [string, string]) => `${" ".repeat(indent)}${yamlScalar(key, "map")}: ${yamlScalar(value, "map")}`;
  const node = environmentPair?.value;

  if (!environmentPair) {
    const lines = [`${" ".repeat(siblingColumn)}environment:`, ...missing.map((entry) => mapLine(siblingColumn + step, entry))];
    return insertLines(text, lineEndAfter(text, contentEnd(serviceMap)), lines);
  }
  if (node === null || node === undefined || (isScalar(node) && node.value === null)) {
    const keyColumn = columnOf(text, (environmentPair.key as Node).range![0]);
    return insertLines(text, lineEndAfter(text, contentEnd(environmentPair)), missing.map((entry) => mapLine(keyColumn + step, entry)));
  }
  if (isMap(node) && node.items.length > 0 && !node.flow) {
    const column = columnOf(text, (node.items[0].key as Node).range![0]);
    return insertLines(text, lineEndAfter(text, contentEnd(node)), missing.map((entry) => mapLine(column, entry)));
  }
  if (isSeq(node) && node.items.length > 0 && !node.flow) {
    const first = node.items[0] as Node;
    const dashLineStart = text.lastIndexOf("\n", first.range![0] - 1) + 1;
    const dashIndent = /^[ \t]*/.exec(text.slice(dashLineStart))![0];
    const quote = listQuote(node);
    const lines = missing.map(([key, value]) => `${dashIndent}- ${listItem(`${key}=${value}`, quote, "seq")}`);
    return insertLines(text, lineEndAfter(text, contentEnd(node)), lines);
  }
  if (isMap(node) && node.flow) {
    const at = flowInsertionPoint(text, node);
    const items = missing.map(([key, value]) => `${yamlScalar(key, "flowMap")}: ${yamlScalar(value, "flowMap")}`).join(", ");
    const lead = node.items.length > 0 ? ", " : text[at] === " " ? " " : "";
    return `${text.slice(0, at)}${lead}${items}${text.slice(at)}`;
  }
  if (isSeq(node) && node.flow) {
    const at = flowInsertionPoint(text, node);
    const quote = node.items.length > 0 ? listQuote(node) : '"';
    const items = missing.map(([key, value]) => listItem(`${key}=${value}`, quote, "flowSeq")).join(", ");
    const lead = node.items.length > 0 ? ", " : "";
    return `${text.slice(0, at)}${lead}${items}${text.slice(at)}`;
  }
  if (isAlias(node)) {
    throw new UserInputError(`service "${opts.service}" takes its environment from the alias *${node.source}, which other services may share; add the variables by hand`, opts.file, lineOf(text, node.range![0]));
  }
  throw new UserInputError(`service "${opts.service}" has an environment that is neither a mapping nor a list; add the variables by hand`, opts.file, lineOf(text, (environmentPair.key as Node).range![0]));
}

/** Re-parses the edited text and checks the service now sets every variable, new ones to exactly the intended value. */
function verifyEnvironment(edited: string, opts: AddComposeEnvironmentOptions, kept: Set<string>): void {
  const doc = parseDocument(edited, { merge: true });
  if (doc.errors.length > 0) throw new Error(`${opts.file}: editing the environment produced invalid YAML: ${doc.errors[0].message}`);
  const entries = environmentEntries(doc, opts.service);
  for (const [key, value] of Object.entries(opts.env)) {
    if (!entries.has(key) || (!kept.has(key) && entries.get(key) !== value)) {
      throw new Error(`${opts.file}: ${key} did not read back as ${JSON.stringify(value)} after editing service "${opts.service}"`);
    }
  }
}

/** The key an `environment` item sets: a map pair's key, or the part of a list item before `=`. */
function environmentItemKey(item: unknown): string | null {
  if (isPair(item)) return keyOf(item as AnyPair);
  if (isScalar(item) && item.value !== null) return String(item.value).split("=", 1)[0];
  return null;
}

/**
 * Removes variables from a compose service's own block-map or block-list `environment`, whole lines at
 * a time; absent keys change nothing. A flow collection or an alias throws a UserInputError (edit by hand).
 */
export function removeComposeEnvironment(text: string, opts: { file: string; service: string; keys: string[] }): string {
  const doc = parseCompose(text, opts.file);
  const service = servicesMap(doc) && pairOf(servicesMap(doc)!, opts.service);
  const node = service && isMap(service.value) ? pairOf(service.value, "environment")?.value : undefined;
  if (!node || !(isMap(node) || isSeq(node))) {
    if (isAlias(node)) throw new UserInputError(`service "${opts.service}" takes its environment from the alias *${node.source}; remove ${opts.keys.join(", ")} by hand`, opts.file, lineOf(text, node.range![0]));
    return text;
  }
  const doomed = node.items.filter((item) => opts.keys.includes(environmentItemKey(item) ?? ""));
  if (doomed.length === 0) return text;
  if (node.flow) throw new UserInputError(`service "${opts.service}" writes its environment on one line; remove ${opts.keys.join(", ")} by hand`, opts.file, lineOf(text, node.range![0]));
  let edited = text;
  // From the last item up, so earlier offsets stay valid; each item's lines run from its line start to its content's end.
  for (const item of [...doomed].reverse()) {
    const start = isPair(item) ? ((item as AnyPair).key as Node).range![0] : (item as Node).range![0];
    const lineStart = edited.lastIndexOf("\n", start - 1) + 1;
    const lineEnd = lineEndAfter(edited, contentEnd(item));
    edited = edited.slice(0, lineStart) + edited.slice(Math.min(lineEnd + 1, edited.length));
  }
  const left = environmentEntries(parseCompose(edited, opts.file), opts.service);
  for (const key of opts.keys) if (left.has(key)) throw new Error(`${opts.file}: ${key} is still set in service "${opts.service}" after removing it`);
  return edited;
}
