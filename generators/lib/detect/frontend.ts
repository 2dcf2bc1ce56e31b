import { UserInputError } from "../errors.js";
import { parseJsonObject } from "../formats/json.js";
import type { FrontendInfo } from "../types.js";
import { rankCandidates } from "./candidates.js";
import { readSmallText } from "./files.js";
import { detectImportAlias } from "./import-alias.js";
import { dependencyRange, readPackageJson } from "./package-json.js";
import { detectPackageManager } from "./package-manager.js";
import { isDir, joinRel, resolveUserDir } from "./paths.js";
import { detectStyling } from "./styling.js";
import { walkDirs, type WalkedDir } from "./walk.js";

/** Folder names that win a tie between Next.js apps at the same depth, best first. */
const PREFERRED_NAMES = ["frontend", "web", "app"];

/** True when a folder's package.json depends on next; an unreadable or malformed one just does not count. */
function looksLikeNextApp(root: string, entry: WalkedDir): boolean {
  if (!entry.files.includes("package.json")) return false;
  const rel = joinRel(entry.dir, "package.json");
  const text = readSmallText(root, rel);
  // Cheap text check first: most package.json files in a monorepo never mention next.
  if (text === null || !text.includes('"next"')) return false;
  try {
    return dependencyRange(parseJsonObject(text, rel), "next") !== null;
  } catch {
    // It mentions next but does not parse: a candidate, so that detection reports the file and line.
    return true;
  }
}

/** Folders (root included, depth ≤ 4) whose package.json depends on next, best default first. */
export function findFrontendCandidates(root: string, dirs: WalkedDir[] = walkDirs(root)): string[] {
  return rankCandidates(
    dirs.filter((entry) => looksLikeNextApp(root, entry)),
    PREFERRED_NAMES,
  );
}

/**
 * The Next.js app in `dir` (relative to root). Throws a UserInputError when the folder is missing,
 * its package.json is malformed, or it does not depend on next.
 */
export function detectFrontend(root: string, dir: string): FrontendInfo {
  const rel = resolveUserDir(root, dir, "frontend");
  const pkg = readPackageJson(root, rel);
  const pkgFile = joinRel(rel, "package.json");
  if (!pkg) throw new UserInputError(`no Next.js app in '${rel}': ${pkgFile} does not exist`);
  const nextVersion = dependencyRange(pkg, "next");
  if (nextVersion === null) throw new UserInputError(`no Next.js app in '${rel}': ${pkgFile} does not depend on next`);

  // Next.js ignores src/app when app/ or pages/ sits at the project root, so only then is it a src layout.
  const srcLayout = isDir(root, joinRel(rel, "src/app")) && !isDir(root, joinRel(rel, "app")) && !isDir(root, joinRel(rel, "pages"));
  const codeDir = srcLayout ? joinRel(rel, "src") : rel;
  const rootPkg = rel === "." ? pkg : readPackageJson(root, ".");
  const importAlias = detectImportAlias(root, rel, codeDir);
  return {
    dir: rel,
    srcLayout,
    codeDir,
    importAlias,
    packageManager: detectPackageManager(root, rel, pkg, rootPkg),
    nextVersion,
    styling: detectStyling(root, rel, codeDir, importAlias, pkg),
  };
}
