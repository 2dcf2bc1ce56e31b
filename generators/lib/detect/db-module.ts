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

/** `SessionDep = Annotated[Session, ...]` at top level (also `: TypeAlias` and the 3.12 `type X = ...` form). */
const ANNOTATED_ALIAS = /^(?:type\s+)?([A-Za-z_]\w*)\s*(?::\s*TypeAlias\s*)?=\s*Annotated\[\s*([\w.]+)/gm;
/** `def get_session(` / `async def get_db(` at top level. */
const SESSION_FUNCTION = /^(async\s+)?def\s+(get_session|get_db)\s*\(/m;

/**
 * The session dependencies a module defines: Annotated aliases over Session/AsyncSession ("SessionDep" first
 * when there are several), then a get_session/get_db function. A function counts as async when it is
 * `async def` or the module uses AsyncSession; an alias when its type is AsyncSession.
 */
export function sessionDependencies(text: string): SessionDependency[] {
  const aliases: SessionDependency[] = [];
  for (const match of text.matchAll(ANNOTATED_ALIAS)) {
    const type = match[2].split(".").pop() ?? "";
    if (type === "Session" || type === "AsyncSession") aliases.push({ name: match[1], kind: "annotated", async: type === "AsyncSession" });
  }
  aliases.sort((a, b) => Number(b.name === "SessionDep") - Number(a.name === "SessionDep"));
  const fn = SESSION_FUNCTION.exec(text);
  const functions: SessionDependency[] = fn ? [{ name: fn[2], kind: "function", async: Boolean(fn[1]) || /\bAsyncSession\b/.test(text) }] : [];
  return [...aliases, ...functions];
}

/** The module defining the session dependency; an Annotated alias anywhere beats a plain function. Null when none. */
export function findDbModule(sources: PythonSources): DbInfo | null {
  let firstFunction: DbInfo | null = null;
  for (const file of preferFiles(sources.files, PREFERRED_DB_FILES)) {
    const text = sources.text(file);
    if (!text || !/get_session|get_db|Annotated/.test(text)) continue;
    for (const dep of sessionDependencies(text)) {
      const info: DbInfo = { module: sources.moduleOf(file), file: sources.repoPath(file), dependency: dep.name, dependencyKind: dep.kind, async: dep.async };
      if (dep.kind === "annotated") return info;
      firstFunction ??= info;
    }
  }
  return firstFunction;
}
