import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Answers } from "../../generators/lib/types.js";
import { removeFixture, snapshotTree } from "../helpers/fixture.js";
import { commit, planOn, replan, type PlannedFrontend } from "./generated-project.js";
import { pluginNames, syntaxErrors } from "./ts-ast.js";

const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), "fixtures");
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), "utf8");

let planned: PlannedFrontend | null = null;
afterEach(() => {
  if (planned) removeFixture(planned.root);
  planned = null;
});

/** Plans on a repo whose frontend already has these files under web/lib/. */
function withLibFiles(files: Record<string, string>, answers: Partial<Answers> = {}): PlannedFrontend {
  planned = planOn(Object.fromEntries(Object.entries(files).map(([name, text]) => [`web/lib/${name}`, text])), answers);
  return planned;
}

/** Every line of `before` is in `after`, in the same order (apart from the lines listed as rewritten). */
function expectLinesKept(before: string, after: string, rewritten: string[] = []): void {
  const remaining = after.split("\n");
  for (const line of before.split("\n")) {
    if (rewritten.includes(line)) continue;
    const at = remaining.indexOf(line);
    expect(at, `line kept: ${JSON.stringify(line)}`).toBeGreaterThanOrEqual(0);
    remaining.splice(0, at + 1);
  }
}

/** Commits, runs again with the same answers, and expects no change at all. */
function expectIdempotent(first: PlannedFrontend, answers: Partial<Answers> = {}): void {
  commit(first);
  const disk = snapshotTree(first.root);
  const second = replan(first.root, answers);
  expect(second.tree.changes()).toEqual([]);
  expect(snapshotTree(first.root)).toEqual(disk);
}

const JWT_PLUGIN_LINES = [
  "    jwt({",
  "      jwt: {",
  '        expirationTime: "15m",',
  "        // Keep tokens small: the API only needs to know who the user is.",
  "        definePayload: ({ user }) => ({ id: user.id, email: user.email, name: user.name }),",
  "      },",
  "    }),",
];

describe("adding the jwt plugin to the user's lib/auth.ts", () => {
  it("keeps comments and social providers, and puts jwt() before nextCookies() in a one-line plugins array", () => {
    const before = fixture("auth-social.ts");
    const after = withLibFiles({ "auth.ts": before }).files["web/lib/auth.ts"];
    expect(after).toBe(
      before
        .replace('import { Pool } from "pg";\n', 'import { Pool } from "pg";\nimport { jwt } from "better-auth/plugins";\n')
        .replace("  plugins: [nextCookies()], //", ["  plugins: [", ...JWT_PLUGIN_LINES, "    nextCookies(),", "  ], //"].join("\n")),
    );
    expectLinesKept(before, after, ["  plugins: [nextCookies()], // make sure this is the last plugin in the array"]);
    expect(pluginNames(after, "betterAuth")).toEqual(["jwt", "nextCookies"]);
    expectIdempotent(planned!);
  });

  it("adds jwt to an existing plugins import, on its own line above nextCookies() and its comment", () => {
    const before = fixture("auth-plugins-multiline.ts");
    const after = withLibFiles({ "auth.ts": before }).files["web/lib/auth.ts"];
    expect(after).toBe(
      before
        .replace("import { admin, organization } from", "import { admin, organization, jwt } from")
        .replace("    // nextCookies must stay last\n", `${JWT_PLUGIN_LINES.join("\n")}\n    // nextCookies must stay last\n`),
    );
    expectLinesKept(before, after, ['import { admin, organization } from "better-auth/plugins";']);
    expect(pluginNames(after, "betterAuth")).toEqual(["admin", "organization", "jwt", "nextCookies"]);
    expectIdempotent(planned!);
  });

  it("creates the plugins array when the config has none", () => {
    const before = fixture("auth-no-plugins.ts");
    const after = withLibFiles({ "auth.ts": before }).files["web/lib/auth.ts"];
    expect(after).toBe(
      before
        .replace('import Database from "better-sqlite3";\n', 'import Database from "better-sqlite3";\nimport { jwt } from "better-auth/plugins";\n')
        .replace("  },\n});", ["  },", "  plugins: [", ...JWT_PLUGIN_LINES, "  ],", "});"].join("\n")),
    );
    expectLinesKept(before, after);
    expectIdempotent(planned!);
  });

  it("changes nothing when a jwt plugin is already there, and reports the file unchanged", () => {
    const before = fixture("auth-with-jwt.ts");
    const { tree, files } = withLibFiles({ "auth.ts": before });
    expect(files["web/lib/auth.ts"]).toBeUndefined();
    expect(tree.unchangedFiles()).toContain("web/lib/auth.ts");
    expect(tree.skippedFiles()).toEqual([]);
  });

  it("follows the file's style (single quotes, no semicolons, four spaces) and adds the HS256 sign hook in shared-secret mode", () => {
    const before = fixture("auth-single-quotes.ts");
    const after = withLibFiles({ "auth.ts": before }, { secretMode: "shared-secret" }).files["web/lib/auth.ts"];
    expectLinesKept(before, after);
    const added = after.split("\n").filter((line) => !before.split("\n").includes(line));
    expect(added.slice(0, 3)).toEqual(["import { jwt } from 'better-auth/plugins'", "import { SignJWT } from 'jose'", "        jwt({"]);
    expect(added).toContain("                    const secret = process.env.API_JWT_SECRET");
    expect(added).toContain("                        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })");
    expect(added.filter((line) => line.includes('"'))).toEqual([]);
    expect(added.filter((line) => /;\s*$/.test(line))).toEqual([]);
    expect(pluginNames(after, "betterAuth")).toEqual(["jwt", "nextCookies"]);
    expect(syntaxErrors(after)).toEqual([]);
    expectIdempotent(planned!, { secretMode: "shared-secret" });
  });

  it("reports a jwt plugin that cannot sign what shared-secret mode's backend accepts, with the options to use", () => {
    const before = fixture("auth-with-jwt.ts");
    const { tree, files } = withLibFiles({ "auth.ts": before }, { secretMode: "shared-secret" });
    expect(files["web/lib/auth.ts"]).toBeUndefined();
    const [skip] = tree.skippedFiles();
    expect(skip.path).toBe("web/lib/auth.ts");
    expect(skip.reason).toMatch(/HS256/);
    expect(skip.snippet).toContain("sign: async (payload) => {");
  });

  it("reports a sign hook of an earlier version that signs API tokens with BETTER_AUTH_SECRET, with the plugin to use instead", () => {
    const first = withLibFiles({ "auth.ts": fixture("auth-single-quotes.ts") }, { secretMode: "shared-secret" });
    const oldHook = first.files["web/lib/auth.ts"].replace("process.env.API_JWT_SECRET", "process.env.BETTER_AUTH_SECRET");
    removeFixture(first.root);
    const { tree, files } = withLibFiles({ "auth.ts": oldHook }, { secretMode: "shared-secret" });
    expect(files["web/lib/auth.ts"]).toBeUndefined();
    const [skip] = tree.skippedFiles();
    expect(skip.reason).toMatch(/does not sign with API_JWT_SECRET/);
    expect(skip.snippet).toContain("const secret = process.env.API_JWT_SECRET;");
  });

  it("warns that a user's own lib/auth.ts gets no rate limits, with the lines that switch them on", () => {
    const { tree, files } = withLibFiles({ "auth.ts": fixture("auth-social.ts") });
    expect(files["web/lib/auth-rate-limit.ts"]).toContain("export function signInAttemptsPerAccount");
    expect(tree.warningList().join("\n")).toMatch(/not rate limited yet[\s\S]*rateLimit: signInRateLimit,[\s\S]*signInAttemptsPerAccount\(\),/);
  });

  it("leaves a config it cannot read alone and prints the snippet to add", () => {
    const before = fixture("auth-options-variable.ts");
    const { tree, files, root } = withLibFiles({ "auth.ts": before });
    expect(files["web/lib/auth.ts"]).toBeUndefined();
    expect(tree.skippedFiles()).toEqual([
      {
        path: "web/lib/auth.ts",
        reason: "left as it is (betterAuth(...) is not called with an object literal); add the jwt plugin by hand",
        snippet: [
          'import { jwt } from "better-auth/plugins";',
          "",
          "// in betterAuth({ ... }): add to `plugins`, before nextCookies() (which stays last)",
          "jwt({",
          ...JWT_PLUGIN_LINES.slice(1, -1).map((line) => line.slice(4)),
          "}),",
        ].join("\n"),
      },
    ]);
    commit(planned!);
    expect(snapshotTree(root)["web/lib/auth.ts"]).toBe(before);
  });

  it("skips a file that does not parse, naming the line", () => {
    const { tree, files } = withLibFiles({ "auth.ts": 'import { betterAuth } from "better-auth";\nexport const auth = betterAuth({ plugins: [ });\n' });
    expect(files["web/lib/auth.ts"]).toBeUndefined();
    expect(tree.skippedFiles()[0].reason).toMatch(/cannot parse it: .*\(2:\d+\)/);
  });

  it("imports the auth instance under the name the user's file exports", () => {
    const before = fixture("auth-no-plugins.ts").replace("export const auth =", "export const authServer =");
    const { files } = withLibFiles({ "auth.ts": before });
    expect(files["web/app/api/auth/[...all]/route.ts"]).toContain('import { authServer as auth } from "@/lib/auth";');
    expect(files["web/scripts/auth-migrate.ts"]).toContain('const { authServer: auth } = await import("../lib/auth");');
  });
});

describe("files that import the instance of a lib/auth.ts left as it is", () => {
  it("import it under the name it is exported as, even when the file's shape cannot be edited", () => {
    const { tree, files } = withLibFiles({ "auth.ts": fixture("auth-options-renamed.ts") });
    expect(tree.skippedFiles().map((s) => s.path)).toEqual(["web/lib/auth.ts"]);
    expect(files["web/app/api/auth/[...all]/route.ts"]).toContain('import { myAuth as auth } from "@/lib/auth";');
    expect(files["web/scripts/auth-migrate.ts"]).toContain('const { myAuth: auth } = await import("../lib/auth");');
  });

  it("are not generated when the export cannot be determined, and are reported with the code to add", () => {
    const before = 'import { betterAuth } from "better-auth";\n\nexport const a = betterAuth({});\nexport const b = betterAuth({});\n';
    const { tree, files } = withLibFiles({ "auth.ts": before });
    expect(Object.keys(files).filter((f) => f.includes("route.ts") || f.includes("auth-migrate"))).toEqual([]);
    const skips = Object.fromEntries(tree.skippedFiles().map((s) => [s.path, s]));
    expect(Object.keys(skips).sort()).toEqual(["web/app/api/auth/[...all]/route.ts", "web/lib/auth.ts", "web/scripts/auth-migrate.ts"]);
    const why = "auth-integrator cannot tell how web/lib/auth.ts exports its betterAuth() instance (2 betterAuth(...) calls, so it is unclear which one to change); export it as `auth`";
    expect(skips["web/app/api/auth/[...all]/route.ts"]).toMatchObject({ reason: `${why}, then add this handler`, snippet: expect.stringContaining("toNextJsHandler(auth)") });
    expect(skips["web/scripts/auth-migrate.ts"]).toMatchObject({ reason: `${why}, then add this script`, snippet: expect.stringContaining('const { auth } = await import("../lib/auth");') });
  });

  it("are not generated when the instance is found but not exported", () => {
    const before = fixture("auth-options-renamed.ts").replace("export const myAuth", "const myAuth");
    const { tree, files } = withLibFiles({ "auth.ts": before });
    expect(files["web/app/api/auth/[...all]/route.ts"]).toBeUndefined();
    expect(files["web/scripts/auth-migrate.ts"]).toBeUndefined();
    const reasons = tree.skippedFiles().map((s) => `${s.path}: ${s.reason}`);
    expect(reasons).toContain("web/app/api/auth/[...all]/route.ts: web/lib/auth.ts does not export its betterAuth() instance; export it as `auth`, then add this handler");
    expect(reasons).toContain("web/scripts/auth-migrate.ts: web/lib/auth.ts does not export its betterAuth() instance; export it as `auth`, then add this script");
  });
});

describe("packages for a lib/auth.ts that is the user's own", () => {
  it("adds no database driver when the user's lib/auth.ts is edited, whatever the database answer", () => {
    for (const database of ["sqlite", "postgres"] as const) {
      const { plan } = withLibFiles({ "auth.ts": fixture("auth-social.ts") }, { database, secretMode: "shared-secret" });
      expect(plan.generatedDatabase).toBeNull();
      expect(plan.npmDeps).toEqual({ "better-auth": "^1.7.25", jose: "^6.2.3" });
      expect(plan.npmDevDeps).toEqual({ tsx: "^4.20.0" });
      removeFixture(planned!.root);
      planned = null;
    }
  });

  it("adds none when the user's lib/auth.ts is skipped either", () => {
    const { plan, tree } = withLibFiles({ "auth.ts": fixture("auth-options-renamed.ts") });
    expect(tree.skippedFiles().map((s) => s.path)).toContain("web/lib/auth.ts");
    expect(plan.generatedDatabase).toBeNull();
    expect(Object.keys({ ...plan.npmDeps, ...plan.npmDevDeps }).sort()).toEqual(["better-auth", "tsx"]);
  });

  it("still adds the driver when lib/auth.ts is one auth-integrator generated and nobody edited", () => {
    const first = withLibFiles({}, { database: "postgres" });
    commit(first);
    const second = replan(first.root, { database: "postgres" });
    expect(second.plan.generatedDatabase).toBe("postgres");
    expect(second.plan.npmDeps).toMatchObject({ pg: "^8.16.0" });
  });
});

describe("edge shapes of the user's lib/auth.ts", () => {
  const edit = (text: string, answers: Partial<Answers> = {}) => withLibFiles({ "auth.ts": text }, answers);

  it("imports the plugin under another name when `jwt` is already taken", () => {
    const before = 'import { betterAuth } from "better-auth";\nimport jwt from "jsonwebtoken";\n\nexport const auth = betterAuth({\n  plugins: [],\n});\n';
    const after = edit(before).files["web/lib/auth.ts"];
    expect(after.split("\n").slice(0, 3)).toEqual(['import { betterAuth } from "better-auth";', 'import jwt from "jsonwebtoken";', 'import { jwt as betterAuthJwt } from "better-auth/plugins";']);
    expect(pluginNames(after, "betterAuth")).toEqual(["betterAuthJwt"]);
    expectLinesKept(before, after, ["  plugins: [],"]);
  });

  it("indents with tabs in a tab-indented file, and appends after a last plugin that has no trailing comma", () => {
    const before = 'import { betterAuth } from "better-auth";\nimport { admin } from "better-auth/plugins";\n\nexport const auth = betterAuth({\n\tplugins: [\n\t\tadmin() // admins\n\t]\n});\n';
    const after = edit(before).files["web/lib/auth.ts"];
    expect(after).toBe(
      before
        .replace("{ admin }", "{ admin, jwt }")
        .replace("\t\tadmin() // admins\n", `\t\tadmin(), // admins\n${JWT_PLUGIN_LINES.map((l) => l.slice(4).replace(/ {2}/g, "\t")).map((l) => `\t\t${l}`).join("\n").replace(/,$/, "")}\n`),
    );
  });

  it("reads a default-exported instance, and the route handler imports it as the default", () => {
    const before = 'import { betterAuth } from "better-auth";\n\nexport default betterAuth({ emailAndPassword: { enabled: true } });\n';
    const { files } = edit(before);
    expect(files["web/lib/auth.ts"]).toBe(
      [
        'import { betterAuth } from "better-auth";',
        'import { jwt } from "better-auth/plugins";',
        "",
        "export default betterAuth({",
        "  emailAndPassword: { enabled: true },",
        "  plugins: [",
        ...JWT_PLUGIN_LINES,
        "  ],",
        "});",
        "",
      ].join("\n"),
    );
    expect(files["web/app/api/auth/[...all]/route.ts"]).toContain('import auth from "@/lib/auth";');
    expect(files["web/scripts/auth-migrate.ts"]).toContain('const { default: auth } = await import("../lib/auth");');
  });

  it("does not guess when the options spread another object that may hold plugins", () => {
    const before = 'import { betterAuth } from "better-auth";\nimport { base } from "./base";\n\nexport const auth = betterAuth({ ...base, emailAndPassword: { enabled: true } });\n';
    const { tree, files } = edit(before);
    expect(files["web/lib/auth.ts"]).toBeUndefined();
    expect(tree.skippedFiles()[0].reason).toContain("spread another object");
  });

  it("skips a file with two betterAuth() calls rather than pick one", () => {
    const before = 'import { betterAuth } from "better-auth";\n\nexport const a = betterAuth({});\nexport const b = betterAuth({});\n';
    expect(edit(before).tree.skippedFiles()[0].reason).toContain("2 betterAuth(...) calls");
  });
});

describe("adding jwtClient() to the user's lib/auth-client.ts", () => {
  it("adds the plugins option after the others, and lib/api.ts imports the client", () => {
    const before = fixture("auth-client-baseurl.ts");
    const { files } = withLibFiles({ "auth-client.ts": before });
    expect(files["web/lib/auth-client.ts"]).toBe(
      before
        .replace('from "better-auth/react";\n', 'from "better-auth/react";\nimport { jwtClient } from "better-auth/client/plugins";\n')
        .replace("  baseURL: process.env.NEXT_PUBLIC_APP_URL,\n", "  baseURL: process.env.NEXT_PUBLIC_APP_URL,\n  plugins: [jwtClient()],\n"),
    );
    expect(files["web/lib/api.ts"]).toContain('import { authClient } from "./auth-client";');
    expectIdempotent(planned!);
  });

  it("gives an argument-less createAuthClient() its options, and lib/api.ts its own client when none is exported by name", () => {
    const before = fixture("auth-client-destructured.ts");
    const { files } = withLibFiles({ "auth-client.ts": before });
    expect(files["web/lib/auth-client.ts"]).toBe(
      [
        'import { createAuthClient } from "better-auth/react";',
        'import { jwtClient } from "better-auth/client/plugins";',
        "",
        "export const { signIn, signUp, signOut, useSession } = createAuthClient({ plugins: [jwtClient()] });",
        "",
      ].join("\n"),
    );
    expect(files["web/lib/api.ts"]).toContain("const authClient = createAuthClient({ plugins: [jwtClient()] });");
    expect(files["web/lib/api.ts"]).not.toContain('from "./auth-client"');
    expectIdempotent(planned!);
  });

  it("adds to an existing plugins array and leaves a client that already has jwtClient() alone", () => {
    const before = 'import { createAuthClient } from "better-auth/react";\nimport { adminClient } from "better-auth/client/plugins";\n\nexport const authClient = createAuthClient({ plugins: [adminClient()] });\n';
    const after = withLibFiles({ "auth-client.ts": before }).files["web/lib/auth-client.ts"];
    expect(after).toBe(before.replace("{ adminClient }", "{ adminClient, jwtClient }").replace("[adminClient()]", "[adminClient(), jwtClient()]"));
    removeFixture(planned!.root);
    expect(withLibFiles({ "auth-client.ts": after }).tree.unchangedFiles()).toContain("web/lib/auth-client.ts");
  });
});

describe("an existing route handler under app/api/auth", () => {
  const handler = 'import { auth } from "@/lib/auth";\nimport { toNextJsHandler } from "better-auth/next-js";\n\nexport const { POST, GET } = toNextJsHandler(auth);\n';

  it("is left as it is when it is Better Auth's", () => {
    planned = planOn({ "web/app/api/auth/[...betterauth]/route.ts": handler });
    expect(Object.keys(planned.files).filter((f) => f.includes("app/api"))).toEqual([]);
    expect(planned.tree.unchangedFiles()).toContain("web/app/api/auth/[...betterauth]/route.ts");
  });

  it("is reported when another library owns /api/auth, and no second handler is added", () => {
    planned = planOn({ "web/app/api/auth/[...nextauth]/route.ts": 'import NextAuth from "next-auth";\nconst handler = NextAuth({ providers: [] });\nexport { handler as GET, handler as POST };\n' });
    expect(Object.keys(planned.files).filter((f) => f.includes("app/api"))).toEqual([]);
    const [skip] = planned.tree.skippedFiles();
    expect(skip.path).toBe("web/app/api/auth/[...all]/route.ts");
    expect(skip.reason).toContain("web/app/api/auth/[...nextauth]/route.ts");
    expect(skip.snippet).toContain("export const { GET, POST } = toNextJsHandler(auth);");
  });
});
