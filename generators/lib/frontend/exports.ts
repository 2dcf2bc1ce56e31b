import type { ExportedAs } from "./source/exported-binding.js";

/** The import clause that binds a module's export to `local`: `{ auth }`, `{ myAuth as auth }` or `auth`. */
export function importClause(exported: ExportedAs, local: string): string {
  if (exported.kind === "default") return local;
  return exported.name === local ? `{ ${local} }` : `{ ${exported.name} as ${local} }`;
}

/** The destructuring that binds it from a dynamic import(): `auth`, `myAuth: auth` or `default: auth`. */
export function dynamicImportBinding(exported: ExportedAs, local: string): string {
  const name = exported.kind === "default" ? "default" : exported.name;
  return name === local ? local : `${name}: ${local}`;
}
