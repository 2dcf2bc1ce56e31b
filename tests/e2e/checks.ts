import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { typecheckConfig } from "../helpers/typescript.js";
import { runCommand, type CommandResult } from "./scratch.js";

/** The frontend files the generator writes: what the typecheck covers (tsc follows their imports). */
export const GENERATED_FRONTEND_FILES = ["lib/auth.ts", "lib/auth-rate-limit.ts", "lib/auth-client.ts", "lib/api.ts", "app/api/auth/[...all]/route.ts"];
/** Generated frontend files outside the CLI contract, typechecked when present. */
const OPTIONAL_FRONTEND_FILES = ["scripts/auth-migrate.ts"];

/**
 * `tsc --noEmit` (in this process, declaration files shared with the file's other checks) in strict mode over the generated frontend files, with the frontend's own tsconfig
 * (paths alias included). The example's app/layout.tsx, app/page.tsx and next.config.ts are left out:
 * they import `next`, which is not installed here.
 */
export function typecheckFrontend(frontendDir: string): Promise<CommandResult> {
  const files = [...GENERATED_FRONTEND_FILES, ...OPTIONAL_FRONTEND_FILES.filter((file) => existsSync(path.join(frontendDir, file)))];
  const config = path.join(frontendDir, "tsconfig.generated-check.json");
  const settings = { extends: "./tsconfig.json", compilerOptions: { strict: true, noEmit: true, incremental: false }, include: [], files };
  writeFileSync(config, `${JSON.stringify(settings, null, 2)}\n`);
  const { code, output } = typecheckConfig(config);
  return Promise.resolve({ code, stdout: output, stderr: "" });
}

/**
 * The generated backend's own tests, as a developer runs them: the venv's `pytest` (not `python -m pytest`,
 * which would put the backend folder on sys.path for the tests) in the backend folder.
 */
export function runBackendTests(backendDir: string, python: string, env: Record<string, string> = {}): Promise<CommandResult> {
  const pytest = path.join(path.dirname(python), "pytest");
  return runCommand(pytest, ["-q", "-p", "no:cacheprovider", "tests/test_auth.py"], {
    cwd: backendDir,
    env: { ...process.env, ...env, PYTHONDONTWRITEBYTECODE: "1" },
    timeoutMs: 120_000,
  });
}
