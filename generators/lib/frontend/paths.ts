import path from "node:path";
import type { PlanTree } from "../tree.js";
import type { FrontendInfo } from "../types.js";

/** Where each generated frontend file lives, relative to the repo root. */
export interface FrontendPaths {
  auth: string;
  /** lib/auth-rate-limit.ts: the sign-in and sign-up rate limits lib/auth.ts uses. */
  authRateLimit: string;
  authClient: string;
  /** The generated API client (apiFetch...): lib/api.ts by default; see apiClientPath for a project that has its own. */
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

/** Where the generated API client may go, in order: lib/api.ts, then names beside a project's own lib/api. */
export const API_CLIENT_NAMES = ["lib/api", "lib/auth-api", "lib/api-client-auth"];
/** What a bare import of lib/x resolves to besides lib/x.ts: a file of one of these is the project's module under that name. */
const MODULE_FILES = [".tsx", ".d.ts", ".js", ".jsx", ".mjs", ".cjs", "/index.ts", "/index.tsx", "/index.d.ts", "/index.js", "/index.jsx", "/index.mjs", "/index.cjs", "/package.json"];

/**
 * The generated API client's path: the first of API_CLIENT_NAMES (as .ts) that is this tool's (in the
 * manifest) or free — nothing of the project's at x.ts, and no x.tsx, x.js, x/index.ts... that `@/lib/x`
 * would stop resolving to. A project's own lib/api.ts is never overwritten or shadowed: ours goes beside it.
 */
export function apiClientPath(tree: Pick<PlanTree, "exists" | "generatedFiles">, frontend: FrontendInfo): string {
  const ours = new Set(tree.generatedFiles());
  const candidates = API_CLIENT_NAMES.map((name) => path.posix.join(frontend.codeDir, name));
  const mine = candidates.find((base) => ours.has(`${base}.ts`));
  if (mine) return `${mine}.ts`;
  const free = candidates.find((base) => !tree.exists(`${base}.ts`) && !MODULE_FILES.some((ext) => tree.exists(`${base}${ext}`)));
  // All three taken by the project (unlikely): a name of ours with a counter.
  if (free) return `${free}.ts`;
  let n = 2;
  while (tree.exists(`${candidates[1]}-${n}.ts`) || MODULE_FILES.some((ext) => tree.exists(`${candidates[1]}-${n}${ext}`))) n++;
  return `${candidates[1]}-${n}.ts`;
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
