import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
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

/** One rule of a .gitignore file, relative to the folder holding that file. */
interface IgnoreRule {
  /** The .gitignore's folder, repo-relative ("" for the root). */
  base: string;
  negated: boolean;
  dirOnly: boolean;
  /** Patterns with a slash (other than a trailing one) match the path from `base`; others match the last segment. */
  anchored: boolean;
  regex: RegExp;
}

/** A .gitignore glob as a RegExp over a path: `*` `?` and `[...]` stay within one segment, `**` spans folders. */
function globToRegExp(glob: string): RegExp {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "\\" && i + 1 < glob.length) out += glob[++i].replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    else if (c === "*" && glob[i + 1] === "*" && (i === 0 || glob[i - 1] === "/") && (i + 2 === glob.length || glob[i + 2] === "/")) {
      // `**/` matches zero or more folders; a trailing `/**` everything inside.
      out += i + 2 === glob.length ? ".*" : "(?:.*/)?";
      i += 2;
    } else if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "[" && glob.indexOf("]", i + 2) > 0) {
      const close = glob.indexOf("]", i + 2);
      const body = glob.slice(i + 1, close).replace(/^!/, "^").replace(/\\/g, "\\\\");
      out += `(?!/)[${body}]`;
      i = close;
    } else out += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${out}$`);
}

/** Parses one .gitignore line into a rule, or null for blank lines and comments. */
function parseRule(base: string, raw: string): IgnoreRule | null {
  // Trailing spaces are dropped unless escaped; `\#` and `\!` start a literal pattern.
  let line = raw.replace(/\r$/, "").replace(/(?<!\\)[ \t]+$/, "");
  if (line === "" || line.startsWith("#")) return null;
  const negated = line.startsWith("!");
  if (negated) line = line.slice(1);
  const dirOnly = line.endsWith("/");
  if (dirOnly) line = line.slice(0, -1);
  if (line === "") return null;
  const anchored = line.includes("/");
  return { base, negated, dirOnly, anchored, regex: globToRegExp(line.replace(/^\//, "")) };
}

/** The rules of the .gitignore files in the root and every folder down to `rel`'s own, outermost first. */
function rulesFor(root: string, rel: string): IgnoreRule[] {
  const folders = rel.split("/").slice(0, -1);
  const bases = ["", ...folders.map((_, i) => folders.slice(0, i + 1).join("/"))];
  const rules: IgnoreRule[] = [];
  for (const base of bases) {
    const file = path.join(root, base, ".gitignore");
    if (!existsSync(file)) continue;
    for (const raw of readFileSync(file, "utf8").split("\n")) {
      const rule = parseRule(base, raw);
      if (rule) rules.push(rule);
    }
  }
  return rules;
}

/** Whether the last rule matching `sub` (a file or folder below the rules' bases) ignores it. */
function ignoredByRules(rules: IgnoreRule[], sub: string, isDir: boolean): boolean {
  for (let i = rules.length - 1; i >= 0; i--) {
    const rule = rules[i];
    if (rule.dirOnly && !isDir) continue;
    if (rule.base !== "" && !sub.startsWith(`${rule.base}/`)) continue;
    const local = rule.base === "" ? sub : sub.slice(rule.base.length + 1);
    const candidate = rule.anchored ? local : local.slice(local.lastIndexOf("/") + 1);
    if (rule.regex.test(candidate)) return !rule.negated;
  }
  return false;
}

/** Whether a path exists and is a folder (a path that does not exist yet counts as a file, as git sees it). */
function isDirectory(file: string): boolean {
  return statSync(file, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/**
 * The fallback outside git: each folder on the way down is checked first, since git never
 * looks inside an ignored folder (a file in it cannot be re-included); then the path itself.
 */
function matchGitignoreFiles(root: string, rel: string): boolean {
  const rules = rulesFor(root, rel);
  const parts = rel.replace(/\/$/, "").split("/");
  for (let n = 1; n <= parts.length; n++) {
    const isDir = n < parts.length || rel.endsWith("/") || isDirectory(path.join(root, rel));
    if (ignoredByRules(rules, parts.slice(0, n).join("/"), isDir)) return true;
  }
  return false;
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

/** Appends the patterns that are not already lines of the .gitignore text (text in → text out), keeping its final-newline state. */
export function addGitignoreEntries(text: string, patterns: string[]): string {
  const present = new Set(text.split("\n").map((line) => line.trim()));
  const missing = patterns.filter((pattern, i) => !present.has(pattern.trim()) && patterns.indexOf(pattern) === i);
  if (missing.length === 0) return text;
  if (text === "") return `${missing.join("\n")}\n`;
  return text.endsWith("\n") ? `${text}${missing.join("\n")}\n` : `${text}\n${missing.join("\n")}`;
}
