import path from "node:path";
import { addComposeEnvironment, composeEnvironment, findComposeServices, removeComposeEnvironment } from "../editors/compose.js";
import { UserInputError } from "../errors.js";
import type { PlanTree } from "../tree.js";
import type { Answers, BackendInfo, FrontendInfo } from "../types.js";
import type { AddedEntries } from "../tree.js";
import { compareEntries, onlyPresent } from "./added-entries.js";
import { API_TOKEN_SECRET_KEY, AUTH_SECRET_KEY, backendMayDropAuthSecret } from "./env-files.js";

/** Next.js listens on 3000 inside its container, whatever port the host maps to it. */
const FRONTEND_CONTAINER_PORT = 3000;

/**
 * The variables each app's service gets: ${VAR} interpolations (never a secret itself), and the JWKS URL on
 * compose's network. The backend never gets BETTER_AUTH_SECRET; in shared-secret mode both get API_JWT_SECRET.
 */
function serviceEnvironments(answers: Answers, frontendService: string | null): { frontend: Record<string, string>; backend: Record<string, string> } {
  const frontend: Record<string, string> = { [AUTH_SECRET_KEY]: "${BETTER_AUTH_SECRET}", BETTER_AUTH_URL: "${BETTER_AUTH_URL}" };
  const backend: Record<string, string> = { BETTER_AUTH_URL: "${BETTER_AUTH_URL}" };
  if (answers.secretMode === "jwks" && frontendService) backend.BETTER_AUTH_JWKS_URL = `http://${frontendService}:${FRONTEND_CONTAINER_PORT}/api/auth/jwks`;
  if (answers.secretMode === "shared-secret") frontend[API_TOKEN_SECRET_KEY] = backend[API_TOKEN_SECRET_KEY] = "${API_JWT_SECRET}";
  return { frontend, backend };
}

/** Each service's variables, once per service: one service may build both apps. */
function serviceEnvironmentsByName(services: { frontend: string | null; backend: string | null }, env: { frontend: Record<string, string>; backend: Record<string, string> }): Map<string, Record<string, string>> {
  const byName = new Map<string, Record<string, string>>();
  if (services.frontend) byName.set(services.frontend, { ...env.frontend });
  if (services.backend) byName.set(services.backend, { ...byName.get(services.backend), ...env.backend });
  return byName;
}

/** Takes BETTER_AUTH_SECRET out of the backend service (an earlier shared-secret run put it there); a form it cannot edit is reported. */
function dropAuthSecret(tree: PlanTree, composeFile: string, text: string, service: string, backend: BackendInfo): string {
  try {
    const edited = removeComposeEnvironment(text, { file: composeFile, service, keys: [AUTH_SECRET_KEY] });
    if (edited === text || !backendMayDropAuthSecret(tree, backend, `${composeFile} (service "${service}")`)) return text;
    return edited;
  } catch (error) {
    if (!(error instanceof UserInputError)) throw error;
    tree.warn(`${composeFile}: ${error.reason}; the backend must not hold ${AUTH_SECRET_KEY}`);
    return text;
  }
}

/** The part of the compose file's record that is about one service's environment: its entries by variable name. */
function serviceRecord(recorded: AddedEntries, service: string): AddedEntries {
  const prefix = `${service}.environment.`;
  return Object.fromEntries(Object.entries(recorded).filter(([key]) => key.startsWith(prefix)).map(([key, value]) => [key.slice(prefix.length), value]));
}

/**
 * Adds the variables to one service, and takes out or updates the ones an earlier run added that the answers no
 * longer want as they are (see compareEntries); returns the text and the service's part of the record.
 */
function updateService(tree: PlanTree, composeFile: string, text: string, service: string, env: Record<string, string>): { text: string; record: AddedEntries } {
  const wanted = Object.entries(env).map(([key, value]) => ({ key, value }));
  const changes = compareEntries(wanted, serviceRecord(tree.addedEntries(composeFile), service), composeEnvironment(text, { file: composeFile, service }));
  const outdated = [...changes.stale, ...changes.updates.map((entry) => entry.key)];
  const edited = addToService(tree, composeFile, removeFromService(tree, composeFile, text, service, outdated), service, env);
  // A service left for the user to edit by hand holds none of them: only what is in the file now is recorded as ours.
  const now = composeEnvironment(edited, { file: composeFile, service });
  const record = Object.fromEntries(Object.entries(onlyPresent(changes.record, now)).map(([key, value]) => [`${service}.environment.${key}`, value]));
  for (const { key, value, wanted: answer } of changes.kept) tree.warn(`${composeFile}: service "${service}" has ${key}: ${value}, which you set; the answers give ${answer}, so change it by hand if you want that`);
  return { text: edited, record };
}

/** Takes variables out of one service; a form this tool cannot edit is reported with what to remove. */
function removeFromService(tree: PlanTree, composeFile: string, text: string, service: string, keys: string[]): string {
  if (keys.length === 0) return text;
  try {
    return removeComposeEnvironment(text, { file: composeFile, service, keys });
  } catch (error) {
    if (!(error instanceof UserInputError)) throw error;
    tree.warn(`${composeFile}: ${error.reason}; the answers no longer use them`);
    return text;
  }
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
  const record: AddedEntries = {};
  for (const [service, variables] of serviceEnvironmentsByName(services, env)) {
    const updated = updateService(tree, composeFile, text, service, variables);
    text = updated.text;
    Object.assign(record, updated.record);
  }
  if (services.backend && services.backend !== services.frontend) text = dropAuthSecret(tree, composeFile, text, services.backend, backend);
  tree.recordAddedEntries(composeFile, record);
  const missing = [!services.frontend && `frontend (${frontend.dir})`, !services.backend && `backend (${backend.dir})`].filter(Boolean);
  if (missing.length > 0) tree.warn(`${composeFile}: no service builds the ${missing.join(" or ")} folder; add its auth variables by hand`);
  if (services.backend && !services.frontend && answers.secretMode === "jwks") tree.warn(jwksFromHostWarning(composeFile, services.backend, answers.authUrl));
  tree.write(composeFile, text);
}

/**
 * A backend container with the frontend outside compose fetches Better Auth's keys from BETTER_AUTH_URL, which names a
 * host address (localhost is the container itself in there): the lines that point it at the host instead.
 */
function jwksFromHostWarning(composeFile: string, service: string, authUrl: string): string {
  const url = new URL("/api/auth/jwks", authUrl);
  const local = ["localhost", "127.0.0.1", "[::1]", "0.0.0.0"].includes(url.hostname);
  if (local) url.hostname = "host.docker.internal";
  const lines = [`services.${service}:`, "  environment:", `    BETTER_AUTH_JWKS_URL: ${url.href}`, ...(local ? ["  extra_hosts:", '    - "host.docker.internal:host-gateway"'] : [])];
  return `${composeFile}: service "${service}" runs the backend, but the frontend is not in compose, so the backend fetches Better Auth's keys from ${authUrl}${local ? ", which inside its container is the container itself" : ""}; unless the frontend is reachable there, add:\n${lines.join("\n")}`;
}
