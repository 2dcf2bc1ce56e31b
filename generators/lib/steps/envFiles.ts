import path from "node:path";
import { mergeEnvContent } from "../editors/env.js";
import type { PlanTree } from "../tree.js";
import type { Answers, BackendInfo, FrontendInfo } from "../types.js";

interface EnvEntry {
  key: string;
  value: string;
}

const ENV_FILE_MODE = 0o600;

/** Merges entries into an env file (created with mode 600 when absent); existing values win. */
function mergeEnvFile(tree: PlanTree, file: string, entries: EnvEntry[], secret: boolean): void {
  const text = tree.read(file) ?? "";
  tree.write(file, mergeEnvContent(text, entries, { file }), { mode: ENV_FILE_MODE, secret });
}

/** The real env files each runtime reads, with the secret only where that runtime needs it. */
export function realEnvFiles(
  answers: Answers,
  frontend: FrontendInfo,
  backend: BackendInfo,
  composeFile: string | null,
  secret: string,
): Array<{ file: string; entries: EnvEntry[]; secret: boolean }> {
  const authUrl = { key: "BETTER_AUTH_URL", value: answers.authUrl };
  const secretEntry = { key: "BETTER_AUTH_SECRET", value: secret };
  const shared = answers.secretMode === "shared-secret";
  const files = [
    {
      file: path.posix.join(frontend.dir, ".env.local"),
      entries: [secretEntry, authUrl, { key: "NEXT_PUBLIC_API_URL", value: answers.apiUrl }],
      secret: true,
    },
    { file: path.posix.join(backend.dir, ".env"), entries: shared ? [secretEntry, authUrl] : [authUrl], secret: shared },
  ];
  // Compose interpolates ${BETTER_AUTH_SECRET} from the root .env.
  if (composeFile) files.push({ file: ".env", entries: [secretEntry, authUrl], secret: true });
  return files.map((f) => ({ ...f, file: path.posix.normalize(f.file) }));
}

/** Keys documented in .env.example files, with placeholders instead of values. */
function exampleEntries(answers: Answers): EnvEntry[] {
  const entries = [
    { key: "BETTER_AUTH_SECRET", value: "" },
    { key: "BETTER_AUTH_URL", value: answers.authUrl },
    { key: "NEXT_PUBLIC_API_URL", value: answers.apiUrl },
  ];
  if (answers.secretMode === "jwks") entries.push({ key: "BETTER_AUTH_JWKS_URL", value: "" });
  if (answers.database === "postgres") entries.push({ key: "DATABASE_URL", value: "" });
  return entries;
}

/**
 * Plans every env file: real values into git-ignored files the runtimes read, placeholders into
 * the root .env.example and any per-app .env.example that already exists.
 */
export function planEnvFiles(
  tree: PlanTree,
  answers: Answers,
  frontend: FrontendInfo,
  backend: BackendInfo,
  composeFile: string | null,
  secret: string,
): Array<{ file: string; secret: boolean }> {
  const real = realEnvFiles(answers, frontend, backend, composeFile, secret);
  for (const { file, entries, secret: isSecret } of real) mergeEnvFile(tree, file, entries, isSecret);
  const examples = [".env.example", path.posix.join(frontend.dir, ".env.example"), path.posix.join(backend.dir, ".env.example")];
  for (const [i, file] of [...new Set(examples.map((f) => path.posix.normalize(f)))].entries()) {
    if (i === 0 || tree.exists(file)) mergeEnvFile(tree, file, exampleEntries(answers), false);
  }
  return real.map(({ file, secret: isSecret }) => ({ file, secret: isSecret }));
}
