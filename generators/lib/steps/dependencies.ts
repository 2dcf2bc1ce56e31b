import path from "node:path";
import { addPackageDependencies } from "../editors/packageJson.js";
import { addPythonRequirement } from "../editors/pythonDeps.js";
import type { PlanTree } from "../tree.js";
import type { BackendInfo, FrontendInfo } from "../types.js";

/** Adds the frontend's npm dependencies to its package.json (existing ranges are kept). */
export function planNpmDependencies(tree: PlanTree, frontend: FrontendInfo, deps: Record<string, string>): void {
  const file = path.posix.join(frontend.dir, "package.json");
  const text = tree.read(file);
  if (text === null) return;
  tree.write(file, addPackageDependencies(text, deps, { file }));
}

/** Adds the backend's Python requirements to whichever file declares its dependencies. */
export function planPythonDependencies(tree: PlanTree, backend: BackendInfo, requirements: string[]): void {
  const { file, kind } = backend.depsFile;
  let text = tree.read(file) ?? "";
  for (const requirement of requirements) text = addPythonRequirement(text, requirement, { file, kind });
  tree.write(file, text);
}
