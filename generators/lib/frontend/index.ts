import type { PlanTree } from "../tree.js";
import type { Answers, FrontendInfo, PackageManager } from "../types.js";
import { planApiClient } from "./api-client.js";
import { planAuthClient } from "./auth-client.js";
import { planAuthConfig } from "./auth-config.js";
import { frontendPackages } from "./dependencies.js";
import { planMigrateScript } from "./migrate-script.js";
import { frontendPaths } from "./paths.js";
import { planRouteHandler } from "./route-handler.js";

/** What the frontend's package.json needs for the generated code. */
export interface FrontendPlan {
  npmDeps: Record<string, string>;
  npmDevDeps: Record<string, string>;
  /** package.json scripts: `auth:migrate` creates Better Auth's tables. */
  scripts: Record<string, string>;
}

export const MIGRATE_SCRIPT_NAME = "auth:migrate";

/** How a user runs a package.json script with their package manager. */
export function runScriptCommand(packageManager: PackageManager, script: string): string {
  return packageManager === "npm" || packageManager === "bun" ? `${packageManager} run ${script}` : `${packageManager} ${script}`;
}

/**
 * Plans the frontend side: lib/auth.ts (created, or the jwt plugin added to the user's own),
 * lib/auth-client.ts, the /api/auth route handler, lib/api.ts and scripts/auth-migrate.ts.
 * Returns the npm packages and scripts the generated code needs.
 */
export function planFrontend(tree: PlanTree, answers: Answers, frontend: FrontendInfo): FrontendPlan {
  const paths = frontendPaths(frontend);
  const migrateCommand = runScriptCommand(frontend.packageManager, MIGRATE_SCRIPT_NAME);
  const authExport = planAuthConfig(tree, answers, paths.auth, migrateCommand);
  const clientExport = planAuthClient(tree, paths.authClient);
  planRouteHandler(tree, frontend, paths, authExport);
  planApiClient(tree, answers, paths, clientExport);
  planMigrateScript(tree, paths, authExport, migrateCommand);
  const { dependencies, devDependencies } = frontendPackages(answers);
  return { npmDeps: dependencies, npmDevDeps: devDependencies, scripts: { [MIGRATE_SCRIPT_NAME]: "tsx scripts/auth-migrate.ts" } };
}
