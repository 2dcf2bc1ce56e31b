import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { decodeFile } from "../text-style.js";

/** Detection only looks at files up to this size: real manifests and modules are far smaller. */
export const MAX_FILE_BYTES = 512 * 1024;

/** Text of a small file without BOM; null when it is absent, not a file, or larger than MAX_FILE_BYTES. */
export function readSmallText(root: string, rel: string): string | null {
  const file = path.join(root, rel);
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile() || stat.size > MAX_FILE_BYTES) return null;
  try {
    return decodeFile(readFileSync(file)).raw.replace(/^\uFEFF/, "");
  } catch {
    return null;
  }
}
