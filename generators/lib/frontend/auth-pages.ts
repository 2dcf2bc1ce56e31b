import path from "node:path";
import { renderTemplate } from "../render.js";
import type { PlanTree } from "../tree.js";
import type { FrontendInfo } from "../types.js";
import { importClause } from "./exports.js";
import { moduleSpecifier, type FrontendPaths } from "./paths.js";
import type { ExportedAs } from "./source/exported-binding.js";
import { variantTemplate } from "./styling.js";

const PAGE_FILE = /^page\.(tsx|ts|jsx|js|mdx|md)$/;
const SIGN_IN_SEGMENT = /^(sign-?in|log-?in)$/i;
const SIGN_UP_SEGMENT = /^(sign-?up|register)$/i;
/** Folders that are not routes (or not pages): private `_x`, the API, dependencies. */
const NOT_ROUTES = /^(_.*|api|node_modules)$/;

/** The URLs of the sign-in and sign-up pages: the project's own when it has them, else the generated ones. */
export interface AuthPageUrls {
  signIn: string;
  signUp: string;
}

export const DEFAULT_AUTH_URLS: AuthPageUrls = { signIn: "/sign-in", signUp: "/sign-up" };

interface FoundPage {
  file: string;
  url: string;
}

/** Every page file under app/, recursively (route groups, parallel routes and dynamic segments included). */
function pageFiles(tree: PlanTree, dir: string): string[] {
  return tree.list(dir).flatMap((name) => {
    const rel = path.posix.join(dir, name);
    if (tree.isDir(rel)) return NOT_ROUTES.test(name) ? [] : pageFiles(tree, rel);
    return PAGE_FILE.test(name) ? [rel] : [];
  });
}

/**
 * The URL a page serves when its last static segment names it (`login`, `(auth)/sign-in`,
 * `sign-in/[[...sign-in]]`): route groups and @slots do not count, catch-alls may follow. Null otherwise.
 */
function authPageUrl(appDir: string, file: string, segment: RegExp): string | null {
  const segments = path.posix
    .dirname(path.posix.relative(appDir, file))
    .split("/")
    .filter((s) => s !== "." && !s.startsWith("(") && !s.startsWith("@"));
  let last = segments.length - 1;
  while (last >= 0 && /^\[\[?\.\.\..+\]\]?$/.test(segments[last])) last--;
  if (last < 0 || !segment.test(segments[last])) return null;
  const url = segments.slice(0, last + 1);
  return url.some((s) => s.startsWith("[")) ? null : `/${url.join("/")}`;
}

/** The project's page files under app/ (not those this tool generated). */
export function ownPageFiles(tree: PlanTree, appDir: string): string[] {
  const generated = new Set(tree.generatedFiles());
  return pageFiles(tree, appDir).filter((file) => !generated.has(file));
}

/** The project's own sign-in or sign-up page (not one this tool generated), the shortest URL first. */
function existingPage(tree: PlanTree, paths: FrontendPaths, pages: string[], segment: RegExp): FoundPage | null {
  const generated = new Set(tree.generatedFiles());
  const found = pages
    .filter((file) => !generated.has(file))
    .flatMap((file) => {
      const url = authPageUrl(paths.appDir, file, segment);
      return url ? [{ file, url }] : [];
    })
    .sort((a, b) => a.url.length - b.url.length || a.file.localeCompare(b.file));
  return found[0] ?? null;
}

/** The project's own auth pages, if any, and the URLs the generated files link to. */
export function findAuthPages(tree: PlanTree, paths: FrontendPaths): { signIn: FoundPage | null; signUp: FoundPage | null; urls: AuthPageUrls } {
  const pages = pageFiles(tree, paths.appDir);
  const signIn = existingPage(tree, paths, pages, SIGN_IN_SEGMENT);
  const signUp = existingPage(tree, paths, pages, SIGN_UP_SEGMENT);
  return { signIn, signUp, urls: { signIn: signIn?.url ?? DEFAULT_AUTH_URLS.signIn, signUp: signUp?.url ?? DEFAULT_AUTH_URLS.signUp } };
}

/** `import { authClient } from "@/lib/auth-client";` as seen from `fromFile`. */
export function authClientImportFor(frontend: FrontendInfo, paths: FrontendPaths, fromFile: string, clientExport: ExportedAs): string {
  return `import ${importClause(clientExport, "authClient")} from "${moduleSpecifier(frontend, fromFile, paths.authClient)}";`;
}

/** What a page or component needs when lib/auth-client.ts does not export its client under a name. */
export const CLIENT_EXPORT_HINT = "export the client from it (`export const authClient = createAuthClient({ ... })`) and run again";

export function renderAuthPage(kind: "sign-in" | "sign-up", frontend: FrontendInfo, paths: FrontendPaths, clientExport: ExportedAs, urls: AuthPageUrls): string {
  const file = kind === "sign-in" ? paths.signInPage : paths.signUpPage;
  return renderTemplate(variantTemplate(`app/(auth)/${kind}/page`, frontend), {
    authClientImport: authClientImportFor(frontend, paths, file, clientExport),
    authRedirectModule: moduleSpecifier(frontend, file, paths.authRedirect),
    uiModule: frontend.styling.shadcnUi ?? "",
    signInUrl: urls.signIn,
    signUpUrl: urls.signUp,
  });
}

/**
 * The sign-in and sign-up pages, and lib/auth-redirect.ts they share. A page the project already has
 * (app/login/page.tsx, app/(auth)/sign-up/page.tsx...) is left alone and reported, and the generated
 * one is not added beside it; the other page and the user menu link to the project's URL instead.
 * Returns the URLs of both pages.
 */
export function planAuthPages(tree: PlanTree, frontend: FrontendInfo, paths: FrontendPaths, clientExport: ExportedAs | null): AuthPageUrls {
  const found = findAuthPages(tree, paths);
  let generatedAny = false;
  for (const kind of ["sign-in", "sign-up"] as const) {
    const target = kind === "sign-in" ? paths.signInPage : paths.signUpPage;
    const own = kind === "sign-in" ? found.signIn : found.signUp;
    const label = kind === "sign-in" ? "sign-in" : "sign-up";
    if (own) {
      tree.skip(own.file, `the project's own ${label} page (${own.url}): left as it is, and no generated one at ${target}; the generated pages and user menu link to ${own.url}`);
      continue;
    }
    if (!clientExport) {
      tree.skip(target, `not generated: ${paths.authClient} does not export its client under a name this page can import; ${CLIENT_EXPORT_HINT}`);
      continue;
    }
    tree.writeGenerated(target, renderAuthPage(kind, frontend, paths, clientExport, found.urls));
    generatedAny = true;
  }
  if (generatedAny) tree.writeGenerated(paths.authRedirect, renderTemplate("frontend/lib/auth-redirect.ts.hbs", {}));
  return found.urls;
}
