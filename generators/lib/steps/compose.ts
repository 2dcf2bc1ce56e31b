import path from "node:path";
import { addComposeEnvironment, findComposeServices } from "../editors/compose.js";
import { UserInputError } from "../errors.js";
import type { PlanTree } from "../tree.js";
import type { Answers, BackendInfo, FrontendInfo } from "../types.js";

/** Next.js listens on 3000 inside its container, whatever port the host maps to it. */
const FRONTEND_CONTAINER_PORT = 3000;

/** The variables each app's service gets: ${VAR} interpolations (never the secret itself), and the JWKS URL on compose's network. */
function serviceEnvironments(answers: Answers, frontendService: string | null): { frontend: Record<string, string>; backend: Record<string, string> } {
  const backend: Record<string, string> = { BETTER_AUTH_URL: "${BETTER_AUTH_URL}" };
  if (answers.secretMode === "jwks" && frontendService) backend.BETTER_AUTH_JWKS_URL = `http://${frontendService}:${FRONTEND_CONTAINER_PORT}/api/auth/jwks`;
  if (answers.secretMode === "shared-secret") backend.BETTER_AUTH_SECRET = "${BETTER_AUTH_SECRET}";
  return { frontend: { BETTER_AUTH_SECRET: "${BETTER_AUTH_SECRET}", BETTER_AUTH_URL: "${BETTER_AUTH_URL}" }, backend };
}

/** Adds the variables to one service; a service this tool cannot edit safely (an alias, a flow map) is skipped with the lines to add. */
function addToService(tree: PlanTree, composeFile: string, text: string, service: string, env: Record<string, string>): string {
  try {
    return addComposeEnvironment(text, { file: composeFile, service, env });
  } catch (error) {
    if (!(error instanceof UserInputError)) throw error;
    const snippet = [`services.${service}.environment:`, ...Object.entries(env).map(([k, v]) => `  ${k}: ${v}`)].join("\n");
    tree.skip(composeFile, `service "${service}" left as it is (${error.reason}); add its auth variables by hand`, snippet);
    return text;
  }
}

/**
 * Passes the auth variables to the frontend and backend services as ${VAR} interpolations
 * (never the secret itself); in jwks mode the backend fetches keys over compose's network.
 * A malformed compose file stops the run; a service shape it cannot edit is only skipped.
 */
export function planCompose(tree: PlanTree, composeFile: string, answers: Answers, frontend: FrontendInfo, backend: BackendInfo): void {
  const original = tree.read(composeFile);
  if (original === null) return;
  const services = findComposeServices(original, {
    file: composeFile,
    composeDir: path.posix.dirname(composeFile),
    frontendDir: frontend.dir,
    backendDir: backend.dir,
  });
  const env = serviceEnvironments(answers, services.frontend);
  let text = original;
  if (services.frontend) text = addToService(tree, composeFile, text, services.frontend, env.frontend);
  if (services.backend) text = addToService(tree, composeFile, text, services.backend, env.backend);
  const missing = [!services.frontend && `frontend (${frontend.dir})`, !services.backend && `backend (${backend.dir})`].filter(Boolean);
  if (missing.length > 0) tree.warn(`${composeFile}: no service builds the ${missing.join(" or ")} folder; add its auth variables by hand`);
  tree.write(composeFile, text);
}
