import { renderTemplate } from "../render.js";
import type { PlanTree } from "../tree.js";
import { addPluginToFactoryCall, type PluginEditSpec } from "./add-plugin.js";
import type { ExportedAs } from "./source/exported-binding.js";

const JWT_CLIENT_EDIT: PluginEditSpec = {
  factory: { name: "createAuthClient", from: ["better-auth/react", "better-auth/client", "better-auth/vue", "better-auth/svelte", "better-auth/solid"] },
  plugin: { name: "jwtClient", from: "better-auth/client/plugins" },
  renderCall: (locals) => `${locals.jwtClient}()`,
};

const SNIPPET = [
  'import { jwtClient } from "better-auth/client/plugins";',
  "",
  "// in createAuthClient({ ... }): add to `plugins`",
  "jwtClient(),",
].join("\n");

/**
 * Creates lib/auth-client.ts, or adds jwtClient() to the user's own createAuthClient() call.
 * Returns how the file exports the client (lib/api.ts imports it), or null when it cannot be imported.
 */
export function planAuthClient(tree: PlanTree, rel: string): ExportedAs | null {
  const current = tree.read(rel);
  if (current === null || tree.isUntouchedGenerated(rel)) {
    tree.writeGenerated(rel, renderTemplate("frontend/lib/auth-client.ts.hbs", {}));
    return { kind: "named", name: "authClient" };
  }
  const result = addPluginToFactoryCall(current, JWT_CLIENT_EDIT);
  if (result.status === "unrecognised") {
    tree.skip(rel, `left as it is (${result.reason}); add the jwtClient plugin by hand`, SNIPPET);
    return null;
  }
  tree.write(rel, result.status === "added" ? result.text : current);
  return result.exportedAs;
}
