import { execFile } from "node:child_process";
import { VENV_PYTHON } from "../helpers/python.js";
import { startProcess, waitForHttp, type ChildHandle } from "../e2e/processes.js";

/** The Python with fastapi, uvicorn, PyJWT and pytest: vitest's venv, or .venv-e2e. */
export const PYTHON = process.env.AUTH_INTEGRATOR_PYTHON ?? VENV_PYTHON;

/** The variables the generated backend reads: a test sets them itself, never inherits them. */
const BACKEND_VARIABLES = /^(BETTER_AUTH_|API_JWT_SECRET$|DATABASE_URL$)/;

/** Environment for the generated Python: this process's minus the backend's own variables, plus `env`; no bytecode files. */
export function pythonEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !BACKEND_VARIABLES.test(key)));
  return { ...inherited, ...env, PYTHONDONTWRITEBYTECODE: "1", PYTHONUNBUFFERED: "1" };
}

export interface RunningBackend {
  url: string;
  process: ChildHandle;
  stop(): Promise<void>;
}

export interface UvicornOptions {
  /** Pin the server to this CPU with taskset (benchmarks: keeps the load generator off its core). */
  cpu?: number;
}

/** Starts uvicorn with one worker: the app's module import, on a loopback port. */
export function spawnUvicorn(backendDir: string, appImport: string, env: Record<string, string>, options: UvicornOptions = {}): ChildHandle {
  const pin = options.cpu === undefined ? [] : ["taskset", "-c", String(options.cpu)];
  const [command, ...prefix] = [...pin, PYTHON];
  // Port 0: the OS picks a free port and uvicorn prints it, so no other process can take it in between.
  return startProcess({
    name: "uvicorn",
    command,
    args: [...prefix, "-m", "uvicorn", appImport, "--host", "127.0.0.1", "--port", "0", "--no-access-log"],
    cwd: backendDir,
    env: pythonEnv(env),
  });
}

/** Starts the app under uvicorn and resolves once it answers HTTP. */
export async function startBackend(
  backendDir: string,
  appImport: string,
  env: Record<string, string>,
  options: UvicornOptions = {},
): Promise<RunningBackend> {
  const child = spawnUvicorn(backendDir, appImport, env, options);
  try {
    const [, url] = await child.waitForLine(/Uvicorn running on (http:\/\/127\.0\.0\.1:\d+)/, 30_000);
    await waitForHttp(`${url}/openapi.json`, child, 10_000);
    return { url, process: child, stop: () => child.stop() };
  } catch (error) {
    await child.stop();
    throw error;
  }
}

export interface PythonResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the venv's Python to completion (killed after `timeoutMs`); never throws on a non-zero exit. */
export function runPython(args: string[], options: { cwd: string; env?: Record<string, string>; input?: string; timeoutMs?: number }): Promise<PythonResult> {
  return new Promise((resolve) => {
    const child = execFile(
      PYTHON,
      args,
      { cwd: options.cwd, env: pythonEnv(options.env ?? {}), timeout: options.timeoutMs ?? 60_000, killSignal: "SIGKILL" },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    child.stdin?.end(options.input ?? "");
  });
}
