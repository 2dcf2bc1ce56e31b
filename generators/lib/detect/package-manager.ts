import type { JsonObject } from "../formats/json.js";
import type { PackageManager } from "../types.js";
import { isFile, joinRel } from "./paths.js";

/** Lockfiles in the order they are checked; the first present decides. */
const LOCKFILES: ReadonlyArray<readonly [string, PackageManager]> = [
  ["pnpm-lock.yaml", "pnpm"],
  ["yarn.lock", "yarn"],
  ["bun.lockb", "bun"],
  ["bun.lock", "bun"],
  ["package-lock.json", "npm"],
];

/** The manager a package.json `packageManager` field names ("pnpm@9.1.0" → "pnpm"); null when absent or unknown. */
export function packageManagerFromField(value: unknown): PackageManager | null {
  if (typeof value !== "string") return null;
  const name = value.trim().split("@")[0];
  return name === "npm" || name === "pnpm" || name === "yarn" || name === "bun" ? name : null;
}

/** The manager a folder's lockfile implies; null when it has none. */
export function packageManagerFromLockfile(root: string, dir: string): PackageManager | null {
  return LOCKFILES.find(([file]) => isFile(root, joinRel(dir, file)))?.[1] ?? null;
}

/**
 * The frontend's package manager: the `packageManager` field of its package.json, then the root's;
 * then a lockfile in its folder, then at the root (workspaces keep one lockfile there); npm otherwise.
 */
export function detectPackageManager(root: string, dir: string, pkg: JsonObject, rootPkg: JsonObject | null): PackageManager {
  return (
    packageManagerFromField(pkg.packageManager) ??
    packageManagerFromField(rootPkg?.packageManager) ??
    packageManagerFromLockfile(root, dir) ??
    packageManagerFromLockfile(root, ".") ??
    "npm"
  );
}
