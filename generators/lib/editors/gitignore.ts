import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

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

/** A .gitignore glob as a RegExp over a path relative to the .gitignore's folder. */
function globToRegExp(glob: string): RegExp {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*" && glob[i + 1] === "*") {
      out += glob[i + 2] === "/" ? "(?:.*/)?" : ".*";
      i += glob[i + 2] === "/" ? 2 : 1;
    } else if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else out += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}

/** Whether one .gitignore pattern matches `rel` (relative to the .gitignore's folder) or one of its parent folders. */
function patternMatches(pattern: string, rel: string): boolean {
  const dirOnly = pattern.endsWith("/");
  const body = dirOnly ? pattern.slice(0, -1) : pattern;
  const anchored = body.includes("/");
  const regex = globToRegExp(body.replace(/^\//, ""));
  const parts = rel.split("/");
  for (let n = 1; n <= parts.length; n++) {
    const isDir = n < parts.length;
    if (dirOnly && !isDir) continue;
    const candidate = anchored ? parts.slice(0, n).join("/") : parts[n - 1];
    if (regex.test(candidate)) return true;
  }
  return false;
}

/** The .gitignore rules that apply to `rel`, outermost first: [folder of the .gitignore, pattern]. */
function rulesFor(root: string, rel: string): Array<[string, string]> {
  const rules: Array<[string, string]> = [];
  const dirs = ["", ...rel.split("/").slice(0, -1).map((_, i, all) => all.slice(0, i + 1).join("/"))];
  for (const dir of dirs) {
    const file = path.join(root, dir, ".gitignore");
    if (!existsSync(file)) continue;
    for (const raw of readFileSync(file, "utf8").split(/\r?\n/)) {
      const line = raw.replace(/(?<!\\)\s+$/, "");
      if (line && !line.startsWith("#")) rules.push([dir, line]);
    }
  }
  return rules;
}

/** The fallback outside git: the last matching rule wins, `!` re-includes. */
function matchGitignoreFiles(root: string, rel: string): boolean {
  let ignored = false;
  for (const [dir, rule] of rulesFor(root, rel)) {
    const negated = rule.startsWith("!");
    const pattern = negated ? rule.slice(1) : rule;
    const local = dir === "" ? rel : rel.slice(dir.length + 1);
    if (patternMatches(pattern, local)) ignored = !negated;
  }
  return ignored;
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
  return rels.filter((rel) => matchGitignoreFiles(root, rel));
}

/** Whether git would ignore `rel` (which may not exist yet). */
export function isGitIgnored(root: string, rel: string): boolean {
  return filterGitIgnored(root, [rel]).length > 0;
}

/** Appends the patterns that are not already lines of the .gitignore text. */
export function addGitignoreEntries(text: string, patterns: string[]): string {
  const present = new Set(text.split("\n").map((l) => l.trim()));
  const missing = patterns.filter((p, i) => !present.has(p) && patterns.indexOf(p) === i);
  if (missing.length === 0) return text;
  const base = text === "" || text.endsWith("\n") ? text : `${text}\n`;
  return `${base}${missing.join("\n")}\n`;
}
