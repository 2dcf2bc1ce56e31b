import { ensureVenv } from "./helpers/python.js";

/** Runs once before all test files: the Python environment is made (or reused) here, not in parallel workers. */
export default function setup(): void {
  process.env.AUTH_INTEGRATOR_PYTHON = ensureVenv();
}
