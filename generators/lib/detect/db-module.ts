import type { SyntaxNode } from "@lezer/common";
import { assignmentOf, assignmentsIn, functionsIn, type FunctionInfo } from "../python/definitions.js";
import { callParts, childrenOf, descendants, dottedName, lastName, parsePython, stringValue, subscriptParts, textOf, type PySource } from "../python/syntax.js";
import type { DbInfo } from "../types.js";
import { PythonSources, preferFiles } from "./python-sources.js";

/** Where the session dependency usually lives, best first. */
const PREFERRED_DB_FILES = [
  "db.py",
  "database.py",
  "deps.py",
  "dependencies.py",
  "app/db.py",
  "app/database.py",
  "app/core/db.py",
  "app/core/database.py",
  "app/deps.py",
  "app/dependencies.py",
  "app/api/deps.py",
];

/** A session dependency found in one module's text. */
export interface SessionDependency {
  name: string;
  kind: DbInfo["dependencyKind"];
  async: boolean;
}

/** The session types a dependency can provide. */
const SESSION_TYPES = new Set(["Session", "AsyncSession"]);
/** Generator and iterator types a yielding dependency is annotated with: `Generator[Session, None, None]`. */
const YIELD_TYPES = new Set(["Generator", "AsyncGenerator", "Iterator", "AsyncIterator", "Iterable", "AsyncIterable"]);
/** Factories of session factories: `SessionLocal = sessionmaker(...)` makes `SessionLocal()` a session. */
const SESSION_MAKERS = new Set(["sessionmaker", "async_sessionmaker", "scoped_session", "async_scoped_session"]);
/** Callees that make sessions of other kinds (HTTP clients, cloud SDKs), never a database session. */
const NON_DB_SESSION = /(?:^|\.)(?:requests|aiohttp|httpx|boto3|botocore|ClientSession)(?:\.|$)/;
/** Names of what makes a session: Session, AsyncSession, SessionLocal, async_session, async_session_maker, db_session... */
const SESSION_CALLEE = /^(?:async_?)?(?:db_?)?session(?:_?(?:local|maker|factory))?$/i;
/** Functions decorated so: context managers, which FastAPI cannot use as a dependency. */
const CONTEXT_MANAGERS = new Set(["contextmanager", "asynccontextmanager"]);

/** The session type an annotation names, itself or as what a generator yields: "Session", "AsyncSession" or null. */
function sessionTypeOf(source: PySource, annotation: SyntaxNode | null): string | null {
  if (!annotation) return null;
  const literal = stringValue(source, annotation);
  if (literal !== null) {
    const written = parsePython(literal); // a quoted annotation: "Generator[Session, None, None]"
    return sessionTypeOf(written, written.top.firstChild?.firstChild ?? null);
  }
  const name = lastName(dottedName(source, annotation));
  if (name && SESSION_TYPES.has(name)) return name;
  const subscript = subscriptParts(source, annotation);
  return subscript && YIELD_TYPES.has(lastName(subscript.head) ?? "") ? sessionTypeOf(source, subscript.items[0] ?? null) : null;
}

/** The type an `Annotated[Session, ...]` alias stands for when it is a session type; null otherwise. */
function annotatedSessionType(source: PySource, value: SyntaxNode | null): string | null {
  const subscript = subscriptParts(source, value);
  if (lastName(subscript?.head ?? null) !== "Annotated") return null;
  return sessionTypeOf(source, subscript!.items[0] ?? null);
}

/** Module-level names bound to a session factory: `SessionLocal = sessionmaker(bind=engine)`. */
function sessionFactories(source: PySource): Set<string> {
  const makers = assignmentsIn(source).filter((found) => SESSION_MAKERS.has(lastName(callParts(source, found.value)?.callee ?? null) ?? ""));
  return new Set(makers.flatMap((found) => found.targets));
}

/** True for a call that makes a database session: `Session(engine)`, `SessionLocal()`, `async_session_maker()`, a factory's call. */
function makesSession(source: PySource, node: SyntaxNode | null, factories: Set<string>): boolean {
  const target = node?.name === "AwaitExpression" ? node.lastChild : node;
  const callee = callParts(source, target)?.callee ?? null;
  if (callee === null || NON_DB_SESSION.test(callee)) return false;
  return SESSION_CALLEE.test(lastName(callee) ?? "") || factories.has(callee);
}

/** The names a function binds to a new session: `with Session(engine) as s:`, `db = SessionLocal()`, `s: AsyncSession = ...`. */
function sessionVariables(source: PySource, fn: FunctionInfo, factories: Set<string>): Set<string> {
  const names = new Set<string>();
  for (const statement of descendants(fn.body, "WithStatement")) {
    const parts = childrenOf(statement);
    parts.forEach((part, i) => {
      if (part.name === "as" && parts[i + 1]?.name === "VariableName" && makesSession(source, parts[i - 1], factories)) names.add(textOf(source, parts[i + 1]));
    });
  }
  for (const statement of descendants(fn.body, "AssignStatement")) {
    const found = assignmentOf(source, statement);
    if (found && (makesSession(source, found.value, factories) || sessionTypeOf(source, found.annotation))) found.targets.forEach((name) => names.add(name));
  }
  return names;
}

/** True when a function yields (or returns) a session it makes: what FastAPI runs as a session dependency. */
function providesSession(source: PySource, fn: FunctionInfo, factories: Set<string>): boolean {
  const variables = sessionVariables(source, fn, factories);
  const provided = [...descendants(fn.body, "YieldStatement"), ...descendants(fn.body, "ReturnStatement")]
    .filter((statement) => enclosingFunction(statement) === fn.node)
    .map((statement) => statement.lastChild);
  return provided.some((value) => makesSession(source, value ?? null, factories) || (value?.name === "VariableName" && variables.has(textOf(source, value))));
}

/** The innermost function definition around a node. */
function enclosingFunction(node: SyntaxNode): SyntaxNode | null {
  for (let parent = node.parent; parent; parent = parent.parent) if (parent.name === "FunctionDefinition" || parent.name === "LambdaExpression") return parent;
  return null;
}

/** The session dependencies a module's top-level functions are, recognised by what they yield or return (names only as a fallback). */
function sessionFunctions(source: PySource): SessionDependency[] {
  const factories = sessionFactories(source);
  const candidates = functionsIn(source).filter((fn) => !fn.decorators.some((decorator) => CONTEXT_MANAGERS.has(lastName(decorator.name) ?? "")));
  const byShape = candidates.filter((fn) => sessionTypeOf(source, fn.returns) !== null || providesSession(source, fn, factories));
  const byName = candidates.filter((fn) => !byShape.includes(fn) && (fn.name === "get_session" || fn.name === "get_db"));
  return [...byShape, ...byName].map((fn) => ({ name: fn.name, kind: "function", async: fn.async || involvesAsyncSession(source, fn) }));
}

/** True when a function's annotations or code name AsyncSession (quoted return annotations included). */
function involvesAsyncSession(source: PySource, fn: FunctionInfo): boolean {
  if (sessionTypeOf(source, fn.returns) === "AsyncSession") return true;
  return [...descendants(fn.node, "VariableName"), ...descendants(fn.node, "PropertyName")].some((node) => textOf(source, node) === "AsyncSession");
}

/** The Annotated aliases over Session/AsyncSession a module defines at top level (`X = ...`, `X: TypeAlias = ...`, `type X = ...`). */
function sessionAliases(source: PySource): SessionDependency[] {
  return assignmentsIn(source).flatMap((found) => {
    const type = found.targets.length === 1 ? annotatedSessionType(source, found.value) : null;
    return type ? [{ name: found.targets[0], kind: "annotated" as const, async: type === "AsyncSession" }] : [];
  });
}

/**
 * The session dependencies a module defines: Annotated aliases over Session/AsyncSession ("SessionDep" first
 * when there are several), then its functions that yield or return a session (any name; get_session/get_db
 * count by name too). A function counts as async when it is `async def` or involves AsyncSession; an alias
 * when its type is AsyncSession.
 */
export function sessionDependencies(text: string): SessionDependency[] {
  const source = parsePython(text);
  const aliases = sessionAliases(source).sort((a, b) => Number(b.name === "SessionDep") - Number(a.name === "SessionDep"));
  return [...aliases, ...sessionFunctions(source)];
}

/** The module defining the session dependency; an Annotated alias anywhere beats a plain function. Null when none. */
export function findDbModule(sources: PythonSources): DbInfo | null {
  let firstFunction: DbInfo | null = null;
  for (const file of preferFiles(sources.files, PREFERRED_DB_FILES)) {
    const text = sources.text(file);
    if (!text || !/session|get_db|Annotated/i.test(text)) continue;
    for (const dep of sessionDependencies(text)) {
      const info: DbInfo = { module: sources.moduleOf(file), file: sources.repoPath(file), dependency: dep.name, dependencyKind: dep.kind, async: dep.async };
      if (dep.kind === "annotated") return info;
      firstFunction ??= info;
    }
  }
  return firstFunction;
}
