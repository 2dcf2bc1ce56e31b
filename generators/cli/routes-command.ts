import { existsSync, statSync } from "node:fs";
import { detectBackend, findBackendCandidates } from "../lib/detect/backend.js";
import { PythonSources } from "../lib/detect/python-sources.js";
import { MalformedFileError, UserInputError } from "../lib/errors.js";
import { formatRouteTable, routeInventory } from "../lib/python/routes.js";
import { processIo, type CommandIo } from "./command-io.js";

export interface RoutesCommandOptions {
  /** The monorepo root. */
  root: string;
  /** The FastAPI app folder relative to root; detected when absent. */
  backend?: string;
  /** Print the inventory as JSON ({ routes, unresolved }) instead of the table. */
  json: boolean;
}

/** Where the command writes: stdout gets the table or the JSON only, stderr the errors. */
export type RoutesCommandIo = CommandIo;

/**
 * `auth-integrator routes`: the FastAPI app's routes, classified public / protected / owned / other, as a table or JSON.
 * Returns the exit status: 0, 1 for a manifest that does not parse, 2 for no backend (or a wrong --cwd/--backend).
 */
export function runRoutesCommand(options: RoutesCommandOptions, io: RoutesCommandIo = processIo): number {
  const fail = (message: string, code: number) => (io.stderr(`auth-integrator routes: ${message}\n`), code);
  if (!existsSync(options.root) || !statSync(options.root).isDirectory()) return fail(`--cwd ${options.root} is not a folder`, 2);
  let backend;
  try {
    const dir = options.backend ?? findBackendCandidates(options.root)[0];
    if (dir === undefined) return fail("no FastAPI backend found (no pyproject.toml or requirements*.txt names fastapi); pass --backend PATH", 2);
    backend = detectBackend(options.root, dir);
  } catch (error) {
    if (error instanceof MalformedFileError) return fail(error.message, 1);
    if (error instanceof UserInputError) return fail(error.message, 2);
    throw error;
  }
  const inventory = routeInventory(new PythonSources(options.root, backend.dir), backend.app);
  if (options.json) io.stdout(`${JSON.stringify({ routes: inventory.routes, unresolved: inventory.unresolved }, null, 2)}\n`);
  else io.stdout(`${formatRouteTable(inventory)}\n`);
  return 0;
}
