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
  /** The user's own files elsewhere in the code folder, by path: their text. */
  files?: Record<string, string>;
  /** Where the generated API client goes (default lib/api.ts), relative to the code folder. */
  apiClient?: string;
  /** Files the plan leaves as they are and reports (the user's own, of a shape it does not edit). */
  skipped?: string[];
  /** The generated sign-in and sign-up pages, relative to the code folder, when not at /sign-in and /sign-up. */
  pages?: [string, string];
}

const EXAMPLE_LAYOUT = readFileSync(path.join(FIXTURES, "../../../examples/todo-monorepo/frontend/app/layout.tsx"), "utf8");
const EXAMPLE_PAGE = readFileSync(path.join(FIXTURES, "../../../examples/todo-monorepo/frontend/app/page.tsx"), "utf8");
/** shadcn/ui's button, input and label, reduced to their props (the generated pages only pass those). */
const SHADCN_UI: Record<string, string> = {
  "button.tsx": 'import * as React from "react";\n\nexport function Button({ variant, size, ...props }: React.ComponentProps<"button"> & { variant?: "default" | "outline" | "ghost"; size?: "default" | "sm" | "lg" }) {\n  return <button data-variant={variant} data-size={size} {...props} />;\n}\n',
  "input.tsx": 'import * as React from "react";\n\nexport function Input(props: React.ComponentProps<"input">) {\n  return <input {...props} />;\n}\n',
  "label.tsx": 'import * as React from "react";\n\nexport function Label(props: React.ComponentProps<"label">) {\n  return <label {...props} />;\n}\n',
};

// One program for all of them: better-auth's types are parsed once. Only the first uses the "@/" alias.
const PROJECTS: Record<string, Project> = {
  "jwks-sqlite-flat-alias": { answers: { secretMode: "jwks", database: "sqlite" }, frontend: frontendInfo({ styling: { tailwind: true, shadcnUi: "@/components/ui" } }) },
  "shared-postgres-scoped-src": {
    answers: { secretMode: "shared-secret", database: "postgres", routeStyle: "user-scoped" },
    frontend: frontendInfo({ src: true, alias: false, styling: { tailwind: true, shadcnUi: null } }),
  },
  "shared-user-files": {
    answers: { secretMode: "shared-secret" },
    frontend: frontendInfo({ alias: false }),
    lib: { "auth.ts": "auth-social.ts", "auth-client.ts": "auth-client-destructured.ts" },
    // A client exported only as destructured functions: the pages and menu cannot import it, so the layout is left too.
    skipped: ["web/app/(auth)/sign-in/page.tsx", "web/app/(auth)/sign-up/page.tsx", "web/components/user-menu.tsx"],
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
  // Social sign-in buttons, a sign-up without a name, bounded passwords and pages at other paths, in shadcn/ui's style.
  "jwks-social-custom-paths": {
    answers: { secretMode: "jwks", socialProviders: "google,github,apple", signUpName: "no", passwordMinLength: "12", passwordMaxLength: "64", signInPath: "/login", signUpPath: "/auth/register", afterSignInPath: "/dashboard" },
    frontend: frontendInfo({ alias: false, styling: { tailwind: true, shadcnUi: "@/components/ui" } }),
    pages: ["app/(auth)/login/page.tsx", "app/(auth)/auth/register/page.tsx"],
  },
  // The project's own lib/api.ts (fetch helpers): ours goes to lib/auth-api.ts, and the example page's and the helpers' calls import it.
  "shared-own-api-module": {
    answers: { secretMode: "shared-secret" },
    frontend: frontendInfo({ alias: false }),
    lib: { "api.ts": "api-fetch-helpers.ts" },
    files: { "app/page.tsx": EXAMPLE_PAGE },
    apiClient: "lib/auth-api.ts",
  },
};

let workspace = "";
/** Every TypeScript file the plans created or edited, absolute. */
const plannedSources: string[] = [];

/** Generates (or edits) each project's frontend in a folder of its own under one workspace. */
function generateWorkspace(): void {
  workspace = mkdtempSync(path.join(os.tmpdir(), "auth-integrator-typecheck-"));
  for (const [name, { answers, frontend, lib = {}, files = {}, apiClient = "lib/api.ts", skipped = [] }] of Object.entries(PROJECTS)) {
    const root = path.join(workspace, name);
    mkdirSync(root);
    writeFiles(root, Object.fromEntries(Object.entries(lib).map(([file, fixture]) => [`${frontend.codeDir}/lib/${file}`, readFileSync(path.join(FIXTURES, fixture), "utf8")])));
    writeFiles(root, { [`${frontend.codeDir}/app/layout.tsx`]: EXAMPLE_LAYOUT });
    writeFiles(root, Object.fromEntries(Object.entries(files).map(([file, text]) => [`${frontend.codeDir}/${file}`, text])));
    if (frontend.styling.shadcnUi) writeFiles(root, Object.fromEntries(Object.entries(SHADCN_UI).map(([file, text]) => [`${frontend.codeDir}/components/ui/${file}`, text])));
    const planned = replan(root, answers, frontend);
    expect(planned.tree.skippedFiles().map((s) => s.path), name).toEqual(skipped);
    expect(planned.plan.apiClient, name).toBe(`${frontend.codeDir}/${apiClient}`);
    // The project's own files that call the API import the client by its real name.
    for (const file of Object.keys(files)) expect(planned.files[`${frontend.codeDir}/${file}`], `${name}: ${file}`).toContain(`from "../${apiClient.replace(/\.ts$/, "")}"`);
    commit(planned);
    for (const change of planned.tree.changes()) if (/\.tsx?$/.test(change.path)) plannedSources.push(path.join(root, change.path));
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
    const generated = Object.keys(snapshotTree(workspace)).filter((file) => /\.tsx?$/.test(file)).map((file) => path.join(workspace, file));
    // The pages, lib/auth-redirect.ts, the user menu and the edited layout, wherever the auth client can be imported.
    const ui = ["lib/auth-redirect.ts", "components/user-menu.tsx", "app/layout.tsx"];
    for (const [name, { frontend, pages = ["app/(auth)/sign-in/page.tsx", "app/(auth)/sign-up/page.tsx"] }] of Object.entries(PROJECTS)) {
      const files = [...pages, ...ui].map((rel) => path.join(workspace, name, frontend.codeDir, rel));
      if (name === "shared-user-files") expect(plannedSources.filter((file) => files.includes(file)), name).toEqual([]);
      else expect(plannedSources, name).toEqual(expect.arrayContaining(files));
    }
    expect(generated).toEqual(expect.arrayContaining(plannedSources));
    expect(await programFiles(workspace)).toEqual(expect.arrayContaining(generated));
  });

  it("typechecks with strict off and Next's jsx settings (preserve above, react-jsx here)", async () => {
    const file = path.join(workspace, "tsconfig.json");
    const strict = readFileSync(file, "utf8");
    const config = JSON.parse(strict);
    writeFileSync(file, JSON.stringify({ ...config, compilerOptions: { ...config.compilerOptions, strict: false, jsx: "react-jsx" } }, null, 2));
    try {
      expect(await typecheck(workspace)).toEqual({ code: 0, output: "" });
    } finally {
      writeFileSync(file, strict);
    }
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
