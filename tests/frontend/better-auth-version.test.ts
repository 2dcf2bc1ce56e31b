/**
 * An older better-auth than the generated code needs: the declared range is raised (and said so), a
 * lockfile pinning an older one gets a warning to install, and auth:migrate stops with a clear message.
 */
import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { BETTER_AUTH_RANGE, planBetterAuthVersion, rangeFloor } from "../../generators/lib/frontend/better-auth-version.js";
import { renderMigrateScript } from "../../generators/lib/frontend/migrate-script.js";
import { frontendPaths } from "../../generators/lib/frontend/paths.js";
import { PlanTree } from "../../generators/lib/tree.js";
import { makeFixture } from "../helpers/fixture.js";
import { removedAfterEach } from "../helpers/temp-roots.js";
import { frontendInfo, planOn, REPO } from "./generated-project.js";

const removed = removedAfterEach();
const pkg = (deps: Record<string, string>, dev: Record<string, string> = {}) =>
  JSON.stringify({ name: "web", private: true, dependencies: { next: "^15.5.0", ...deps }, devDependencies: { typescript: "^5", ...dev } }, null, 2) + "\n";

function plan(files: Record<string, string>) {
  const root = removed(makeFixture(files, "auth-integrator-ba-version-"));
  const tree = new PlanTree(root);
  planBetterAuthVersion(tree, frontendInfo());
  return { tree, pkg: tree.read("web/package.json")!, warnings: tree.warningList() };
}

describe("rangeFloor", () => {
  it("reads the lowest version a range allows", () => {
    expect(rangeFloor("^1.4.0")).toEqual([1, 4, 0, false]);
    expect(rangeFloor("~0.2.3")).toEqual([0, 2, 3, false]);
    expect(rangeFloor(">=1.2 <2")).toEqual([1, 2, 0, false]);
    expect(rangeFloor("1.7.25 || ^0.8")).toEqual([0, 8, 0, false]);
    expect(rangeFloor("1.8.0-beta.1")).toEqual([1, 8, 0, true]);
    for (const open of ["*", "latest", "workspace:*", "catalog:", "github:better-auth/better-auth"]) expect(rangeFloor(open)).toBeNull();
  });
});

describe("planBetterAuthVersion", () => {
  it("raises a declared ^1.4.0 to the minimum, says so with the old range, and leaves the rest of package.json alone", () => {
    const before = pkg({ "better-auth": "^1.4.0", react: "^19" });
    const { pkg: after, warnings } = plan({ "web/package.json": before });
    expect(after).toBe(before.replace('"better-auth": "^1.4.0"', `"better-auth": "${BETTER_AUTH_RANGE}"`));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^better-auth \^1\.4\.0 → \^1\.7\.25 \(web\/package\.json dependencies\): .*better-auth\/db\/migration.*run cd web && npm install/);
  });

  it("keeps an exact pin exact and a ~ range ~, in devDependencies too", () => {
    expect(plan({ "web/package.json": pkg({ "better-auth": "0.2.5" }) }).pkg).toContain('"better-auth": "1.7.25"');
    expect(plan({ "web/package.json": pkg({}, { "better-auth": "~1.4.1" }) }).pkg).toContain('"better-auth": "~1.7.25"');
  });

  it("changes nothing when the range already starts at or above the minimum", () => {
    for (const range of ["^1.7.25", "^1.8.0", ">=1.7.25", "latest"]) {
      const before = pkg({ "better-auth": range });
      expect(plan({ "web/package.json": before })).toMatchObject({ pkg: before, warnings: [] });
    }
  });

  it("warns to install when package-lock.json pins an older version than the (new enough) range", () => {
    const lock = JSON.stringify({
      name: "web",
      lockfileVersion: 3,
      packages: { "": { dependencies: { "better-auth": "^1.4.0" } }, "node_modules/better-auth": { version: "1.4.2" } },
    });
    const { warnings, tree } = plan({ "web/package.json": pkg({ "better-auth": "^1.4.0" }), "web/package-lock.json": lock });
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toBe(
      "web/package-lock.json holds better-auth 1.4.2, older than the ^1.7.25 the generated code needs: run cd web && npm install to update it (auth-integrator never edits lockfiles); until then auth:migrate stops with an error",
    );
    // The lockfile itself is never written.
    expect(tree.changes().map((c) => c.path)).toEqual(["web/package.json"]);
  });

  it("reads pnpm-lock.yaml (v9 importers), yarn.lock (classic) and an installed node_modules copy, also at the workspace root", () => {
    const pnpm = "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      better-auth:\n        specifier: ^1.7.0\n        version: 1.4.9(react@19.0.0)\n";
    expect(plan({ "web/package.json": pkg({ "better-auth": "^1.7.25" }), "pnpm-lock.yaml": pnpm }).warnings).toEqual([expect.stringMatching(/^pnpm-lock\.yaml holds better-auth 1\.4\.9,/)]);
    const yarn = '# yarn lockfile v1\n\n\nbetter-auth@^0.2.0:\n  version "0.2.8"\n  resolved "https://registry.yarnpkg.com/better-auth/-/better-auth-0.2.8.tgz"\n';
    expect(plan({ "web/package.json": pkg({ "better-auth": "^1.7.25" }), "web/yarn.lock": yarn }).warnings).toEqual([expect.stringMatching(/^web\/yarn\.lock holds better-auth 0\.2\.8,/)]);
    const installed = JSON.stringify({ name: "better-auth", version: "1.3.0" });
    expect(plan({ "web/package.json": pkg({ "better-auth": "^1.7.25" }), "web/node_modules/better-auth/package.json": installed }).warnings).toEqual([
      expect.stringMatching(/^web\/node_modules\/better-auth\/package\.json holds better-auth 1\.3\.0,/),
    ]);
    const fresh = JSON.stringify({ packages: { "node_modules/better-auth": { version: "1.7.26" } } });
    expect(plan({ "web/package.json": pkg({ "better-auth": "^1.7.25" }), "package-lock.json": fresh }).warnings).toEqual([]);
  });

  it("is part of the frontend plan, before the dependencies are added: the package.json keeps one better-auth entry", () => {
    const planned = planOn({ "web/package.json": pkg({ "better-auth": "^1.4.0" }) });
    removed(planned.root);
    expect(planned.tree.read("web/package.json")).toContain(`"better-auth": "${BETTER_AUTH_RANGE}"`);
    expect(planned.tree.warningList().some((w) => w.startsWith("better-auth ^1.4.0 → ^1.7.25"))).toBe(true);
  });
});

describe("scripts/auth-migrate.ts with an old better-auth installed", () => {
  it("stops with exit 1, naming the installed version and the fix, when better-auth/db/migration is not exported", async () => {
    const root = removed(makeFixture({ "web/package.json": pkg({ "better-auth": "^1.4.0" }) }, "auth-integrator-ba-migrate-"));
    const web = path.join(root, "web");
    // better-auth 1.4's shape: the package exists, its exports map has no ./db/migration.
    mkdirSync(path.join(web, "node_modules/better-auth"), { recursive: true });
    writeFileSync(
      path.join(web, "node_modules/better-auth/package.json"),
      JSON.stringify({ name: "better-auth", version: "1.4.2", exports: { ".": "./index.js", "./db": "./db.js" } }),
    );
    writeFileSync(path.join(web, "node_modules/better-auth/index.js"), "module.exports = {};\n");
    const paths = frontendPaths(frontendInfo());
    mkdirSync(path.join(web, "scripts"), { recursive: true });
    writeFileSync(path.join(root, paths.migrateScript), renderMigrateScript(paths, { kind: "named", name: "auth" }, "npm run auth:migrate"));
    const result = await promisify(execFile)(path.join(REPO, "node_modules/.bin/tsx"), ["scripts/auth-migrate.ts"], { cwd: web, env: { ...process.env, NODE_OPTIONS: "" } }).then(
      (r) => ({ code: 0, ...r }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'auth:migrate: better-auth 1.4.2 is installed, and it has no "better-auth/db/migration" export, so Better Auth\'s tables cannot be created. ' +
        'It needs better-auth ^1.7.25 or newer: set "better-auth": "^1.7.25" in package.json, run npm install, then npm run auth:migrate again.',
    );
  });
});
