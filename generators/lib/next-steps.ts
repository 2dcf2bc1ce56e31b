import { importRootOf } from "./backend/python-module.js";
import path from "node:path";
import { runScriptCommand } from "./frontend/index.js";
import { socialProviders, socialSetupSteps } from "./frontend/social-providers.js";
import type { BackendPlan } from "./backend/index.js";
import { displayOf, installCommands } from "./install-commands.js";
import type { Answers, BackendInfo, FrontendInfo } from "./types.js";

/** An argument as a POSIX shell reads it back exactly: bare when only safe characters, else single-quoted. */
export const shellQuote = (arg: string) => (/^[\w./@%+=:,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

/** `(cd dir && cmd)`, runnable as it is from the repo root (the subshell keeps the next command there too), or just cmd at the root. */
export function inDir(dir: string, command: string): string {
  return dir === "." ? command : `(cd ${shellQuote(dir)} && ${command})`;
}

/** uvicorn's --app-dir for a src/ layout, where src/ itself is the import root. */
function appDirFlag(backend: BackendInfo): string {
  // A backend folder that is itself the package (relative imports in its main.py) is imported from the folder above.
  const root = importRootOf(backend.dir, backend.app.file, backend.app.module);
  if (root.startsWith("..")) return ` --app-dir ${root}`;
  const inSrc = backend.app.file.startsWith(`${backend.dir === "." ? "" : `${backend.dir}/`}src/`);
  return inSrc && !backend.app.module.startsWith("src.") ? " --app-dir src" : "";
}

/** The commands a user runs after the files are in place: install, create tables, start, check. */
export interface NextStepsContext {
  answers: Answers;
  frontend: FrontendInfo;
  backend: BackendInfo;
  python: BackendPlan;
  /** Requirements this run added to the backend's dependency file. */
  addedPythonDeps: string[];
  /** The generated API client's path from the repo root (lib/api.ts, or lib/auth-api.ts beside the project's own); <codeDir>/lib/api.ts when not given. */
  apiClient?: string;
  /** Whether the frontend's env already sets DATABASE_URL (Postgres). */
  hasDatabaseUrl: boolean;
  /** Where the backend's own code reads BETTER_AUTH_SECRET (`file:line`): it must keep it until that code changes. */
  authSecretReaders?: string[];
  /** Lockfiles and hashed requirements files to regenerate, with the command (planDeployDependencies): listed first. */
  manifestSteps?: string[];
}

export function nextSteps({ answers, frontend, backend, python, addedPythonDeps, apiClient, hasDatabaseUrl, authSecretReaders = [], manifestSteps = [] }: NextStepsContext): string[] {
  const pm = frontend.packageManager;
  const apiFile = path.posix.relative(frontend.dir, apiClient ?? path.posix.join(frontend.codeDir, "lib/api.ts"));
  const py = backend.pythonTool === "uv" ? "uv run " : backend.pythonTool === "poetry" ? "poetry run " : "";
  // The install and migrate commands --install runs (install-commands.ts), as a user types them in an activated environment.
  const install = installCommands({ frontend, backend, addedPythonDeps });
  const steps = [
    `Install: ${displayOf(install, "frontend")}  and  ${displayOf(install, "backend")}`,
    `Create Better Auth's tables: ${displayOf(install, "migrate")}`,
    `Start the frontend: ${inDir(frontend.dir, runScriptCommand(pm, "dev"))}`,
    `Start the backend: ${inDir(backend.dir, `${py}uvicorn ${backend.appImport}${appDirFlag(backend)} --reload`)}`,
    `Check a token (from GET /api/auth/token while signed in, put in $TOKEN): ${inDir(backend.dir, `${py}python jwt-verify-test.py "$TOKEN"`)}; run the auth tests (they need ${python.pythonDevDeps.join(" and ")}): ${inDir(backend.dir, `${py}python -m pytest tests/test_auth.py`)}`,
    `Sign in, then call the API from the frontend with apiFetch() from ${apiFile}: it sends Authorization: Bearer <token>.`,
  ];
  if (answers.secretMode === "shared-secret") {
    steps.push(
      `Deploy: give the frontend and the backend the same API_JWT_SECRET (the value in ${path.posix.join(frontend.dir, ".env.local")}); only the frontend needs BETTER_AUTH_SECRET — ${
        authSecretReaders.length > 0
          ? `the backend's own code still reads it (${authSecretReaders.join(", ")}): keep it there until that code stops, then remove it from the backend's deployment settings`
          : "remove it from the backend's deployment settings"
      }.`,
    );
  }
  steps.push(...socialSetupSteps(socialProviders(answers), answers.authUrl, path.posix.join(frontend.dir, ".env.local")));
  if (answers.database === "postgres" && !hasDatabaseUrl) steps.splice(1, 0, `Set DATABASE_URL (Postgres) in ${path.posix.join(frontend.dir, ".env.local")}`);
  // Before the install: it installs from these files, so they are brought up to date first.
  steps.unshift(...manifestSteps);
  return steps;
}
