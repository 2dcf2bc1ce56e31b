import path from "node:path";
import { MalformedFileError, UserInputError } from "../errors.js";
import type { BackendInfo } from "../types.js";
import { rankCandidates } from "./candidates.js";
import { detectComposeFile } from "./compose-file.js";
import { detectDatabaseUrl } from "./database-url.js";
import { findDbModule } from "./db-module.js";
import { findAppModule } from "./fastapi-app.js";
import { resolveUserDir } from "./paths.js";
import { inspectPythonProject, mayDeclareFastapi } from "./python-project.js";
import { PythonSources } from "./python-sources.js";
import { findRoutesPackage } from "./routes-package.js";
import { findTaskModel } from "./task-model.js";
import { walkDirs, type WalkedDir } from "./walk.js";

/** Folder names that win a tie between FastAPI projects at the same depth, best first. */
const PREFERRED_NAMES = ["backend", "api", "server"];

/** True when a folder's pyproject.toml or requirements*.txt names fastapi; a malformed one that mentions it counts, so its error is reported. */
function declaresFastapi(root: string, entry: WalkedDir): boolean {
  if (!mayDeclareFastapi(root, entry.dir, entry.files)) return false;
  try {
    return inspectPythonProject(root, entry.dir, entry.files).depsFile !== null;
  } catch (error) {
    if (error instanceof MalformedFileError) return true;
    if (error instanceof UserInputError) return false;
    throw error;
  }
}

/** True when `dir` is `parent` or lies below it (POSIX paths relative to the root, "." for the root). */
const isWithin = (dir: string, parent: string) => parent === "." || dir === parent || dir.startsWith(`${parent}/`);

/**
 * Folders (root included, depth ≤ 4) whose Python manifests name fastapi, best default first: the shallowest, unless
 * the app it would serve is created inside a deeper one (a root pyproject.toml of a console app beside backend/ with
 * the FastAPI app and its own requirements.txt): the app belongs to the nearest folder above it that declares fastapi.
 */
export function findBackendCandidates(root: string, dirs: WalkedDir[] = walkDirs(root)): string[] {
  const ranked = rankCandidates(
    dirs.filter((entry) => declaresFastapi(root, entry)),
    PREFERRED_NAMES,
  );
  const first = ranked[0];
  const nested = ranked.filter((dir) => dir !== first && first !== undefined && isWithin(dir, first));
  if (nested.length === 0) return ranked;
  const app = findAppModule(new PythonSources(root, first));
  const appDir = app ? path.posix.dirname(first === "." ? app.file : `${first}/${app.file}`) : null;
  const owner = appDir === null ? undefined : nested.filter((dir) => isWithin(appDir, dir)).sort((a, b) => b.length - a.length)[0];
  return owner ? [owner, ...ranked.filter((dir) => dir !== owner)] : ranked;
}

/** Names of the regular files directly in a folder. */
function filesIn(root: string, dir: string): string[] {
  return walkDirs(root, dir, 0)[0]?.files ?? [];
}

/**
 * The FastAPI app in `dir` (relative to root): where it is created, its routes package, session dependency,
 * Task model and how dependencies are managed. Throws a UserInputError when the folder is missing, a manifest is
 * malformed, nothing names fastapi, or no module creates FastAPI(...).
 */
export function detectBackend(root: string, dir: string): BackendInfo {
  const rel = resolveUserDir(root, dir, "backend");
  const project = inspectPythonProject(root, rel, filesIn(root, rel));
  if (!project.depsFile) throw new UserInputError(`no FastAPI app in '${rel}': no pyproject.toml or requirements*.txt names fastapi`);

  const sources = new PythonSources(root, rel);
  const app = findAppModule(sources);
  if (!app) throw new UserInputError(`no FastAPI app in '${rel}': no module creates FastAPI(...)`);
  sources.fitRelativeImports(app.file);
  const appModule = sources.moduleOf(app.file);
  return {
    dir: rel,
    app: { module: appModule, file: sources.repoPath(app.file), variable: app.variable },
    appImport: `${appModule}:${app.variable}`,
    routes: findRoutesPackage(sources, app.file),
    db: findDbModule(sources),
    databaseUrl: detectDatabaseUrl(root, rel, detectComposeFile(root)),
    taskModel: findTaskModel(sources),
    depsFile: project.depsFile,
    pythonTool: project.pythonTool,
  };
}
