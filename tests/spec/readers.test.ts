import { describe, expect, it } from "vitest";
import { readSpec } from "../../generators/lib/spec/read-spec.js";
import type { SpecAnswerKey } from "../../generators/lib/spec/types.js";

/** The decision for a key from one line under an auth heading (line 3), or null. */
function decided(line: string, key: SpecAnswerKey): string | null {
  const report = readSpec(`# Authentication\n\n${line}\n\nUsers sign in with a password and get a JWT.\n`, "a.md");
  return report.decisions[key]?.value ?? null;
}

describe("tokenTtl", () => {
  it.each([
    ["Tokens expire after 7 days.", "7d"],
    ["The JWT is valid for one week.", "7d"],
    ["Access tokens last 24 hours.", "1d"],
    ["Tokens expire after seven days.", "7d"],
    ["Access tokens expire after 30 minutes.", "30m"],
    ["Token TTL: 1h", "1h"],
    ["The `exp` claim is 24 hours after issue.", "1d"],
    ["`ACCESS_TOKEN_EXPIRE_MINUTES=30`", "30m"],
    ["`JWT_EXPIRATION_HOURS=168`", "7d"],
    ['Use `expiresIn: "7d"` for tokens.', "7d"],
    ["The token expiry is `60 * 60 * 24 * 7` seconds.", "7d"],
  ])("%s → %s", (line, value) => expect(decided(line, "tokenTtl")).toBe(value));

  it.each([
    "Sign-in is limited to 5 attempts per 15 minutes.",
    "The request timeout is 30 seconds.",
    "The task cache TTL is 5 minutes.",
    "The account is locked for 15 minutes after 5 failed attempts.",
    "The task list polls every 30 seconds.",
    "Sign-in must complete within 2 seconds.",
    "Refresh tokens expire after 30 days.",
    "Given a token issued 8 days ago, the API answers 401.",
  ])("no ttl from: %s", (line) => expect(decided(line, "tokenTtl")).toBeNull());

  it("takes the JWT lifetime over a session lifetime named beside it", () => {
    expect(decided("Sessions last 30 days and JWTs expire after 1 hour.", "tokenTtl")).toBe("1h");
    expect(decided("Sessions last 30 days.", "tokenTtl")).toBe("30d");
  });
});

describe("secretMode", () => {
  it.each([
    ["The backend verifies tokens with HS256.", "shared-secret"],
    ["Both apps use a shared secret.", "shared-secret"],
    ["FastAPI verifies the JWT with BETTER_AUTH_SECRET.", "shared-secret"],
    ["The backend fetches the JWKS and verifies EdDSA signatures.", "jwks"],
    ["Tokens are signed with RS256; the API checks them with the public key.", "jwks"],
    ["Use JWKS, not HS256.", "jwks"],
  ])("%s → %s", (line, value) => expect(decided(line, "secretMode")).toBe(value));

  it("decides nothing from the JWT plugin alone", () => expect(decided("Better Auth issues tokens with the JWT plugin.", "secretMode")).toBeNull());
});

describe("routes and status", () => {
  it.each([
    ["Endpoints: `GET /api/{user_id}/tasks`.", "user-scoped"],
    ["Endpoints: `GET /api/:user_id/tasks`.", "user-scoped"],
    ["Endpoints: `GET /api/{userId}/tasks`.", "user-scoped"],
    ["Endpoints: `GET /api/tasks` and `POST /api/tasks`.", "flat"],
  ])("%s → %s", (line, value) => expect(decided(line, "routeStyle")).toBe(value));

  it.each([
    "Reject a mismatched user_id in the URL.",
    "If the path's user_id is not the signed-in user, respond 404.",
    "The user ID in the URL must match the user ID in the JWT.",
    "Verify that the URL parameter userId equals the token's sub.",
  ])("user-scoped from prose: %s", (line) => expect(decided(line, "routeStyle")).toBe("user-scoped"));

  it.each([
    "Return 403 Forbidden if the user_id in the request body does not match the token.",
    "There is no user_id in the URL: the user comes from the token, and is checked there.",
    "The user id is taken from the JWT instead of the URL path, so nothing needs to match.",
  ])("no route style from: %s", (line) => expect(decided(line, "routeStyle")).toBeNull());

  it("ignores Better Auth's own /api/auth routes and Next.js app/api files", () => {
    expect(decided("Better Auth mounts `/api/auth/[...all]` in `app/api/auth/route.ts`.", "routeStyle")).toBeNull();
  });

  it.each([
    ["Return 403 Forbidden if the user_id does not match the token.", "403"],
    ["If the path's user_id is not the signed-in user, respond 404.", "404"],
    ["401 without a token, 403 when the user_id does not match, 404 when a task is missing.", "403"],
  ])("%s → %s", (line, value) => expect(decided(line, "mismatchStatus")).toBe(value));

  it("reads no mismatch status from a missing-task 404", () => expect(decided("Return 404 if the task does not exist.", "mismatchStatus")).toBeNull());
});

describe("password lengths", () => {
  it.each([
    ["Passwords must be at least 8 characters.", "8"],
    ["Password: minimum 10 characters.", "10"],
    ["Password min length: 12", "12"],
    ["`minPasswordLength: 8`", "8"],
    ["`password: z.string().min(9)`", "9"],
  ])("min %s → %s", (line, value) => expect(decided(line, "passwordMinLength")).toBe(value));

  it.each([
    ["Passwords may be at most 128 characters.", "128"],
    ["`maxPasswordLength: 64`", "64"],
  ])("max %s → %s", (line, value) => expect(decided(line, "passwordMaxLength")).toBe(value));

  it("reads no password length from another field", () => {
    expect(decided("The name must be at least 2 characters.", "passwordMinLength")).toBeNull();
    expect(decided("BETTER_AUTH_SECRET must be at least 32 characters.", "passwordMinLength")).toBeNull();
    expect(decided("A task title has at most 200 characters.", "passwordMaxLength")).toBeNull();
  });
});

describe("sign-up name, providers, paths, origins, database", () => {
  it.each([
    ["Sign-up asks for name, email and password.", "yes"],
    ["The registration form has a Name field.", "yes"],
    ["Sign-up takes only email and password.", "no"],
  ])("signUpName %s → %s", (line, value) => expect(decided(line, "signUpName")).toBe(value));

  it("infers no signUpName from sign-up with email and password", () => expect(decided("Users sign up with email and password.", "signUpName")).toBeNull());

  it.each([
    ["Users can sign in with Google and GitHub.", "google,github"],
    ["Social login: GitHub, Discord, Google.", "google,github,discord"],
  ])("socialProviders %s → %s", (line, value) => expect(decided(line, "socialProviders")).toBe(value));

  it.each([
    "There is no social login.",
    "No Google or GitHub login.",
    "CI runs on GitHub Actions.",
    "Future: sign in with Google.",
  ])("no socialProviders from: %s", (line) => expect(decided(line, "socialProviders")).toBeNull());

  it("reads page paths and where sign-in redirects", () => {
    const report = readSpec("# Login\n\nThe login page is `app/(auth)/login/page.tsx`; after login users are redirected to `/tasks`.\n", "a.md");
    expect(report.decisions.signInPath?.value).toBe("/login");
    expect(report.decisions.afterSignInPath?.value).toBe("/tasks");
    expect(decided("After sign-up users are redirected to `/welcome`.", "afterSignInPath")).toBeNull();
  });

  it.each([
    ["CORS allows http://localhost:3000 and https://tasks.acme.dev.", "http://localhost:3000,https://tasks.acme.dev"],
    ["Allowed origins: `https://your-domain.com`, http://localhost:3000", "http://localhost:3000"],
  ])("corsOrigins %s → %s", (line, value) => expect(decided(line, "corsOrigins")).toBe(value));

  it.each([
    ["The database is Neon Serverless PostgreSQL.", "postgres"],
    ["`DATABASE_URL=postgresql://u:p@host/db`", "postgres"],
    ["Data is stored in SQLite.", "sqlite"],
  ])("database %s → %s", (line, value) => expect(decided(line, "database")).toBe(value));

  it("reads no database from SQLite used only for tests", () => expect(decided("The tests run against SQLite.", "database")).toBeNull());
});

describe("notGenerated", () => {
  it("lists features asked for, not denied or deferred ones", () => {
    const report = readSpec(
      "# Authentication\n\nUsers sign in with a password.\n\n- Users can reset their password.\n- Email verification is not required.\n- Admins get role-based access.\n- Two-factor authentication is out of scope.\n- Sign-in with a magic link.\n",
      "a.md",
    );
    expect(report.notGenerated.map((n) => [n.feature, n.line])).toEqual([["password reset", 5], ["roles", 7], ["magic link", 9]]);
  });
});
