/**
 * Start-up benchmarks: a full non-interactive run of the compiled bin on a small monorepo, and `doctor` (offline) on the
 * bundled example after a run, each as a whole process, against `plop --version` as a whole process, side by side;
 * prints the ratios. Target: at most 1.5× plop's own start-up, each.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { makeFixture } from "../tests/helpers/fixture.js";
import { endedChildrenCpuMs } from "./proc.js";
import { SMALL_MONOREPO } from "../tests/helpers/monorepo.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// BENCH_BIN: another build of the bin (one compiled elsewhere, so the shared dist/ stays as it is).
const BIN = process.env.BENCH_BIN ?? path.join(ROOT, "dist/bin/auth-integrator.js");
const EXAMPLE = path.join(ROOT, "examples/todo-monorepo");
const PLOP = path.join(ROOT, "node_modules/plop/bin/plop.js");
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
// npm run puts --import tsx into NODE_OPTIONS; a user's `npx auth-integrator` has no such thing.
const env = { ...process.env, NODE_OPTIONS: "", NO_COLOR: "1" };

/** Wall time of a synchronous call, in ms. */
export function timeMs(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Wall-clock and CPU time (ms) of a run that spawns one child process and waits for it. */
export function timeChild(run: () => void): { ms: number; cpuMs: number | null } {
  const before = endedChildrenCpuMs();
  const ms = timeMs(run);
  const after = endedChildrenCpuMs();
  return { ms, cpuMs: before === null || after === null ? null : after - before };
}

/** The middle value. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export function benchCli(): { binMs: number; plopMs: number; ratio: number } {
  const template = makeFixture(SMALL_MONOREPO, "bench-template-");
  const scratch = mkdtempSync(path.join(os.tmpdir(), "bench-cli-"));
  const bin: number[] = [];
  const plop: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      // Interleaved, so drift in machine load hits both sides alike.
      const dest = path.join(scratch, String(i));
      cpSync(template, dest, { recursive: true });
      bin.push(timeMs(() => execFileSync(process.execPath, [BIN, "auth", "--cwd", dest, "--yes"], { env, stdio: "ignore" })));
      plop.push(timeMs(() => execFileSync(process.execPath, [PLOP, "--version"], { env, stdio: "ignore", cwd: dest })));
    }
  } finally {
    rmSync(template, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
  const binMs = median(bin);
  const plopMs = median(plop);
  return { binMs, plopMs, ratio: binMs / plopMs };
}

/** `auth-integrator doctor --cwd <the example, generated>` (offline: every check but the live ones) vs `plop --version`. */
export function benchDoctor(): { doctorMs: number; plopMs: number; ratio: number } {
  const scratch = mkdtempSync(path.join(os.tmpdir(), "bench-doctor-"));
  const dest = path.join(scratch, "todo-monorepo");
  const doctor: number[] = [];
  const plop: number[] = [];
  try {
    cpSync(EXAMPLE, dest, { recursive: true });
    execFileSync(process.execPath, [BIN, "auth", "--cwd", dest, "--yes"], { env, stdio: "ignore" });
    // doctor exits 0 here (a fresh run is green); a non-zero exit would throw and fail the bench.
    execFileSync(process.execPath, [BIN, "doctor", "--cwd", dest], { env, stdio: "ignore" });
    for (let i = 0; i < RUNS; i++) {
      doctor.push(timeMs(() => execFileSync(process.execPath, [BIN, "doctor", "--cwd", dest], { env, stdio: "ignore" })));
      plop.push(timeMs(() => execFileSync(process.execPath, [PLOP, "--version"], { env, stdio: "ignore", cwd: dest })));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const doctorMs = median(doctor);
  const plopMs = median(plop);
  return { doctorMs, plopMs, ratio: doctorMs / plopMs };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.env.BENCH_ONLY !== "doctor") {
    const { binMs, plopMs, ratio } = benchCli();
    console.log(`cli start-up: auth-integrator full run ${binMs.toFixed(0)} ms, plop --version ${plopMs.toFixed(0)} ms (median of ${RUNS})`);
    console.log(`cli start-up ratio: ${ratio.toFixed(2)}x (target <= 1.50x)`);
  }
  const doctor = benchDoctor();
  console.log(`cli doctor: auth-integrator doctor (offline) ${doctor.doctorMs.toFixed(0)} ms, plop --version ${doctor.plopMs.toFixed(0)} ms (median of ${RUNS})`);
  console.log(`cli doctor ratio: ${doctor.ratio.toFixed(2)}x (target <= 1.50x)`);
}
