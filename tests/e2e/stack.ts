import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startBetterAuth, type BetterAuthServer } from "../helpers/better-auth-server.js";
import { VENV_PYTHON } from "../helpers/python.js";
import { sleep, startProcess, waitForHttp, type ChildHandle } from "./processes.js";
import { readDotenv, runCommand } from "./scratch.js";

const MINT_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), "mint-tokens.ts");

export interface StackOptions {
  /** The monorepo root after the generator ran. */
  root: string;
  /** Frontend and backend folders relative to root. */
  frontend?: string;
  backend?: string;
  /** How uvicorn imports the FastAPI app, from the backend folder. */
  appImport?: string;
  /** The Python with fastapi/uvicorn/PyJWT; default: vitest's venv (AUTH_INTEGRATOR_PYTHON) or .venv-e2e. */
  python?: string;
  /** Aborting stops whatever has started and makes startStack reject (Ctrl-C in the demo). */
  signal?: AbortSignal;
}

/** The generated Better Auth and FastAPI, running on loopback ports. */
export interface Stack {
  /** Better Auth's base URL (its routes are under /api/auth). */
  authUrl: string;
  /** The FastAPI app's base URL. */
  apiUrl: string;
  /** The environment each server was started with. */
  authEnv: Record<string, string>;
  backendEnv: Record<string, string>;
  /** Tokens signed by this Better Auth instance's own key over the given claims (see mint-tokens.ts). */
  mintTokens(payloads: Record<string, unknown>[]): Promise<string[]>;
  /** Recent output of both servers, for failure messages. */
  output(): string;
  /** Stops both servers and removes the temp database folder; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts the generated Better Auth (from `<frontend>/lib/auth.ts`, env from `.env.local`) and the generated
 * FastAPI app (uvicorn from `<backend>`, env from `.env`), both with BETTER_AUTH_URL pointing at the
 * auth server's loopback address, and FastAPI's DATABASE_URL at a temp SQLite file. On any failure
 * everything already started is stopped before the error is thrown.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const frontendDir = path.join(options.root, options.frontend ?? "frontend");
  const backendDir = path.join(options.root, options.backend ?? "backend");
  const authFile = path.join(frontendDir, "lib", "auth.ts");
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "auth-integrator-stack-"));
  let auth: BetterAuthServer | undefined;
  let api: ChildHandle | undefined;
  const stop = async () => {
    await Promise.allSettled([api?.stop(), auth && withTimeout(auth.stop(), 5000)]);
    rmSync(dataDir, { recursive: true, force: true });
  };
  const abort = () => void api?.stop();
  options.signal?.addEventListener("abort", abort, { once: true });
  try {
    options.signal?.throwIfAborted();
    const frontendEnv = readDotenv(path.join(frontendDir, ".env.local"));
    // Next.js runs from the frontend folder, so Better Auth's relative SQLite path lands there.
    const server = await startBetterAuth({ authFile, cwd: frontendDir, env: frontendEnv, timeoutMs: 30_000 });
    auth = server;
    options.signal?.throwIfAborted();
    const authUrl = server.url;
    const authEnv = { ...frontendEnv, BETTER_AUTH_URL: authUrl };
    const backendEnv = {
      ...readDotenv(path.join(backendDir, ".env")),
      BETTER_AUTH_URL: authUrl,
      DATABASE_URL: `sqlite:///${path.join(dataDir, "tasks.db")}`,
    };
    // Port 0: the OS picks a free port and uvicorn prints it, so no other process can take it in between.
    api = startProcess({
      name: "FastAPI (uvicorn)",
      command: options.python ?? process.env.AUTH_INTEGRATOR_PYTHON ?? VENV_PYTHON,
      args: ["-m", "uvicorn", options.appImport ?? "main:app", "--host", "127.0.0.1", "--port", "0", "--no-access-log"],
      cwd: backendDir,
      env: { ...process.env, ...backendEnv, PYTHONDONTWRITEBYTECODE: "1", PYTHONUNBUFFERED: "1" },
    });
    const [, apiUrl] = await api.waitForLine(/Uvicorn running on (http:\/\/127\.0\.0\.1:\d+)/, 30_000);
    await waitForHttp(`${apiUrl}/openapi.json`, api, 10_000);
    options.signal?.throwIfAborted();
    const started = api;
    return {
      authUrl,
      apiUrl,
      authEnv,
      backendEnv,
      mintTokens: (payloads) => mintTokens(frontendDir, authFile, authEnv, payloads),
      output: () => `--- Better Auth ---\n${server.logs()}\n--- ${started.name} ---\n${started.output()}`,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  } finally {
    options.signal?.removeEventListener("abort", abort);
  }
}

/** Runs mint-tokens.ts in the frontend folder with the auth server's env: tokens from the server's own key. */
async function mintTokens(frontendDir: string, authFile: string, env: Record<string, string>, payloads: Record<string, unknown>[]): Promise<string[]> {
  const result = await runCommand(process.execPath, ["--import", "tsx", MINT_SCRIPT, authFile], {
    cwd: frontendDir,
    env: { ...process.env, ...env },
    timeoutMs: 30_000,
    input: JSON.stringify(payloads),
  });
  if (result.code !== 0) throw new Error(`mint-tokens.ts failed (${result.code}):\n${result.stderr}`);
  return JSON.parse(result.stdout) as string[];
}

/** Waits for `promise` at most `ms`: a stop that hangs must not hang the caller's cleanup. */
async function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  await Promise.race([promise, sleep(ms)]);
}
