import path from "node:path";
import { createDetection, type Detection } from "./detect/detection.js";
import { detectComposeFile } from "./detect/index.js";
import { planBackend, type BackendPlan } from "./backend/index.js";
import { planFrontend } from "./frontend/index.js";
import { planCompose } from "./steps/compose.js";
import { planNpmDependencies, planPythonDependencies } from "./steps/dependencies.js";
import { planDeployDependencies } from "./steps/deploy-dependencies.js";
import { planEnvFiles } from "./steps/env-files.js";
import { planIgnoreLocalFiles, refuseTrackedSecretFiles, warnIgnoredOutputs } from "./steps/gitignore.js";
import { assertSecretStrength, resolveApiTokenSecret, resolveSecret, type ResolvedSecret } from "./steps/secret.js";
import { longTtlWarning } from "./frontend/token-ttl.js";
import { PlanTree } from "./tree.js";
import type { Answers, BackendInfo, FrontendInfo } from "./types.js";

export interface AuthPlan {
  tree: PlanTree;
  frontend: FrontendInfo;
  backend: BackendInfo;
  backendPlan: BackendPlan;
  /** The Python requirements this run adds to the dependency file (the rest were there already). */
  addedPythonDeps: string[];
  /** Lockfiles and hashed requirements files the user regenerates, with the command: the first next steps. */
  manifestSteps: string[];
  secret: ResolvedSecret;
  /** API_JWT_SECRET, in shared-secret mode only. */
  apiTokenSecret: ResolvedSecret | null;
  /** The generated API client's path (lib/api.ts, or lib/auth-api.ts beside the project's own). */
  apiClient: string;
}

export interface PlanOptions {
  force?: boolean;
  /** The run's detection, reused rather than repeated. */
  detection?: Detection;
  /** The answers the user chose (flags, prompts, earlier saved ones), recorded for the next run; every answer when absent. */
  chosenAnswers?: Record<string, string>;
}

/**
 * The whole integration as a plan of file changes, computed in memory: nothing is written here.
 * Any bad input throws a UserInputError before a single file is touched.
 */
export function planAuthIntegration(root: string, answers: Answers, options: PlanOptions = {}): AuthPlan {
  const tree = new PlanTree(root, options);
  // The run's detection when the caller has one: defaults and validation already looked at these folders.
  const detection = options.detection ?? createDetection(root);
  const frontend = detection.frontend(answers.frontend);
  const backend = detection.backend(answers.backend);
  const composeFile = detectComposeFile(root);
  const secret = resolveSecret(tree, frontend.dir, backend.dir, "BETTER_AUTH_SECRET");
  assertSecretStrength(secret, "BETTER_AUTH_SECRET");
  const ttlWarning = longTtlWarning(answers.tokenTtl);
  if (ttlWarning) tree.warn(ttlWarning);
  const apiTokenSecret = answers.secretMode === "shared-secret" ? resolveApiTokenSecret(tree, frontend.dir, backend.dir, secret) : null;

  const frontendPlan = planFrontend(tree, answers, frontend);
  const backendPlan = planBackend(tree, answers, backend);
  planNpmDependencies(tree, frontend, frontendPlan);
  const addedPythonDeps = planPythonDependencies(tree, backend, backendPlan.pythonDeps);
  // The same requirements in every manifest a Dockerfile, render.yaml, Procfile or CI workflow installs from.
  const manifestSteps = planDeployDependencies(tree, backend, backendPlan.pythonDeps, addedPythonDeps);
  const envFiles = planEnvFiles(tree, answers, frontend, { ...backend, envFile: backendPlan.envFile }, composeFile, {
    authSecret: secret.value,
    apiTokenSecret: apiTokenSecret?.value ?? null,
  });
  if (composeFile) planCompose(tree, composeFile, answers, frontend, backend);

  refuseTrackedSecretFiles(tree, envFiles.filter((f) => f.secret).map((f) => f.file));
  const localFiles = envFiles.map((f) => f.file);
  // The SQLite default keeps Better Auth's users in <frontend>/auth.db: data, not source.
  if (frontendPlan.generatedDatabase === "sqlite") localFiles.push(path.posix.join(frontend.dir, "auth.db"));
  planIgnoreLocalFiles(tree, localFiles);
  // The next run offers these as its defaults (source "saved"), as Yeoman's .yo-rc.json does. Detected and default
  // answers are not recorded: they follow the project (a CORS origin derived from a changed authUrl, say).
  tree.recordAnswers(options.chosenAnswers ?? Object.fromEntries(Object.entries(answers).filter(([, value]) => typeof value === "string")));
  warnIgnoredOutputs(tree);
  return { tree, frontend, backend, backendPlan, addedPythonDeps, manifestSteps, secret, apiTokenSecret, apiClient: frontendPlan.apiClient };
}
