import type { PromptQuestion } from "node-plop";
import type { Detection } from "../lib/detect/detection.js";
import { UserInputError } from "../lib/errors.js";
import { detectApiOrigin } from "../lib/frontend/api-origins.js";
import { findAuthPages } from "../lib/frontend/auth-pages.js";
import { frontendPaths } from "../lib/frontend/paths.js";
import { defaultProtectPages } from "../lib/frontend/protected-pages.js";
import { LONG_TOKEN_TTL_SECONDS, ttlSeconds } from "../lib/frontend/token-ttl.js";
import { ownedRouterNames, protectRoutersProblem } from "../lib/backend/router-selection.js";
import { protectPagesProblem } from "../lib/frontend/protected-pages.js";
import { PlanTree } from "../lib/tree.js";
import type { FrontendInfo } from "../lib/types.js";
import { describeSource, type SourcedAnswer, type SourcedAnswers } from "./resolve.js";
import { ANSWER_SCHEMA, answerValueProblem, STATIC_DEFAULTS, type AnswerKey, type AnswerOption } from "./schema.js";

export { ANSWER_FLAGS, ANSWER_KEYS, PROMPT_KEYS, STATIC_DEFAULTS } from "./schema.js";

/** The problem with an answer, or null when it is fine. Paths are checked against the repo (a malformed manifest there is a MalformedFileError). */
export function answerError(detection: Detection, key: AnswerKey, value: string): UserInputError | null {
  try {
    if (key === "frontend") detection.frontend(value);
    if (key === "backend") detection.backend(value);
  } catch (error) {
    if (error instanceof UserInputError) return error;
    throw error;
  }
  const problem = valueProblem(key, value);
  return problem === null ? null : new UserInputError(problem);
}

/** What is wrong with a choice, lifetime, URL or list answer, or null. */
function valueProblem(key: AnswerKey, value: string): string | null {
  if (key === "protectPages") return protectPagesProblem(value);
  if (key === "protectRouters") return protectRoutersProblem(value);
  return answerValueProblem(key, value);
}

/** The Next.js app an answer names, or null when it names none. */
function frontendAt(detection: Detection, dir: string | undefined): FrontendInfo | null {
  if (!dir) return null;
  try {
    return detection.frontend(dir);
  } catch {
    return null;
  }
}

/**
 * The detected default of each answer that depends on the project (its app folders, the pages that call the API,
 * its own sign-in and sign-up pages, the API origin its frontend names); null where nothing was found. Page answers follow the frontend answered.
 */
export function detectedDefaults(detection: Detection, frontendDir?: () => string | undefined): (key: AnswerKey) => string | null {
  const frontend = () => frontendAt(detection, frontendDir?.()) ?? detection.repo().frontend;
  const tree = new PlanTree(detection.root);
  // Both page answers come from one walk of the app's pages (per frontend folder: the answer may change it).
  let pages: { dir: string; found: ReturnType<typeof findAuthPages> } | null = null;
  const authPages = (app: FrontendInfo) => {
    if (pages?.dir !== app.dir) pages = { dir: app.dir, found: findAuthPages(tree, frontendPaths(app)) };
    return pages.found;
  };
  return (key) => {
    if (key === "frontend") return detection.repo().frontend?.dir ?? null;
    if (key === "backend") return detection.repo().backend?.dir ?? null;
    const app = key === "protectPages" || key === "signInPath" || key === "signUpPath" || key === "apiUrl" ? frontend() : null;
    if (!app) return null;
    if (key === "protectPages") return defaultProtectPages(tree, app);
    // The one loopback API origin the frontend's env files, next.config or calls name (none, or several that differ: null).
    if (key === "apiUrl") return detectApiOrigin(tree, app, new Set(Object.values(frontendPaths(app))))?.origin ?? null;
    const own = key === "signInPath" ? authPages(app).signIn : authPages(app).signUp;
    return own?.url ?? null;
  };
}

/** The routers prompt, naming the owned-resource routers found in the backend folder just answered. */
function protectRoutersMessage(detection: Detection, backend: string | undefined): string {
  const base = 'Your routers to scope to the signed-in user (comma-separated, "all" or "none")';
  if (!backend) return base;
  try {
    const names = ownedRouterNames(detection.root, detection.backend(backend));
    return names.length > 0 ? `${base}; found: ${names.join(", ")}` : `${base}; none found`;
  } catch {
    return base;
  }
}

/** The prompt's message with where its default came from, when that is worth saying ("from specs/…:37"). */
function withSource(message: string, answer: SourcedAnswer | undefined): string {
  return answer && (answer.source === "spec" || answer.source === "saved") ? `${message} [${describeSource(answer)}]` : message;
}

/**
 * Inquirer questions, defaults from the resolved answers (spec, detection, fixed defaults) with their source beside
 * them; paths that do not hold a Next.js or FastAPI app are refused with the reason. `resolved` may be async.
 */
export function authPrompts(detection: () => Detection, resolved: () => SourcedAnswers | Promise<SourcedAnswers>): PromptQuestion[] {
  const validate = (key: AnswerKey) => (value: string) => answerError(detection(), key, String(value).trim())?.message ?? true;
  const question = (option: AnswerOption): PromptQuestion => {
    const base = {
      name: option.key,
      message: async () => withSource(option.prompt!.message, (await resolved())[option.key]),
      default: async () => (await resolved())[option.key]?.value,
    };
    if (option.choices) {
      const names = option.prompt!.choiceNames ?? {};
      return { ...base, type: "list", choices: option.choices.map((value) => ({ name: names[value] ?? value, value })) };
    }
    return { ...base, type: "input", validate: validate(option.key), filter: (value: string) => String(value).trim() };
  };
  const questions = ANSWER_SCHEMA.filter((option) => option.prompt).map((option): PromptQuestion => {
    const asked = question(option);
    // The page and router defaults follow the folders just answered.
    if (option.key === "protectPages") {
      return { ...asked, default: async (answers: { frontend?: string }) => detectedDefaults(detection(), () => answers.frontend)("protectPages") ?? (await resolved()).protectPages?.value };
    }
    if (option.key === "protectRouters") return { ...asked, message: (answers: { backend?: string }) => protectRoutersMessage(detection(), answers.backend) };
    return asked;
  });
  // Last, so plop's positional bypass values still map onto PROMPT_KEYS in order.
  return [...questions, ...longLifetimeQuestions(validate("tokenTtl"))];
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
