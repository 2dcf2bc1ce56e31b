import { importRootOf } from "./backend/python-module.js";
import path from "node:path";
import { MIGRATE_SCRIPT_NAME, runScriptCommand } from "./frontend/index.js";
import { socialProviders, socialSetupSteps } from "./frontend/social-providers.js";
import type { BackendPlan } from "./backend/index.js";
import type { Answers, BackendInfo, FrontendInfo, PackageManager } from "./types.js";

const INSTALL: Record<PackageManager, string> = { npm: "npm install", pnpm: "pnpm install", yarn: "yarn install", bun: "bun install" };

/** An argument as a POSIX shell reads it back exactly: bare when only safe characters, else single-quoted. */
export const shellQuote = (arg: string) => (/^[\w./@%+=:,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

/** `(cd dir && cmd)`, runnable as it is from the repo root (the subshell keeps the next command there too), or just cmd at the root. */
function inDir(dir: string, command: string): string {
  return dir === "." ? command : `(cd ${shellQuote(dir)} && ${command})`;
}

/**
 * The backend's install command for its Python tool and dependency file. A pip project with a
 * pyproject.toml is often not installable itself (no build system, a flat layout), so it gets the new packages by name.
 */
function pythonInstall(backend: BackendInfo, added: string[]): string {
  if (backend.pythonTool === "uv") return "uv sync";
  if (backend.pythonTool === "poetry") return "poetry install";
  if (backend.depsFile.kind === "requirements") return `pip install -r ${shellQuote(path.posix.relative(backend.dir, backend.depsFile.file))}`;
  return added.length > 0 ? `pip install ${added.map(shellQuote).join(" ")}` : "pip install -e .";
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
}

export function nextSteps({ answers, frontend, backend, python, addedPythonDeps, apiClient, hasDatabaseUrl, authSecretReaders = [] }: NextStepsContext): string[] {
  const pm = frontend.packageManager;
  const apiFile = path.posix.relative(frontend.dir, apiClient ?? path.posix.join(frontend.codeDir, "lib/api.ts"));
  const py = backend.pythonTool === "uv" ? "uv run " : backend.pythonTool === "poetry" ? "poetry run " : "";
  const steps = [
    `Install: ${inDir(frontend.dir, INSTALL[pm])}  and  ${inDir(backend.dir, pythonInstall(backend, addedPythonDeps))}`,
    `Create Better Auth's tables: ${inDir(frontend.dir, runScriptCommand(pm, MIGRATE_SCRIPT_NAME))}`,
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
  return steps;
}
