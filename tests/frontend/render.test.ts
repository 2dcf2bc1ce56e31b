import { afterEach, describe, expect, it } from "vitest";
import { UserInputError } from "../../generators/lib/errors.js";
import { MANIFEST_PATH } from "../../generators/lib/tree.js";
import type { Answers } from "../../generators/lib/types.js";
import { removeFixture } from "../helpers/fixture.js";
import { commit, frontendInfo, planOn, replan, type PlannedFrontend } from "./generated-project.js";
import { optionKeys, pluginNames, stringLiterals, syntaxErrors } from "./ts-ast.js";
import { tsxSyntaxErrors } from "./tsx-ast.js";

let planned: PlannedFrontend | null = null;
afterEach(() => {
  if (planned) removeFixture(planned.root);
  planned = null;
});

/** The lines of a file, for exact-line assertions (indentation included). */
function lines(text: string): string[] {
  return text.split("\n");
}

const COMBINATIONS = (["jwks", "shared-secret"] as const).flatMap((secretMode) =>
  (["sqlite", "postgres"] as const).flatMap((database) =>
    [false, true].flatMap((src) => [true, false].map((alias) => ({ secretMode, database, src, alias }))),
  ),
);

describe.each(COMBINATIONS)("a fresh frontend ($secretMode, $database, src layout: $src, alias: $alias)", ({ secretMode, database, src, alias }) => {
  const code = src ? "web/src" : "web";
  const render = () => (planned = planOn({}, { secretMode, database }, frontendInfo({ src, alias })));

  it("creates the six files, the auth pages and the user menu, each valid TypeScript", () => {
    const { files } = render();
    // (proxy.ts / middleware.ts have tests of their own.)
    expect(Object.keys(files).filter((file) => !/\/(proxy|middleware)\.ts$/.test(file)).sort()).toEqual(
      [
        `${code}/lib/auth.ts`,
        `${code}/lib/auth-rate-limit.ts`,
        `${code}/lib/auth-client.ts`,
        `${code}/lib/api.ts`,
        `${code}/app/api/auth/[...all]/route.ts`,
        "web/scripts/auth-migrate.ts",
        `${code}/app/(auth)/sign-in/page.tsx`,
        `${code}/app/(auth)/sign-up/page.tsx`,
        `${code}/lib/auth-redirect.ts`,
        `${code}/components/user-menu.tsx`,
        MANIFEST_PATH,
      ].sort(),
    );
    for (const [file, text] of Object.entries(files)) if (file.endsWith(".ts")) expect(syntaxErrors(text), file).toEqual([]);
    for (const [file, text] of Object.entries(files)) if (file.endsWith(".tsx")) expect(tsxSyntaxErrors(text), file).toEqual([]);
  });

  it("writes lib/auth.ts with the database, email sign-in, the jwt plugin and nextCookies() last", () => {
    const auth = render().files[`${code}/lib/auth.ts`];
    const has = (line: string) => expect(lines(auth)).toContain(line);
    has('import { betterAuth } from "better-auth";');
    has('import { nextCookies } from "better-auth/next-js";');
    has('import { jwt } from "better-auth/plugins";');
    if (database === "sqlite") {
      has('import Database from "better-sqlite3";');
      has('  database: new Database("auth.db"),');
    } else {
      has('import { Pool } from "pg";');
      has("  database: new Pool({ connectionString: process.env.DATABASE_URL }),");
    }
    has("  emailAndPassword: {");
    has("    enabled: true,");
    has('        expirationTime: "15m",');
    // jwks tokens carry who the user is; shared-secret tokens only sub (API_JWT_SECRET tokens carry nothing the API does not need).
    has(secretMode === "jwks" ? "        definePayload: ({ user }) => ({ id: user.id, email: user.email, name: user.name })," : "        definePayload: () => ({}),");
    has('import { clientAddress, signInAttemptsPerAccount, signInRateLimit } from "./auth-rate-limit";');
    has("  rateLimit: signInRateLimit,");
    has("    ipAddress: clientAddress(),");
    expect(optionKeys(auth, "betterAuth")).toEqual(["database", "emailAndPassword", "rateLimit", "advanced", "plugins"]);
    expect(pluginNames(auth, "betterAuth")).toEqual(["jwt", "signInAttemptsPerAccount", "nextCookies"]);
    // Better Auth reads BETTER_AUTH_URL and BETTER_AUTH_SECRET itself: nothing hard-coded.
    expect(auth).not.toMatch(/baseURL|secret:|localhost/);
    expect(stringLiterals(auth).filter((s) => s.startsWith("http") && !s.startsWith("https://jwks.invalid/"))).toEqual([]);
  });

  it(secretMode === "jwks" ? "lets the jwt plugin sign with its own EdDSA keys" : "signs HS256 at+jwt tokens with API_JWT_SECRET, never BETTER_AUTH_SECRET, in the jwt sign hook", () => {
    const auth = render().files[`${code}/lib/auth.ts`];
    const hookLines = [
      'import { SignJWT } from "jose";',
      '        remoteUrl: "https://jwks.invalid/hs256-tokens-have-no-public-keys",',
      '        keyPairConfig: { alg: "EdDSA" },',
      "        sign: async (payload) => {",
      "          const secret = process.env.API_JWT_SECRET;",
      "          return new SignJWT(payload)",
      '            .setProtectedHeader({ alg: "HS256", typ: "at+jwt" })',
      "            .sign(new TextEncoder().encode(secret));",
    ];
    expect(auth).not.toContain("process.env.BETTER_AUTH_SECRET");
    for (const line of hookLines) {
      if (secretMode === "shared-secret") expect(lines(auth)).toContain(line);
      else expect(lines(auth)).not.toContain(line);
    }
    if (secretMode === "jwks") expect(auth).not.toMatch(/SignJWT|sign:|jwks:/);
  });

  it("writes the route handler, importing auth through the alias or a relative path", () => {
    const route = render().files[`${code}/app/api/auth/[...all]/route.ts`];
    expect(route).toBe(
      [
        'import { toNextJsHandler } from "better-auth/next-js";',
        `import { auth } from "${alias ? "@/lib/auth" : "../../../../lib/auth"}";`,
        "",
        "export const { GET, POST } = toNextJsHandler(auth);",
        "",
      ].join("\n"),
    );
  });

  it("writes the auth client with jwtClient(), lib/api.ts on it, and the migrate script on lib/auth", () => {
    const { files } = render();
    expect(lines(files[`${code}/lib/auth-client.ts`])).toEqual(expect.arrayContaining(['import { jwtClient } from "better-auth/client/plugins";', "export const authClient = createAuthClient({", "  plugins: [jwtClient()],"]));
    expect(pluginNames(files[`${code}/lib/auth-client.ts`], "createAuthClient")).toEqual(["jwtClient"]);
    expect(lines(files[`${code}/lib/api.ts`])).toEqual(expect.arrayContaining(['import { authClient } from "./auth-client";', '  baseUrl: process.env.NEXT_PUBLIC_API_URL || "http://localhost:8000",']));
    expect(lines(files["web/scripts/auth-migrate.ts"])).toContain(`  const { auth } = await import("${src ? "../src/lib/auth" : "../lib/auth"}");`);
  });

  it("asks for the packages the code imports", () => {
    const { plan } = render();
    const expected: Record<string, string> = { "better-auth": "^1.7.25", ...(database === "sqlite" ? { "better-sqlite3": "^12.0.0" } : { pg: "^8.16.0" }) };
    if (secretMode === "shared-secret") expected.jose = "^6.2.3";
    expect(plan.npmDeps).toEqual(expected);
    expect(Object.keys(plan.npmDevDeps).sort()).toEqual(["tsx", database === "sqlite" ? "@types/better-sqlite3" : "@types/pg"].sort());
    expect(plan.scripts).toEqual({ "auth:migrate": "tsx scripts/auth-migrate.ts" });
    expect(plan.generatedDatabase).toBe(database);
  });
});

describe("answers that shape the generated code", () => {
  const authOf = (answers: Partial<Answers>) => (planned = planOn({}, answers)).files["web/lib/auth.ts"];
  const apiOf = (answers: Partial<Answers>) => (planned = planOn({}, answers)).files["web/lib/api.ts"];

  it("passes a token lifetime in seconds as a duration, never as a bare number (which would be an absolute exp)", () => {
    expect(lines(authOf({ tokenTtl: "900" }))).toContain('        expirationTime: "900s",');
    removeFixture(planned!.root);
    expect(lines(authOf({ tokenTtl: "1 h" }))).toContain('        expirationTime: "1h",');
  });

  it("rejects a token lifetime that is not a duration", () => {
    expect(() => planOn({}, { tokenTtl: "soon" })).toThrow(UserInputError);
  });

  it("bakes the API URL in as the fallback, without a trailing slash", () => {
    expect(lines(apiOf({ apiUrl: "https://api.example.com/" }))).toContain('  baseUrl: process.env.NEXT_PUBLIC_API_URL || "https://api.example.com",');
  });

  it("builds task paths from the token's subject for user-scoped routes", () => {
    const flat = apiOf({ routeStyle: "flat" });
    expect(lines(flat)).toContain('    return "/api/tasks";');
    expect(flat).not.toContain("encodeURIComponent(await currentUserId())");
    removeFixture(planned!.root);
    expect(lines(apiOf({ routeStyle: "user-scoped" }))).toContain("    return `/api/${encodeURIComponent(await currentUserId())}/tasks`;");
  });

  it("names the migrate command of the frontend's package manager", () => {
    planned = planOn({}, {}, { ...frontendInfo(), packageManager: "pnpm" });
    expect(planned.files["web/lib/auth.ts"]).toContain("create or update its tables with `pnpm auth:migrate`");
    expect(planned.files["web/scripts/auth-migrate.ts"]).toContain("//   pnpm auth:migrate");
  });
});

describe("a second run", () => {
  it("changes nothing and reports every frontend file as unchanged", () => {
    planned = planOn({}, { secretMode: "shared-secret" }, frontendInfo({ src: true }));
    commit(planned);
    const again = replan(planned.root, { secretMode: "shared-secret" }, frontendInfo({ src: true }));
    expect(again.tree.changes()).toEqual([]);
    expect(again.tree.skippedFiles()).toEqual([]);
    expect(again.tree.unchangedFiles().filter((file) => !/\/(proxy|middleware)\.ts$/.test(file)).sort()).toEqual(
      [
        "web/src/lib/auth.ts",
        "web/src/lib/auth-rate-limit.ts",
        "web/src/lib/auth-client.ts",
        "web/src/lib/api.ts",
        "web/src/app/api/auth/[...all]/route.ts",
        "web/scripts/auth-migrate.ts",
        "web/src/app/(auth)/sign-in/page.tsx",
        "web/src/app/(auth)/sign-up/page.tsx",
        "web/src/lib/auth-redirect.ts",
        "web/src/components/user-menu.tsx",
      ].sort(),
    );
  });

  it("re-renders its own untouched lib/auth.ts when the answers change", () => {
    planned = planOn({});
    commit(planned);
    const again = replan(planned.root, { secretMode: "shared-secret", tokenTtl: "5m" });
    const auth = again.files["web/lib/auth.ts"];
    expect(auth).toContain("sign: async (payload) => {");
    expect(auth).toContain('expirationTime: "5m"');
    expect(again.tree.skippedFiles()).toEqual([]);
  });
});
