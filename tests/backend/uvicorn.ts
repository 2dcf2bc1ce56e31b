import { VENV_PYTHON } from "../helpers/python.js";
import { startProcess, waitForHttp, type ChildHandle } from "../e2e/processes.js";

/** The Python with fastapi, uvicorn, PyJWT and pytest: vitest's venv, or .venv-e2e. */
export const PYTHON = process.env.AUTH_INTEGRATOR_PYTHON ?? VENV_PYTHON;

/** Environment for the generated Python: no stray bytecode, unbuffered output. */
export function pythonEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...env, PYTHONDONTWRITEBYTECODE: "1", PYTHONUNBUFFERED: "1" };
}

export interface RunningBackend {
  url: string;
  process: ChildHandle;
  stop(): Promise<void>;
}

/** Starts uvicorn with one worker: the app's module import, on a loopback port. */
export function spawnUvicorn(backendDir: string, appImport: string, env: Record<string, string>): ChildHandle {
  // Port 0: the OS picks a free port and uvicorn prints it, so no other process can take it in between.
  return startProcess({
    name: "uvicorn",
    command: process.env.PIN_UVICORN ? "taskset" : PYTHON,
    args: [...(process.env.PIN_UVICORN ? ["-c", process.env.PIN_UVICORN, PYTHON] : []), "-m", "uvicorn", appImport, "--host", "127.0.0.1", "--port", "0", "--no-access-log"],
    cwd: backendDir,
    env: pythonEnv(env),
  });
}

/** Starts the app under uvicorn and resolves once it answers HTTP. */
export async function startBackend(backendDir: string, appImport: string, env: Record<string, string>): Promise<RunningBackend> {
  const child = spawnUvicorn(backendDir, appImport, env);
  try {
    const [, url] = await child.waitForLine(/Uvicorn running on (http:\/\/127\.0\.0\.1:\d+)/, 30_000);
    await waitForHttp(`${url}/openapi.json`, child, 10_000);
    return { url, process: child, stop: () => child.stop() };
  } catch (error) {
    await child.stop();
    throw error;
  }
}
