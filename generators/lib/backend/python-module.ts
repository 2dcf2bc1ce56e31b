import path from "node:path";

/** The package a dotted module lives in: "app.main" → "app", "main" → "". */
export function parentPackage(module: string): string {
  const dot = module.lastIndexOf(".");
  return dot === -1 ? "" : module.slice(0, dot);
}

/** A submodule of a package ("" is the top level): submodule("app", "auth_jwt") → "app.auth_jwt". */
export function submodule(pkg: string, name: string): string {
  return pkg ? `${pkg}.${name}` : name;
}

/**
 * The folder, relative to the backend folder, that the app's modules are imported from ("" for the
 * backend folder itself): app file "backend/src/pkg/main.py" with module "pkg.main" → "src".
 */
export function importRootOf(backendDir: string, appFile: string, appModule: string): string {
  let dir = path.posix.dirname(appFile);
  for (let i = 1; i < appModule.split(".").length; i++) dir = path.posix.dirname(dir);
  const rel = path.posix.relative(path.posix.normalize(backendDir), dir);
  return rel === "." ? "" : rel;
}

/** How many folders `dir` lies below the backend folder: `Path(__file__).parents[N]` of a file in `dir` is the backend folder. */
export function depthBelow(backendDir: string, dir: string): number {
  const rel = path.posix.relative(path.posix.normalize(backendDir), path.posix.normalize(dir));
  if (rel.startsWith("..")) throw new Error(`${dir} is not inside the backend folder ${backendDir}`);
  return rel === "" ? 0 : rel.split("/").length;
}

/** A Python file of a folder, relative to the repo root: pythonFile("backend/app", "db") → "backend/app/db.py". */
export function pythonFile(dir: string, stem: string): string {
  return path.posix.join(dir, `${stem}.py`);
}
