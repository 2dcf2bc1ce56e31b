import { readSmallText } from "./files.js";
import { isFile, isDir, joinRel } from "./paths.js";
import { walkDirs } from "./walk.js";

/** Test code defines throwaway apps and models: detection never picks from it. */
function isTestPath(relToBackend: string): boolean {
  const parts = relToBackend.split("/");
  const name = parts.pop() ?? "";
  return parts.some((p) => p === "tests" || p === "test") || /^test_.*\.py$|_test\.py$|^conftest\.py$/.test(name);
}

/**
 * Dotted module path of a .py file or package folder, from its path relative to the backend folder.
 * The rule: the backend folder is the import root ("app/main.py" → "app.main", "app/routers" → "app.routers"),
 * except that a `src/` folder without `__init__.py` is itself the import root (the src layout):
 * "src/pkg/main.py" → "pkg.main", "src/main.py" → "main".
 */
export function dottedModule(relToBackend: string, srcIsSourceRoot: boolean): string {
  let rel = relToBackend.replace(/\.py$/, "").replace(/(^|\/)__init__$/, "");
  if (srcIsSourceRoot && (rel === "src" || rel.startsWith("src/"))) rel = rel.slice(4);
  return rel.split("/").filter(Boolean).join(".");
}

/** Files of `files` named in `preferred` (in that order), then the rest in their own order. */
export function preferFiles(files: readonly string[], preferred: readonly string[]): string[] {
  const present = preferred.filter((f) => files.includes(f));
  return [...present, ...files.filter((f) => !present.includes(f))];
}

/** The backend's Python modules (depth ≤ 4, tests left out), read lazily and at most once each. */
export class PythonSources {
  /** .py files relative to the backend folder, POSIX, shallowest first. */
  readonly files: string[];
  /** True when `src/` is an import root rather than a package (see dottedModule). */
  readonly srcIsSourceRoot: boolean;
  private readonly texts = new Map<string, string | null>();

  constructor(
    readonly root: string,
    /** The backend folder relative to the repo root. */
    readonly dir: string,
  ) {
    const prefix = dir === "." ? "" : `${dir}/`;
    this.files = walkDirs(root, dir)
      .flatMap((entry) => entry.files.filter((f) => f.endsWith(".py")).map((f) => joinRel(entry.dir, f).slice(prefix.length)))
      .filter((f) => !isTestPath(f));
    this.srcIsSourceRoot = isDir(root, joinRel(dir, "src")) && !isFile(root, joinRel(dir, "src/__init__.py"));
  }

  /** A module's text (null when unreadable or too large). */
  text(file: string): string | null {
    if (!this.texts.has(file)) this.texts.set(file, readSmallText(this.root, this.repoPath(file)));
    return this.texts.get(file) ?? null;
  }

  /** A path relative to the backend folder as a repo-relative path. */
  repoPath(relToBackend: string): string {
    return joinRel(this.dir, relToBackend);
  }

  /** The dotted import path of a file or package folder relative to the backend folder. */
  moduleOf(relToBackend: string): string {
    return dottedModule(relToBackend, this.srcIsSourceRoot);
  }
}
