import path from "node:path";
import { renderTemplate } from "../render.js";
import type { PlanTree } from "../tree.js";
import { UserInputError } from "../errors.js";
import type { Answers, FrontendInfo } from "../types.js";
import { importClause } from "./exports.js";
import { passwordInputAttributes, passwordLengths } from "./password-length.js";
import { frontendPaths, moduleSpecifier, type FrontendPaths } from "./paths.js";
import { socialProviders, type SocialProvider } from "./social-providers.js";
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

/** A page file's URL segments below app/: route groups `(x)` and @slots do not count. */
function routeSegments(appDir: string, file: string): string[] {
  return path.posix
    .dirname(path.posix.relative(appDir, file))
    .split("/")
    .filter((s) => s !== "." && !s.startsWith("(") && !s.startsWith("@"));
}

/**
 * The URL a page serves when its last static segment names it (`login`, `(auth)/sign-in`,
 * `sign-in/[[...sign-in]]`): route groups and @slots do not count, catch-alls may follow. Null otherwise.
 */
function authPageUrl(appDir: string, file: string, segment: RegExp): string | null {
  const segments = routeSegments(appDir, file);
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

/** The URLs of the project's own sign-in and sign-up pages, else /sign-in and /sign-up: the CLI's detected defaults. */
export function detectedAuthPagePaths(tree: PlanTree, frontend: FrontendInfo): AuthPageUrls {
  return findAuthPages(tree, frontendPaths(frontend)).urls;
}

type PageKind = "sign-in" | "sign-up";

/** Where one auth page is: the project's own (kept), or the file generated for its URL. */
interface PagePlace {
  url: string;
  /** The page file: the project's own, or the generated one. */
  file: string;
  own: FoundPage | null;
  /** Where the generated page goes (or would, beside the project's own). */
  target: string;
}

/** The generated page file serving `url`: app/(auth)/<url>/page.tsx. */
function generatedPageFile(paths: FrontendPaths, url: string): string {
  return path.posix.join(paths.appDir, "(auth)", url.slice(1), "page.tsx");
}

/** A page of the project's (not an auth page by name) that already serves `url`, where a generated one would clash. */
function ownPageServing(tree: PlanTree, paths: FrontendPaths, url: string): string | null {
  return ownPageFiles(tree, paths.appDir).find((file) => `/${routeSegments(paths.appDir, file).join("/")}` === url) ?? null;
}

/**
 * Where a page goes: the project's own page when it has one (a different path asked for is warned about), else
 * the path asked for ("" for the default). A page of the project's already at that path is refused: two would clash.
 */
function placePage(tree: PlanTree, paths: FrontendPaths, kind: PageKind, own: FoundPage | null, asked: string): PagePlace {
  const flag = `--${kind}-path`;
  const url = asked || (kind === "sign-in" ? DEFAULT_AUTH_URLS.signIn : DEFAULT_AUTH_URLS.signUp);
  const target = generatedPageFile(paths, url);
  if (own) {
    if (asked && asked !== own.url) tree.warn(`${flag} ${asked}: the project's own ${kind} page ${own.file} serves ${own.url}, so it stays the ${kind} page and none is generated at ${asked}; the links and redirects go to ${own.url}.`);
    return { url: own.url, file: own.file, own, target };
  }
  const clash = ownPageServing(tree, paths, url);
  if (clash) throw new UserInputError(`${flag} ${url}: the project's page ${clash} already serves that path; choose another one`);
  return { url, file: target, own: null, target };
}

const PAGE_PATH = /^\/([A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*)?$/;

/** A page path answer, trimmed ("" stays ""); one that is no plain URL path is refused, as it goes into the generated code. */
function pagePathAnswer(flag: string, value: string | undefined): string {
  const trimmed = (value ?? "").trim();
  if (trimmed && !PAGE_PATH.test(trimmed)) throw new UserInputError(`--${flag} must be a URL path like /sign-in, got "${trimmed}"`);
  return trimmed;
}

/** Both auth pages' places, for the answered paths; the same URL for both is refused. */
export function placeAuthPages(tree: PlanTree, paths: FrontendPaths, answers: Partial<Pick<Answers, "signInPath" | "signUpPath">>): Record<PageKind, PagePlace> {
  const found = findAuthPages(tree, paths);
  const signIn = placePage(tree, paths, "sign-in", found.signIn, pagePathAnswer("sign-in-path", answers.signInPath));
  const signUp = placePage(tree, paths, "sign-up", found.signUp, pagePathAnswer("sign-up-path", answers.signUpPath));
  if (signIn.url === signUp.url) throw new UserInputError(`the sign-in and sign-up pages cannot both be at ${signIn.url}`);
  return { "sign-in": signIn, "sign-up": signUp };
}

/** `import { authClient } from "@/lib/auth-client";` as seen from `fromFile`. */
export function authClientImportFor(frontend: FrontendInfo, paths: FrontendPaths, fromFile: string, clientExport: ExportedAs): string {
  return `import ${importClause(clientExport, "authClient")} from "${moduleSpecifier(frontend, fromFile, paths.authClient)}";`;
}

/** What a page or component needs when lib/auth-client.ts does not export its client under a name. */
export const CLIENT_EXPORT_HINT = "export the client from it (`export const authClient = createAuthClient({ ... })`) and run again";

/** What the generated pages hold besides their URLs, from the answers. */
export interface AuthPageForm {
  /** The sign-up password input's length attributes (`minLength={8}`). */
  passwordAttributes: string;
  /** False: sign-up asks for no name and sends the email's local part. */
  askName: boolean;
  /** One "Continue with ..." button each, on both pages. */
  providers: SocialProvider[];
}

/** The pages' form for these answers (the password lengths are checked here: a minimum above the maximum throws). */
export function authPageForm(answers: Pick<Answers, "passwordMinLength" | "passwordMaxLength" | "signUpName" | "socialProviders">): AuthPageForm {
  return { passwordAttributes: passwordInputAttributes(passwordLengths(answers)), askName: answers.signUpName !== "no", providers: socialProviders(answers) };
}

/** A sign-in or sign-up page at `file`, in the project's styling variant. */
export function renderAuthPage(kind: PageKind, frontend: FrontendInfo, paths: FrontendPaths, clientExport: ExportedAs, urls: AuthPageUrls, form: AuthPageForm, file: string): string {
  return renderTemplate(variantTemplate(`app/(auth)/${kind}/page`, frontend), {
    authClientImport: authClientImportFor(frontend, paths, file, clientExport),
    authRedirectModule: moduleSpecifier(frontend, file, paths.authRedirect),
    uiModule: frontend.styling.shadcnUi ?? "",
    signInUrl: urls.signIn,
    signUpUrl: urls.signUp,
    passwordAttributes: form.passwordAttributes,
    askName: form.askName,
    socialProviders: form.providers,
    socialProviderType: form.providers.map((p) => JSON.stringify(p.id)).join(" | "),
  });
}

/** lib/auth-redirect.ts: safeCallbackPath() and withCallback(), falling back to `afterSignInPath` ("/" by default). */
export function renderAuthRedirect(afterSignInPath = "/"): string {
  return renderTemplate("frontend/lib/auth-redirect.ts.hbs", { afterSignInPath: afterSignInPath || "/" });
}

/** The answers the pages follow: their paths, form and where signing in lands. */
export type AuthPageAnswers = Pick<Answers, "signInPath" | "signUpPath" | "afterSignInPath" | "passwordMinLength" | "passwordMaxLength" | "signUpName" | "socialProviders">;

/**
 * The sign-in and sign-up pages (at the answered paths, app/(auth)/sign-in and sign-up by default), and
 * lib/auth-redirect.ts they share. A page the project already has (app/login/page.tsx, app/(auth)/sign-up/page.tsx...)
 * is left alone and reported, and the generated one is not added beside it; the other page and the user menu link
 * to the project's URL instead. Returns the URLs of both pages.
 */
export function planAuthPages(tree: PlanTree, frontend: FrontendInfo, paths: FrontendPaths, clientExport: ExportedAs | null, answers: AuthPageAnswers): AuthPageUrls {
  const places = placeAuthPages(tree, paths, answers);
  const urls = { signIn: places["sign-in"].url, signUp: places["sign-up"].url };
  const form = authPageForm(answers);
  let generatedAny = false;
  for (const kind of ["sign-in", "sign-up"] as const) {
    const { own, file, target } = places[kind];
    if (own) {
      tree.skip(own.file, `the project's own ${kind} page (${own.url}): left as it is, and no generated one at ${target}; the generated pages and user menu link to ${own.url}`);
      continue;
    }
    if (!clientExport) {
      tree.skip(file, `not generated: ${paths.authClient} does not export its client under a name this page can import; ${CLIENT_EXPORT_HINT}`);
      continue;
    }
    tree.writeGenerated(file, renderAuthPage(kind, frontend, paths, clientExport, urls, form, file));
    generatedAny = true;
  }
  if (generatedAny) tree.writeGenerated(paths.authRedirect, renderAuthRedirect(pagePathAnswer("after-sign-in-path", answers.afterSignInPath)));
  return urls;
}
