import { readdirSync } from "node:fs";
import path from "node:path";
import { joinRel } from "./paths.js";

/** Folders never worth opening: dependencies, virtual envs, build output, caches. Dot-folders are skipped too. */
export const SKIPPED_DIRS = new Set(["node_modules", "venv", "env", "dist", "build", "__pycache__", "site-packages"]);

/** How deep detection looks below the folder it starts from (the root is depth 0). */
export const MAX_WALK_DEPTH = 4;

/** A stop for runs from a huge folder (a home directory, "/"): breadth first, so the shallow folders are all seen. */
export const MAX_WALK_DIRS = 5000;

export interface WalkedDir {
  /** Folder relative to the repo root, POSIX ("." for the root). */
  dir: string;
  depth: number;
  /** Names of the regular files directly inside. */
  files: string[];
}

/** True for folders the walk does not enter: SKIPPED_DIRS and every dot-folder (.git, .venv, .next, .tox, .mypy_cache...). */
export function isSkippedDir(name: string): boolean {
  return name.startsWith(".") || SKIPPED_DIRS.has(name);
}

/**
 * Folders under `start` (included) down to `maxDepth` levels, breadth first so shallower folders come first.
 * Symlinks are not followed (no cycles), unreadable folders are passed over, and at most MAX_WALK_DIRS are listed.
 */
export function walkDirs(root: string, start = ".", maxDepth = MAX_WALK_DEPTH): WalkedDir[] {
  const out: WalkedDir[] = [];
  let level = [start];
  for (let depth = 0; level.length > 0 && depth <= maxDepth; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      if (out.length >= MAX_WALK_DIRS) return out;
      let entries;
      try {
        entries = readdirSync(path.join(root, dir), { withFileTypes: true });
      } catch {
        continue;
      }
      const files: string[] = [];
      for (const entry of entries) {
        if (entry.isFile()) files.push(entry.name);
        else if (entry.isDirectory() && !isSkippedDir(entry.name)) next.push(joinRel(dir, entry.name));
      }
      out.push({ dir, depth, files: files.sort() });
    }
    level = next.sort();
  }
  return out;
}
