import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Auth } from "better-auth";

/**
 * Serves a real Better Auth instance (a generated lib/auth.ts) over HTTP from a child process, the
 * way Next.js would serve app/api/auth/[...all]: tsx loads the TypeScript file, `toNodeHandler`
 * from better-auth/node answers /api/auth/* on a free loopback port.
 *
 * This file is also the child's entry point (run directly with `node --import tsx`).
 */

export interface BetterAuthServer {
  /** The origin, also given to the auth instance as BETTER_AUTH_URL: "http://127.0.0.1:<port>". */
  url: string;
  /** Everything the child wrote to stderr so far (Better Auth's logs, warnings). */
  logs(): string;
  stop(): Promise<void>;
}

export interface StartBetterAuthOptions {
  /** The auth module (.ts), which must export `auth` (or a default export). */
  authFile: string;
  /** Extra environment (BETTER_AUTH_SECRET, DATABASE_URL...); BETTER_AUTH_URL is always set to the server's origin. */
  env?: Record<string, string>;
  /** Working folder of the child (a relative SQLite path lands here); default: the auth file's folder. */
  cwd?: string;
  /** Create Better Auth's tables first with getMigrations() (default true). */
  migrate?: boolean;
  /** How long to wait for the server, in ms (default 30 s). */
  timeoutMs?: number;
}

const THIS_FILE = fileURLToPath(import.meta.url);
const READY = "better-auth-server-ready ";

/** Starts the child and resolves once it serves requests; rejects with its stderr if it dies first. */
export function startBetterAuth(options: StartBetterAuthOptions): Promise<BetterAuthServer> {
  const child = spawn(process.execPath, ["--import", "tsx", THIS_FILE, path.resolve(options.authFile)], {
    cwd: options.cwd ?? path.dirname(options.authFile),
    env: { ...process.env, ...options.env, AUTH_SERVER_MIGRATE: options.migrate === false ? "0" : "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  let stdout = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`Better Auth server did not start within ${options.timeoutMs ?? 30_000} ms:\n${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Better Auth server exited with code ${code}:\n${stderr}`));
    });
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split("\n").find((l) => l.startsWith(READY));
      if (!line) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      resolve({ url: line.slice(READY.length).trim(), logs: () => stderr, stop: () => stopChild(child) });
    });
  });
}

/** SIGTERM, then SIGKILL if the child has not exited within `graceMs`: a hung server never outlives the tests. */
function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** The child: listen first (to know the port), then load the auth module with BETTER_AUTH_URL set, then serve it. */
async function serve(authFile: string): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const url = `http://127.0.0.1:${port}`;
  process.env.BETTER_AUTH_URL = url;
  const mod = (await import(pathToFileURL(authFile).href)) as { auth?: unknown; default?: unknown };
  const auth = (mod.auth ?? mod.default) as Pick<Auth, "handler" | "options"> | undefined;
  if (!auth) throw new Error(`${authFile} exports neither \`auth\` nor a default export`);
  if (process.env.AUTH_SERVER_MIGRATE === "1") {
    const { getMigrations } = await import("better-auth/db/migration");
    const { runMigrations } = await getMigrations(auth.options);
    await runMigrations();
  }
  const { toNodeHandler } = await import("better-auth/node");
  const handler = toNodeHandler(auth);
  // As `next start` does: x-forwarded-for is filled from the connection only when the client sent none.
  server.on("request", (req, res) => {
    req.headers["x-forwarded-for"] ??= req.socket.remoteAddress;
    return handler(req, res);
  });
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
  process.stdout.write(`${READY}${url}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === THIS_FILE) {
  serve(process.argv[2]).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
