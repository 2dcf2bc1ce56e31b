import { renderTemplate } from "../render.js";
import type { PlanTree } from "../tree.js";
import type { Answers } from "../types.js";
import { addPluginToFactoryCall } from "./add-plugin.js";
import { jwtPluginEdit, jwtPluginMismatch, jwtPluginSnippet, renderJwtPlugin } from "./jwt-plugin.js";
import { isUntouchedGeneratedFile } from "./ownership.js";
import type { ExportedAs } from "./source/exported-binding.js";
import { indentFollowingLines } from "./source/text-edits.js";

/** Better Auth's convention (its CLI looks for it): `export const auth = betterAuth(...)`. */
const CONVENTIONAL_EXPORT: ExportedAs = { kind: "named", name: "auth" };

/** A new lib/auth.ts: the chosen database, email and password, the jwt plugin, nextCookies() last. */
export function renderAuthConfig(answers: Answers, migrateCommand: string): string {
  return renderTemplate("frontend/lib/auth.ts.hbs", {
    secretMode: answers.secretMode,
    database: answers.database,
    jwtPlugin: indentFollowingLines(renderJwtPlugin(answers), "    "),
    migrateCommand,
  });
}

/**
 * Creates lib/auth.ts, or adds the jwt plugin to the user's own one (nothing else changes); a file
 * of unknown shape is left alone and the snippet to add is reported. Returns how the file exports
 * the auth instance, or null when it does not export it.
 */
export function planAuthConfig(tree: PlanTree, answers: Answers, rel: string, migrateCommand: string): ExportedAs | null {
  const current = tree.read(rel);
  if (current === null || isUntouchedGeneratedFile(tree, rel)) {
    tree.writeGenerated(rel, renderAuthConfig(answers, migrateCommand));
    return CONVENTIONAL_EXPORT;
  }
  const result = addPluginToFactoryCall(current, jwtPluginEdit(answers));
  if (result.status === "added") {
    tree.write(rel, result.text);
    return result.exportedAs;
  }
  if (result.status === "present") {
    const mismatch = jwtPluginMismatch(answers, result.pluginCall);
    if (mismatch) tree.skip(rel, mismatch, jwtPluginSnippet(answers));
    else tree.write(rel, current);
    return result.exportedAs;
  }
  tree.skip(rel, `left as it is (${result.reason}); add the jwt plugin by hand`, jwtPluginSnippet(answers));
  return CONVENTIONAL_EXPORT;
}
