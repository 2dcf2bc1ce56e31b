import { addGitignoreEntries, filterGitIgnored } from "../editors/gitignore.js";
import type { PlanTree } from "../tree.js";

/** Adds local-only files (real env files, the SQLite database) to the root .gitignore where git would not ignore them yet. */
export function planIgnoreLocalFiles(tree: PlanTree, files: string[]): void {
  const ignored = new Set(filterGitIgnored(tree.root, files));
  const missing = files.filter((file) => !ignored.has(file));
  if (missing.length === 0) return;
  const text = tree.read(".gitignore") ?? "";
  tree.write(".gitignore", addGitignoreEntries(text, missing.map((file) => `/${file}`)));
}

/** Warns about files this run creates that git would ignore (a Python-style `lib/` rule hides frontend/lib). */
export function warnIgnoredOutputs(tree: PlanTree, created: string[]): void {
  const sources = created.filter((file) => !/(^|\/)\.env(\.local)?$/.test(file) && !/\.bak(\.\d+)?$/.test(file));
  const ignored = filterGitIgnored(tree.root, sources);
  for (const file of ignored) {
    tree.warn(`${file} is ignored by git (a .gitignore rule matches it), so it would not be committed; add a rule like "!${file}" to .gitignore`);
  }
}
