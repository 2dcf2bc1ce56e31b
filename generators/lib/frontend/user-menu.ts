import path from "node:path";
import { renderTemplate } from "../render.js";
import type { PlanTree } from "../tree.js";
import type { FrontendInfo } from "../types.js";
import { authClientImportFor, CLIENT_EXPORT_HINT, ownPageFiles, type AuthPageUrls } from "./auth-pages.js";
import { addUserMenuToLayout, userMenuSnippet } from "./layout-user-menu.js";
import { moduleSpecifier, type FrontendPaths } from "./paths.js";
import type { ExportedAs } from "./source/exported-binding.js";
import { importBindings } from "./source/imports.js";
import { parseSource } from "./source/parse.js";
import { variantTemplate } from "./styling.js";

const LAYOUT_FILES = ["layout.tsx", "layout.jsx", "layout.js", "layout.ts"];

export function renderUserMenu(frontend: FrontendInfo, paths: FrontendPaths, clientExport: ExportedAs, urls: AuthPageUrls): string {
  return renderTemplate(variantTemplate("components/user-menu", frontend), {
    authClientImport: authClientImportFor(frontend, paths, paths.userMenu, clientExport),
    uiModule: frontend.styling.shadcnUi ?? "",
    signInUrl: urls.signIn,
    signUpUrl: urls.signUp,
  });
}

/** True when the client comes from better-auth/react, whose useSession() is a React hook. */
function isReactClient(tree: PlanTree, rel: string): boolean {
  const text = tree.read(rel);
  if (text === null) return false;
  try {
    return importBindings(parseSource(text)).some((b) => b.imported === "createAuthClient" && b.from === "better-auth/react");
  } catch {
    return false;
  }
}

/**
 * components/user-menu.tsx (who is signed in, "Sign out"), and `<UserMenu />` first in the root
 * layout's <body>, by an AST edit. A layout of another shape is left alone with the lines to add.
 */
export function planUserMenu(tree: PlanTree, frontend: FrontendInfo, paths: FrontendPaths, clientExport: ExportedAs | null, urls: AuthPageUrls): void {
  if (!clientExport) {
    tree.skip(paths.userMenu, `not generated: ${paths.authClient} does not export its client under a name this component can import; ${CLIENT_EXPORT_HINT}`);
    return;
  }
  if (!isReactClient(tree, paths.authClient)) {
    tree.skip(paths.userMenu, `not generated: ${paths.authClient} does not create its client with createAuthClient from "better-auth/react", whose useSession() hook the menu needs`);
    return;
  }
  const wasOurs = tree.generatedFiles().includes(paths.userMenu);
  const written = tree.writeGenerated(paths.userMenu, renderUserMenu(frontend, paths, clientExport, urls));
  // A file of the user's own at that path may not export UserMenu: then the layout is not pointed at it.
  if (written === "skipped" && !wasOurs) return;

  const layout = LAYOUT_FILES.map((name) => path.posix.join(paths.appDir, name)).find((rel) => tree.exists(rel));
  const fallback = path.posix.join(paths.appDir, "layout.tsx");
  const specifier = moduleSpecifier(frontend, layout ?? fallback, paths.userMenu);
  if (!layout) {
    // No pages of the project's own yet: nothing to place it in. Pages without a root layout: say where it goes.
    if (ownPageFiles(tree, paths.appDir).length > 0) tree.skip(fallback, "no root layout found: add the user menu to the layout your pages use", userMenuSnippet(specifier));
    return;
  }
  const result = addUserMenuToLayout(tree.read(layout) ?? "", specifier);
  if (result.status === "unrecognised") {
    tree.skip(layout, `left as it is (${layout}${result.line ? `:${result.line}` : ""}: ${result.reason}); add the user menu by hand`, userMenuSnippet(specifier));
    return;
  }
  tree.write(layout, result.status === "added" ? result.text : (tree.read(layout) ?? ""));
}
