import type { Answers, AuthDatabase } from "../types.js";
import { BETTER_AUTH_RANGE } from "./better-auth-version.js";

/** npm packages the generated frontend code needs, for package.json. */
export interface FrontendPackages {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

/**
 * Better Auth, the driver for the database a generated lib/auth.ts uses (none when lib/auth.ts is
 * the user's own: it already brings its driver), jose to sign HS256 tokens, and their typings.
 */
export function frontendPackages(answers: Answers, generatedDatabase: AuthDatabase | null): FrontendPackages {
  const dependencies: Record<string, string> = { "better-auth": BETTER_AUTH_RANGE };
  // tsx runs scripts/auth-migrate.ts on Node 20.
  const devDependencies: Record<string, string> = { tsx: "^4.20.0" };
  if (generatedDatabase === "postgres") {
    dependencies.pg = "^8.16.0";
    devDependencies["@types/pg"] = "^8.15.0";
  } else if (generatedDatabase === "sqlite") {
    dependencies["better-sqlite3"] = "^12.0.0";
    devDependencies["@types/better-sqlite3"] = "^9.6.0";
  }
  if (answers.secretMode === "shared-secret") dependencies.jose = "^6.2.3";
  return { dependencies, devDependencies };
}
