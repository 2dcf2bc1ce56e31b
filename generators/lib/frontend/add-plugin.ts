import type { ASTNode } from "magicast";
import { detectCodeStyle, restyleExpression, type CodeStyle } from "./source/code-style.js";
import { exportedAs, type ExportedAs } from "./source/exported-binding.js";
import { ensureNamedImport, importBindings, localNamesOf, topLevelNames, type ImportBinding, type NamedImport } from "./source/imports.js";
import { insertIntoList } from "./source/list-insert.js";
import { findProperty, parseSource, span, walk, type NodeOf, type ParsedSource } from "./source/parse.js";
import { applyEdits, indentationAt, indentFollowingLines, type TextEdit } from "../text-edits.js";

/** Which plugin to add to which factory call's `plugins` array. */
export interface PluginEditSpec {
  /** The call whose options get the plugin: `betterAuth` from "better-auth". */
  factory: { name: string; from: readonly string[] };
  /** The plugin factory's import; `alsoFrom` lists other modules it may already be imported from. */
  plugin: NamedImport & { alsoFrom?: readonly string[] };
  /** Further imports the plugin call uses (SignJWT from "jose"). */
  extraImports?: readonly NamedImport[];
  /** A plugin that must stay after the new one (nextCookies, which Better Auth wants last). */
  keepBefore?: NamedImport;
  /** The plugin call in the default style (two-space indent, double quotes); `locals` maps imported names to local names. */
  renderCall: (locals: Record<string, string>) => string;
}

export type PluginEditResult =
  | { status: "added"; text: string; exportedAs: ExportedAs | null }
  | { status: "present"; exportedAs: ExportedAs | null; pluginCall: NodeOf<"CallExpression"> }
  /** `foundCall`: the file has the single factory call (its options are what cannot be edited), so `exportedAs` is known. */
  | { status: "unrecognised"; reason: string; foundCall: boolean; exportedAs: ExportedAs | null };

interface FactoryCall {
  call: NodeOf<"CallExpression">;
  options: NodeOf<"ObjectExpression"> | null;
  plugins: NodeOf<"ArrayExpression"> | null;
}

function calleeName(node: ASTNode | null): string | null {
  return node?.type === "CallExpression" && node.callee.type === "Identifier" ? node.callee.name : null;
}

/** The single `factory(...)` call, or why there is not exactly one. */
function findSingleCall(source: ParsedSource, bindings: ImportBinding[], spec: PluginEditSpec): NodeOf<"CallExpression"> | string {
  const locals = localNamesOf(bindings, spec.factory.name, spec.factory.from);
  if (locals.length === 0) return `no import of ${spec.factory.name} from "${spec.factory.from[0]}"`;
  const calls = [...walk(source.program)].filter((n): n is NodeOf<"CallExpression"> => locals.includes(calleeName(n) ?? ""));
  if (calls.length !== 1) return calls.length === 0 ? `no ${spec.factory.name}(...) call` : `${calls.length} ${spec.factory.name}(...) calls, so it is unclear which one to change`;
  return calls[0];
}

/** The call's options object and plugins array, or why their shape is not one we edit. */
function factoryShape(call: NodeOf<"CallExpression">, spec: PluginEditSpec): FactoryCall | string {
  if (call.arguments.length === 0) return { call, options: null, plugins: null };
  const options = call.arguments[0];
  if (options.type !== "ObjectExpression") return `${spec.factory.name}(...) is not called with an object literal`;
  const property = findProperty(options, "plugins");
  if (!property) {
    if (options.properties.some((p) => p.type === "SpreadElement")) return `the ${spec.factory.name} options spread another object, which may hold plugins`;
    return { call, options, plugins: null };
  }
  if (property.type !== "ObjectProperty" || property.value.type !== "ArrayExpression") return "`plugins` is not an array literal";
  if (property.value.elements.some((e) => e === null)) return "`plugins` has holes";
  return { call, options, plugins: property.value };
}

/** The element of `plugins` that calls the given plugin factory, if any. */
function pluginCallIn(plugins: NodeOf<"ArrayExpression"> | null, names: string[]): NodeOf<"CallExpression"> | null {
  const found = plugins?.elements.find((e) => names.includes(calleeName(e) ?? ""));
  return (found as NodeOf<"CallExpression"> | undefined) ?? null;
}

/** A new `plugins` property: `plugins: [jwtClient()]`, or one line per plugin for a call that spans lines. */
function pluginsProperty(call: string, unit: string): string {
  return call.includes("\n") ? `plugins: [\n${unit}${indentFollowingLines(call, unit)},\n]` : `plugins: [${call}]`;
}

/** The edits putting the plugin call into the factory call, wherever its options stand. */
function pluginEdits(source: ParsedSource, found: FactoryCall, call: string, style: CodeStyle, keepBeforeNames: string[]): TextEdit[] | string {
  const { plugins, options } = found;
  if (plugins) {
    const items = plugins.elements as ASTNode[];
    const keep = items.findIndex((e) => keepBeforeNames.includes(calleeName(e) ?? ""));
    const list = { open: span(plugins).start, close: span(plugins).end - 1, items, kind: "brackets" as const };
    return insertIntoList(source, list, keep === -1 ? items.length : keep, call, style);
  }
  const property = pluginsProperty(call, style.indent);
  if (options) {
    const list = { open: span(options).start, close: span(options).end - 1, items: options.properties as ASTNode[], kind: "braces" as const };
    return insertIntoList(source, list, options.properties.length, property, style);
  }
  // `factory()`: give it an options object.
  const inCall = source.tokens.filter((t) => !t.comment && t.start >= span(found.call.callee).end && t.end <= span(found.call).end);
  const [open, close] = inCall.slice(-2);
  if (open?.value !== "(" || close?.value !== ")") return "cannot find the parentheses of the call";
  const object = property.includes("\n") ? `{\n${style.indent}${indentFollowingLines(property, style.indent)},\n}` : `{ ${property} }`;
  return [{ start: open.end, end: close.start, text: indentFollowingLines(object, indentationAt(source.text, open.start)) }];
}

/**
 * Adds a plugin call to the `plugins` array of a factory call such as `betterAuth({...})`
 * (creating the array if needed) and imports what it uses. Every other byte stays as it is.
 * Text in, text out: "present" when the plugin is already there, "unrecognised" (with the
 * reason) when the file does not have the expected shape.
 */
export function addPluginToFactoryCall(text: string, spec: PluginEditSpec): PluginEditResult {
  let source: ParsedSource;
  try {
    source = parseSource(text);
  } catch (error) {
    return { status: "unrecognised", reason: `cannot parse it: ${(error as Error).message}`, foundCall: false, exportedAs: null };
  }
  const bindings = importBindings(source);
  const call = findSingleCall(source, bindings, spec);
  if (typeof call === "string") return { status: "unrecognised", reason: call, foundCall: false, exportedAs: null };
  // Known before the shape checks: a file we cannot edit may still export the instance other files import.
  const exported = exportedAs(source, call);
  const found = factoryShape(call, spec);
  if (typeof found === "string") return { status: "unrecognised", reason: found, foundCall: true, exportedAs: exported };

  const pluginModules = [spec.plugin.from, ...(spec.plugin.alsoFrom ?? [])];
  const present = pluginCallIn(found.plugins, [spec.plugin.name, ...localNamesOf(bindings, spec.plugin.name, pluginModules)]);
  if (present) return { status: "present", exportedAs: exported, pluginCall: present };

  const style = detectCodeStyle(source);
  const taken = topLevelNames(source);
  const locals: Record<string, string> = {};
  const edits: TextEdit[] = [];
  const alreadyImported = localNamesOf(bindings, spec.plugin.name, pluginModules)[0];
  for (const wanted of [spec.plugin, ...(spec.extraImports ?? [])]) {
    if (wanted === spec.plugin && alreadyImported) {
      locals[wanted.name] = alreadyImported;
      continue;
    }
    const { local, edits: importEdits } = ensureNamedImport(source, wanted, style, taken);
    locals[wanted.name] = local;
    edits.push(...importEdits);
  }

  const keepBeforeNames = spec.keepBefore ? [spec.keepBefore.name, ...localNamesOf(bindings, spec.keepBefore.name, [spec.keepBefore.from])] : [];
  const pluginCall = restyleExpression(spec.renderCall(locals), style);
  const placed = pluginEdits(source, found, pluginCall, style, keepBeforeNames);
  if (typeof placed === "string") return { status: "unrecognised", reason: placed, foundCall: true, exportedAs: exported };
  const edited = applyEdits(text, [...edits, ...placed]);

  // The edit must leave a file that parses and now has the plugin; anything else is a bug here.
  const check = addPluginCheck(edited, spec);
  if (check !== "present") throw new Error(`auth-integrator: adding ${spec.plugin.name}() produced an unexpected result (${check})`);
  return { status: "added", text: edited, exportedAs: exported };
}

function addPluginCheck(text: string, spec: PluginEditSpec): string {
  try {
    const source = parseSource(text);
    const bindings = importBindings(source);
    const call = findSingleCall(source, bindings, spec);
    const found = typeof call === "string" ? call : factoryShape(call, spec);
    if (typeof found === "string") return found;
    const names = localNamesOf(bindings, spec.plugin.name, [spec.plugin.from, ...(spec.plugin.alsoFrom ?? [])]);
    return pluginCallIn(found.plugins, names) ? "present" : "plugin missing";
  } catch (error) {
    return `does not parse: ${(error as Error).message}`;
  }
}

/** The value of `key` in the object passed as the call's first argument, following nested keys. */
export function callOption(call: NodeOf<"CallExpression">, ...keys: string[]): ASTNode | null {
  let node: ASTNode | undefined = call.arguments[0];
  for (const key of keys) {
    if (node?.type !== "ObjectExpression") return null;
    const property = findProperty(node, key);
    if (!property) return null;
    node = property.type === "ObjectProperty" ? property.value : property;
  }
  return node ?? null;
}
