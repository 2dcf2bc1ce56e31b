import type * as Diff from "diff";
import { lazyModule } from "./lazy-module.js";
import type { FileChange } from "./tree.js";

const diffLib = lazyModule<typeof Diff>("diff");

/** Replaces every occurrence of each secret with a placeholder, so no secret reaches a terminal or log. */
export function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join("<redacted>");
  return out;
}

/** A unified diff (git style, a/ and b/ prefixes) of one planned change, secrets redacted. */
export function formatChangeDiff(change: FileChange, secrets: string[]): string {
  const before = redact(change.before ?? "", secrets);
  const after = redact(change.after, secrets);
  const patch = diffLib().createTwoFilesPatch(
    change.before === null ? "/dev/null" : `a/${change.path}`,
    `b/${change.path}`,
    before,
    after,
    undefined,
    undefined,
    { context: 3 },
  );
  // Drop the "===" banner line createTwoFilesPatch puts first.
  return patch.replace(/^=+\n/, "");
}
