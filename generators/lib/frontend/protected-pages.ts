import path from "node:path";
import { renderTemplate } from "../render.js";
import type { PlanTree } from "../tree.js";
import type { FrontendInfo } from "../types.js";
import type { AuthPageUrls } from "./auth-pages.js";
import { parseVersion, rangeFloor } from "./better-auth-version.js";
import { detectCodeStyle, quoteString } from "./source/code-style.js";
import { ensureNamedImport, topLevelNames } from "./source/imports.js";
import { parseSource, type NodeOf } from "./source/parse.js";
import { applyEdits, convertIndentUnit, indentationAt, insertAt, type TextEdit } from "../text-edits.js";

/** The answer that asks for no proxy or middleware at all. */
export const NO_PROTECTED_PAGES = "none";

const PAGE_FILE = /^page\.(tsx|jsx|ts|js)$/;
/** A page that talks to the API: fetch or axios, the generated lib/api or lib/auth-api (apiFetch), or the API's base variable. */
const CALLS_API = /\bfetch\s*\(|\baxios\b|from\s+["'][^"']*\blib\/(?:api|auth-api|api-client-auth)["']|\bapiFetch\b|\bNEXT_PUBLIC_API_URL\b/;

/** Every page file under an app/ folder, recursively. */
function pageFiles(tree: Pick<PlanTree, "list" | "isDir">, dir: string): string[] {
  return tree.list(dir).flatMap((name) => {
    const rel = path.posix.join(dir, name);
    if (tree.isDir(rel)) return name === "node_modules" ? [] : pageFiles(tree, rel);
    return PAGE_FILE.test(name) ? [rel] : [];
  });
}

/**
 * The URL path a page file serves, as a prefix: route groups `(x)` and parallel-route slots `@x` dropped,
 * cut at the first dynamic segment (`/tasks/[id]` → `/tasks`); null for a private folder's file (`_x`).
 */
export function pageRoutePrefix(appDir: string, file: string): string | null {
  const segments = path.posix.relative(appDir, path.posix.dirname(file)).split("/").filter((s) => s && s !== ".");
  const kept: string[] = [];
  for (const segment of segments) {
    if (segment.startsWith("_")) return null;
    if (/^\(.*\)$/.test(segment) || segment.startsWith("@")) continue;
    if (segment.startsWith("[")) break;
    kept.push(segment);
  }
  return `/${kept.join("/")}`;
}

/** Prefixes without those another one already covers ("/" covers all), in order. */
function minimalPrefixes(prefixes: string[]): string[] {
  const unique = [...new Set(prefixes)].sort();
  if (unique.includes("/")) return ["/"];
  return unique.filter((p) => !unique.some((q) => q !== p && p.startsWith(`${q}/`)));
}

/** The protected pages by default: those that call the API (fetch, axios, lib/api, NEXT_PUBLIC_API_URL); "/" when none is found. */
export function defaultProtectPages(tree: Pick<PlanTree, "list" | "isDir" | "read">, frontend: FrontendInfo, authPages: AuthPageUrls = { signIn: "/sign-in", signUp: "/sign-up" }): string {
  const appDir = path.posix.join(frontend.codeDir, "app");
  const found = pageFiles(tree, appDir)
    .filter((file) => CALLS_API.test(tree.read(file) ?? ""))
    .map((file) => pageRoutePrefix(appDir, file))
    .filter((route): route is string => route !== null && route !== authPages.signIn && route !== authPages.signUp);
  const prefixes = minimalPrefixes(found);
  return prefixes.length > 0 ? prefixes.join(",") : "/";
}

/** The protected path prefixes of an answer ("/,/tasks" → ["/"]); empty for "none". */
export function parseProtectPages(answer: string): string[] {
  if (answer.trim().toLowerCase() === NO_PROTECTED_PAGES) return [];
  return minimalPrefixes(
    answer
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => (p.length > 1 ? p.replace(/\/+$/, "") : p)),
  );
}

/** What is wrong with a --protect-pages answer, or null. */
export function protectPagesProblem(answer: string): string | null {
  // Empty: the default, the pages that call the API.
  if (answer.trim() === "" || answer.trim().toLowerCase() === NO_PROTECTED_PAGES) return null;
  const entries = answer.split(",").map((p) => p.trim());
  const bad = entries.find((p) => !/^\/[^\s?#*,]*$/.test(p));
  return bad === undefined ? null : `--protect-pages takes path prefixes starting with "/", comma-separated (like "/,/tasks"), or "none"; got "${bad}"`;
}

/** Next.js's major version: the installed one (the frontend's node_modules, else the workspace root's), else the declared range's lowest. */
export function nextMajor(tree: Pick<PlanTree, "read">, frontend: FrontendInfo): number {
  for (const dir of [...new Set([frontend.dir, "."])]) {
    const installed = tree.read(path.posix.join(dir, "node_modules/next/package.json"));
    const version = installed && /"version"\s*:\s*"([^"]+)"/.exec(installed)?.[1];
    const parsed = version ? parseVersion(version) : null;
    if (parsed) return parsed[0];
  }
  // "latest", "canary" and other ranges without a lowest version: the current major.
  return rangeFloor(frontend.nextVersion)?.[0] ?? 16;
}

const SOURCE_EXTENSIONS = ["ts", "tsx", "js", "jsx", "mjs"];

/** The project's own proxy.* or middleware.* next to app/, if any. */
function existingFiles(tree: PlanTree, frontend: FrontendInfo): string[] {
  return ["proxy", "middleware"].flatMap((base) => SOURCE_EXTENSIONS.map((ext) => path.posix.join(frontend.codeDir, `${base}.${ext}`))).filter((f) => tree.exists(f));
}

/**
 * The matcher: every path except /api/ (Better Auth's routes, and API calls, whose answer to a signed-out caller is a
 * 401, not a sign-in page), the auth pages, Next.js's own files and files with an extension.
 */
function matcherPattern(authPages: AuthPageUrls): string {
  const pages = [...new Set([authPages.signIn, authPages.signUp])].map((p) => p.replace(/^\//, "").replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  return `/((?!api/|${pages.join("|")}|_next/static|_next/image|favicon\\.ico|.*\\.[\\w]+$).*)`;
}

export function renderProxy(functionName: string, pages: string[], authPages: AuthPageUrls): string {
  return renderTemplate("frontend/proxy.ts.hbs", {
    functionName,
    protectedPages: `[${pages.map((p) => JSON.stringify(p)).join(", ")}]`,
    signIn: authPages.signIn,
    matcher: JSON.stringify(matcherPattern(authPages)),
  });
}

/** The check put at the top of an existing proxy/middleware function, `request` being its parameter. */
function checkBlock(request: string, pages: string[], authPages: AuthPageUrls, cookie: string, response: string): string {
  return [
    "// auth-integrator: a signed-out visitor of a protected page goes to sign-in first. This checks only that the",
    "// session cookie is there; the API, which verifies every token, stays the real gate.",
    `if (!${cookie}(${request}) && ${JSON.stringify(pages)}.some((page) => page === "/" || ${request}.nextUrl.pathname === page || ${request}.nextUrl.pathname.startsWith(\`\${page}/\`)) &&`,
    `  !/^\\/(?:api\\/auth|_next)(?:\\/|$)|\\.\\w+$/.test(${request}.nextUrl.pathname) &&`,
    `  ![${JSON.stringify(authPages.signIn)}, ${JSON.stringify(authPages.signUp)}].some((page) => ${request}.nextUrl.pathname === page || ${request}.nextUrl.pathname.startsWith(\`\${page}/\`))) {`,
    "  // On the host the visitor asked for (Next.js 15 gives middleware a request.url on the server's own address).",
    `  const signInUrl = new URL(${JSON.stringify(authPages.signIn)}, \`\${${request}.nextUrl.protocol}//\${${request}.headers.get("host") ?? ${request}.nextUrl.host}\`);`,
    `  signInUrl.searchParams.set("callbackUrl", ${request}.nextUrl.pathname + ${request}.nextUrl.search);`,
    `  return ${response}.redirect(signInUrl);`,
    "}",
  ].join("\n");
}

type FunctionNode = NodeOf<"FunctionDeclaration"> | NodeOf<"ArrowFunctionExpression"> | NodeOf<"FunctionExpression">;

/** The module's single exported function (named `proxy`/`middleware` or the default export), if it is one we can edit. */
function singleExportedFunction(program: NodeOf<"Program">): FunctionNode | string {
  const functions: FunctionNode[] = [];
  for (const statement of program.body) {
    if (statement.type === "ExportDefaultDeclaration") {
      const d = statement.declaration;
      if (d.type === "FunctionDeclaration" || d.type === "ArrowFunctionExpression" || d.type === "FunctionExpression") functions.push(d as FunctionNode);
      else return "its default export is not a function written in place";
    }
    if (statement.type === "ExportNamedDeclaration" && statement.declaration) {
      const d = statement.declaration;
      if (d.type === "FunctionDeclaration" && d.id && ["proxy", "middleware"].includes(d.id.name)) functions.push(d);
      if (d.type === "VariableDeclaration") {
        for (const declarator of d.declarations) {
          if (declarator.id.type !== "Identifier" || !["proxy", "middleware"].includes(declarator.id.name)) continue;
          const init = declarator.init;
          if (init && (init.type === "ArrowFunctionExpression" || init.type === "FunctionExpression")) functions.push(init);
          else return `\`${declarator.id.name}\` is not a function written in place (a wrapper such as withAuth(...))`;
        }
      }
    }
  }
  if (functions.length !== 1) return functions.length === 0 ? "no exported proxy/middleware function" : "more than one exported proxy/middleware function";
  const fn = functions[0];
  if (fn.body.type !== "BlockStatement") return "the function's body is an expression, not a block";
  const param = fn.params[0];
  if (fn.params.length > 0 && param.type !== "Identifier") return "its request parameter is destructured";
  return fn;
}

export type ProxyEdit = { status: "added"; text: string } | { status: "present" } | { status: "unrecognised"; reason: string };

/** Inserts the signed-out check at the top of an existing proxy/middleware function (text in → text out). */
export function addCheckToProxy(text: string, pages: string[], authPages: AuthPageUrls, options: { typescript: boolean } = { typescript: true }): ProxyEdit {
  if (/["']better-auth\/cookies["']/.test(text) || /\bgetSessionCookie\b/.test(text)) return { status: "present" };
  let source;
  try {
    source = parseSource(text);
  } catch (error) {
    return { status: "unrecognised", reason: `it does not parse (${(error as Error).message})` };
  }
  const fn = singleExportedFunction(source.program);
  if (typeof fn === "string") return { status: "unrecognised", reason: fn };
  const style = detectCodeStyle(source);
  const taken = topLevelNames(source);
  const edits: TextEdit[] = [];
  const cookie = ensureNamedImport(source, { name: "getSessionCookie", from: "better-auth/cookies" }, style, taken);
  const response = ensureNamedImport(source, { name: "NextResponse", from: "next/server" }, style, taken);
  edits.push(...cookie.edits, ...response.edits);
  let request = fn.params[0]?.type === "Identifier" ? fn.params[0].name : null;
  if (!request) {
    // `export function middleware() {...}`: give it the request parameter.
    request = "request";
    const open = text.indexOf("(", fn.start ?? 0);
    if (options.typescript) {
      const typeImport = ensureNamedImport(source, { name: "NextRequest", from: "next/server" }, style, taken);
      edits.push(insertAt(open + 1, `request: ${typeImport.local}`), ...typeImport.edits);
    } else {
      edits.push(insertAt(open + 1, "request"));
    }
  }
  const body = fn.body as NodeOf<"BlockStatement">;
  const first = body.body[0];
  const indent = first ? indentationAt(text, first.start ?? 0) : `${indentationAt(text, fn.start ?? 0)}${style.indent}`;
  const block = convertIndentUnit(restyleBlock(checkBlock(request, pages, authPages, cookie.local, response.local), style.quote, style.semicolons), style.indent)
    .split("\n")
    .map((line) => indent + line)
    .join("\n");
  const at = (body.start ?? 0) + 1;
  edits.push(insertAt(at, first ? `\n${block}` : `\n${block}\n`));
  return { status: "added", text: applyEdits(text, edits) };
}

/** The check in the file's quotes and semicolons. */
function restyleBlock(block: string, quote: '"' | "'", semicolons: boolean): string {
  let out = block;
  if (quote === "'") out = out.replace(/"([^"\\]*)"/g, (_m, inner: string) => quoteString(inner, "'"));
  if (!semicolons) out = out.replace(/;$/gm, "");
  return out;
}

/**
 * proxy.ts (Next.js 16 and later, exporting `proxy`) or middleware.ts (15 and earlier, `middleware`) next to
 * app/: a signed-out visitor of a protected page is redirected to sign-in with `callbackUrl`. An existing
 * proxy or middleware of the project's gets the check at the top of its function when its shape is
 * recognised, else it is left alone with the snippet. Never both files.
 */
export function planProtectedPages(tree: PlanTree, answer: string, frontend: FrontendInfo, authPages: AuthPageUrls): void {
  const pages = parseProtectPages(answer.trim() === "" ? defaultProtectPages(tree, frontend, authPages) : answer);
  if (pages.length === 0) return;
  const major = nextMajor(tree, frontend);
  const base = major >= 16 ? "proxy" : "middleware";
  const rel = path.posix.join(frontend.codeDir, `${base}.ts`);
  const snippet = renderProxy(base, pages, authPages);
  const existing = existingFiles(tree, frontend).filter((f) => f !== rel || !tree.isUntouchedGenerated(rel));
  if (existing.length === 0) {
    tree.writeGenerated(rel, snippet);
    return;
  }
  if (existing.length > 1) {
    tree.skip(existing[0], `${existing.join(" and ")} both exist (Next.js refuses to build with both); keep one, then add this`, snippet);
    return;
  }
  const file = existing[0];
  const text = tree.read(file) ?? "";
  const edit = addCheckToProxy(text, pages, authPages, { typescript: /\.tsx?$/.test(file) });
  if (edit.status === "present") {
    tree.write(file, text);
    return;
  }
  if (edit.status === "unrecognised") {
    tree.skip(file, `left as it is (${edit.reason}); add the signed-out redirect to it by hand, as in this ${base}.ts`, snippet);
    return;
  }
  tree.write(file, edit.text);
  if (/\bmatcher\s*:\s*\[\s*\]/.test(text)) {
    tree.warn(`${file}: its config.matcher is an empty list, so Next.js runs it on no path and the sign-in redirect added to it never runs: list ${pages.join(", ")} in it (leaving out ${authPages.signIn}, ${authPages.signUp} and /api/auth)`);
  } else if (/\bmatcher\b/.test(text)) {
    tree.warn(`${file}: its config.matcher decides where the sign-in redirect runs; make sure it covers ${pages.join(", ")} and leaves out ${authPages.signIn}, ${authPages.signUp} and /api/auth`);
  }
  if (path.posix.basename(file).startsWith("middleware") && major >= 16) {
    tree.warn(`${file}: Next.js ${major} calls it proxy.ts (export \`proxy\`); middleware.ts still works, with a deprecation warning`);
  }
}
