import type { DatabaseUrlInfo } from "./detect/database-url.js";

/** How the backend verifies tokens: Better Auth's own EdDSA keys via JWKS, or HS256 with BETTER_AUTH_SECRET. */
export type SecretMode = "jwks" | "shared-secret";
/** Better Auth's database: an embedded SQLite file (better-sqlite3) or Postgres via DATABASE_URL. */
export type AuthDatabase = "sqlite" | "postgres";
/** Task routes: `/api/tasks` (flat) or `/api/{user_id}/tasks` (user-scoped, 403 on mismatch). */
export type RouteStyle = "flat" | "user-scoped";
/** The status a `{user_id}` path parameter that is not the signed-in user's id gets. */
export type MismatchStatus = "403" | "404";

/** The answers a run works from: every prompt's value, all paths relative to the repo root ("." for the root). */
export interface Answers {
  frontend: string;
  backend: string;
  secretMode: SecretMode;
  database: AuthDatabase;
  routeStyle: RouteStyle;
  /** Token lifetime as Better Auth's jwt plugin takes it ("15m", "1h", or seconds). */
  tokenTtl: string;
  /** BETTER_AUTH_URL: the frontend origin, no trailing slash. */
  authUrl: string;
  /** NEXT_PUBLIC_API_URL: where the frontend reaches FastAPI. */
  apiUrl: string;
  /** Path prefixes that need a signed-in user, comma-separated ("/,/tasks"), or "none"; the proxy/middleware redirects to sign-in. */
  protectPages: string;
  /**
   * The project's routers whose resource routes are scoped to the signed-in user: router modules, file stems or
   * files, comma-separated ("tasks,app.routers.todos"); "" or "all" for every one found, "none" for none.
   */
  protectRouters: string;
  /** Status for a `{user_id}` path parameter that is not the token's user (user-scoped routes and the project's own). */
  mismatchStatus: MismatchStatus;
  /** Better Auth's emailAndPassword.minPasswordLength, as digits ("8"). */
  passwordMinLength: string;
  /** Better Auth's emailAndPassword.maxPasswordLength, as digits ("128"). */
  passwordMaxLength: string;
  /** "yes": the sign-up page asks for a name; "no": the name Better Auth requires is taken from the email. */
  signUpName: "yes" | "no";
  /** Better Auth social providers, comma-separated ("google,github"), or "none". */
  socialProviders: string;
  /** The sign-in page's URL path ("/sign-in"); the project's own page when it has one. */
  signInPath: string;
  /** The sign-up page's URL path ("/sign-up"); the project's own page when it has one. */
  signUpPath: string;
  /** Where a sign-in without a callback lands ("/"). */
  afterSignInPath: string;
  /** Origins the API's CORS allows, comma-separated; the frontend origin (authUrl) by default. */
  corsOrigins: string;
}

export type PackageManager = "npm" | "pnpm" | "yarn" | "bun";
export type PythonTool = "uv" | "poetry" | "pip";

/** What detection found in the frontend folder. */
export interface FrontendInfo {
  /** Folder relative to the repo root ("." for the root). */
  dir: string;
  /** True when the App Router lives in `src/app`: generated files then go under `src/`. */
  srcLayout: boolean;
  /** Folder (relative to the repo root) where `lib/` and `app/` live: `dir` or `dir/src`. */
  codeDir: string;
  /** The tsconfig path alias that maps to codeDir, e.g. "@/" for `"@/*": ["./src/*"]`; null when none. */
  importAlias: string | null;
  packageManager: PackageManager;
  /** Version range of `next` in package.json. */
  nextVersion: string;
  /** How the app styles its markup: the generated sign-in pages and user menu follow it. */
  styling: FrontendStyling;
}

/** Tailwind CSS (a dependency, a tailwind.config.*, or `@import "tailwindcss"` in a global stylesheet) and shadcn/ui. */
export interface FrontendStyling {
  tailwind: boolean;
  /** shadcn/ui's components import path ("@/components/ui") when components.json and its button, input and label exist; else null. */
  shadcnUi: string | null;
}

/** A Python module reference: dotted import path plus the file it lives in (relative to the repo root). */
export interface PyModuleRef {
  module: string;
  file: string;
}

export interface DbInfo extends PyModuleRef {
  /** Name of the session dependency or Annotated alias: "get_session", "get_db", "SessionDep". */
  dependency: string;
  /** "annotated" when `dependency` is an `Annotated[Session, Depends(...)]` alias, else "function". */
  dependencyKind: "function" | "annotated";
  async: boolean;
}

export interface TaskModelInfo extends PyModuleRef {
  className: string;
  /** Python type of `user_id` as written ("str", "int", "UUID", ...); null when the model has no user_id. */
  userIdType: string | null;
}

/** What detection found in the backend folder. */
export interface BackendInfo {
  dir: string;
  /** The module that creates `FastAPI(`: e.g. { module: "app.main", file: "backend/app/main.py" }. */
  app: PyModuleRef & { variable: string };
  /** "app.main:app": how uvicorn imports it (relative to the backend folder). */
  appImport: string;
  /** Routes package: e.g. { module: "app.routers", file: "backend/app/routers" } (file = folder). */
  routes: PyModuleRef & { exists: boolean };
  db: DbInfo | null;
  /** The database URL its env files, compose file or code configure (decides a generated engine's sync or async kind). */
  databaseUrl: DatabaseUrlInfo | null;
  taskModel: TaskModelInfo | null;
  /** Where dependencies are declared (relative to the repo root). */
  depsFile: { kind: "pep621" | "poetry" | "requirements"; file: string };
  pythonTool: PythonTool;
}

/** Everything detection found; the prompts show it as defaults. */
export interface Detected {
  root: string;
  frontend: FrontendInfo | null;
  backend: BackendInfo | null;
  /** Compose file relative to the root, if any. */
  composeFile: string | null;
  /** Malformed files met while detecting (a candidate app's package.json, tsconfig or pyproject). */
  problems: Error[];
}
