import path from "node:path";
import { addPackageDependencies, addPackageScripts } from "../editors/packageJson.js";
import type { FrontendPlan } from "../frontend/index.js";
import { addPythonRequirement } from "../editors/pythonDeps.js";
import type { PlanTree } from "../tree.js";
import type { BackendInfo, FrontendInfo } from "../types.js";

/** Adds the frontend's npm dependencies, dev dependencies and scripts to its package.json (existing entries are kept). */
export function planNpmDependencies(tree: PlanTree, frontend: FrontendInfo, plan: FrontendPlan): void {
  const file = path.posix.join(frontend.dir, "package.json");
  const text = tree.read(file);
  if (text === null) return;
  let edited = addPackageDependencies(text, plan.npmDeps, { file });
  edited = addPackageDependencies(edited, plan.npmDevDeps, { file, field: "devDependencies" });
  tree.write(file, addPackageScripts(edited, plan.scripts, { file }));
}

/** Adds the backend's Python requirements to whichever file declares its dependencies; returns those that were not there yet. */
export function planPythonDependencies(tree: PlanTree, backend: BackendInfo, requirements: string[]): string[] {
  const { file, kind } = backend.depsFile;
  let text = tree.read(file) ?? "";
  const added: string[] = [];
  for (const requirement of requirements) {
    const edited = addPythonRequirement(text, requirement, { file, kind });
    if (edited !== text) added.push(requirement);
    text = edited;
  }
  tree.write(file, text);
  return added;
}
