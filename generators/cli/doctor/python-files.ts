import { joinRel } from "../../lib/detect/paths.js";
import { walkDirs } from "../../lib/detect/walk.js";
import type { DoctorContext } from "./context.js";

const cache = new WeakMap<DoctorContext, string[]>();

/** The backend's own Python modules (depth ≤ 4; virtual envs, caches and tests left out), repo-relative. Read as text only: no parser. */
export function backendPythonFiles(context: DoctorContext): string[] {
  const known = cache.get(context);
  if (known) return known;
  const dir = context.backendDir;
  const files =
    dir === null
      ? []
      : walkDirs(context.root, dir)
          .filter((entry) => !entry.dir.split("/").some((part) => part === "tests" || part === "test"))
          .flatMap((entry) => entry.files.filter((name) => name.endsWith(".py") && !/^test_|_test\.py$|^conftest\.py$/.test(name)).map((name) => joinRel(entry.dir, name)));
  cache.set(context, files);
  return files;
}
