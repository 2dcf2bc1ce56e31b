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

/** Env keys whose values this tool writes and that hold no secret: shown in diffs. */
const PUBLIC_ENV_KEYS = new Set(["BETTER_AUTH_URL", "BETTER_AUTH_JWKS_URL", "NEXT_PUBLIC_API_URL"]);

/**
 * Hides every value of an env file but the public ones this tool writes: a .env holds other secrets
 * too, and a multi-line quoted value (a PEM key) continues on lines of its own (text in → text out).
 */
export function redactEnvValues(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      const assignment = /^(\s*(?:export\s+)?([A-Za-z_][\w.-]*)\s*=)/.exec(line);
      if (assignment) return PUBLIC_ENV_KEYS.has(assignment[2]) ? line : `${assignment[1]}<redacted>`;
      return /^\s*(#.*)?$/.test(line) ? line : "<redacted>";
    })
    .join("\n");
}

/** True for a dotenv file by its name (.env, .env.local, .env.production, .env.example...): its diff hides values. */
export function isEnvFileName(rel: string): boolean {
  return /^\.env(\.[^/]*)?$/.test(rel.split("/").pop() ?? "");
}

/**
 * A unified diff (git style, a/ and b/ prefixes) of one planned change, secrets redacted; for env
 * files (`envFile`) every value but the public ones is hidden, as dry runs get pasted into CI logs.
 */
export function formatChangeDiff(change: FileChange, secrets: string[], envFile = false): string {
  const hide = (text: string) => redact(envFile ? redactEnvValues(text) : text, secrets);
  const before = hide(change.before ?? "");
  const after = hide(change.after);
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

/** A unified diff from one text to another (`a/` and `b/` prefixes), for the summary: no secrets go through it. */
export function unifiedDiff(fromPath: string, toPath: string, before: string, after: string): string {
  return diffLib().createTwoFilesPatch(`a/${fromPath}`, `b/${toPath}`, before, after, undefined, undefined, { context: 2 }).replace(/^=+\n/, "").trimEnd();
}
