import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Answers, FrontendInfo } from "../../generators/lib/types.js";
import { removeFixture, snapshotTree, writeFiles } from "../helpers/fixture.js";
import { commit, frontendInfo, makeTypecheckable, programFiles, replan, typecheck } from "./generated-project.js";

const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), "fixtures");

interface Project {
  answers: Partial<Answers>;
  frontend: FrontendInfo;
  /** The user's own files in lib/, by fixture name. */
  lib?: Record<string, string>;
  /** Files the plan leaves as they are and reports (the user's own, of a shape it does not edit). */
  skipped?: string[];
}

// One program for all of them: better-auth's types are parsed once. Only the first uses the "@/" alias.
const PROJECTS: Record<string, Project> = {
  "jwks-sqlite-flat-alias": { answers: { secretMode: "jwks", database: "sqlite" }, frontend: frontendInfo() },
  "shared-postgres-scoped-src": { answers: { secretMode: "shared-secret", database: "postgres", routeStyle: "user-scoped" }, frontend: frontendInfo({ src: true, alias: false }) },
  "shared-user-files": {
    answers: { secretMode: "shared-secret" },
    frontend: frontendInfo({ alias: false }),
    lib: { "auth.ts": "auth-social.ts", "auth-client.ts": "auth-client-destructured.ts" },
  },
  "jwks-user-files-src": {
    answers: { secretMode: "jwks" },
    frontend: frontendInfo({ src: true, alias: false }),
    lib: { "auth.ts": "auth-plugins-multiline.ts", "auth-client.ts": "auth-client-baseurl.ts" },
  },
  // lib/auth.ts is skipped, but the route handler and migrate script import its instance by its real name.
  "jwks-unedited-auth": {
    answers: { secretMode: "jwks" },
    frontend: frontendInfo({ alias: false }),
    lib: { "auth.ts": "auth-options-renamed.ts" },
    skipped: ["web/lib/auth.ts"],
  },
};

let workspace = "";

/** Generates (or edits) each project's frontend in a folder of its own under one workspace. */
function generateWorkspace(): void {
  workspace = mkdtempSync(path.join(os.tmpdir(), "auth-integrator-typecheck-"));
  for (const [name, { answers, frontend, lib = {}, skipped = [] }] of Object.entries(PROJECTS)) {
    const root = path.join(workspace, name);
    mkdirSync(root);
    writeFiles(root, Object.fromEntries(Object.entries(lib).map(([file, fixture]) => [`${frontend.codeDir}/lib/${file}`, readFileSync(path.join(FIXTURES, fixture), "utf8")])));
    const planned = replan(root, answers, frontend);
    expect(planned.tree.skippedFiles().map((s) => s.path), name).toEqual(skipped);
    commit(planned);
  }
  makeTypecheckable(workspace, path.join(workspace, "jwks-sqlite-flat-alias/web"));
}

beforeAll(generateWorkspace);
afterAll(() => removeFixture(workspace));

// tsc --noEmit (strict, bundler resolution, jsx preserve) against the real better-auth, jose, pg and better-sqlite3 types.
describe("the generated TypeScript", () => {
  it("typechecks in both modes, both databases, both route styles, with and without src/ and the alias, fresh and edited", async () => {
    expect(await typecheck(workspace)).toEqual({ code: 0, output: "" });
    // Every generated file is in the program (route.ts sits in a folder named with brackets).
    const generated = Object.keys(snapshotTree(workspace)).filter((file) => file.endsWith(".ts")).map((file) => path.join(workspace, file));
    expect(generated).toHaveLength(Object.keys(PROJECTS).length * 6);
    expect(await programFiles(workspace)).toEqual(expect.arrayContaining(generated));
  });

  it("fails the same check when a file misuses the generated API (the check bites)", async () => {
    writeFileSync(
      path.join(workspace, "jwks-sqlite-flat-alias/web/lib/broken.ts"),
      [
        'import { authClient } from "@/lib/auth-client";',
        'import { createApiClient } from "./api";',
        "",
        "export const token = authClient.tokne();",
        'export const client = createApiClient({ getToken: async () => 42, baseUrl: "" });',
        "",
      ].join("\n"),
    );
    const { code, output } = await typecheck(workspace);
    expect(code).not.toBe(0);
    const errors = output.split("\n").filter((line) => line.includes("error TS"));
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/lib\/broken\.ts\(4,.*tokne/);
    expect(errors[1]).toMatch(/lib\/broken\.ts\(5,.*number/);
  });
});
