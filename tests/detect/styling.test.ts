import { describe, expect, it } from "vitest";
import { detectFrontend } from "../../generators/lib/detect/index.js";
import { nextPackageJson, useFixtures } from "./fixtures.js";

const repo = useFixtures();
const TSCONFIG_ALIAS = JSON.stringify({ compilerOptions: { paths: { "@/*": ["./*"] } } });
const TSCONFIG_SRC_ALIAS = JSON.stringify({ compilerOptions: { paths: { "~/*": ["./src/*"] } } });
const COMPONENTS_JSON = (aliases: Record<string, string>) => JSON.stringify({ $schema: "https://ui.shadcn.com/schema.json", style: "new-york", tailwind: { css: "app/globals.css" }, aliases });
const UI = (dir: string) => Object.fromEntries(["button", "input", "label"].map((name) => [`${dir}/${name}.tsx`, "export {};\n"]));

describe("detectFrontend: how the app styles its markup", () => {
  it("finds nothing in a plain app", () => {
    const root = repo({ "web/package.json": nextPackageJson(), "web/app/globals.css": "body { margin: 0; }\n" });
    expect(detectFrontend(root, "web").styling).toEqual({ tailwind: false, shadcnUi: null });
  });

  it.each([
    ["a tailwindcss dependency", { "web/package.json": nextPackageJson({ extra: { devDependencies: { tailwindcss: "^4" } } }) }],
    ["a tailwind.config.ts", { "web/package.json": nextPackageJson(), "web/tailwind.config.ts": "export default {};\n" }],
    ['@import "tailwindcss" in app/globals.css', { "web/package.json": nextPackageJson(), "web/app/globals.css": '@import "tailwindcss";\n' }],
    ["@tailwind base in src/styles/globals.css", { "web/package.json": nextPackageJson(), "web/src/app/page.tsx": "", "web/src/styles/globals.css": "@tailwind base;\n@tailwind utilities;\n" }],
  ])("finds Tailwind from %s", (_name, files) => {
    expect(detectFrontend(repo(files), "web").styling).toEqual({ tailwind: true, shadcnUi: null });
  });

  it("finds shadcn/ui from components.json and its button, input and label, through the project's alias", () => {
    const root = repo({
      "web/package.json": nextPackageJson({ extra: { devDependencies: { tailwindcss: "^4" } } }),
      "web/tsconfig.json": TSCONFIG_ALIAS,
      "web/components.json": COMPONENTS_JSON({ components: "@/components", ui: "@/components/ui", utils: "@/lib/utils" }),
      ...UI("web/components/ui"),
    });
    expect(detectFrontend(root, "web").styling).toEqual({ tailwind: true, shadcnUi: "@/components/ui" });
  });

  it("reads aliases.components when there is no aliases.ui, under another alias and a src layout", () => {
    const root = repo({
      "web/package.json": nextPackageJson(),
      "web/tsconfig.json": TSCONFIG_SRC_ALIAS,
      "web/src/app/page.tsx": "",
      "web/components.json": COMPONENTS_JSON({ components: "~/components" }),
      ...UI("web/src/components/ui"),
    });
    expect(detectFrontend(root, "web").styling).toEqual({ tailwind: true, shadcnUi: "~/components/ui" });
  });

  it.each([
    ["a component is missing", { ...UI("web/components/ui"), "web/components/ui/label.tsx": undefined }],
    ["components.json is malformed", { ...UI("web/components/ui"), "web/components.json": "{ nope" }],
    ["no components.json", { ...UI("web/components/ui"), "web/components.json": undefined }],
  ])("is not shadcn/ui when %s", (_name, overrides) => {
    const files: Record<string, string | undefined> = {
      "web/package.json": nextPackageJson(),
      "web/tsconfig.json": TSCONFIG_ALIAS,
      "web/components.json": COMPONENTS_JSON({ ui: "@/components/ui" }),
      ...overrides,
    };
    const root = repo(Object.fromEntries(Object.entries(files).filter((entry): entry is [string, string] => entry[1] !== undefined)));
    expect(detectFrontend(root, "web").styling.shadcnUi).toBeNull();
  });
});
