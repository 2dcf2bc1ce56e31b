import path from "node:path";
import { setDependencyRange } from "../editors/package-json.js";
import { isObject, parseJsonObject } from "../formats/json.js";
import type { PlanTree } from "../tree.js";
import type { FrontendInfo } from "../types.js";

/**
 * The oldest better-auth the generated code works with: the version it is generated and tested against.
 * It needs the jwt plugin and jwtClient (0.2.x has neither, nor better-auth/next-js), the
 * `better-auth/db/migration` export (1.4.x has none: ERR_PACKAGE_PATH_NOT_EXPORTED), better-auth/cookies'
 * getSessionCookie, and the rate limit's customRules.
 */
export const BETTER_AUTH_FLOOR = "1.7.25";
export const BETTER_AUTH_RANGE = `^${BETTER_AUTH_FLOOR}`;

const DEPENDENCY_FIELDS = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"] as const;

type Version = [number, number, number, boolean];

/** "1.4.0" / "v1.4.0-beta.2" → [1, 4, 0, prerelease]; null when it is not a version. */
export function parseVersion(text: string): Version | null {
  const match = /^v?(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?(-[\w.]+)?/.exec(text.trim());
  if (!match) return null;
  const part = (value: string | undefined) => (value === undefined || value === "x" || value === "*" ? 0 : Number(value));
  return [Number(match[1]), part(match[2]), part(match[3]), match[4] !== undefined];
}

/** Negative when a < b. A prerelease sorts before its release. */
export function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return Number(b[3]) - Number(a[3]);
}

/**
 * The lowest version a package.json range lets npm install ("^1.4.0" → 1.4.0, ">=0.2 <2" → 0.2.0); null for
 * ranges that name no lowest version (`*`, `latest`, git URLs, workspace:, catalog:, file:).
 */
export function rangeFloor(range: string): Version | null {
  const trimmed = range.trim().replace(/^npm:better-auth@/, "");
  if (/^(?:\*|x|latest|next|)$/i.test(trimmed) || /:/.test(trimmed)) return null;
  const lows = trimmed.split("||").map((alternative) => {
    const comparator = alternative.trim().split(/\s+/).find((c) => !/^<|^!/.test(c)) ?? "";
    return parseVersion(comparator.replace(/^(?:\^|~|>=|>|=)\s*/, ""));
  });
  if (lows.some((low) => low === null)) return null;
  return lows.reduce((min, low) => (compareVersions(low!, min!) < 0 ? low : min));
}

const FLOOR = parseVersion(BETTER_AUTH_FLOOR)!;

/** The raised range, in the range's own style: an exact pin stays exact, `~` stays `~`, anything else becomes `^`. */
function raisedRange(range: string): string {
  const trimmed = range.trim();
  if (/^v?\d/.test(trimmed) && !/\s|\|\|/.test(trimmed)) return BETTER_AUTH_FLOOR;
  if (trimmed.startsWith("~") && !/\s|\|\|/.test(trimmed)) return `~${BETTER_AUTH_FLOOR}`;
  return BETTER_AUTH_RANGE;
}

/** The better-auth version a lockfile or node_modules holds for the frontend, with where it was read; null when none says. */
export function lockedBetterAuth(tree: PlanTree, frontend: FrontendInfo): { version: string; file: string } | null {
  const dirs = [...new Set([frontend.dir, "."])];
  const frontendKey = frontend.dir === "." ? "" : frontend.dir;
  for (const dir of dirs) {
    const at = (name: string) => path.posix.join(dir, name);
    const installed = tree.read(at("node_modules/better-auth/package.json"));
    if (installed !== null) {
      const version = /"version"\s*:\s*"([^"]+)"/.exec(installed)?.[1];
      if (version) return { version, file: at("node_modules/better-auth/package.json") };
    }
    const npmLock = tree.read(at("package-lock.json"));
    if (npmLock !== null) {
      try {
        const lock = parseJsonObject(npmLock, at("package-lock.json"));
        const packages = isObject(lock.packages) ? lock.packages : {};
        const nested = dir === "." && frontendKey ? packages[`${frontendKey}/node_modules/better-auth`] : undefined;
        const entry = nested ?? packages["node_modules/better-auth"] ?? (isObject(lock.dependencies) ? lock.dependencies["better-auth"] : undefined);
        if (isObject(entry) && typeof entry.version === "string") return { version: entry.version, file: at("package-lock.json") };
      } catch {
        // A lockfile that does not parse says nothing about the version.
      }
    }
    const pnpmLock = tree.read(at("pnpm-lock.yaml"));
    if (pnpmLock !== null) {
      // v6+: "  better-auth:\n    specifier: ^1.4.0\n    version: 1.4.2(...)"; older: "/better-auth@1.4.2" or "/better-auth/1.4.2".
      const importer = /\n\s+better-auth:\s*\n\s+specifier:[^\n]*\n\s+version:\s*'?(\d[^\s(']*)/.exec(pnpmLock)?.[1];
      const key = /\n\s+'?\/?better-auth[@/](\d[^\s:(']*)/.exec(pnpmLock)?.[1];
      if (importer ?? key) return { version: (importer ?? key)!, file: at("pnpm-lock.yaml") };
    }
    const yarnLock = tree.read(at("yarn.lock"));
    if (yarnLock !== null) {
      const version = /^"?better-auth@[^\n]*:\n\s+version:?\s+"?(\d[^"\s]*)/m.exec(yarnLock)?.[1];
      if (version) return { version, file: at("yarn.lock") };
    }
  }
  return null;
}

const INSTALL = { npm: "npm install", pnpm: "pnpm install", yarn: "yarn install", bun: "bun install" } as const;

/**
 * Makes the frontend's better-auth new enough for the generated code: a declared range whose lowest
 * version is older than BETTER_AUTH_FLOOR is raised in package.json (with a warning naming the old range);
 * a lockfile or node_modules holding an older version gets a warning to run the install (lockfiles are
 * never edited here). A package.json without better-auth gets it later, with the rest of the dependencies.
 */
export function planBetterAuthVersion(tree: PlanTree, frontend: FrontendInfo): void {
  const file = path.posix.join(frontend.dir, "package.json");
  const text = tree.read(file);
  if (text === null) return;
  const pkg = parseJsonObject(text, file);
  const install = frontend.dir === "." ? INSTALL[frontend.packageManager] : `cd ${frontend.dir} && ${INSTALL[frontend.packageManager]}`;
  let edited = text;
  for (const field of DEPENDENCY_FIELDS) {
    const deps = pkg[field];
    if (!isObject(deps) || typeof deps["better-auth"] !== "string") continue;
    const range = deps["better-auth"];
    const floor = rangeFloor(range);
    if (floor === null) {
      if (!/^(?:\*|x|latest)$/i.test(range.trim())) {
        tree.warn(`${file}: better-auth is "${range}" in ${field}; the generated code needs better-auth ${BETTER_AUTH_RANGE} or newer (jwt, jwtClient, better-auth/db/migration) — make sure that is what it resolves to`);
      }
      continue;
    }
    if (compareVersions(floor, FLOOR) >= 0) continue;
    const raised = raisedRange(range);
    edited = setDependencyRange(edited, field, "better-auth", raised, { file });
    tree.warn(
      `better-auth ${range} → ${raised} (${file} ${field}): the generated code needs the jwt plugin and jwtClient, the better-auth/db/migration export ` +
        `that auth:migrate imports, better-auth/cookies and better-auth/next-js, which ${range} does not all have; run ${install} to install it`,
    );
  }
  if (edited !== text) tree.write(file, edited);
  const locked = lockedBetterAuth(tree, frontend);
  const lockedVersion = locked && parseVersion(locked.version);
  if (locked && lockedVersion && compareVersions(lockedVersion, FLOOR) < 0) {
    tree.warn(
      `${locked.file} holds better-auth ${locked.version}, older than the ${BETTER_AUTH_RANGE} the generated code needs: run ${install} to update it` +
        " (auth-integrator never edits lockfiles); until then auth:migrate stops with an error",
    );
  }
}
