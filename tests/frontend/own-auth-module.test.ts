/**
 * A project whose lib/auth.ts is other code (a Supabase or NextAuth helper) gets Better Auth's server beside it
 * (lib/better-auth.ts), and everything that imports it (the /api/auth route, the migrate script) uses that
 * name: before, the run skipped lib/auth.ts and still added sign-in pages whose /api/auth calls had no server.
 * A project whose Better Auth config lives under another of the usual names (lib/auth-server.ts) is edited there.
 */
import { afterEach, expect, it } from "vitest";
import { makeFixture, removeFixture, snapshotTree } from "../helpers/fixture.js";
import { runGenerator } from "../helpers/generator.js";
import { SMALL_MONOREPO } from "../helpers/monorepo.js";

let root = "";
afterEach(() => removeFixture(root));

const SUPABASE_AUTH = `import { createClient } from "@supabase/supabase-js";

const supabase = createClient(process.env.NEXT_PUBLIC_SUPABASE_URL!, process.env.NEXT_PUBLIC_SUPABASE_ANON_KEY!);

export async function getAuthToken(): Promise<string | null> {
  const { data } = await supabase.auth.getSession();
  return data.session?.access_token ?? null;
}
`;

const OWN_BETTER_AUTH = `import { betterAuth } from "better-auth";

export const auth = betterAuth({
  emailAndPassword: { enabled: true },
});
`;

it("puts Better Auth's server beside a lib/auth.ts of other code, and imports it from there", async () => {
  root = makeFixture({ ...SMALL_MONOREPO, "frontend/lib/auth.ts": SUPABASE_AUTH });
  const { result, failures } = await runGenerator(root, { secretMode: "jwks" });
  expect(failures).toEqual([]);
  const files = snapshotTree(root);
  expect(files["frontend/lib/auth.ts"]).toBe(SUPABASE_AUTH);
  expect(files["frontend/lib/better-auth.ts"]).toMatch(/export const auth = betterAuth\(/);
  expect(files["frontend/app/api/auth/[...all]/route.ts"]).toMatch(/from "(?:@\/lib|\.\.\/\.\.\/\.\.\/\.\.\/lib)\/better-auth"/);
  expect(files["frontend/scripts/auth-migrate.ts"]).toMatch(/lib\/better-auth/);
  expect(result!.skipped.map((skip) => skip.path)).not.toContain("frontend/lib/auth.ts");
  expect(result!.warnings.join("\n")).toContain("frontend/lib/auth.ts is your own and not Better Auth's, so Better Auth's server config went to frontend/lib/better-auth.ts");
});

it("edits a Better Auth config of the project's under another usual name instead of adding a second one", async () => {
  root = makeFixture({ ...SMALL_MONOREPO, "frontend/lib/auth-server.ts": OWN_BETTER_AUTH });
  const { failures } = await runGenerator(root, { secretMode: "jwks" });
  expect(failures).toEqual([]);
  const files = snapshotTree(root);
  expect(files["frontend/lib/auth.ts"]).toBeUndefined();
  expect(files["frontend/lib/auth-server.ts"]).toMatch(/plugins: \[[\s\S]*jwt\(/);
  expect(files["frontend/app/api/auth/[...all]/route.ts"]).toMatch(/lib\/auth-server"/);
});
