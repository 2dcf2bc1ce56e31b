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

/** True when a module path is taken by a file of the project's: x.ts, or an x.tsx, x.js, x/index.ts... that `@/lib/x` resolves to. */
function isTaken(tree: Pick<PlanTree, "exists">, base: string): boolean {
  return tree.exists(`${base}.ts`) || MODULE_FILES.some((ext) => tree.exists(`${base}${ext}`));
}

/**
 * Where a generated module goes among `names` (in code-dir-relative form, without extension): the one this tool made
 * (in the manifest), else the project's own module that already is what we would write (`isOwn(text)`: edited in place),
 * else the first name nothing of the project's takes. A project's module is never overwritten or shadowed: ours goes beside it.
 */
function pickModulePath(tree: Pick<PlanTree, "exists" | "generatedFiles" | "read">, frontend: FrontendInfo, names: readonly string[], isOwn: (text: string) => boolean): string {
  const ours = new Set(tree.generatedFiles());
  const candidates = names.map((name) => path.posix.join(frontend.codeDir, name));
  const mine = candidates.find((base) => ours.has(`${base}.ts`));
  if (mine) return `${mine}.ts`;
  for (const base of candidates) {
    const own = [".ts", ".tsx"].map((ext) => `${base}${ext}`).find((file) => isOwn(tree.read(file) ?? ""));
    if (own) return own;
  }
  const free = candidates.find((base) => !isTaken(tree, base));
  if (free) return `${free}.ts`;
  // All taken by the project (unlikely): the second name with a counter.
  let n = 2;
  while (isTaken(tree, `${candidates[1]}-${n}`)) n++;
  return `${candidates[1]}-${n}.ts`;
}

/** The generated API client's path (see pickModulePath): lib/api.ts, or beside the project's own lib/api. */
export function apiClientPath(tree: Pick<PlanTree, "exists" | "generatedFiles" | "read">, frontend: FrontendInfo): string {
  return pickModulePath(tree, frontend, API_CLIENT_NAMES, () => false);
}

/** Where Better Auth's server config may go: lib/auth.ts (its CLI's convention), or beside a project's lib/auth that is something else. */
export const AUTH_CONFIG_NAMES = ["lib/auth", "lib/better-auth", "lib/auth-server"];
/** Where Better Auth's client may go. */
export const AUTH_CLIENT_NAMES = ["lib/auth-client", "lib/better-auth-client"];

/** The better-auth modules a text imports from ("better-auth", "better-auth/react", ...). */
const betterAuthImports = (text: string) => [...text.matchAll(/from\s+["'](better-auth(?:\/[\w/-]+)?)["']/g)].map((match) => match[1]);
const CLIENT_MODULE = /^better-auth\/(?:react|client|vue|svelte|solid)(?:\/|$)/;
/** The project's own Better Auth server setup: it imports from better-auth, not only from its client modules. */
const isBetterAuthServer = (text: string) => betterAuthImports(text).some((module) => !CLIENT_MODULE.test(module));
/** The project's own Better Auth client: it imports from a better-auth client module. */
const isBetterAuthClient = (text: string) => betterAuthImports(text).some((module) => CLIENT_MODULE.test(module));

/** lib/auth.ts, or the project's own Better Auth config under another name (lib/auth-server.ts), or beside a lib/auth of other code (Supabase, NextAuth). */
export function authConfigPath(tree: Pick<PlanTree, "exists" | "generatedFiles" | "read">, frontend: FrontendInfo): string {
  return pickModulePath(tree, frontend, AUTH_CONFIG_NAMES, isBetterAuthServer);
}

/** lib/auth-client.ts, or the project's own Better Auth client, or beside a lib/auth-client of other code. */
export function authClientPath(tree: Pick<PlanTree, "exists" | "generatedFiles" | "read">, frontend: FrontendInfo): string {
  return pickModulePath(tree, frontend, AUTH_CLIENT_NAMES, isBetterAuthClient);
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
