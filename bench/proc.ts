/** CPU time from Linux's /proc, for benchmarks that must not count the rest of a shared machine's load. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** The kernel's clock ticks per second, in which /proc reports CPU time. */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** The fields of /proc/<pid>/stat after the ")" that ends the command name (so field 14, utime, is [11]); null without /proc. */
function statFields(pid: number | "self"): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(")").pop()!.trim().split(/\s+/);
  } catch {
    return null;
  }
}

/** A process's CPU time so far (user + system, all its threads), in seconds; null without /proc. */
export function cpuSeconds(pid: number): number | null {
  const fields = statFields(pid);
  return fields ? (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS : null;
}

/** CPU time (user + system, ms) of this process's children that have ended and been waited for; null without /proc. */
export function endedChildrenCpuMs(): number | null {
  const fields = statFields("self");
  return fields ? ((Number(fields[13]) + Number(fields[14])) * 1000) / CLOCK_TICKS : null;
}
