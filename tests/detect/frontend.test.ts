import { describe, expect, it } from "vitest";
import { detectFrontend, findFrontendCandidates } from "../../generators/lib/detect/index.js";
import { userError } from "../helpers/user-error.js";
import { nextPackageJson, useFixtures } from "./fixtures.js";

const repo = useFixtures();

describe("detectFrontend: where the Next.js app is", () => {
  it("reads a Next.js app at the repo root", () => {
    const root = repo({ "package.json": nextPackageJson({ version: "^15.2.0" }), "app/page.tsx": "" });
    expect(detectFrontend(root, ".")).toEqual({
      dir: ".",
      srcLayout: false,
      codeDir: ".",
      importAlias: null,
      packageManager: "npm",
      nextVersion: "^15.2.0",
      styling: { tailwind: false, shadcnUi: null },
    });
  });

  it("accepts next in devDependencies and normalises the folder the user typed", () => {
    const root = repo({ "apps/web/package.json": nextPackageJson({ dev: true, version: "14.2.3" }) });
    for (const typed of ["apps/web", "./apps/web/", "apps//web", `${root}/apps/web`]) {
      expect(detectFrontend(root, typed)).toMatchObject({ dir: "apps/web", codeDir: "apps/web", nextVersion: "14.2.3" });
    }
  });

  it("uses src/ as the code folder when the App Router lives in src/app", () => {
    const root = repo({ "web/package.json": nextPackageJson(), "web/src/app/layout.tsx": "" });
    expect(detectFrontend(root, "web")).toMatchObject({ srcLayout: true, codeDir: "web/src" });
  });

  it("is not a src layout when app/ sits at the project root too (Next.js then ignores src/app)", () => {
    const root = repo({ "web/package.json": nextPackageJson(), "web/src/app/layout.tsx": "", "web/app/layout.tsx": "" });
    expect(detectFrontend(root, "web")).toMatchObject({ srcLayout: false, codeDir: "web" });
  });
});

describe("detectFrontend: the import alias", () => {
  it('finds "@/" in a tsconfig with comments and trailing commas (src layout)', () => {
    const root = repo({
      "frontend/package.json": nextPackageJson(),
      "frontend/src/app/page.tsx": "",
      "frontend/tsconfig.json": `{
  // Next.js writes this file; people comment it.
  "compilerOptions": {
    "strict": true, /* inline */
    "plugins": [{ "name": "next", },],
    "paths": {
      "~/*": ["./lib/*"],
      "@/*": ["./src/*"], // the alias
    },
  },
  "include": ["next-env.d.ts", "**/*.ts", "**/*.tsx", "url://not-a-comment"],
}
`,
    });
    expect(detectFrontend(root, "frontend").importAlias).toBe("@/");
  });

  it('finds "~/" mapped to ./* without a src layout, from jsconfig.json when there is no tsconfig', () => {
    const root = repo({
      "package.json": nextPackageJson(),
      "jsconfig.json": '{ "compilerOptions": { "paths": { "~/*": ["./*"] } } }',
    });
    expect(detectFrontend(root, ".").importAlias).toBe("~/");
  });

  it("resolves targets against baseUrl", () => {
    const root = repo({
      "web/package.json": nextPackageJson(),
      "web/src/app/page.tsx": "",
      "web/tsconfig.json": '{ "compilerOptions": { "baseUrl": "./src", "paths": { "@app/*": ["*"] } } }',
    });
    expect(detectFrontend(root, "web").importAlias).toBe("@app/");
  });

  it("follows a relative extends to the config that declares paths", () => {
    const root = repo({
      "web/package.json": nextPackageJson(),
      "web/tsconfig.base.json": '{ "compilerOptions": { "paths": { "@/*": ["./*"] } } }',
      "web/tsconfig.json": '{ "extends": "./tsconfig.base.json", "compilerOptions": { "strict": true } }',
    });
    expect(detectFrontend(root, "web").importAlias).toBe("@/");
  });

  it("is null when no alias maps onto the code folder, or there is no tsconfig", () => {
    const root = repo({
      "a/package.json": nextPackageJson(),
      "a/src/app/page.tsx": "",
      // "@/*" → "./*" does not reach src/ in a src layout: "@/lib/auth" would miss the generated file.
      "a/tsconfig.json": '{ "compilerOptions": { "paths": { "@/*": ["./*"] } } }',
      "b/package.json": nextPackageJson(),
    });
    expect(detectFrontend(root, "a").importAlias).toBeNull();
    expect(detectFrontend(root, "b").importAlias).toBeNull();
  });

  it("reports a broken tsconfig at its line", () => {
    const root = repo({ "package.json": nextPackageJson(), "tsconfig.json": '{\n  // ok\n  "compilerOptions": {\n    "paths": { "@/*" ["./*"] }\n  }\n}\n' });
    const error = userError(() => detectFrontend(root, "."));
    expect([error.file, error.line]).toEqual(["tsconfig.json", 4]);
  });
});

describe("detectFrontend: the package manager", () => {
  const cases: Array<[string, Record<string, string>, string]> = [
    ["the frontend's packageManager field", { "web/package.json": nextPackageJson({ extra: { packageManager: "pnpm@9.12.0" } }), "yarn.lock": "" }, "pnpm"],
    ["the root's packageManager field", { "web/package.json": nextPackageJson(), "package.json": '{ "private": true, "packageManager": "yarn@4.5.0" }' }, "yarn"],
    ["pnpm-lock.yaml in the frontend", { "web/package.json": nextPackageJson(), "web/pnpm-lock.yaml": "", "package-lock.json": "{}" }, "pnpm"],
    ["yarn.lock at the root", { "web/package.json": nextPackageJson(), "yarn.lock": "" }, "yarn"],
    ["bun.lockb", { "web/package.json": nextPackageJson(), "web/bun.lockb": "" }, "bun"],
    ["bun.lock", { "web/package.json": nextPackageJson(), "bun.lock": "{}" }, "bun"],
    ["package-lock.json", { "web/package.json": nextPackageJson(), "web/package-lock.json": "{}" }, "npm"],
    ["nothing (default)", { "web/package.json": nextPackageJson() }, "npm"],
  ];
  it.each(cases)("follows %s", (_, files, expected) => {
    expect(detectFrontend(repo(files), "web").packageManager).toBe(expected);
  });
});

describe("detectFrontend: refusals", () => {
  it("refuses a folder that does not exist", () => {
    const error = userError(() => detectFrontend(repo({}), "web"));
    expect(error.message).toBe("frontend folder 'web' does not exist");
  });

  it("refuses a file, and a folder outside the repo", () => {
    const root = repo({ "web.txt": "" });
    expect(userError(() => detectFrontend(root, "web.txt")).message).toBe("frontend path 'web.txt' is not a folder");
    expect(userError(() => detectFrontend(root, "../elsewhere")).message).toBe("frontend folder '../elsewhere' is outside the repo root");
  });

  it("refuses a folder whose package.json does not depend on next, or that has none", () => {
    const root = repo({ "x/package.json": '{ "dependencies": { "react": "19.0.0" } }', "y/readme.md": "" });
    expect(userError(() => detectFrontend(root, "x")).message).toBe("no Next.js app in 'x': x/package.json does not depend on next");
    expect(userError(() => detectFrontend(root, "y")).message).toBe("no Next.js app in 'y': y/package.json does not exist");
  });

  it("names the file and line of a malformed package.json", () => {
    const root = repo({ "web/package.json": '{\n  "name": "web",\n  "dependencies": {\n    "next": "15.0.0",\n  }\n}\n' });
    const error = userError(() => detectFrontend(root, "web"));
    expect(error.file).toBe("web/package.json");
    expect(error.line).toBe(5);
    expect(error.message).toMatch(/^web\/package\.json:5: invalid JSON: /);
  });

  it("names a malformed root package.json read for its packageManager field", () => {
    const root = repo({ "web/package.json": nextPackageJson(), "package.json": '{\n  "private": true\n  "workspaces": []\n}' });
    expect(userError(() => detectFrontend(root, "web")).message).toMatch(/^package\.json:3: /);
  });
});

describe("findFrontendCandidates", () => {
  it("lists Next.js apps shallowest first, then frontend/web/app, skipping dependency folders", () => {
    const root = repo({
      "apps/web/package.json": nextPackageJson(),
      "apps/admin/package.json": nextPackageJson(),
      "apps/docs/package.json": '{ "dependencies": { "nextra": "3" } }',
      "site/package.json": nextPackageJson(),
      "web/package.json": nextPackageJson(),
      "node_modules/next/package.json": nextPackageJson(),
      ".next/standalone/package.json": nextPackageJson(),
      "packages/ui/package.json": '{ "peerDependencies": { "next": "*" } }',
      "broken/package.json": '{ "dependencies": { "next": ',
    });
    // A package.json that mentions next but does not parse stays a candidate, so its error can be reported.
    expect(findFrontendCandidates(root)).toEqual(["web", "broken", "site", "apps/web", "apps/admin"]);
  });

  it("does not look deeper than four folders", () => {
    const root = repo({ "a/b/c/d/package.json": nextPackageJson(), "a/b/c/d/e/package.json": nextPackageJson() });
    expect(findFrontendCandidates(root)).toEqual(["a/b/c/d"]);
  });
});
