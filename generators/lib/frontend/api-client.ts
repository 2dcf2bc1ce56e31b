import { renderTemplate } from "../render.js";
import type { PlanTree } from "../tree.js";
import type { Answers } from "../types.js";
import { importClause } from "./exports.js";
import { relativeSpecifier, type FrontendPaths } from "./paths.js";
import type { ExportedAs } from "./source/exported-binding.js";

/** lib/api.ts gets the user's auth client by import, or makes its own when the client is not exported. */
function authClientImport(paths: FrontendPaths, clientExport: ExportedAs | null): string {
  if (clientExport) return `import ${importClause(clientExport, "authClient")} from "${relativeSpecifier(paths.api, paths.authClient)}";`;
  return [
    'import { jwtClient } from "better-auth/client/plugins";',
    'import { createAuthClient } from "better-auth/react";',
    "",
    `// ${paths.authClient} does not export its client under a name this file can import, so here is one for tokens.`,
    "// It does not see the sign-ins and sign-outs you make in this tab through your own client (only what its",
    "// session refetches show, see below): call resetApiToken() after each one.",
    "const authClient = createAuthClient({ plugins: [jwtClient()] });",
  ].join("\n");
}

/** lib/api.ts: apiFetch() with the bearer token, and typed helpers for the task routes. */
export function renderApiClient(answers: Answers, paths: FrontendPaths, clientExport: ExportedAs | null, baseEnv: string | null = null, baseFallback: string | null = null): string {
  return renderTemplate("frontend/lib/api.ts.hbs", {
    authClientImport: authClientImport(paths, clientExport),
    // The project's own deployed fallback, when its code had one, else the answer.
    apiUrl: (baseFallback ?? answers.apiUrl).replace(/\/+$/, ""),
    routeStyle: answers.routeStyle,
    // The project's own API-base variable (NEXT_PUBLIC_BACKEND_URL...), read before NEXT_PUBLIC_API_URL.
    baseEnv,
  });
}

export function planApiClient(tree: PlanTree, answers: Answers, paths: FrontendPaths, clientExport: ExportedAs | null, baseEnv: string | null = null, baseFallback: string | null = null): void {
  tree.writeGenerated(paths.api, renderApiClient(answers, paths, clientExport, baseEnv, baseFallback));
}
