import { renderTemplate } from "../render.js";
import type { Answers } from "../types.js";
import { callOption, type PluginEditSpec } from "./add-plugin.js";
import type { NamedImport } from "./source/imports.js";
import type { ASTNode } from "magicast";
import { walk, type NodeOf } from "./source/parse.js";
import { expirationTime } from "./token-ttl.js";

const JWT_IMPORT = { name: "jwt", from: "better-auth/plugins" } as const;
const SIGN_JWT_IMPORT = { name: "SignJWT", from: "jose" } as const;

/** Imports the jwt plugin call uses besides `jwt` itself: jose's SignJWT in shared-secret mode. */
function extraImports(answers: Answers): NamedImport[] {
  return answers.secretMode === "shared-secret" ? [SIGN_JWT_IMPORT] : [];
}

/** The `jwt({...})` call for these answers (two-space indent, from column 0), with the given local names. */
export function renderJwtPlugin(answers: Answers, locals: Record<string, string> = {}): string {
  return renderTemplate("frontend/snippets/jwt-plugin.ts.hbs", {
    secretMode: answers.secretMode,
    tokenTtl: expirationTime(answers.tokenTtl),
    jwtName: locals.jwt ?? JWT_IMPORT.name,
    signJwtName: locals.SignJWT ?? SIGN_JWT_IMPORT.name,
  }).trimEnd();
}

/** What the AST editor needs to add the jwt plugin to an existing `betterAuth({...})` call. */
export function jwtPluginEdit(answers: Answers): PluginEditSpec {
  return {
    factory: { name: "betterAuth", from: ["better-auth"] },
    plugin: { ...JWT_IMPORT, alsoFrom: ["better-auth/plugins/jwt"] },
    extraImports: extraImports(answers),
    keepBefore: { name: "nextCookies", from: "better-auth/next-js" },
    renderCall: (locals) => renderJwtPlugin(answers, locals),
  };
}

/** What to add by hand when the file cannot be edited: the imports and the plugin call. */
export function jwtPluginSnippet(answers: Answers): string {
  const imports = [JWT_IMPORT, ...extraImports(answers)].map((i) => `import { ${i.name} } from "${i.from}";`);
  return [...imports, "", "// in betterAuth({ ... }): add to `plugins`, before nextCookies() (which stays last)", `${renderJwtPlugin(answers)},`].join("\n");
}

/** True when the node names `name` anywhere inside it (`process.env.NAME`, `env["NAME"]`). */
function mentions(node: ASTNode, name: string): boolean {
  for (const child of walk(node)) {
    if ((child.type === "Identifier" && child.name === name) || (child.type === "StringLiteral" && child.value === name)) return true;
  }
  return false;
}

/** Why an existing jwt plugin would sign tokens the backend rejects in this mode, or null when it fits. */
export function jwtPluginMismatch(answers: Answers, pluginCall: NodeOf<"CallExpression">): string | null {
  const signHook = callOption(pluginCall, "jwt", "sign");
  const hasSignHook = signHook !== null;
  if (answers.secretMode === "shared-secret" && !hasSignHook) {
    return "its jwt plugin signs with Better Auth's own keys (EdDSA), but in shared-secret mode the backend accepts only HS256 tokens signed with API_JWT_SECRET; give it the options below, or use the jwks mode";
  }
  if (answers.secretMode === "shared-secret" && signHook && !mentions(signHook, "API_JWT_SECRET")) {
    return "its jwt plugin's sign hook does not sign with API_JWT_SECRET (an earlier version signed with BETTER_AUTH_SECRET, which lets an API token pass for Better Auth's own email tokens); replace the plugin with the one below";
  }
  if (answers.secretMode === "jwks" && hasSignHook) {
    return "its jwt plugin signs with a custom sign hook, but in jwks mode the backend verifies tokens with the keys at /api/auth/jwks; give it the options below, or use the shared-secret mode";
  }
  return null;
}
