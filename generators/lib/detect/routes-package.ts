import type { BackendInfo } from "../types.js";
import { isDir, isFile, isWithin, joinRel, parentRel } from "./paths.js";
import type { PythonSources } from "./python-sources.js";

/** Route package layouts in the order they are tried, relative to a base folder (see findRoutesPackage). */
export const ROUTES_FOLDERS = [
  "routes",
  "routers",
  "app/routers",
  "app/routes",
  "api/routes",
  "app/api/routes",
  "api/v1/endpoints",
  "app/api/v1/endpoints",
];

/**
 * The routes package (paths relative to the backend folder): the first existing ROUTES_FOLDERS entry under the
 * app module's folder, the backend folder, or the `src/` import root, preferring one inside the app's own package.
 * When none exists: a new `routes/` next to the app module (`routers/` if a routes.py module would clash).
 */
export function findRoutesPackage(sources: PythonSources, appFile: string): BackendInfo["routes"] {
  const appDir = parentRel(appFile);
  const bases = [...new Set([appDir, ".", ...(sources.srcIsSourceRoot ? ["src"] : [])])];
  const existing = [...new Set(bases.flatMap((base) => ROUTES_FOLDERS.map((folder) => joinRel(base, folder))))].filter((folder) =>
    isDir(sources.root, sources.repoPath(folder)),
  );
  const found = existing.find((folder) => isWithin(folder, appDir)) ?? existing[0];
  if (found) return { module: sources.moduleOf(found), file: sources.repoPath(found), exists: true };

  const fresh =
    ["routes", "routers", "api_routes"].map((name) => joinRel(appDir, name)).find((folder) => !isFile(sources.root, sources.repoPath(`${folder}.py`))) ??
    joinRel(appDir, "routes");
  return { module: sources.moduleOf(fresh), file: sources.repoPath(fresh), exists: false };
}
