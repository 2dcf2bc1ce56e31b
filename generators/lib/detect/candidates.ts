import type { WalkedDir } from "./walk.js";

/** Rank of a folder's last name among `preferred` (others after them). */
function nameRank(dir: string, preferred: readonly string[]): number {
  const index = preferred.indexOf(dir.split("/").pop() ?? "");
  return index === -1 ? preferred.length : index;
}

/** Orders candidate folders: shallowest first, then preferred names (best first), then alphabetically. */
export function rankCandidates(found: readonly WalkedDir[], preferred: readonly string[]): string[] {
  return [...found]
    .sort((a, b) => a.depth - b.depth || nameRank(a.dir, preferred) - nameRank(b.dir, preferred) || a.dir.localeCompare(b.dir))
    .map((entry) => entry.dir);
}
