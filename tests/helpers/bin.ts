import { execa } from "execa";
import path from "node:path";
import { REPO_ROOT } from "./python.js";

export const BIN = path.join(REPO_ROOT, "dist/bin/auth-integrator.js");

/** Runs the compiled bin as a user would (no tsx, no terminal, no stdin); never throws on a non-zero exit. */
export async function runBin(args: string[], env: Record<string, string> = {}) {
  const result = await execa(process.execPath, [BIN, ...args], {
    reject: false,
    stdin: "ignore",
    env: { NODE_OPTIONS: "", ...env },
    timeout: 60_000,
  });
  return { code: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}
