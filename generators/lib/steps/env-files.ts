import path from "node:path";
import { findEnvReaders } from "../detect/env-readers.js";
import { mergeEnvContent, parseEnv, removeEnvKeys } from "../editors/env.js";
import { socialEnvKeys, socialProviders } from "../frontend/social-providers.js";
import type { PlanTree } from "../tree.js";
import type { Answers, BackendInfo, FrontendInfo } from "../types.js";
import { compareEntries, recordEntryChanges, type WantedEntry } from "./added-entries.js";

type EnvEntry = WantedEntry;

/** The secrets a run writes: Better Auth's own, and in shared-secret mode the key API tokens are signed with. */
export interface RunSecrets {
  authSecret: string;
  /** API_JWT_SECRET: null in jwks mode, where the API verifies Better Auth's public keys instead. */
  apiTokenSecret: string | null;
}

export const AUTH_SECRET_KEY = "BETTER_AUTH_SECRET";
export const API_TOKEN_SECRET_KEY = "API_JWT_SECRET";

const ENV_FILE_MODE = 0o600;

/**
 * Merges entries into an env file (created with mode 600 when absent): a value of the user's wins; a key an earlier
 * run added follows the answers (its value updated while nobody has changed it, removed when no answer wants it).
 */
function mergeEnvFile(tree: PlanTree, file: string, entries: EnvEntry[], secret: boolean, real: boolean): void {
  const text = tree.read(file) ?? "";
  const changes = compareEntries(entries, tree.addedEntries(file), parseEnv(text, file));
  let edited = removeEnvKeys(text, changes.stale, { file });
  edited = mergeEnvContent(edited, changes.updates, { file, overwrite: true });
  // A real env file is created readable by its owner only; an .env.example is committed and read by everyone.
  tree.write(file, mergeEnvContent(edited, entries, { file }), { mode: real ? ENV_FILE_MODE : undefined, secret });
  recordEntryChanges(tree, file, changes);
}

/** The real env files each runtime reads, with each secret only where that runtime needs it. */
export function realEnvFiles(
  answers: Answers,
  frontend: FrontendInfo,
  backendEnvFile: string,
  composeFile: string | null,
  secrets: RunSecrets,
): Array<{ file: string; entries: EnvEntry[]; secret: boolean }> {
  const authUrl = { key: "BETTER_AUTH_URL", value: answers.authUrl };
  const authSecret = { key: AUTH_SECRET_KEY, value: secrets.authSecret, secret: true };
  // The backend never gets Better Auth's secret: it signs sessions and email tokens, and only the frontend needs it.
  const apiSecret = secrets.apiTokenSecret === null ? [] : [{ key: API_TOKEN_SECRET_KEY, value: secrets.apiTokenSecret, secret: true }];
  const files = [
    {
      file: path.posix.join(frontend.dir, ".env.local"),
      entries: [authSecret, ...apiSecret, authUrl, { key: "NEXT_PUBLIC_API_URL", value: answers.apiUrl }],
      secret: true,
    },
    { file: backendEnvFile, entries: [...apiSecret, authUrl], secret: apiSecret.length > 0 },
  ];
  // Compose interpolates ${BETTER_AUTH_SECRET} and ${API_JWT_SECRET} from the root .env.
  if (composeFile) files.push({ file: ".env", entries: [authSecret, ...apiSecret, authUrl], secret: true });
  return files.map((f) => ({ ...f, file: path.posix.normalize(f.file) }));
}

/** Whose keys an .env.example documents: the whole repo's (the root one), or one app's. */
type ExampleScope = "repo" | "frontend" | "backend";

/** Keys documented in an .env.example, with placeholders instead of values: an app's example gets only the keys that app reads. */
function exampleEntries(answers: Answers, scope: ExampleScope): EnvEntry[] {
  const frontend = scope !== "backend";
  const backend = scope !== "frontend";
  const entries: EnvEntry[] = [];
  if (frontend) entries.push({ key: AUTH_SECRET_KEY, value: "" });
  if (answers.secretMode === "shared-secret") entries.push({ key: API_TOKEN_SECRET_KEY, value: "" });
  entries.push({ key: "BETTER_AUTH_URL", value: answers.authUrl });
  if (frontend) entries.push({ key: "NEXT_PUBLIC_API_URL", value: answers.apiUrl });
  if (backend && answers.secretMode === "jwks") entries.push({ key: "BETTER_AUTH_JWKS_URL", value: "" });
  if (frontend && answers.database === "postgres") entries.push({ key: "DATABASE_URL", value: "" });
  // The OAuth apps' credentials are the user's to create: placeholders here only, never in .env.local.
  if (frontend) entries.push(...socialEnvKeys(socialProviders(answers)).map((key) => ({ key, value: "" })));
  return entries;
}

/**
 * The .env.example files to document the keys in: the root one always, each app's when it has one. A backend whose
 * settings class forbids unknown keys reads ours from a file of their own (backend.envFile), so its keys go to that
 * file's example beside the project's .env.example, which is left alone: `cp .env.example .env` must still start it.
 */
function exampleFiles(tree: PlanTree, frontend: FrontendInfo, backend: BackendInfo & { envFile: string }): Array<{ file: string; scope: ExampleScope }> {
  const backendExample = path.posix.normalize(path.posix.join(backend.dir, ".env.example"));
  const ownBackendFile = path.posix.normalize(backend.envFile) !== path.posix.normalize(path.posix.join(backend.dir, ".env"));
  const candidates: Array<{ file: string; scope: ExampleScope; always?: boolean }> = [
    { file: ".env.example", scope: "repo", always: true },
    { file: path.posix.join(frontend.dir, ".env.example"), scope: "frontend" },
    ownBackendFile ? { file: `${backend.envFile}.example`, scope: "backend", always: tree.exists(backendExample) } : { file: backendExample, scope: "backend" },
  ];
  const seen = new Set<string>();
  return candidates.flatMap(({ file, scope, always }) => {
    const normalized = path.posix.normalize(file);
    if (seen.has(normalized) || !(always || tree.exists(normalized))) return [];
    seen.add(normalized);
    return [{ file: normalized, scope: normalized === ".env.example" ? "repo" : scope }];
  });
}

/**
 * True when BETTER_AUTH_SECRET may be taken out of the backend's environment: no code of the
 * backend's own reads it. Otherwise it stays (removing it would stop that code) and a warning names where.
 */
export function backendMayDropAuthSecret(tree: PlanTree, backend: BackendInfo, where: string): boolean {
  const readers = findEnvReaders(tree.root, backend.dir, AUTH_SECRET_KEY);
  if (readers.length === 0) return true;
  const places = readers.map((r) => `${r.file}:${r.line}`).join(", ");
  tree.warn(
    `${where} still holds ${AUTH_SECRET_KEY} because ${places} reads it; the generated API does not need it (it verifies API tokens with ${API_TOKEN_SECRET_KEY}) — stop reading it there, then remove it from ${where}`,
  );
  return false;
}

/**
 * Takes BETTER_AUTH_SECRET out of the backend's .env (an earlier shared-secret run wrote it there),
 * unless that file is also one the frontend or compose reads the secret from (a backend at the repo root).
 */
function dropAuthSecretFromBackend(tree: PlanTree, backend: BackendInfo, real: ReturnType<typeof realEnvFiles>): void {
  const file = path.posix.normalize(path.posix.join(backend.dir, ".env"));
  if (real.some((f) => f.file === file && f.entries.some((e) => e.key === AUTH_SECRET_KEY))) return;
  const text = tree.read(file);
  if (text === null || removeEnvKeys(text, [AUTH_SECRET_KEY], { file }) === text) return;
  if (!backendMayDropAuthSecret(tree, backend, file)) return;
  tree.write(file, removeEnvKeys(text, [AUTH_SECRET_KEY], { file }), { mode: ENV_FILE_MODE, secret: true });
}

/** One merge per file: a backend at the repo root reads the same .env that compose interpolates from. */
function byFile(files: Array<{ file: string; entries: EnvEntry[]; secret: boolean }>): Array<{ file: string; entries: EnvEntry[]; secret: boolean }> {
  const merged = new Map<string, { file: string; entries: EnvEntry[]; secret: boolean }>();
  for (const f of files) {
    const seen = merged.get(f.file);
    if (!seen) merged.set(f.file, { ...f, entries: [...f.entries] });
    else {
      seen.entries.push(...f.entries.filter((e) => !seen.entries.some((s) => s.key === e.key)));
      seen.secret ||= f.secret;
    }
  }
  return [...merged.values()];
}

/**
 * Plans every env file: real values into git-ignored files the runtimes read, placeholders into
 * the root .env.example and any per-app .env.example that already exists (each app's own keys only).
 */
export function planEnvFiles(
  tree: PlanTree,
  answers: Answers,
  frontend: FrontendInfo,
  backend: BackendInfo & { envFile: string },
  composeFile: string | null,
  secrets: RunSecrets,
): Array<{ file: string; secret: boolean }> {
  const real = realEnvFiles(answers, frontend, backend.envFile, composeFile, secrets);
  const examples = exampleFiles(tree, frontend, backend).map(({ file, scope }) => ({ file, entries: exampleEntries(answers, scope), secret: false }));
  const realFiles = new Set(real.map((f) => f.file));
  for (const { file, entries, secret: isSecret } of byFile([...real, ...examples])) mergeEnvFile(tree, file, entries, isSecret, realFiles.has(file));
  dropAuthSecretFromBackend(tree, backend, real);
  return real.map(({ file, secret: isSecret }) => ({ file, secret: isSecret }));
}
