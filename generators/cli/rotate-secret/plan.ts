/** Plans one rotation in memory: reads the env files, rotates what --key asks for, and fills the report; nothing is written here. */
import { readSavedAnswers } from "../../auth/saved-answers.js";
import { detectComposeFile } from "../../lib/detect/compose-file.js";
import { PlanTree } from "../../lib/tree.js";
import { rotateApiSecret } from "./api-secret.js";
import { appDirs } from "./app-dirs.js";
import { currentBetterAuthValues, rotateBetterAuthSecret, type Agreed } from "./better-auth-secrets.js";
import { addComposeInterpolations } from "./compose.js";
import { agreedValue, readEnvFiles, type EnvFile } from "./env-files.js";
import { API_SECRET, AUTH_SECRET, keepPreviousSeconds, RotateError, rotatedKey, type RotateSecretOptions } from "./options.js";
import { restartSteps } from "./restart.js";
import { Rotation } from "./rotation.js";
import type { RotationReport } from "./report.js";

/** BETTER_AUTH_SECRET as the env files agree on it; without one, auth is not installed and there is nothing to rotate. */
function installedAuthSecret(files: EnvFile[], candidates: string[], root: string): Agreed {
  const auth = agreedValue(files, AUTH_SECRET);
  if (auth) return auth;
  throw new RotateError(`nothing to rotate: no env file holds ${AUTH_SECRET} (looked in ${candidates.join(", ")}); add authentication first: npx auth-integrator auth --cwd ${root}`, 1);
}

/** Which of the two secrets this run rotates; --key API_JWT_SECRET in jwks mode is bad usage. */
function rotatedSecrets(key: string, api: Agreed | null): { auth: boolean; api: boolean } {
  if (key === API_SECRET && !api) {
    throw new RotateError(`--key ${API_SECRET}: no env file holds ${API_SECRET}; in jwks mode the API verifies Better Auth's public keys and holds no secret`, 2);
  }
  return { auth: key !== API_SECRET, api: api !== null && key !== AUTH_SECRET };
}

/** Plans the rotation; throws RotateError or UserInputError before anything is written. */
export function planRotation(options: RotateSecretOptions): { tree: PlanTree; report: RotationReport; secrets: string[] } {
  const { root } = options;
  const key = rotatedKey(options);
  const keepPrevious = keepPreviousSeconds(options);
  const saved = readSavedAnswers(root);
  const dirs = appDirs(root, options, saved?.answers ?? {});
  const tree = new PlanTree(root);
  const { candidates, files } = readEnvFiles(tree, dirs);
  const auth = installedAuthSecret(files, candidates, root);
  const api = agreedValue(files, API_SECRET);
  const rotated = rotatedSecrets(key, api);
  const rotation = new Rotation(tree, options.dryRun, api ? "shared-secret" : "jwks");
  rotation.redact(auth.value);
  const authValues = rotated.auth ? rotateBetterAuthSecret(rotation, dirs, auth, api) : currentBetterAuthValues(rotation, files, auth);
  if (rotated.api && api) {
    const now = options.now ?? Date.now();
    rotateApiSecret(rotation, { dirs, api, authValues, keepPrevious, keepPreviousText: options.keepPrevious, savedTokenTtl: saved?.answers.tokenTtl, now });
  }
  const composeFile = detectComposeFile(root);
  const compose = composeFile ? { file: composeFile, services: addComposeInterpolations(rotation, composeFile, dirs, rotated) } : null;
  rotation.report.restart = restartSteps(rotation.report, dirs, rotated, compose);
  return rotation.result();
}
