import { renderTemplate } from "../render.js";
import type { PlanTree } from "../tree.js";
import type { AuthExport } from "./auth-config.js";
import { BETTER_AUTH_RANGE } from "./better-auth-version.js";
import { dynamicImportBinding } from "./exports.js";
import { relativeSpecifier, type FrontendPaths } from "./paths.js";
import type { ExportedAs } from "./source/exported-binding.js";

/** scripts/auth-migrate.ts: creates Better Auth's tables with getMigrations(), on Node 20 too. */
export function renderMigrateScript(paths: FrontendPaths, authExport: ExportedAs, migrateCommand: string): string {
  return renderTemplate("frontend/scripts/auth-migrate.ts.hbs", {
    authImportBinding: dynamicImportBinding(authExport, "auth"),
    authModule: relativeSpecifier(paths.migrateScript, paths.auth),
    migrateCommand,
    betterAuthRange: BETTER_AUTH_RANGE,
    // "npm run auth:migrate" → "npm install": the same package manager.
    installCommand: `${migrateCommand.split(" ")[0]} install`,
  });
}

/** Adds the migration script (it imports lib/auth.ts, so that file must export the auth instance). */
export function planMigrateScript(tree: PlanTree, paths: FrontendPaths, authExport: AuthExport, migrateCommand: string): void {
  const rel = paths.migrateScript;
  if (!authExport.exportedAs) {
    const snippet = renderMigrateScript(paths, { kind: "named", name: "auth" }, migrateCommand);
    tree.skip(rel, `${authExport.problem}, then add this script`, snippet);
    return;
  }
  tree.writeGenerated(rel, renderMigrateScript(paths, authExport.exportedAs, migrateCommand));
}
