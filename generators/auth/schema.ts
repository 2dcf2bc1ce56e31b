import { parseDuration } from "../lib/answers/duration.js";
import type { Answers } from "../lib/types.js";

export type AnswerKey = keyof Answers;

/** Where a default comes from: found in the project, or fixed. */
export type DefaultSource = "detected" | "default";

/** What a default is computed from: detection (run once) and the answers already known. */
export interface DefaultContext {
  /** A detected default for answers whose default depends on the project; null where nothing was found. */
  detectedValue: (key: AnswerKey) => string | null;
  answers: Partial<Record<AnswerKey, string>>;
}

/** One answer: its flag, prompt, validation, default, help and what it drives — everything else derives from this. */
export interface AnswerOption {
  key: AnswerKey;
  /** The long flag, without dashes. */
  flag: string;
  /** The flag's value in --help ("jwks|shared-secret", "DURATION"). */
  placeholder: string;
  help: string;
  /** The default as --help and the README say it. */
  defaultText: string;
  /** The generated code it drives (README). */
  drives: string;
  choices?: readonly string[];
  /** Labels for a list prompt's choices; a prompt without choices is a text input. */
  prompt?: { message: string; choiceNames?: Record<string, string> };
  /** The value's problem, or null. */
  problem?: (value: string) => string | null;
  /** The default and where it came from; null when nothing was found and no fixed default exists. */
  default: (context: DefaultContext) => { value: string; source: DefaultSource } | null;
  /** Missing answers stop a non-interactive run; optional ones fall back to the plan's own default. */
  required: boolean;
}

/** Fixed defaults for answers detection does not decide (the page paths and CORS origins default to what the plan finds). */
export const STATIC_DEFAULTS = {
  secretMode: "jwks",
  database: "sqlite",
  routeStyle: "flat",
  tokenTtl: "15m",
  authUrl: "http://localhost:3000",
  apiUrl: "http://localhost:8000",
  mismatchStatus: "403",
  passwordMinLength: "8",
  passwordMaxLength: "128",
  signUpName: "yes",
  socialProviders: "none",
  afterSignInPath: "/",
} as const satisfies Partial<Answers>;

const fixed = (value: string) => () => ({ value, source: "default" as const });
const detectedOr =
  (key: AnswerKey, fallback: string | null) =>
  ({ detectedValue }: DefaultContext) => {
    const found = detectedValue(key);
    if (found !== null) return { value: found, source: "detected" as const };
    return fallback === null ? null : { value: fallback, source: "default" as const };
  };

/** An http(s) origin: scheme, host, optional port; no path, query or trailing slash. */
export function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return /^https?:$/.test(url.protocol) && url.pathname === "/" && !value.endsWith("/") && !url.search && !url.hash;
  } catch {
    return false;
  }
}

const originProblem = (flag: string) => (value: string) =>
  isOrigin(value) ? null : `--${flag} must be an http(s) origin like http://localhost:3000, got "${value}"`;

const lengthProblem = (flag: string) => (value: string) =>
  /^\d{1,4}$/.test(value) && Number(value) >= 1 && Number(value) <= 1024 ? null : `--${flag} must be a whole number from 1 to 1024, got "${value}"`;

/** A page's URL path: "/" and letters, digits, "-", "_", "." segments; no query, no "/api". */
const pagePathProblem = (flag: string, allowRoot: boolean) => (value: string) => {
  if (!/^\/([A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*)?$/.test(value)) return `--${flag} must be a URL path like /sign-in, got "${value}"`;
  if (!allowRoot && value === "/") return `--${flag} cannot be "/": the page needs its own path`;
  if (/^\/api(\/|$)/.test(value)) return `--${flag} cannot be under /api: those paths are the API's`;
  return null;
};

/** Better Auth's built-in social providers that need only a client id and secret. */
export const SOCIAL_PROVIDERS = ["google", "github", "discord", "microsoft", "apple", "gitlab", "facebook", "linkedin", "twitter"] as const;

function socialProvidersProblem(value: string): string | null {
  if (value === "none") return null;
  const unknown = value.split(",").map((p) => p.trim()).filter((p) => !(SOCIAL_PROVIDERS as readonly string[]).includes(p));
  return unknown.length === 0 ? null : `--social-providers takes "none" or a comma-separated list of ${SOCIAL_PROVIDERS.join(", ")}; unknown: ${unknown.join(", ")}`;
}

function corsOriginsProblem(value: string): string | null {
  const bad = value.split(",").map((o) => o.trim()).filter((o) => !isOrigin(o));
  return bad.length === 0 ? null : `--cors-origins takes comma-separated http(s) origins like https://app.example.com; not an origin: ${bad.map((o) => `"${o}"`).join(", ")}`;
}

/**
 * Every answer, in prompt order (also the order of plop's positional bypass values for the prompted ones).
 * The bin's flags and --help, the prompts, validation, the README's table and --json derive from it.
 */
export const ANSWER_SCHEMA: readonly AnswerOption[] = [
  {
    key: "frontend",
    flag: "frontend",
    placeholder: "PATH",
    help: "the Next.js app folder",
    defaultText: "detected",
    drives: "where Better Auth, the API client, the pages and the proxy/middleware go",
    prompt: { message: "Next.js app folder (relative to the repo root)" },
    default: detectedOr("frontend", null),
    required: true,
  },
  {
    key: "backend",
    flag: "backend",
    placeholder: "PATH",
    help: "the FastAPI app folder",
    defaultText: "detected",
    drives: "where the JWT dependency goes and which routes are secured",
    prompt: { message: "FastAPI app folder (relative to the repo root)" },
    default: detectedOr("backend", null),
    required: true,
  },
  {
    key: "secretMode",
    flag: "secret-mode",
    placeholder: "jwks|shared-secret",
    help: "how FastAPI verifies tokens",
    defaultText: "jwks",
    drives: "the jwt plugin's signing (EdDSA or HS256) and the backend verifier",
    choices: ["jwks", "shared-secret"],
    prompt: {
      message: "How should FastAPI verify tokens?",
      choiceNames: {
        jwks: "jwks — Better Auth signs with its own EdDSA key, FastAPI checks the public JWKS (recommended)",
        "shared-secret": "shared-secret — HS256 signed and verified with the same BETTER_AUTH_SECRET",
      },
    },
    default: fixed(STATIC_DEFAULTS.secretMode),
    required: true,
  },
  {
    key: "database",
    flag: "database",
    placeholder: "sqlite|postgres",
    help: "Better Auth's database",
    defaultText: "sqlite",
    drives: "Better Auth's database adapter and DATABASE_URL",
    choices: ["sqlite", "postgres"],
    prompt: { message: "Better Auth's database", choiceNames: { sqlite: "SQLite file (better-sqlite3)", postgres: "Postgres (DATABASE_URL)" } },
    default: fixed(STATIC_DEFAULTS.database),
    required: true,
  },
  {
    key: "routeStyle",
    flag: "route-style",
    placeholder: "flat|user-scoped",
    help: "/api/tasks or /api/{user_id}/tasks",
    defaultText: "flat",
    drives: "the generated task routes and the API client's paths",
    choices: ["flat", "user-scoped"],
    prompt: { message: "Task routes", choiceNames: { flat: "/api/tasks", "user-scoped": "/api/{user_id}/tasks" } },
    default: fixed(STATIC_DEFAULTS.routeStyle),
    required: true,
  },
  {
    key: "tokenTtl",
    flag: "token-ttl",
    placeholder: "DURATION",
    help: "JWT lifetime: 15m, 1h, 7d, 900 (seconds)",
    defaultText: "15m",
    drives: "the jwt plugin's expirationTime",
    prompt: { message: "JWT lifetime" },
    problem: (value) => (parseDuration(value) === null ? `token lifetime "${value}" is not like 15m, 1h or 900` : null),
    default: fixed(STATIC_DEFAULTS.tokenTtl),
    required: true,
  },
  {
    key: "authUrl",
    flag: "auth-url",
    placeholder: "URL",
    help: "BETTER_AUTH_URL, the frontend origin",
    defaultText: "http://localhost:3000",
    drives: "BETTER_AUTH_URL in the env files and compose; the token issuer",
    prompt: { message: "BETTER_AUTH_URL (the frontend's origin)" },
    problem: originProblem("auth-url"),
    default: fixed(STATIC_DEFAULTS.authUrl),
    required: true,
  },
  {
    key: "apiUrl",
    flag: "api-url",
    placeholder: "URL",
    help: "NEXT_PUBLIC_API_URL, where the frontend reaches FastAPI",
    defaultText: "the one local API origin the frontend names, else http://localhost:8000",
    drives: "NEXT_PUBLIC_API_URL; the token audience",
    prompt: { message: "NEXT_PUBLIC_API_URL (where the frontend reaches FastAPI)" },
    problem: originProblem("api-url"),
    default: detectedOr("apiUrl", STATIC_DEFAULTS.apiUrl),
    required: true,
  },
  {
    key: "protectPages",
    flag: "protect-pages",
    placeholder: "PATHS",
    help: 'pages that need a signed-in user: path prefixes, comma-separated ("/,/tasks"), or none',
    defaultText: 'the pages that call the API, else "/"',
    drives: "the proxy/middleware's sign-in redirect",
    prompt: { message: 'Pages that need a signed-in user (path prefixes, comma-separated, or "none")' },
    default: detectedOr("protectPages", null),
    required: false,
  },
  {
    key: "protectRouters",
    flag: "protect",
    placeholder: "ROUTERS",
    help: 'your routers whose resource routes become the signed-in user\'s own: modules or file stems ("tasks,todos"), all or none',
    defaultText: "all found",
    drives: "which of the project's routes get CurrentUser and owner filters",
    prompt: { message: 'Your routers to scope to the signed-in user (comma-separated, "all" or "none")' },
    default: fixed("all"),
    required: false,
  },
  {
    key: "mismatchStatus",
    flag: "mismatch-status",
    placeholder: "403|404",
    help: "the status for a {user_id} in the path that is not the signed-in user",
    defaultText: "403",
    drives: "the user_id check of user-scoped routes",
    choices: ["403", "404"],
    default: fixed(STATIC_DEFAULTS.mismatchStatus),
    required: false,
  },
  {
    key: "passwordMinLength",
    flag: "password-min-length",
    placeholder: "N",
    help: "the shortest password sign-up accepts",
    defaultText: "8",
    drives: "Better Auth's minPasswordLength and the sign-up form",
    problem: lengthProblem("password-min-length"),
    default: fixed(STATIC_DEFAULTS.passwordMinLength),
    required: false,
  },
  {
    key: "passwordMaxLength",
    flag: "password-max-length",
    placeholder: "N",
    help: "the longest password sign-up accepts",
    defaultText: "128",
    drives: "Better Auth's maxPasswordLength and the sign-up form",
    problem: lengthProblem("password-max-length"),
    default: fixed(STATIC_DEFAULTS.passwordMaxLength),
    required: false,
  },
  {
    key: "signUpName",
    flag: "sign-up-name",
    placeholder: "yes|no",
    help: "whether the sign-up page asks for a name (no: taken from the email)",
    defaultText: "yes",
    drives: "the sign-up page's fields",
    choices: ["yes", "no"],
    default: fixed(STATIC_DEFAULTS.signUpName),
    required: false,
  },
  {
    key: "socialProviders",
    flag: "social-providers",
    placeholder: "LIST",
    help: `social sign-in: none or a comma-separated list of ${SOCIAL_PROVIDERS.join(", ")}`,
    defaultText: "none",
    drives: "Better Auth's socialProviders, .env.example placeholders, the pages' buttons",
    problem: socialProvidersProblem,
    default: fixed(STATIC_DEFAULTS.socialProviders),
    required: false,
  },
  {
    key: "signInPath",
    flag: "sign-in-path",
    placeholder: "PATH",
    help: "the sign-in page's URL",
    defaultText: "the project's own sign-in page, else /sign-in",
    drives: "the sign-in page's location, the redirects and links to it",
    problem: pagePathProblem("sign-in-path", false),
    default: detectedOr("signInPath", "/sign-in"),
    required: false,
  },
  {
    key: "signUpPath",
    flag: "sign-up-path",
    placeholder: "PATH",
    help: "the sign-up page's URL",
    defaultText: "the project's own sign-up page, else /sign-up",
    drives: "the sign-up page's location and the links to it",
    problem: pagePathProblem("sign-up-path", false),
    default: detectedOr("signUpPath", "/sign-up"),
    required: false,
  },
  {
    key: "afterSignInPath",
    flag: "after-sign-in-path",
    placeholder: "PATH",
    help: "where signing in lands when no page asked for it",
    defaultText: "/",
    drives: "the pages' default callback",
    problem: pagePathProblem("after-sign-in-path", true),
    default: fixed(STATIC_DEFAULTS.afterSignInPath),
    required: false,
  },
  {
    key: "corsOrigins",
    flag: "cors-origins",
    placeholder: "ORIGINS",
    help: "origins the API's CORS allows, comma-separated",
    defaultText: "the --auth-url origin",
    drives: "the FastAPI CORSMiddleware's allow_origins",
    problem: corsOriginsProblem,
    default: ({ answers }) => (answers.authUrl ? { value: answers.authUrl, source: "default" } : null),
    required: false,
  },
];

/** The schema entry of an answer. */
export function answerOption(key: AnswerKey): AnswerOption {
  return ANSWER_SCHEMA.find((option) => option.key === key)!;
}

/** Every answer key, in schema order. */
export const ANSWER_KEYS = ANSWER_SCHEMA.map((option) => option.key);

/** The prompted answers in order: plop's positional bypass values map onto these. */
export const PROMPT_KEYS = ANSWER_SCHEMA.filter((option) => option.prompt).map((option) => option.key);

/** The CLI flag of each answer ("--secret-mode"). */
export const ANSWER_FLAGS = Object.fromEntries(ANSWER_SCHEMA.map((option) => [option.key, `--${option.flag}`])) as Record<AnswerKey, string>;

/** What is wrong with an answer's value (choice, duration, URL, list), or null. */
export function answerValueProblem(key: AnswerKey, value: string): string | null {
  const option = answerOption(key);
  if (option.choices && !option.choices.includes(value)) return `--${option.flag} must be one of ${option.choices.join(", ")}, got "${value}"`;
  return option.problem?.(value) ?? null;
}

/** The options lines of --help, one per answer, aligned like the rest of the help. */
export function answerHelpLines(): string[] {
  return ANSWER_SCHEMA.map((option) => {
    const head = `  --${option.flag} ${option.placeholder}`;
    return `${head.padEnd(32)}${head.length >= 32 ? " " : ""}${option.help} (default: ${option.defaultText})`;
  });
}

/** The README's table of answers: flag, whether it is prompted, default, what it sets and drives. */
export function answerTableMarkdown(): string {
  // A "|" inside a cell, even in a code span, ends the cell unless escaped (GFM).
  const cell = (text: string) => text.replace(/\|/g, "\\|");
  const rows = ANSWER_SCHEMA.map((o) => `| ${cell(`\`--${o.flag} ${o.placeholder}\``)} | ${o.prompt ? "yes" : "no"} | ${cell(o.defaultText)} | ${cell(o.help)}; drives ${cell(o.drives)} |`);
  return ["| Flag | Prompted | Default | What it sets |", "|---|---|---|---|", ...rows].join("\n");
}
