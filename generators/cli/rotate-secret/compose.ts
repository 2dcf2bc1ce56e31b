/** The compose file's part of a rotation: the ${VAR} interpolations the new variables need, and the services to recreate. */
import { addComposeEnvironment, composeEnvironment, findComposeServices } from "../../lib/editors/compose.js";
import { UserInputError } from "../../lib/errors.js";
import { AUTH_SECRETS_KEY } from "../../lib/secret-versions.js";
import type { AppDirs } from "./env-files.js";
import { API_PREVIOUS, API_PREVIOUS_EXPIRES, API_SECRET, AUTH_SECRET } from "./options.js";
import type { Rotation } from "./rotation.js";

/** Adds ${VAR} interpolations to one compose service, returning the keys added; a form it cannot edit is a warning with the lines to add. */
function addToComposeService(rotation: Rotation, composeFile: string, service: string, env: Record<string, string>): string[] {
  const text = rotation.tree.read(composeFile)!;
  const present = composeEnvironment(text, { file: composeFile, service });
  const missing = Object.fromEntries(Object.entries(env).filter(([key]) => !present.has(key)));
  if (Object.keys(missing).length === 0) return [];
  try {
    rotation.tree.write(composeFile, addComposeEnvironment(text, { file: composeFile, service, env: missing }));
    return Object.keys(missing);
  } catch (error) {
    if (!(error instanceof UserInputError)) throw error;
    const lines = Object.entries(missing).map(([key, value]) => `${key}: ${value}`).join(", ");
    rotation.report.warnings.push(`${composeFile}: service "${service}" left as it is (${error.reason}); add to its environment by hand: ${lines}`);
    return [];
  }
}

/** True when the compose file, as planned so far, gives `service` the variable `key`. */
function serviceHas(rotation: Rotation, composeFile: string, service: string | null, key: string): service is string {
  return service !== null && composeEnvironment(rotation.tree.read(composeFile)!, { file: composeFile, service }).has(key);
}

/** The backend service's new variables: empty fallbacks, so a root .env without them means the current key only. */
function backendEnvironment(rotation: Rotation): Record<string, string> {
  if (!rotation.report.previous) return {};
  return { [API_PREVIOUS]: "${API_JWT_SECRET_PREVIOUS:-}", [API_PREVIOUS_EXPIRES]: "${API_JWT_SECRET_PREVIOUS_EXPIRES:-}" };
}

/**
 * Passes the rotated variables on to the services that get the old ones (BETTER_AUTH_SECRETS to the frontend's,
 * API_JWT_SECRET_PREVIOUS and its end to the backend's); returns the services to recreate, the backend's first.
 */
export function addComposeInterpolations(rotation: Rotation, composeFile: string, dirs: AppDirs, rotated: { auth: boolean; api: boolean }): string[] {
  const services = findComposeServices(rotation.tree.read(composeFile)!, { file: composeFile, composeDir: ".", frontendDir: dirs.frontend, backendDir: dirs.backend ?? dirs.frontend });
  const recreate: string[] = [];
  const added: string[] = [];
  const add = (service: string, env: Record<string, string>) => {
    const keys = addToComposeService(rotation, composeFile, service, env);
    if (keys.length) added.push(`${service}: ${keys.join(", ")}`);
  };
  if (rotated.auth && serviceHas(rotation, composeFile, services.frontend, AUTH_SECRET)) {
    add(services.frontend, { [AUTH_SECRETS_KEY]: "${BETTER_AUTH_SECRETS}" });
    recreate.push(services.frontend);
  }
  if (rotated.api && serviceHas(rotation, composeFile, services.backend, API_SECRET)) {
    add(services.backend, backendEnvironment(rotation));
    recreate.unshift(services.backend);
  }
  if (rotated.api && services.frontend && !recreate.includes(services.frontend)) recreate.push(services.frontend);
  if (added.length) rotation.touch(composeFile, added);
  return recreate;
}
