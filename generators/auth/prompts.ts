import type { PromptQuestion } from "node-plop";
import { detectBackend, detectFrontend, detectRepo } from "../lib/detect/index.js";
import { UserInputError } from "../lib/errors.js";
import { defaultProtectPages, protectPagesProblem } from "../lib/frontend/protected-pages.js";
import { LONG_TOKEN_TTL_SECONDS, ttlSeconds } from "../lib/frontend/token-ttl.js";
import { ownedRouterNames, protectRoutersProblem } from "../lib/backend/router-selection.js";
import { PlanTree } from "../lib/tree.js";
import type { Answers, Detected } from "../lib/types.js";

/** Fixed defaults for answers detection does not decide. */
export const STATIC_DEFAULTS = {
  secretMode: "jwks",
  database: "sqlite",
  routeStyle: "flat",
  tokenTtl: "15m",
  authUrl: "http://localhost:3000",
  apiUrl: "http://localhost:8000",
} as const satisfies Partial<Answers>;

/** The order prompts are asked in; also the order of plop's positional bypass values. */
export const ANSWER_KEYS = [
  "frontend",
  "backend",
  "secretMode",
  "database",
  "routeStyle",
  "tokenTtl",
  "authUrl",
  "apiUrl",
  "protectPages",
  "protectRouters",
] as const satisfies readonly (keyof Answers)[];

/** The CLI flag that sets each answer. */
export const ANSWER_FLAGS: Record<keyof Answers, string> = {
  frontend: "--frontend",
  backend: "--backend",
  secretMode: "--secret-mode",
  database: "--database",
  routeStyle: "--route-style",
  tokenTtl: "--token-ttl",
  authUrl: "--auth-url",
  apiUrl: "--api-url",
  protectPages: "--protect-pages",
  protectRouters: "--protect",
};

const CHOICES = {
  secretMode: ["jwks", "shared-secret"],
  database: ["sqlite", "postgres"],
  routeStyle: ["flat", "user-scoped"],
} as const;

/** The problem with an answer, or null when it is fine. Paths are checked against the repo (a malformed manifest there is a MalformedFileError). */
export function answerError(root: string, key: keyof Answers, value: string): UserInputError | null {
  try {
    if (key === "frontend") detectFrontend(root, value);
    if (key === "backend") detectBackend(root, value);
  } catch (error) {
    if (error instanceof UserInputError) return error;
    throw error;
  }
  const problem = valueProblem(key, value);
  return problem === null ? null : new UserInputError(problem);
}

/** An error message for an invalid answer (as inquirer's validate wants it), or null when it is fine. */
export function validateAnswer(root: string, key: keyof Answers, value: string): string | null {
  return answerError(root, key, value)?.message ?? null;
}

/** What is wrong with a choice, lifetime or URL answer, or null. */
function valueProblem(key: keyof Answers, value: string): string | null {
  if (key in CHOICES && !(CHOICES[key as keyof typeof CHOICES] as readonly string[]).includes(value)) {
    return `${ANSWER_FLAGS[key]} must be one of ${CHOICES[key as keyof typeof CHOICES].join(", ")}, got "${value}"`;
  }
  if (key === "tokenTtl" && !/^\d+\s*(s|sec|m|min|h|hr|d|w)?$/.test(value)) return `token lifetime "${value}" is not like 15m, 1h or 900`;
  if ((key === "authUrl" || key === "apiUrl") && !isOrigin(value)) return `${ANSWER_FLAGS[key]} must be an http(s) origin like http://localhost:3000, got "${value}"`;
  if (key === "protectPages") return protectPagesProblem(value);
  if (key === "protectRouters") return protectRoutersProblem(value);
  return null;
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return /^https?:$/.test(url.protocol) && url.pathname === "/" && !value.endsWith("/") && !url.search && !url.hash;
  } catch {
    return false;
  }
}

/** Detection results as default answers; null where nothing was found and no fixed default exists. */
export function defaultAnswers(detected: Detected): Record<keyof Answers, string | null> {
  return {
    ...STATIC_DEFAULTS,
    frontend: detected.frontend?.dir ?? null,
    backend: detected.backend?.dir ?? null,
    // The pages that call the API ("/" when none is found); needs the frontend.
    protectPages: detected.frontend ? defaultProtectPages(new PlanTree(detected.root), detected.frontend) : null,
    protectRouters: "all",
  };
}

/** The default protected pages of the Next.js app in `frontend`: those that call the API, "/" when none does; null when it is no Next.js app. */
function protectPagesDefault(root: string, frontend: string | undefined): string | null {
  if (!frontend) return null;
  try {
    return defaultProtectPages(new PlanTree(root), detectFrontend(root, frontend));
  } catch {
    return null;
  }
}

/** The routers prompt, naming the owned-resource routers found in the backend folder just answered. */
function protectRoutersMessage(root: string, backend: string | undefined): string {
  const base = 'Your routers to scope to the signed-in user (comma-separated, "all" or "none")';
  if (!backend) return base;
  try {
    const names = ownedRouterNames(root, detectBackend(root, backend));
    return names.length > 0 ? `${base}; found: ${names.join(", ")}` : `${base}; none found`;
  } catch {
    return base;
  }
}

/** Detection runs once per root, and only when a prompt first needs it. */
export function lazyDetection(root: () => string): () => Detected {
  let cached: { root: string; detected: Detected } | null = null;
  return () => {
    const current = root();
    if (cached?.root !== current) cached = { root: current, detected: detectRepo(current) };
    return cached.detected;
  };
}

/** Inquirer questions with detected defaults; paths that do not hold a Next.js or FastAPI app are refused with the reason. */
export function authPrompts(root: () => string, detected: () => Detected): PromptQuestion[] {
  const defaults = () => defaultAnswers(detected());
  const validate = (key: keyof Answers) => (value: string) => validateAnswer(root(), key, String(value).trim()) ?? true;
  const input = (key: keyof Answers, message: string): PromptQuestion => ({
    type: "input",
    name: key,
    message,
    default: () => defaults()[key] ?? undefined,
    validate: validate(key),
    filter: (value: string) => String(value).trim(),
  });
  const list = (key: keyof typeof CHOICES, message: string, names: Record<string, string>): PromptQuestion => ({
    type: "list",
    name: key,
    message,
    default: STATIC_DEFAULTS[key],
    choices: CHOICES[key].map((value) => ({ name: names[value], value })),
  });
  return [
    input("frontend", "Next.js app folder (relative to the repo root)"),
    input("backend", "FastAPI app folder (relative to the repo root)"),
    list("secretMode", "How should FastAPI verify tokens?", {
      jwks: "jwks — Better Auth signs with its own EdDSA key, FastAPI checks the public JWKS (recommended)",
      "shared-secret": "shared-secret — HS256 signed and verified with the same BETTER_AUTH_SECRET",
    }),
    list("database", "Better Auth's database", { sqlite: "SQLite file (better-sqlite3)", postgres: "Postgres (DATABASE_URL)" }),
    list("routeStyle", "Task routes", { flat: "/api/tasks", "user-scoped": "/api/{user_id}/tasks" }),
    input("tokenTtl", "JWT lifetime"),
    input("authUrl", "BETTER_AUTH_URL (the frontend's origin)"),
    input("apiUrl", "NEXT_PUBLIC_API_URL (where the frontend reaches FastAPI)"),
    {
      ...input("protectPages", 'Pages that need a signed-in user (path prefixes, comma-separated, or "none")'),
      // The pages that call the API in the frontend folder just answered.
      default: (answers: { frontend?: string }) => protectPagesDefault(root(), answers.frontend) ?? defaults().protectPages ?? undefined,
    },
    {
      ...input("protectRouters", 'Your routers to scope to the signed-in user (comma-separated, "all" or "none")'),
      message: (answers: { backend?: string }) => protectRoutersMessage(root(), answers.backend),
    },
    // Last, so plop's positional bypass values still map onto ANSWER_KEYS in order.
    ...longLifetimeQuestions(validate("tokenTtl")),
  ];
}

/** A lifetime above one hour is confirmed; declining asks for a new one. */
function longLifetimeQuestions(validate: (value: string) => string | true): PromptQuestion[] {
  const isLong = (answers: { tokenTtl?: string }) => {
    try {
      return ttlSeconds(String(answers.tokenTtl ?? "")) > LONG_TOKEN_TTL_SECONDS;
    } catch {
      return false;
    }
  };
  return [
    {
      type: "confirm",
      name: "keepLongTokenTtl",
      message: (answers: { tokenTtl?: string }) =>
        `Tokens that live ${answers.tokenTtl} keep working that long after they are copied, and signing out does not end them. Keep ${answers.tokenTtl}?`,
      default: false,
      when: isLong,
    },
    {
      type: "input",
      // Its own name: inquirer skips a question whose answer is already set.
      name: "shorterTokenTtl",
      message: "JWT lifetime (one hour or less)",
      default: STATIC_DEFAULTS.tokenTtl,
      when: (answers: { keepLongTokenTtl?: boolean }) => answers.keepLongTokenTtl === false,
      validate,
      filter: (value: string) => String(value).trim(),
    },
  ];
}
