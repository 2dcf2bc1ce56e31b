import { addGitignoreEntries } from "../editors/gitignore.js";
import { filterGitIgnored, filterGitTracked } from "../formats/gitignore.js";
import { UserInputError } from "../errors.js";
import type { PlanTree } from "../tree.js";

/** Stops the run when a file that would receive the secret is tracked by git: ignoring it would not keep the secret out of commits. */
export function refuseTrackedSecretFiles(tree: PlanTree, files: string[]): void {
  const [tracked] = filterGitTracked(tree.root, files);
  if (tracked) {
    throw new UserInputError(`would receive BETTER_AUTH_SECRET but is tracked by git; untrack it (git rm --cached ${tracked}), commit, and run again`, tracked);
  }
}

/** Adds local-only files (real env files, the SQLite database) to the root .gitignore where git would not ignore them yet. */
export function planIgnoreLocalFiles(tree: PlanTree, files: string[]): void {
  const ignored = new Set(filterGitIgnored(tree.root, files));
  const missing = files.filter((file) => !ignored.has(file));
  if (missing.length === 0) return;
  const text = tree.read(".gitignore") ?? "";
  tree.write(".gitignore", addGitignoreEntries(text, missing.map((file) => `/${file}`)));
}

/** Warns, on every run, about files this tool writes or manages that git would ignore (a Python-style `lib/` rule hides frontend/lib). */
export function warnIgnoredOutputs(tree: PlanTree): void {
  const managed = [...tree.changes().filter((c) => c.before === null).map((c) => c.path), ...tree.generatedFiles()];
  const sources = [...new Set(managed)].filter((file) => !/(^|\/)\.env(\.local)?$/.test(file) && !/\.bak(\.\d+)?$/.test(file));
  const ignored = filterGitIgnored(tree.root, sources);
  for (const file of ignored) {
    tree.warn(`${file} is ignored by git (a .gitignore rule matches it), so it would not be committed; add a rule like "!${file}" to .gitignore`);
  }
}
