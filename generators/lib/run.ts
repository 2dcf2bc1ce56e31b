import path from "node:path";
import { commitChanges } from "./commit.js";
import { parseEnv } from "./editors/env.js";
import { findEnvReaders } from "./detect/env-readers.js";
import { formatChangeDiff, isEnvFileName } from "./diff.js";
import { installCommands, type InstallCommand } from "./install-commands.js";
import { nextSteps } from "./next-steps.js";
import { planAuthIntegration, type PlanOptions } from "./plan.js";
import { MANIFEST_PATH, type PlanTree, type SkippedFile } from "./tree.js";
import type { Answers } from "./types.js";

export interface RunOptions extends PlanOptions {
  dryRun?: boolean;
}

/** What a run did (or, for a dry run, would do): the record the summary is printed from. */
export interface RunResult {
  dryRun: boolean;
  created: string[];
  modified: string[];
  unchanged: string[];
  skipped: SkippedFile[];
  warnings: string[];
  /** The project's own routes now scoped to the signed-in user, one line each. */
  routes: string[];
  /** Unified diffs of every change, secrets redacted; filled for dry runs only. */
  diff: string;
  /** Where BETTER_AUTH_SECRET came from: an env file, or null when newly generated. */
  secretSource: string | null;
  /** Where API_JWT_SECRET came from (null when newly generated); undefined in jwks mode, which has none. */
  apiTokenSecretSource?: string | null;
  nextSteps: string[];
  /** What --install runs, in order: the frontend install, the backend's lock and install, auth:migrate (with this run's virtual environment). */
  install?: InstallCommand[];
}

/** Whether an env file (as planned) sets a key to a non-empty value. */
function envHas(tree: PlanTree, file: string, key: string): boolean {
  const text = tree.read(file);
  return text !== null && Boolean(parseEnv(text, file).get(key));
}

/** Plans the integration, then writes it all (or nothing) — or, with dryRun, only diffs it. */
export function runAuthIntegration(root: string, answers: Answers, options: RunOptions = {}): RunResult {
  const { tree, frontend, backend, backendPlan, addedPythonDeps, manifestSteps, secret, apiTokenSecret, apiClient } = planAuthIntegration(root, answers, options);
  const changes = tree.changes();
  const secretPaths = tree.secretPaths();
  // Read before the commit: afterwards the disk matches the plan and everything looks unchanged.
  const unchanged = tree.unchangedFiles();
  if (!options.dryRun) commitChanges(root, changes);
  const listed = changes.filter((c) => c.path !== MANIFEST_PATH);
  const hasDatabaseUrl = envHas(tree, path.posix.join(frontend.dir, ".env.local"), "DATABASE_URL");
  return {
    dryRun: options.dryRun === true,
    created: listed.filter((c) => c.before === null).map((c) => c.path),
    modified: listed.filter((c) => c.before !== null).map((c) => c.path),
    unchanged,
    skipped: tree.skippedFiles(),
    warnings: tree.warningList(),
    routes: backendPlan.routeChanges,
    diff: options.dryRun ? changes.map((c) => formatChangeDiff(c, [secret.value, ...(apiTokenSecret ? [apiTokenSecret.value] : [])], secretPaths.has(c.path) || isEnvFileName(c.path))).join("") : "",
    secretSource: secret.source,
    ...(apiTokenSecret ? { apiTokenSecretSource: apiTokenSecret.source } : {}),
    nextSteps:
      listed.length > 0
        ? nextSteps({
            answers,
            frontend,
            backend,
            python: backendPlan,
            addedPythonDeps,
            manifestSteps,
            apiClient,
            hasDatabaseUrl,
            authSecretReaders: answers.secretMode === "shared-secret" ? findEnvReaders(root, backend.dir, "BETTER_AUTH_SECRET").map((r) => `${r.file}:${r.line}`) : [],
          })
        : [],
    install: installCommands({ root, frontend, backend, addedPythonDeps, env: process.env, database: answers.database, hasDatabaseUrl }),
  };
}
