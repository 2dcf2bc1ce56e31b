import { isObject, type JsonObject } from "../formats/json.js";
import { readJsonObject } from "./json-file.js";
import { isFile, joinRel, parentRel } from "./paths.js";

/** A compilerOptions value and the folder of the config file that set it (relative paths resolve from there). */
interface Located<T> {
  value: T;
  configDir: string;
}

interface PathSettings {
  paths?: Located<JsonObject>;
  baseUrl?: Located<string>;
}

/** How many `extends` hops are followed: enough for real setups, a stop for cycles. */
const MAX_EXTENDS = 5;

/** `paths` and `baseUrl` of a tsconfig, following relative `extends` (a nearer config overrides the one it extends). */
function loadPathSettings(root: string, rel: string, hops = 0): PathSettings {
  const config = readJsonObject(root, rel, { comments: true });
  if (!config) return {};
  const configDir = parentRel(rel);
  let settings: PathSettings = {};
  const parents = typeof config.extends === "string" ? [config.extends] : Array.isArray(config.extends) ? config.extends : [];
  for (const parent of parents) {
    // Package-name extends ("@tsconfig/next") live in node_modules and never carry this repo's aliases.
    if (typeof parent !== "string" || !parent.startsWith(".") || hops >= MAX_EXTENDS) continue;
    const parentRelPath = joinRel(configDir, parent.endsWith(".json") ? parent : `${parent}.json`);
    if (isFile(root, parentRelPath)) settings = { ...settings, ...definedOnly(loadPathSettings(root, parentRelPath, hops + 1)) };
  }
  const options = isObject(config.compilerOptions) ? config.compilerOptions : {};
  if (isObject(options.paths)) settings.paths = { value: options.paths, configDir };
  if (typeof options.baseUrl === "string") settings.baseUrl = { value: options.baseUrl, configDir };
  return settings;
}

function definedOnly(settings: PathSettings): PathSettings {
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
}

/**
 * The import prefix of the `paths` alias that maps onto `codeDir` ("@/*": ["./src/*"] → "@/"), preferring "@/";
 * null when none does. Targets resolve against baseUrl when set, else against the config that declares them.
 */
export function aliasFor(paths: JsonObject, pathsBase: string, codeDir: string): string | null {
  const matching = Object.entries(paths)
    .filter(([key, targets]) => key.endsWith("/*") && Array.isArray(targets))
    .filter(([, targets]) =>
      (targets as unknown[]).some((t) => typeof t === "string" && t.endsWith("*") && joinRel(pathsBase, t.slice(0, -1)) === codeDir),
    )
    .map(([key]) => key.slice(0, -1));
  return matching.includes("@/") ? "@/" : (matching[0] ?? null);
}

/** The frontend's import alias for its code folder, from tsconfig.json or else jsconfig.json; null when none. */
export function detectImportAlias(root: string, dir: string, codeDir: string): string | null {
  const config = ["tsconfig.json", "jsconfig.json"].map((name) => joinRel(dir, name)).find((rel) => isFile(root, rel));
  if (!config) return null;
  const { paths, baseUrl } = loadPathSettings(root, config);
  if (!paths) return null;
  const pathsBase = baseUrl ? joinRel(baseUrl.configDir, baseUrl.value) : paths.configDir;
  return aliasFor(paths.value, pathsBase, codeDir);
}
