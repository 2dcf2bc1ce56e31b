import { statSync } from "node:fs";
import path from "node:path";
import { UserInputError } from "../errors.js";

/** An OS path as POSIX ("a\\b" → "a/b" on Windows). */
export function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}

/** Repo-relative POSIX join, normalised, without a trailing slash; "." stands for the root. */
export function joinRel(...parts: string[]): string {
  const joined = path.posix.normalize(path.posix.join(...parts));
  const trimmed = joined.length > 1 ? joined.replace(/\/+$/, "") : joined;
  return trimmed === "" ? "." : trimmed;
}

/** Parent folder of a repo-relative path ("a/b.py" → "a", "b.py" → "."). */
export function parentRel(rel: string): string {
  return path.posix.dirname(rel);
}

/** True when `rel` is `dir` itself or lies inside it. */
export function isWithin(rel: string, dir: string): boolean {
  return dir === "." || rel === dir || rel.startsWith(`${dir}/`);
}

export function isDir(root: string, rel: string): boolean {
  return statSync(path.join(root, rel), { throwIfNoEntry: false })?.isDirectory() ?? false;
}

export function isFile(root: string, rel: string): boolean {
  return statSync(path.join(root, rel), { throwIfNoEntry: false })?.isFile() ?? false;
}

/**
 * A folder the user named ("./web/", "web", an absolute path inside the repo) as a repo-relative
 * POSIX path; throws when it is outside the repo, missing, or not a folder. `label` is "frontend"/"backend".
 */
export function resolveUserDir(root: string, dir: string, label: string): string {
  const given = dir.trim() || ".";
  const relative = path.relative(path.resolve(root), path.resolve(root, given));
  if (relative.startsWith("..") || path.isAbsolute(relative)) {
    throw new UserInputError(`${label} folder '${given}' is outside the repo root`);
  }
  const rel = joinRel(toPosix(relative) || ".");
  const stat = statSync(path.join(root, rel), { throwIfNoEntry: false });
  if (!stat) throw new UserInputError(`${label} folder '${rel}' does not exist`);
  if (!stat.isDirectory()) throw new UserInputError(`${label} path '${rel}' is not a folder`);
  return rel;
}
