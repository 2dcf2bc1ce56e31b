import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Upgrading a generated file the user has edited: the merge base is the text this tool wrote last time. The manifest
 * holds only its hash, so the text comes from a copy kept under BASE_DIR (written whenever an edited file is upgraded)
 * or else from the project's git history (the version committed right after a run).
 */
export const BASE_DIR = ".auth-integrator/base";

/** Where the base copy of a generated file is kept: a dot folder, which Python, TypeScript and pytest never look into. */
export const basePath = (rel: string): string => path.posix.join(BASE_DIR, rel);

/** How many commits of a file's history are searched for its base before giving up. */
const HISTORY_DEPTH = 30;

/** Runs git in `cwd`; its stdout, or null when git is missing or fails. */
function git(cwd: string, args: string[]): string | null {
  try {
    return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 64 * 1024 * 1024 });
  } catch {
    return null;
  }
}

/** The newest committed version of `rel` whose hash (by `hashOf`) is `hash`; null outside git or when no commit has it. */
export function committedVersion(root: string, rel: string, hash: string, hashOf: (text: string) => string): string | null {
  const commits = git(root, ["log", `-n${HISTORY_DEPTH}`, "--format=%H", "--", rel]);
  for (const commit of commits?.split("\n").filter(Boolean) ?? []) {
    const text = git(root, ["show", `${commit}:./${rel}`]);
    if (text !== null && hashOf(text) === hash) return text;
  }
  return null;
}

/**
 * A three-way merge of the user's edits (`current`) and the new rendering (`next`) onto the text both started from
 * (`base`), by git merge-file: the merged text when every hunk merges cleanly, else null (conflicts, or no git).
 */
export function mergeThreeWay(current: string, base: string, next: string): string | null {
  const dir = mkdtempSync(path.join(os.tmpdir(), "auth-integrator-merge-"));
  try {
    const files = { current: path.join(dir, "current"), base: path.join(dir, "base"), next: path.join(dir, "next") };
    writeFileSync(files.current, current);
    writeFileSync(files.base, base);
    writeFileSync(files.next, next);
    // Exit status 0 is a clean merge; a positive one counts conflicts (git() then returns null).
    return git(dir, ["merge-file", "-p", files.current, files.base, files.next]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
