import { STATIC_DEFAULTS } from "../../generators/auth/prompts.js";
import type { Answers } from "../../generators/lib/types.js";

/** The answers a run gets by default in a repo with `frontend/` and `backend/`: the prompts' own fixed defaults. */
/** "" is the plan's own default: protectPages the pages that call the API ("/" when none does), the page paths the project's own pages or /sign-in and /sign-up, corsOrigins the authUrl. */
export const DEFAULT_ANSWERS: Answers = { frontend: "frontend", backend: "backend", ...STATIC_DEFAULTS, protectPages: "", protectRouters: "", signInPath: "", signUpPath: "", corsOrigins: "" };
