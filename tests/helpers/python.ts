import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The end-to-end virtual environment; override with AUTH_INTEGRATOR_VENV. */
export const VENV_DIR = process.env.AUTH_INTEGRATOR_VENV ?? path.join(REPO_ROOT, ".venv-e2e");
export const VENV_PYTHON = path.join(VENV_DIR, "bin", "python");
const REQUIREMENTS = path.join(REPO_ROOT, "tests", "e2e", "requirements.txt");
const STAMP = path.join(VENV_DIR, ".requirements-installed");

/**
 * Creates the Python virtual environment for the end-to-end tests, or reuses it when it already
 * holds the current requirements (a stamp file records what was installed). Returns its python.
 */
export function ensureVenv(): string {
  const wanted = readFileSync(REQUIREMENTS, "utf8");
  if (existsSync(VENV_PYTHON) && existsSync(STAMP) && readFileSync(STAMP, "utf8") === wanted) return VENV_PYTHON;
  if (!existsSync(VENV_PYTHON)) execFileSync("python3", ["-m", "venv", VENV_DIR], { stdio: "inherit" });
  execFileSync(VENV_PYTHON, ["-m", "pip", "install", "--retries", "0", "-q", "-r", REQUIREMENTS], {
    stdio: "inherit",
    env: { ...process.env, PIP_RETRIES: "0" },
  });
  writeFileSync(STAMP, wanted);
  return VENV_PYTHON;
}
