import { execFileSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { lazyModule } from "../lazy-module.js";

/**
 * .gitignore files: inside a git work tree git itself is asked (`git check-ignore`, `git ls-files`);
 * outside one, the .gitignore files are matched with the `ignore` package, which implements git's
 * pattern rules (globs, `**`, negation, `dir/`, anchoring, escapes, trailing spaces, and that a path
 * inside an ignored folder is ignored: git never descends into it).
 */

/** `ignore` is loaded on first use only: most CLI starts never match a .gitignore outside git. */
const ignore = lazyModule<typeof import("ignore")>("ignore");

/** Whether `root` is inside a git work tree (cached per root). */
const workTrees = new Map<string, boolean>();
function inGitWorkTree(root: string): boolean {
  if (!workTrees.has(root)) {
    try {
      execFileSync("git", ["rev-parse", "--is-inside-work-tree"], { cwd: root, stdio: "ignore" });
      workTrees.set(root, true);
    } catch {
      workTrees.set(root, false);
    }
  }
  return workTrees.get(root)!;
}

/** A folder path as a literal .gitignore pattern prefix: glob characters escaped, and a leading `!` or `#`. */
function literalPrefix(folder: string): string {
  return folder.replace(/[\\*?[]/g, "\\$&").replace(/^[!#]/, "\\$&");
}

/**
 * The lines of the .gitignore in `folder` (repo-relative, "" for the root) as patterns relative to the root,
 * so that the files of every folder can share one matcher, outermost first (the last matching rule wins, as in git).
 * Git reads a nested file's patterns relative to its folder: one with a slash before its end is anchored there,
 * one without matches a name at any depth below it.
 */
export function gitignoreRulesFrom(folder: string, text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (folder === "") return lines;
  const prefix = literalPrefix(folder);
  const rules: string[] = [];
  for (const line of lines) {
    // Blank lines (trailing spaces are dropped unless escaped) and comments are no rules.
    const trimmed = line.replace(/(?<!\\) +$/, "");
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const negation = trimmed.startsWith("!") ? "!" : "";
    const body = trimmed.slice(negation.length);
    const anchored = body.replace(/\/$/, "").includes("/");
    rules.push(`${negation}${prefix}/${anchored ? body.replace(/^\//, "") : `**/${body}`}`);
  }
  return rules;
}

/** Whether a path exists and is a folder (a path that does not exist yet counts as a file, as git sees it). */
function isDirectory(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** The text of a folder's .gitignore, or null when it has none. */
function readGitignore(root: string, folder: string): string | null {
  try {
    return readFileSync(path.join(root, folder, ".gitignore"), "utf8");
  } catch {
    return null;
  }
}

/**
 * The paths (which may not exist yet) that the .gitignore files of `root` and of the folders down to each path
 * ignore, as git would see them (case-sensitive, as core.ignoreCase is off by default). A path ending in "/",
 * or naming an existing folder, is matched as a folder.
 */
export function matchGitignoreFiles(root: string, rels: string[]): string[] {
  const folders = new Set<string>([""]);
  for (const rel of rels) {
    const parts = rel.replace(/\/$/, "").split("/").slice(0, -1);
    parts.forEach((_, i) => folders.add(parts.slice(0, i + 1).join("/")));
  }
  const matcher = ignore()({ ignoreCase: false });
  const depth = (folder: string) => (folder === "" ? 0 : folder.split("/").length);
  for (const folder of [...folders].sort((a, b) => depth(a) - depth(b))) {
    const text = readGitignore(root, folder);
    if (text !== null) matcher.add(gitignoreRulesFrom(folder, text));
  }
  return rels.filter((rel) => {
    const asDir = rel.endsWith("/") || !isDirectory(path.join(root, rel)) ? rel : `${rel}/`;
    return matcher.ignores(asDir);
  });
}

/**
 * The paths (which may not exist yet) that git would ignore: asked of git itself in one call
 * inside a work tree, else matched against the .gitignore files.
 */
export function filterGitIgnored(root: string, rels: string[]): string[] {
  if (rels.length === 0) return [];
  if (inGitWorkTree(root)) {
    try {
      const out = execFileSync("git", ["check-ignore", "--no-index", "--stdin"], { cwd: root, input: rels.join("\n"), encoding: "utf8", stdio: ["pipe", "pipe", "ignore"] });
      const ignored = new Set(out.split("\n").filter(Boolean));
      return rels.filter((rel) => ignored.has(rel));
    } catch (error) {
      // Exit 1: none of them is ignored.
      if ((error as { status?: number }).status === 1) return [];
    }
  }
  return matchGitignoreFiles(root, rels);
}

/** The paths git tracks (committed or staged), in one call; none outside a git work tree. */
export function filterGitTracked(root: string, rels: string[]): string[] {
  if (rels.length === 0 || !inGitWorkTree(root)) return [];
  const out = execFileSync("git", ["ls-files", "-z", "--", ...rels], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  const tracked = new Set(out.split("\0").filter(Boolean));
  return rels.filter((rel) => tracked.has(rel));
}

/** Whether git would ignore `rel` (which may not exist yet). */
export function isGitIgnored(root: string, rel: string): boolean {
  return filterGitIgnored(root, [rel]).length > 0;
}
