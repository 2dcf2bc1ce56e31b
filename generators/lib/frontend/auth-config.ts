import { renderTemplate } from "../render.js";
import type { PlanTree } from "../tree.js";
import type { Answers, AuthDatabase } from "../types.js";
import { addPluginToFactoryCall } from "./add-plugin.js";
import { jwtPluginEdit, jwtPluginMismatch, jwtPluginSnippet, renderJwtPlugin } from "./jwt-plugin.js";
import type { ExportedAs } from "./source/exported-binding.js";
import { indentFollowingLines } from "../text-edits.js";
import { passwordLengthOptions, passwordLengths } from "./password-length.js";
import { socialProviders, socialProvidersOption, unconfiguredProviders } from "./social-providers.js";

/** Better Auth's convention (its CLI looks for it): `export const auth = betterAuth(...)`. */
const CONVENTIONAL_EXPORT: ExportedAs = { kind: "named", name: "auth" };

/** How lib/auth.ts exports its betterAuth() instance, or why other files cannot import it. */
export type AuthExport = { exportedAs: ExportedAs } | { exportedAs: null; problem: string };

/** What planning lib/auth.ts decided. */
export interface AuthConfigOutcome {
  authExport: AuthExport;
  /** The database the file was generated for; null when the file is the user's own (kept, edited or skipped). */
  generatedDatabase: AuthDatabase | null;
}

/** A new lib/auth.ts: the chosen database, email and password (with its lengths), social providers, the jwt plugin, nextCookies() last. */
export function renderAuthConfig(answers: Answers, migrateCommand: string): string {
  const providers = socialProviders(answers);
  return renderTemplate("frontend/lib/auth.ts.hbs", {
    secretMode: answers.secretMode,
    database: answers.database,
    passwordOptions: passwordLengthOptions(passwordLengths(answers)),
    socialProviders: providers.length > 0 ? indentFollowingLines(socialProvidersOption(providers), "  ") : "",
    jwtPlugin: indentFollowingLines(renderJwtPlugin(answers), "    "),
    migrateCommand,
  });
}

/** What a project's own Better Auth config lacks of the answers (password lengths, social providers): the lines to add, or null. */
function ownConfigAdditions(text: string, answers: Answers): string | null {
  const lengths = passwordLengthOptions(passwordLengths(answers)).filter((option) => !text.includes(option.split(":")[0]));
  const providers = unconfiguredProviders(text, socialProviders(answers));
  if (lengths.length === 0 && providers.length === 0) return null;
  const lines = lengths.length > 0 ? ["// in emailAndPassword:", ...lengths.map((option) => `${option},`)] : [];
  if (providers.length > 0) lines.push("// in betterAuth({ ... }):", socialProvidersOption(providers));
  return lines.join("\n");
}

/** What to add to a user's own betterAuth({...}) call to switch the generated rate limits on. */
const RATE_LIMIT_SNIPPET = [
  'import { clientAddress, signInAttemptsPerAccount, signInRateLimit } from "./auth-rate-limit";',
  "",
  "// in betterAuth({ ... }):",
  "rateLimit: signInRateLimit,",
  "advanced: { ipAddress: clientAddress() },",
  "// in plugins, before nextCookies():",
  "signInAttemptsPerAccount(),",
].join("\n");

/** lib/auth-rate-limit.ts: the rate limits a generated lib/auth.ts imports (kept when the user edited it). */
function planRateLimit(tree: PlanTree, rel: string, migrateCommand: string): void {
  tree.writeGenerated(rel, renderTemplate("frontend/lib/auth-rate-limit.ts.hbs", { migrateCommand }));
}

/** The export other files import, or the problem to report when there is none to import. */
function authExportOf(rel: string, exportedAs: ExportedAs | null, unreadable?: string): AuthExport {
  if (exportedAs) return { exportedAs };
  if (unreadable) return { exportedAs: null, problem: `auth-integrator cannot tell how ${rel} exports its betterAuth() instance (${unreadable}); export it as \`auth\`` };
  return { exportedAs: null, problem: `${rel} does not export its betterAuth() instance; export it as \`auth\`` };
}

/**
 * Creates lib/auth.ts and the lib/auth-rate-limit.ts it imports, or adds the jwt plugin to the user's own one (nothing else changes); a file
 * of unknown shape is left alone and the snippet to add is reported. Returns how the file exports
 * the auth instance, and which database it was generated for (none when the file is the user's).
 */
export function planAuthConfig(tree: PlanTree, answers: Answers, rel: string, rateLimitRel: string, migrateCommand: string): AuthConfigOutcome {
  const current = tree.read(rel);
  planRateLimit(tree, rateLimitRel, migrateCommand);
  if (current === null || tree.isUntouchedGenerated(rel)) {
    tree.writeGenerated(rel, renderAuthConfig(answers, migrateCommand));
    return { authExport: { exportedAs: CONVENTIONAL_EXPORT }, generatedDatabase: answers.database };
  }
  const additions = ownConfigAdditions(current, answers);
  if (additions) tree.warn(`${rel} is your own, so it is not edited for the password lengths or social providers asked for; add:\n${additions}`);
  if (!current.includes("signInAttemptsPerAccount")) {
    tree.warn(`${rel} is your own, so sign-in and sign-up are not rate limited yet; to use ${rateLimitRel}, add:\n${RATE_LIMIT_SNIPPET}`);
  }
  const users = (authExport: AuthExport): AuthConfigOutcome => ({ authExport, generatedDatabase: null });
  const result = addPluginToFactoryCall(current, jwtPluginEdit(answers));
  if (result.status === "added") {
    tree.write(rel, result.text);
    return users(authExportOf(rel, result.exportedAs));
  }
  if (result.status === "present") {
    const mismatch = jwtPluginMismatch(answers, result.pluginCall);
    if (mismatch) tree.skip(rel, mismatch, jwtPluginSnippet(answers));
    else tree.keep(rel);
    return users(authExportOf(rel, result.exportedAs));
  }
  tree.skip(rel, `left as it is (${result.reason}); add the jwt plugin by hand`, jwtPluginSnippet(answers));
  return users(authExportOf(rel, result.exportedAs, result.foundCall ? undefined : result.reason));
}
