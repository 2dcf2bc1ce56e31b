import { parentPackage } from "./python-module.js";

/** A name an import statement binds, with the dotted path it stands for ("auth_router" → "routes.auth.router"). */
export interface ImportBinding {
  name: string;
  target: string;
}

const IMPORT = /^import\s+(.+)$/s;
const FROM_IMPORT = /^from\s+(\.*)([\w.]*)\s+import\s+\(?(.+?)\)?\s*$/s;

/** Resolves `from ..x import` style module paths against the importing module ("app.main"); null when it cannot. */
function resolveFrom(dots: string, module: string, importer: string | undefined): string | null {
  if (!dots) return module;
  if (importer === undefined) return null;
  let pkg = parentPackage(importer);
  for (let level = 1; level < dots.length; level++) {
    if (!pkg) return null;
    pkg = parentPackage(pkg);
  }
  return [pkg, module].filter(Boolean).join(".") || null;
}

/**
 * The names one import statement binds (statement text in → bindings out), e.g.
 * `from routes.auth import router as auth_router` → auth_router = routes.auth.router;
 * `import routes.auth` → routes = routes. `importer` (the importing module) resolves relative imports.
 */
export function importBindings(statement: string, importer?: string): ImportBinding[] {
  const from = FROM_IMPORT.exec(statement);
  if (from) {
    const module = resolveFrom(from[1], from[2], importer);
    if (module === null) return [];
    return from[3]
      .split(",")
      .map((part) => part.trim().split(/\s+as\s+/))
      .filter(([name]) => name && name !== "*")
      .map(([name, alias]) => ({ name: (alias ?? name).trim(), target: `${module}.${name.trim()}` }));
  }
  const plain = IMPORT.exec(statement);
  if (!plain) return [];
  return plain[1]
    .split(",")
    .map((part) => part.trim().split(/\s+as\s+/))
    .filter(([module]) => module)
    .map(([module, alias]) => (alias ? { name: alias.trim(), target: module.trim() } : { name: module.split(".")[0], target: module.split(".")[0] }));
}

/** The dotted path an expression names through the bindings: `auth.router` with `from routes import auth` → routes.auth.router. */
export function resolveDotted(expression: string, bindings: ReadonlyMap<string, string>): string | null {
  const [head, ...rest] = expression.split(".");
  const target = bindings.get(head);
  return target === undefined ? null : [target, ...rest].join(".");
}
