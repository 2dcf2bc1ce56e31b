import { importBindings, resolveDotted } from "../backend/python-imports.js";
import { logicalLines, type LogicalLine } from "../backend/python-statements.js";
import { UserInputError } from "../errors.js";

/** A router object to include: `name` in module `module` (e.g. { module: "routes.auth", name: "router" }). */
export interface RouterRef {
  module: string;
  name: string;
}

export interface RegisterRoutersOptions {
  /** The app module's path, for error messages. */
  file: string;
  /** The variable holding the FastAPI app ("app"). */
  appVariable: string;
  routers: RouterRef[];
  /** The app module's dotted name ("app.main"): resolves relative imports such as `from .routers import tasks`. */
  appModule?: string;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The top-level statement creating the app: the assignment `app = FastAPI(...)` (also annotated), else
 * the last top-level assignment of the variable (`app = create_app()`).
 */
export function findAppAssignment(statements: LogicalLine[], variable: string): LogicalLine | undefined {
  const assignment = new RegExp(`^${escapeRegExp(variable)}\\s*(?::[^=]+)?=(?!=)`);
  const assignments = statements.filter((statement) => assignment.test(statement.code));
  return assignments.find((statement) => /=\s*(?:fastapi\.)?FastAPI\s*\(/.test(statement.code)) ?? assignments.at(-1);
}

/** A name for the imported router that nothing in the file uses yet: auth_router, auth_router_2, ... */
function freeAlias(text: string, module: string, taken: Set<string>): string {
  const base = `${module.split(".").pop()}_router`;
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}_${n}`;
    if (!taken.has(candidate) && !new RegExp(`\\b${candidate}\\b`).test(text)) return candidate;
  }
}

/**
 * Imports each router and includes it in the app (text in → text out): imports go after the last
 * top-level import above the app's creation, `app.include_router(...)` after the last existing one,
 * else right after the statement creating the app. A router already included (under any import
 * form the file uses) is left alone, and an existing import of it is reused; every other line is kept.
 */
export function registerRouters(text: string, options: RegisterRoutersOptions): string {
  const { appVariable, appModule } = options;
  const statements = logicalLines(text).filter((statement) => statement.topLevel);
  const assignment = findAppAssignment(statements, appVariable);
  if (!assignment) {
    throw new UserInputError(`no top-level \`${appVariable} = ...\` found, so the routers could not be registered`, options.file);
  }
  const imports = statements.filter((statement) => /^(?:import|from)\s/.test(statement.code));
  const bindings = new Map<string, string>();
  for (const statement of imports) for (const { name, target } of importBindings(statement.code, appModule)) bindings.set(name, target);

  const includeCall = new RegExp(`^${escapeRegExp(appVariable)}\\s*\\.\\s*include_router\\s*\\(\\s*([A-Za-z_][\\w.]*)`);
  const includes = statements.filter((statement) => includeCall.test(statement.code));
  const included = new Set(includes.map((statement) => resolveDotted(includeCall.exec(statement.code)![1].replace(/\s+/g, ""), bindings)));

  const newImports: string[] = [];
  const newIncludes: string[] = [];
  const taken = new Set<string>();
  for (const router of options.routers) {
    const target = `${router.module}.${router.name}`;
    if (included.has(target)) continue;
    let name = [...bindings].find(([, bound]) => bound === target)?.[0];
    if (name === undefined) {
      name = freeAlias(text, router.module, taken);
      taken.add(name);
      newImports.push(`from ${router.module} import ${router.name} as ${name}`);
    }
    newIncludes.push(`${appVariable}.include_router(${name})`);
    included.add(target);
  }
  if (newIncludes.length === 0) return text;

  const lines = text.split("\n");
  const importsAbove = imports.filter((statement) => statement.last < assignment.first);
  const importAt = importsAbove.length > 0 ? importsAbove[importsAbove.length - 1].last + 1 : assignment.first;
  const includeAt = (includes.length > 0 ? includes[includes.length - 1] : assignment).last + 1;
  // The later insertion first, so the earlier index stays valid.
  lines.splice(includeAt, 0, ...newIncludes);
  lines.splice(importAt, 0, ...newImports);
  return lines.join("\n");
}
