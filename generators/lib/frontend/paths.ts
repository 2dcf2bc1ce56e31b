import path from "node:path";
import type { FrontendInfo } from "../types.js";

/** Where each generated frontend file lives, relative to the repo root. */
export interface FrontendPaths {
  auth: string;
  /** lib/auth-rate-limit.ts: the sign-in and sign-up rate limits lib/auth.ts uses. */
  authRateLimit: string;
  authClient: string;
  api: string;
  /** The folder Better Auth's catch-all route lives under (app/api/auth). */
  authRoutes: string;
  routeHandler: string;
  migrateScript: string;
}

export function frontendPaths(frontend: FrontendInfo): FrontendPaths {
  const code = (rel: string) => path.posix.join(frontend.codeDir, rel);
  return {
    auth: code("lib/auth.ts"),
    authRateLimit: code("lib/auth-rate-limit.ts"),
    authClient: code("lib/auth-client.ts"),
    api: code("lib/api.ts"),
    authRoutes: code("app/api/auth"),
    routeHandler: code("app/api/auth/[...all]/route.ts"),
    migrateScript: path.posix.join(frontend.dir, "scripts/auth-migrate.ts"),
  };
}

/** A relative import path without extension: lib/api.ts → lib/auth-client.ts is "./auth-client". */
export function relativeSpecifier(fromFile: string, toFile: string): string {
  const rel = path.posix.relative(path.posix.dirname(fromFile), toFile).replace(/\.tsx?$/, "");
  return rel.startsWith(".") ? rel : `./${rel}`;
}

/** How one frontend file imports another: through the tsconfig alias (`@/lib/auth`) when there is one. */
export function moduleSpecifier(frontend: FrontendInfo, fromFile: string, toFile: string): string {
  const inCode = path.posix.relative(frontend.codeDir, toFile);
  if (frontend.importAlias && !inCode.startsWith("..")) return `${frontend.importAlias}${inCode.replace(/\.tsx?$/, "")}`;
  return relativeSpecifier(fromFile, toFile);
}
