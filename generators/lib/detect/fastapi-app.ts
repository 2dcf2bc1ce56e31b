import { PythonSources, preferFiles } from "./python-sources.js";

/** Where the app module usually is, best first; `src/<package>/main.py` comes right after these. */
const PREFERRED_APP_FILES = ["main.py", "app/main.py", "src/main.py"];

/** A top-level `name = FastAPI(` (also `name: FastAPI = fastapi.FastAPI(`); commented and indented lines do not match. */
const APP_ASSIGNMENT = /^([A-Za-z_]\w*)\s*(?::\s*[\w.]+\s*)?=\s*(?:fastapi\.)?FastAPI\s*\(/m;

/** The variable a module's text assigns `FastAPI(...)` to at top level; null when none. */
export function fastapiAppVariable(text: string): string | null {
  return APP_ASSIGNMENT.exec(text)?.[1] ?? null;
}

/** Candidate app files in the order they are tried. */
export function appFileOrder(files: readonly string[]): string[] {
  const srcPackageMains = files.filter((f) => /^src\/[^/]+\/main\.py$/.test(f)).sort();
  return preferFiles(files, [...PREFERRED_APP_FILES, ...srcPackageMains]);
}

/** The module creating the FastAPI app (file relative to the backend folder) and its variable; null when none does. */
export function findAppModule(sources: PythonSources): { file: string; variable: string } | null {
  for (const file of appFileOrder(sources.files)) {
    const text = sources.text(file);
    const variable = text?.includes("FastAPI") ? fastapiAppVariable(text) : null;
    if (variable) return { file, variable };
  }
  return null;
}
