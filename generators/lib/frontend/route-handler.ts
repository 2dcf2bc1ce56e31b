import path from "node:path";
import { renderTemplate } from "../render.js";
import type { PlanTree } from "../tree.js";
import type { FrontendInfo } from "../types.js";
import type { AuthExport } from "./auth-config.js";
import { importClause } from "./exports.js";
import { moduleSpecifier, type FrontendPaths } from "./paths.js";
import type { ExportedAs } from "./source/exported-binding.js";

const ROUTE_FILE = /^route\.(ts|tsx|js|jsx|mjs)$/;

/** Every App Router route file under a folder, recursively. */
function routeFilesUnder(tree: PlanTree, dir: string): string[] {
  return tree.list(dir).flatMap((name) => {
    const rel = path.posix.join(dir, name);
    if (tree.isDir(rel)) return routeFilesUnder(tree, rel);
    return ROUTE_FILE.test(name) ? [rel] : [];
  });
}

/** app/api/auth/[...all]/route.ts: Better Auth's handler for every /api/auth/* request. */
export function renderRouteHandler(frontend: FrontendInfo, paths: FrontendPaths, authExport: ExportedAs): string {
  return renderTemplate("frontend/app/api/auth/[...all]/route.ts.hbs", {
    authImportClause: importClause(authExport, "auth"),
    authModule: moduleSpecifier(frontend, paths.routeHandler, paths.auth),
  });
}

/**
 * Adds the catch-all route handler, unless a handler under app/api/auth already exists: a Better
 * Auth one is left as it is; another library's is reported, since both cannot serve /api/auth.
 */
export function planRouteHandler(tree: PlanTree, frontend: FrontendInfo, paths: FrontendPaths, authExport: AuthExport): void {
  const rel = paths.routeHandler;
  const snippet = renderRouteHandler(frontend, paths, authExport.exportedAs ?? { kind: "named", name: "auth" });
  const existing = routeFilesUnder(tree, paths.authRoutes).filter((file) => file !== rel || !tree.isUntouchedGenerated(rel));
  for (const file of existing) {
    const text = tree.read(file) ?? "";
    if (/better-auth|toNextJsHandler/.test(text)) {
      tree.write(file, text);
      return;
    }
  }
  if (existing.length > 0) {
    tree.skip(rel, `${existing.join(", ")} already handles /api/auth requests, and Better Auth needs them; replace it with this handler once you move off that library`, snippet);
    return;
  }
  if (!authExport.exportedAs) {
    tree.skip(rel, `${authExport.problem}, then add this handler`, snippet);
    return;
  }
  tree.writeGenerated(rel, snippet);
}
