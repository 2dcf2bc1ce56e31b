import type { NodePlopAPI } from "node-plop";
import { registerAuthGenerator } from "./generators/auth/index.js";

export { registerAuthGenerator } from "./generators/auth/index.js";

/**
 * The plopfile, and the pack's main module: `npx plop auth` here, or `await plop.load("auth-integrator")`
 * in a user's plopfile. Loaded packs lose --force and descriptions in plop, so users who need
 * those can call the named export `registerAuthGenerator(plop)` instead.
 */
export default function authIntegrator(plop: NodePlopAPI): void {
  registerAuthGenerator(plop);
}
