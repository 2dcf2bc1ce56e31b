import { spawn, type ChildProcess } from "node:child_process";

/** A child process we started: its recent output for error messages, and a bounded stop. */
export interface ChildHandle {
  name: string;
  pid: number;
  /** The last lines the process printed (stdout and stderr interleaved). */
  output(): string;
  /** Exit code (or signal name) once it has exited, else null. */
  exitStatus(): string | null;
  /** Resolves with the first printed line matching `pattern`; rejects when the process exits or `timeoutMs` passes first. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

const MAX_KEPT_LINES = 200;

/** Starts a long-running child with piped output (kept in a ring of recent lines). */
export function startProcess(options: StartOptions): ChildHandle {
  const child = spawn(options.command, options.args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  const watchers = new Set<(line: string) => void>();
  let status: string | null = null;
  const exited = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      status = signal ?? String(code);
      resolve();
    });
    child.once("error", (error) => {
      status = `spawn error: ${error.message}`;
      resolve();
    });
  });
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString("utf8").split(/\r?\n/)) {
      if (!line) continue;
      lines.push(line);
      if (lines.length > MAX_KEPT_LINES) lines.shift();
      for (const watch of watchers) watch(line);
    }
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const handle: ChildHandle = {
    name: options.name,
    pid: child.pid ?? -1,
    output: () => lines.join("\n"),
    exitStatus: () => status,
    waitForLine: (pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        const done = (error: Error | null, match?: RegExpMatchArray) => {
          clearTimeout(timer);
          watchers.delete(watch);
          if (error) reject(error);
          else resolve(match!);
        };
        const watch = (line: string) => {
          const match = pattern.exec(line);
          if (match) done(null, match);
        };
        const timer = setTimeout(() => done(new Error(`${options.name} printed no line matching ${pattern} within ${timeoutMs} ms:\n${handle.output()}`)), timeoutMs);
        watchers.add(watch);
        for (const line of lines) watch(line);
        void exited.then(() => done(new Error(`${options.name} exited (${status}) before printing ${pattern}:\n${handle.output()}`)));
      }),
    stop: (graceMs = 3000) => stopChild(child, exited, graceMs),
  };
  return handle;
}

async function stopChild(child: ChildProcess, exited: Promise<void>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  child.kill("SIGTERM");
  const timedOut = await Promise.race([exited.then(() => false), sleep(graceMs).then(() => true)]);
  if (timedOut) {
    child.kill("SIGKILL");
    await Promise.race([exited, sleep(2000)]);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * Polls `url` until it answers with any HTTP status below 500, for at most `timeoutMs`.
 * Fails early, with the child's output, when the child exits first.
 */
export async function waitForHttp(url: string, child: ChildHandle, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = "";
  while (Date.now() < deadline) {
    if (child.exitStatus() !== null) {
      throw new Error(`${child.name} exited (${child.exitStatus()}) before ${url} answered:\n${child.output()}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status < 500) return;
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = (error as Error).message;
    }
    await sleep(150);
  }
  throw new Error(`${child.name} did not answer ${url} within ${timeoutMs} ms (${lastError}):\n${child.output()}`);
}

/**
 * The environment without `--import tsx` in NODE_OPTIONS: npm adds it (see .npmrc) for our own .ts
 * files, but a child started in a scratch folder would resolve `tsx` from there and fail to start.
 * Children that need tsx pass `--import tsx` themselves.
 */
export function withoutTsxImport(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const options = (env.NODE_OPTIONS ?? "").replace(/--import[= ]tsx(?=\s|$)/g, "").trim();
  return { ...env, NODE_OPTIONS: options };
}
