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
  /** The App Router folder (app/), where auth pages and the root layout are looked for. */
  appDir: string;
  signInPage: string;
  signUpPage: string;
  /** lib/auth-redirect.ts: safeCallbackPath(), the pages' return address check. */
  authRedirect: string;
  /** components/user-menu.tsx: who is signed in, and "Sign out". */
  userMenu: string;
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
    appDir: code("app"),
    signInPage: code("app/(auth)/sign-in/page.tsx"),
    signUpPage: code("app/(auth)/sign-up/page.tsx"),
    authRedirect: code("lib/auth-redirect.ts"),
    userMenu: code("components/user-menu.tsx"),
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
