import { isObject, type JsonObject } from "../formats/json.js";
import { readJsonObject } from "./json-file.js";
import { joinRel } from "./paths.js";

/** A folder's package.json as an object, or null when it has none. Malformed JSON throws a UserInputError. */
export function readPackageJson(root: string, dir: string): JsonObject | null {
  return readJsonObject(root, joinRel(dir, "package.json"));
}

/** The version range a package.json gives a dependency (dependencies, then devDependencies); null when absent. */
export function dependencyRange(pkg: JsonObject, name: string): string | null {
  for (const field of ["dependencies", "devDependencies"]) {
    const deps = pkg[field];
    if (isObject(deps) && typeof deps[name] === "string") return deps[name] as string;
  }
  return null;
}
