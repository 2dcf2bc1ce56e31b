import type { SyntaxNode } from "@lezer/common";
import { appFactoryOf, factoryCalledBy, isFastapiCall, type AppFactory } from "../detect/fastapi-app.js";
import { UserInputError } from "../errors.js";
import { assignmentsIn, functionsIn, type AssignmentInfo } from "../python/definitions.js";
import { bindingsOf, moduleBindings, resolveDotted } from "../python/imports.js";
import { callParts, descendants, dottedName, parsePython, statementsOf, syntaxErrors, textOf, type PySource } from "../python/syntax.js";
import { applyEdits, endOfLine, insertAt, lineEnding, lineStart, linesAfter, startsLine, type TextEdit } from "../text-edits.js";

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
  /** The function building the app (`create_app`), when detection found one; else the module is searched for it. */
  factory?: string;
}

/**
 * The top-level assignment creating the app: `app = FastAPI(...)` (also annotated), else the last
 * top-level assignment of the variable (`app = create_app()`).
 */
export function findAppAssignment(source: PySource, variable: string): AssignmentInfo | undefined {
  const assignments = assignmentsIn(source).filter((found) => found.targets.includes(variable));
  return assignments.find((found) => isFastapiCall(source, found.value)) ?? assignments.at(-1);
}

/** Where the app's routers are included: the module, or the body of the factory function building the app. */
interface AppScope {
  /** The module or the factory's Body. */
  scope: SyntaxNode;
  /** The app's variable in that scope. */
  variable: string;
  /** The statement creating the app there: new includes go after it when there are none yet. */
  creation: SyntaxNode;
  /** The top-level statement new imports must come before: the creation, or the factory's definition. */
  topStatement: SyntaxNode;
  factory: AppFactory | null;
}

/** The factory behind `app = create_app()`: the one named in the options, else the function the assignment calls. */
function factoryFor(source: PySource, assignment: AssignmentInfo, name: string | undefined): AppFactory | null {
  const named = name === undefined ? undefined : functionsIn(source).find((fn) => fn.name === name);
  return (named && appFactoryOf(source, named)) ?? factoryCalledBy(source, assignment);
}

/** The scope the includes go in; null when the module has no top-level assignment of the app variable. */
function appScope(source: PySource, options: RegisterRoutersOptions): AppScope | null {
  const assignment = findAppAssignment(source, options.appVariable);
  if (!assignment) return null;
  const factory = isFastapiCall(source, assignment.value) ? null : factoryFor(source, assignment, options.factory);
  if (!factory) return { scope: source.top, variable: options.appVariable, creation: assignment.node, topStatement: assignment.node, factory: null };
  return { scope: factory.fn.body, variable: factory.variable, creation: factory.creation.node, topStatement: factory.fn.statement, factory };
}

/** The `<variable>.include_router(...)` statements directly in a scope. */
function includeStatements(source: PySource, scope: SyntaxNode, variable: string): SyntaxNode[] {
  return statementsOf(scope).filter((statement) => statement.name === "ExpressionStatement" && callParts(source, statement.firstChild)?.callee === `${variable}.include_router`);
}

/** The router an include statement names, as written (`auth.router`); null when it is not a dotted name. */
function includedRouter(source: PySource, statement: SyntaxNode): string | null {
  const call = callParts(source, statement.firstChild);
  return dottedName(source, call?.positional[0] ?? call?.keywords.get("router"));
}

/** A name for the imported router that nothing in the module uses yet: auth_router, auth_router_2, ... */
function freeAlias(used: Set<string>, module: string): string {
  const base = `${module.split(".").pop()}_router`;
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}_${n}`;
    if (!used.has(candidate)) return candidate;
  }
}

/** The edit adding import lines after the last top-level import above the app's statement, else right before it. */
function importEdit(source: PySource, before: SyntaxNode, lines: string[]): TextEdit {
  const imports = statementsOf(source.top).filter((statement) => statement.name === "ImportStatement" && statement.to <= before.from);
  const last = imports.at(-1);
  if (last) return linesAfter(source.text, last.from, last.to, lines);
  const eol = lineEnding(source.text);
  return insertAt(lineStart(source.text, before.from), lines.map((line) => `${line}${eol}`).join(""));
}

/** Why includes cannot go after `anchor` in a factory (it shares its line with other code); null when they can. */
function factoryPlacementProblem(source: PySource, anchor: SyntaxNode, factory: AppFactory): string | null {
  const fits = startsLine(source.text, anchor.from) && endOfLine(source.text, anchor.to) < factory.returns.from;
  return fits ? null : `${factory.fn.name}() builds the app on lines shared with other statements, so the routers could not be included in it`;
}

/**
 * Imports each router and includes it in the app (text in → text out): imports go after the last
 * top-level import above the app's creation, `app.include_router(...)` after the last existing one,
 * else right after the statement creating the app; when a factory function (`app = create_app()`)
 * builds the app, inside that function, before its `return app`. A router already included (under
 * any import form the file uses) is left alone, and an existing import of it is reused; every other
 * byte is kept.
 */
export function registerRouters(text: string, options: RegisterRoutersOptions): string {
  const source = parsePython(text);
  const app = appScope(source, options);
  if (!app) {
    throw new UserInputError(`no top-level \`${options.appVariable} = ...\` found, so the routers could not be registered`, options.file);
  }
  const bindings = new Map(moduleBindings(source, options.appModule));
  const localImports = app.factory ? statementsOf(app.scope).filter((statement) => statement.name === "ImportStatement") : [];
  for (const statement of localImports) for (const binding of bindingsOf(source, statement, options.appModule)) bindings.set(binding.name, binding);

  const includes = includeStatements(source, app.scope, app.variable);
  const topIncludes = app.factory ? includeStatements(source, source.top, options.appVariable) : [];
  const included = new Set([...includes, ...topIncludes].map((statement) => resolveDotted(includedRouter(source, statement) ?? "", bindings)));

  const used = new Set(descendants(source.top, "VariableName").map((node) => textOf(source, node)));
  const newImports: string[] = [];
  const newIncludes: string[] = [];
  for (const router of options.routers) {
    const target = `${router.module}.${router.name}`;
    if (included.has(target)) continue;
    let name = [...bindings.values()].find((binding) => binding.target === target)?.name;
    if (name === undefined) {
      name = freeAlias(used, router.module);
      used.add(name);
      newImports.push(`from ${router.module} import ${router.name} as ${name}`);
    }
    newIncludes.push(`${app.variable}.include_router(${name})`);
    included.add(target);
  }
  if (newIncludes.length === 0) return text;

  const anchor = includes.filter((statement) => statement.from > app.creation.from).at(-1) ?? app.creation;
  const problem = app.factory ? factoryPlacementProblem(source, anchor, app.factory) : null;
  if (problem) throw new UserInputError(problem, options.file);
  const edits = [...(newImports.length > 0 ? [importEdit(source, app.topStatement, newImports)] : []), linesAfter(source.text, anchor.from, anchor.to, newIncludes)];
  const edited = applyEdits(text, edits);
  if (syntaxErrors(parsePython(edited)).length > syntaxErrors(source).length) throw new Error(`registering the routers in ${options.file} produced invalid Python`);
  return edited;
}
