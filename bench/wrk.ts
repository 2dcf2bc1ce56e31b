/** wrk on loopback, shared by the HTTP benchmarks: pinning, one bounded run, and the median of rounds. */
import { execFileSync } from "node:child_process";
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
  const [command, ...args] = [...WRK_ARGS, `-d${duration}`, ...headers.flatMap((h) => ["-H", h]), url];
  const output = execFileSync(command, args, { encoding: "utf8" });
  if (/Non-2xx or 3xx responses/.test(output)) throw new Error(`wrk saw error responses from ${url}:\n${output}`);
  const match = /Requests\/sec:\s+([\d.]+)/.exec(output);
  if (!match) throw new Error(`no Requests/sec in wrk's output:\n${output}`);
  return Number(match[1]);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
