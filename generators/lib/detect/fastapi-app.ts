import type { SyntaxNode } from "@lezer/common";
import { assignmentsIn, functionsIn, type AssignmentInfo, type FunctionInfo } from "../python/definitions.js";
import { callParts, dottedName, parsePython, statementsOf, type PySource } from "../python/syntax.js";
import { PythonSources, preferFiles } from "./python-sources.js";

/** Where the app module usually is, best first; `src/<package>/main.py` comes right after these. */
const PREFERRED_APP_FILES = ["main.py", "app/main.py", "src/main.py"];

/** The FastAPI app a module creates: its module-level variable and, when a factory function builds it, that function's name. */
export interface FastapiApp {
  variable: string;
  factory?: string;
}

/** An application factory: the function, the variable it builds the app in, and the statements creating and returning it. */
export interface AppFactory {
  fn: FunctionInfo;
  variable: string;
  creation: AssignmentInfo;
  returns: SyntaxNode;
}

/** True for a `FastAPI(...)` or `fastapi.FastAPI(...)` call. */
export function isFastapiCall(source: PySource, node: SyntaxNode | null): boolean {
  const callee = callParts(source, node)?.callee;
  return callee === "FastAPI" || callee === "fastapi.FastAPI";
}

/** The assignments in a scope (module or body) of `FastAPI(...)` to one plain name (annotated or not). */
export function fastapiAssignments(source: PySource, scope: SyntaxNode = source.top): AssignmentInfo[] {
  return assignmentsIn(source, scope).filter((found) => found.targets.length === 1 && isFastapiCall(source, found.value));
}

/** The factory shape of a function: its body assigns FastAPI(...) to a name and later returns that name; null otherwise. */
export function appFactoryOf(source: PySource, fn: FunctionInfo): AppFactory | null {
  const statements = statementsOf(fn.body);
  for (const creation of fastapiAssignments(source, fn.body)) {
    const variable = creation.targets[0];
    const returns = statements.find((statement) => statement.name === "ReturnStatement" && statement.from > creation.node.to && dottedName(source, statement.lastChild) === variable);
    if (returns) return { fn, variable, creation, returns };
  }
  return null;
}

/** The factory a module-level assignment calls (`app = create_app(...)`), when that function is defined in this module. */
export function factoryCalledBy(source: PySource, assignment: AssignmentInfo): AppFactory | null {
  const callee = callParts(source, assignment.value)?.callee;
  const fn = callee ? functionsIn(source).find((found) => found.name === callee) : undefined;
  return fn ? appFactoryOf(source, fn) : null;
}

/** The app a parsed module creates at top level: `app = FastAPI(...)`, else `app = create_app()` over a factory defined here. */
export function fastapiApp(source: PySource): FastapiApp | null {
  const direct = fastapiAssignments(source)[0];
  if (direct) return { variable: direct.targets[0] };
  for (const assignment of assignmentsIn(source)) {
    const factory = assignment.targets.length === 1 ? factoryCalledBy(source, assignment) : null;
    if (factory) return { variable: assignment.targets[0], factory: factory.fn.name };
  }
  return null;
}

/** The variable a module's text assigns `FastAPI(...)` to at top level; null when none. */
export function fastapiAppVariable(text: string): string | null {
  return fastapiAssignments(parsePython(text))[0]?.targets[0] ?? null;
}

/** Candidate app files in the order they are tried. */
export function appFileOrder(files: readonly string[]): string[] {
  const srcPackageMains = files.filter((f) => /^src\/[^/]+\/main\.py$/.test(f)).sort();
  return preferFiles(files, [...PREFERRED_APP_FILES, ...srcPackageMains]);
}

/** The module creating the FastAPI app (file relative to the backend folder), its variable and factory; null when none does. */
export function findAppModule(sources: PythonSources): ({ file: string } & FastapiApp) | null {
  for (const file of appFileOrder(sources.files)) {
    const text = sources.text(file);
    const app = text?.includes("FastAPI") ? fastapiApp(parsePython(text)) : null;
    if (app) return { file, ...app };
  }
  return null;
}
