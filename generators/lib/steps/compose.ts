import path from "node:path";
import { addComposeEnvironment, findComposeServices } from "../editors/compose.js";
import type { PlanTree } from "../tree.js";
import type { Answers, BackendInfo, FrontendInfo } from "../types.js";

/** The port the frontend listens on inside compose: the one in BETTER_AUTH_URL, else Next's 3000. */
function frontendPort(authUrl: string): string {
  return new URL(authUrl).port || "3000";
}

/**
 * Passes the auth variables to the frontend and backend services as ${VAR} interpolations
 * (never the secret itself); in jwks mode the backend fetches keys over compose's network.
 */
export function planCompose(tree: PlanTree, composeFile: string, answers: Answers, frontend: FrontendInfo, backend: BackendInfo): void {
  const original = tree.read(composeFile);
  if (original === null) return;
  let text = original;
  const services = findComposeServices(text, {
    file: composeFile,
    composeDir: path.posix.dirname(composeFile),
    frontendDir: frontend.dir,
    backendDir: backend.dir,
  });
  if (services.frontend) {
    const env = { BETTER_AUTH_SECRET: "${BETTER_AUTH_SECRET}", BETTER_AUTH_URL: "${BETTER_AUTH_URL}" };
    text = addComposeEnvironment(text, { file: composeFile, service: services.frontend, env });
  }
  if (services.backend) {
    const env: Record<string, string> = { BETTER_AUTH_URL: "${BETTER_AUTH_URL}" };
    if (answers.secretMode === "jwks" && services.frontend) {
      env.BETTER_AUTH_JWKS_URL = `http://${services.frontend}:${frontendPort(answers.authUrl)}/api/auth/jwks`;
    }
    if (answers.secretMode === "shared-secret") env.BETTER_AUTH_SECRET = "${BETTER_AUTH_SECRET}";
    text = addComposeEnvironment(text, { file: composeFile, service: services.backend, env });
  }
  const missing = [!services.frontend && `frontend (${frontend.dir})`, !services.backend && `backend (${backend.dir})`].filter(Boolean);
  if (missing.length > 0) tree.warn(`${composeFile}: no service builds the ${missing.join(" or ")} folder; add its auth variables by hand`);
  tree.write(composeFile, text);
}
