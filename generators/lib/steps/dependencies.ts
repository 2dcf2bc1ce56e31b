import path from "node:path";
import { addPackageDependencies, addPackageScripts, declaredPackages, packageScripts, removePackageMembers, setDependencyRange } from "../editors/package-json.js";
import type { FrontendPlan } from "../frontend/index.js";
import { addPythonRequirement } from "../editors/python-deps.js";
import type { PlanTree } from "../tree.js";
import type { BackendInfo, FrontendInfo } from "../types.js";
import { compareEntries, recordEntryChanges, type WantedEntry } from "./added-entries.js";
import { isHashedRequirements } from "./deploy-dependencies.js";

type PackageField = "dependencies" | "devDependencies" | "scripts";

/** package.json entries as flat record keys ("dependencies.jose"), with the value each field gives them. */
function packageEntries(plan: FrontendPlan): WantedEntry[] {
  const fields: Array<[PackageField, Record<string, string>]> = [["dependencies", plan.npmDeps], ["devDependencies", plan.npmDevDeps], ["scripts", plan.scripts]];
  return fields.flatMap(([field, members]) => Object.entries(members).map(([name, value]) => ({ key: `${field}.${name}`, value })));
}

const splitEntryKey = (key: string): [PackageField, string] => {
  const dot = key.indexOf(".");
  return [key.slice(0, dot) as PackageField, key.slice(dot + 1)];
};

/** What package.json holds for each record key: a package in any dependency field counts as present, as npm sees it. */
function presentEntries(text: string, file: string, keys: string[]): Map<string, string> {
  const declared = declaredPackages(text, { file });
  const scripts = packageScripts(text, { file });
  const present = new Map<string, string>();
  for (const key of keys) {
    const [field, name] = splitEntryKey(key);
    const value = field === "scripts" ? scripts.get(name) : declared.get(name);
    if (value !== undefined) present.set(key, value);
  }
  return present;
}

/**
 * Adds the frontend's npm dependencies, dev dependencies and scripts to its package.json: entries of the user's are
 * kept; ones an earlier run added follow the answers (jose goes when shared-secret mode does, pg when Postgres does).
 */
export function planNpmDependencies(tree: PlanTree, frontend: FrontendInfo, plan: FrontendPlan): void {
  const file = path.posix.join(frontend.dir, "package.json");
  const text = tree.read(file);
  if (text === null) return;
  const wanted = packageEntries(plan);
  const recorded = tree.addedEntries(file);
  const changes = compareEntries(wanted, recorded, presentEntries(text, file, [...wanted.map((e) => e.key), ...Object.keys(recorded)]));
  let edited = text;
  for (const key of changes.stale) {
    const [field, name] = splitEntryKey(key);
    edited = removePackageMembers(edited, field, [name], { file });
  }
  for (const { key, value } of changes.updates) edited = setDependencyRange(edited, ...splitEntryKey(key), value, { file });
  edited = addPackageDependencies(edited, plan.npmDeps, { file });
  edited = addPackageDependencies(edited, plan.npmDevDeps, { file, field: "devDependencies" });
  tree.write(file, addPackageScripts(edited, plan.scripts, { file }));
  recordEntryChanges(tree, file, changes);
}

/**
 * Adds the backend's Python requirements to whichever file declares its dependencies; returns those that were not
 * there yet. A requirements file pinned with `--hash` is left as it is: pip refuses a line without a hash there, so
 * planDeployDependencies names the command that regenerates it instead.
 */
export function planPythonDependencies(tree: PlanTree, backend: BackendInfo, requirements: string[]): string[] {
  const { file, kind } = backend.depsFile;
  let text = tree.read(file) ?? "";
  if (kind === "requirements" && isHashedRequirements(text)) return [];
  const added: string[] = [];
  for (const requirement of requirements) {
    const edited = addPythonRequirement(text, requirement, { file, kind });
    if (edited !== text) added.push(requirement);
    text = edited;
  }
  tree.write(file, text);
  return added;
}
