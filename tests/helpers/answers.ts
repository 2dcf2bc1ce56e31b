import { STATIC_DEFAULTS } from "../../generators/auth/prompts.js";
import type { Answers } from "../../generators/lib/types.js";

/** The answers a run gets by default in a repo with `frontend/` and `backend/`: the prompts' own fixed defaults. */
/** protectPages "" is the default: the pages that call the API ("/" when none does). */
export const DEFAULT_ANSWERS: Answers = { frontend: "frontend", backend: "backend", ...STATIC_DEFAULTS, protectPages: "", protectRouters: "" };
