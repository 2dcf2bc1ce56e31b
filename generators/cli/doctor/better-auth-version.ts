import { joinRel } from "../../lib/detect/paths.js";
import { isObject } from "../../lib/formats/json.js";
import { BETTER_AUTH_FLOOR, BETTER_AUTH_RANGE, compareVersions, lockedBetterAuth, parseVersion, rangeFloor } from "../../lib/frontend/better-auth-version.js";
import { PlanTree } from "../../lib/tree.js";
import type { FrontendInfo } from "../../lib/types.js";
import { fail, pass, skip, type Check } from "./check.js";
import type { DoctorContext } from "./context.js";

const GROUP = "dependencies";
const ID = "better-auth-version";
const FLOOR = parseVersion(BETTER_AUTH_FLOOR)!;

/**
 * The better-auth the frontend runs is at least the one the generated code needs (BETTER_AUTH_FLOOR): the installed one
 * (node_modules, else a lockfile), else the lowest version the declared range allows.
 */
export function betterAuthVersionCheck(context: DoctorContext): Check {
  const title = `better-auth ${BETTER_AUTH_RANGE} or newer`;
  const dir = context.frontendDir;
  if (dir === null) return skip(GROUP, ID, title, { detail: "no Next.js app found" });
  const install = context.inDir(dir, `npm install better-auth@${BETTER_AUTH_RANGE}`);
  // lockedBetterAuth reads node_modules and lockfiles through a plan tree (read-only here: nothing is ever committed).
  const locked = lockedBetterAuth(new PlanTree(context.root), { dir } as FrontendInfo);
  if (locked) {
    const version = parseVersion(locked.version);
    if (version && compareVersions(version, FLOOR) >= 0) return pass(GROUP, ID, `better-auth ${locked.version} (${locked.file}), ${BETTER_AUTH_RANGE} needed`);
    return fail(GROUP, ID, title, { detail: `${locked.file} holds better-auth ${locked.version}`, fix: install });
  }
  const file = joinRel(dir, "package.json");
  const pkg = context.json(file);
  if (pkg === null) return skip(GROUP, ID, title, { detail: `${file} ${context.isBroken(file) ? "does not parse (see above)" : "is missing"}` });
  const range = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"]
    .map((field) => pkg[field])
    .map((deps) => (isObject(deps) && typeof deps["better-auth"] === "string" ? deps["better-auth"] : null))
    .find((value) => value !== null);
  if (!range) return fail(GROUP, ID, title, { detail: `${file} does not declare better-auth`, fix: install });
  const floor = rangeFloor(range);
  if (floor === null) return skip(GROUP, ID, title, { detail: `${file} declares better-auth "${range}", which names no lowest version; nothing installed to read` });
  if (compareVersions(floor, FLOOR) >= 0) return pass(GROUP, ID, `better-auth "${range}" declared in ${file} (not installed yet), ${BETTER_AUTH_RANGE} needed`);
  return fail(GROUP, ID, title, { detail: `${file} declares better-auth "${range}", which allows older versions than the generated code needs`, fix: install });
}
