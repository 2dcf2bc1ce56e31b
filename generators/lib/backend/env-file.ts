import path from "node:path";
import { findStrictEnvSettings } from "../detect/settings-env.js";
import { removeEnvKeys } from "../editors/env.js";
import type { PlanTree } from "../tree.js";
import type { Answers, BackendInfo } from "../types.js";

/** Where the auth settings go when the backend's .env belongs to a settings class that refuses unknown keys. */
export const SEPARATE_AUTH_ENV_FILE = ".env.auth";

/** The keys the generated backend reads from its env file in this mode. */
export function backendAuthKeys(answers: Answers): string[] {
  return answers.secretMode === "shared-secret" ? ["BETTER_AUTH_URL", "API_JWT_SECRET"] : ["BETTER_AUTH_URL"];
}

/**
 * The backend env file the generated verifier reads, repo-relative: `<backend>/.env`, unless a
 * pydantic-settings class of the project's reads that file and does not declare every auth key — then
 * a key added there would stop the app at import ("Extra inputs are not permitted", with the value
 * printed), so the keys go to `<backend>/.env.auth`, which only the verifier reads. Environment
 * variables are not affected: pydantic-settings refuses unknown keys only in the .env file.
 */
export function planBackendEnvFile(tree: PlanTree, answers: Answers, backend: BackendInfo): string {
  const keys = backendAuthKeys(answers);
  const strict = findStrictEnvSettings(tree.root, backend.dir).filter((s) => keys.some((key) => !s.fields.has(key.toLowerCase())));
  const dotEnv = path.posix.normalize(path.posix.join(backend.dir, ".env"));
  if (strict.length === 0) return dotEnv;
  const separate = path.posix.normalize(path.posix.join(backend.dir, SEPARATE_AUTH_ENV_FILE));
  const [first] = strict;
  const missing = keys.filter((key) => !first.fields.has(key.toLowerCase()));
  tree.warn(
    `${first.file}:${first.line}: ${first.className} reads ${dotEnv} and refuses keys it does not declare (${missing.join(", ")}), so the API's auth settings go to ${separate}, which only the generated verifier reads; in production set them as environment variables (${first.className} ignores unknown ones there)`,
  );
  // An earlier run may have put them in .env, where they stop the app: take out those no class declares.
  const refused = keys.filter((key) => strict.some((s) => !s.fields.has(key.toLowerCase())));
  const text = tree.read(dotEnv);
  if (text !== null) {
    const cleaned = removeEnvKeys(text, refused, { file: dotEnv });
    if (cleaned !== text) tree.write(dotEnv, cleaned, { mode: 0o600, secret: true });
  }
  return separate;
}
