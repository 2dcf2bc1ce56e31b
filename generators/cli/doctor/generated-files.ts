import { MANIFEST_PATH, contentHash } from "../../lib/tree.js";
import { fail, listText, pass, type Check } from "./check.js";
import type { DoctorContext } from "./context.js";

const GROUP = "generated";

/**
 * Every file the manifest says auth-integrator generated is there. One you edited since is fine (✓, named in the
 * detail): a re-run leaves it alone, and `auth --force` replaces it (keeping a .bak). A missing one is a ✗.
 */
export function generatedFilesCheck(context: DoctorContext): Check[] {
  const manifest = context.manifest;
  if (manifest === null) {
    if (context.isBroken(MANIFEST_PATH)) return [];
    return [
      fail(GROUP, "manifest", `${MANIFEST_PATH} lists the generated files`, {
        detail: `there is no ${MANIFEST_PATH}: auth-integrator has not run here, or the file was removed`,
        fix: "run npx auth-integrator auth (it recreates what is missing and leaves your edits alone)",
      }),
    ];
  }
  const files = Object.keys(manifest.files).sort();
  const missing: string[] = [];
  const edited: string[] = [];
  for (const file of files) {
    const text = context.text(file);
    if (text === null) missing.push(file);
    else if (contentHash(text) !== manifest.files[file]) edited.push(file);
  }
  const title = `the ${files.length} generated files present`;
  if (missing.length > 0) {
    return [
      fail(GROUP, "present", title, {
        detail: `missing: ${listText(missing)}`,
        fix: `run npx auth-integrator auth again to recreate ${missing.length > 1 ? "them" : "it"}`,
      }),
    ];
  }
  const note = edited.length > 0 ? { detail: `edited since generated (kept by a re-run; auth --force replaces them, keeping a .bak): ${listText(edited)}` } : { detail: "untouched" };
  return [pass(GROUP, "present", title, note)];
}
