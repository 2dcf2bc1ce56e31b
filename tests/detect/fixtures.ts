import { makeFixture } from "../helpers/fixture.js";
import { removedAfterEach } from "../helpers/temp-roots.js";

/** A package.json text depending on next (in `dependencies` unless `dev`), plus any extra fields. */
export function nextPackageJson(options: { version?: string; dev?: boolean; extra?: Record<string, unknown> } = {}): string {
  const deps = { next: options.version ?? "15.3.0", react: "19.1.0" };
  return JSON.stringify({ name: "web", private: true, ...(options.dev ? { devDependencies: deps } : { dependencies: deps }), ...options.extra }, null, 2);
}

/** A PEP 621 pyproject.toml listing the given requirements. */
export function pep621Pyproject(deps: string[] = ["fastapi>=0.110", "uvicorn"]): string {
  return `[project]\nname = "api"\nversion = "0.1.0"\ndependencies = [\n${deps.map((d) => `  "${d}",`).join("\n")}\n]\n`;
}

export const MAIN_PY = 'from fastapi import FastAPI\n\napp = FastAPI(title="Tasks")\n';

/** A fixture repo per test, removed afterwards: `const repo = useFixtures(); const root = repo({ ... })`. */
export function useFixtures(): (files: Record<string, string>) => string {
  const removed = removedAfterEach();
  return (files) => removed(makeFixture(files, "detect-"));
}
