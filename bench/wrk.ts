/** wrk on loopback, shared by the HTTP benchmarks: pinning, one bounded run, and the median of rounds. */
import { execFileSync } from "node:child_process";
import { cpuSeconds } from "./proc.js";
import os from "node:os";

export const DURATION = process.env.BENCH_WRK_DURATION ?? "3s";

function commandExists(command: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** With taskset and 2+ cores, uvicorn gets CPU 0 and wrk CPU 1, so they do not fight over one core. */
export const PINNED = os.cpus().length >= 2 && commandExists("taskset");
export const WRK_ARGS = PINNED ? ["taskset", "-c", "1", "wrk", "-t1", "-c20"] : ["wrk", "-t2", "-c20"];

/** wrk's requests/second for one URL over a bounded duration; throws on any error response. */
export function wrk(url: string, headers: string[] = [], duration = DURATION): number {
  return wrkRun(url, headers, duration).perSecond;
}

/** One wrk run: requests/second and the requests it completed. */
function wrkRun(url: string, headers: string[], duration: string): { perSecond: number; requests: number } {
  const [command, ...args] = [...WRK_ARGS, `-d${duration}`, ...headers.flatMap((h) => ["-H", h]), url];
  const output = execFileSync(command, args, { encoding: "utf8" });
  if (/Non-2xx or 3xx responses/.test(output)) throw new Error(`wrk saw error responses from ${url}:\n${output}`);
  const perSecond = /Requests\/sec:\s+([\d.]+)/.exec(output);
  const requests = /(\d+) requests in/.exec(output);
  if (!perSecond || !requests) throw new Error(`no Requests/sec in wrk's output:\n${output}`);
  return { perSecond: Number(perSecond[1]), requests: Number(requests[1]) };
}

/**
 * wrk against a server, with what the server spent: requests/second (wall clock: what a client sees) and
 * requests per CPU-second of the server process (what a request costs it, whatever else the machine is doing).
 */
export function wrkWithServerCpu(url: string, serverPid: number, headers: string[] = [], duration = DURATION): { perSecond: number; perCpuSecond: number | null } {
  const before = cpuSeconds(serverPid);
  const run = wrkRun(url, headers, duration);
  const after = cpuSeconds(serverPid);
  const spent = before === null || after === null ? null : after - before;
  return { perSecond: run.perSecond, perCpuSecond: spent ? run.requests / spent : null };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
