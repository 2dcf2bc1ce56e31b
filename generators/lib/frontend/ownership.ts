import { contentHash, MANIFEST_PATH, type PlanTree } from "../tree.js";

/**
 * True when auth-integrator created this file and nobody has edited it since (its hash is in the
 * manifest): such a file is re-rendered from its template instead of being edited in place.
 */
export function isUntouchedGeneratedFile(tree: PlanTree, rel: string): boolean {
  const current = tree.read(rel);
  const manifest = tree.read(MANIFEST_PATH);
  if (current === null || manifest === null) return false;
  try {
    const files = (JSON.parse(manifest) as { files?: Record<string, string> }).files ?? {};
    return files[rel] === contentHash(current);
  } catch {
    return false;
  }
}
