import { readdirSync } from "node:fs";
import path from "node:path";
import { isObject, parseJsonObject, type JsonObject } from "../formats/json.js";
import type { FrontendStyling } from "../types.js";
import { readSmallText } from "./files.js";
import { dependencyRange } from "./package-json.js";
import { isFile, joinRel } from "./paths.js";

const TAILWIND_CONFIGS = ["tailwind.config.js", "tailwind.config.cjs", "tailwind.config.mjs", "tailwind.config.ts", "tailwind.config.cts", "tailwind.config.mts"];
/** Tailwind 4's `@import "tailwindcss"` or Tailwind 3's `@tailwind base|components|utilities`. */
const TAILWIND_CSS = /@import\s+(?:url\()?\s*["']tailwindcss(?:\/[^"']*)?["']|@tailwind\s+(?:base|components|utilities)\b/;
const CODE_EXTENSIONS = [".tsx", ".jsx", ".ts", ".js"];
/** The shadcn/ui components the generated pages use. */
const SHADCN_COMPONENTS = ["button", "input", "label"];

/** CSS files in the folders global styles live in (app/, styles/), at most one level down. */
function globalCssFiles(root: string, codeDir: string): string[] {
  return ["app", "styles"].flatMap((folder) => {
    const dir = joinRel(codeDir, folder);
    try {
      return readdirSync(path.join(root, dir)).filter((name) => name.endsWith(".css")).map((name) => joinRel(dir, name));
    } catch {
      return [];
    }
  });
}

function usesTailwind(root: string, dir: string, codeDir: string, pkg: JsonObject): boolean {
  if (dependencyRange(pkg, "tailwindcss") !== null) return true;
  if (TAILWIND_CONFIGS.some((name) => isFile(root, joinRel(dir, name)))) return true;
  return globalCssFiles(root, codeDir).some((rel) => TAILWIND_CSS.test(readSmallText(root, rel) ?? ""));
}

/** A module specifier under the project's alias ("@/components/ui") as a folder: codeDir/components/ui. */
function aliasFolder(specifier: string, importAlias: string | null, codeDir: string): string | null {
  if (importAlias && specifier.startsWith(importAlias)) return joinRel(codeDir, specifier.slice(importAlias.length));
  return null;
}

/**
 * shadcn/ui's import path for its components ("@/components/ui"), from components.json's `aliases.ui`
 * (or `aliases.components` + "/ui"), when components.json exists and the folder holds button, input and label.
 */
function shadcnUi(root: string, dir: string, codeDir: string, importAlias: string | null): string | null {
  const text = readSmallText(root, joinRel(dir, "components.json"));
  if (text === null) return null;
  let config: JsonObject;
  try {
    config = parseJsonObject(text, joinRel(dir, "components.json"));
  } catch {
    return null; // Not a shadcn config we can read: plain markup is still correct.
  }
  const aliases = isObject(config.aliases) ? config.aliases : {};
  const specifier =
    typeof aliases.ui === "string" ? aliases.ui : typeof aliases.components === "string" ? `${aliases.components.replace(/\/+$/, "")}/ui` : null;
  if (!specifier) return null;
  const folder = aliasFolder(specifier, importAlias, codeDir);
  if (!folder) return null;
  const present = SHADCN_COMPONENTS.every((name) => CODE_EXTENSIONS.some((ext) => isFile(root, joinRel(folder, `${name}${ext}`))));
  return present ? specifier.replace(/\/+$/, "") : null;
}

/** How the frontend styles its markup: Tailwind CSS, shadcn/ui components, or neither. */
export function detectStyling(root: string, dir: string, codeDir: string, importAlias: string | null, pkg: JsonObject): FrontendStyling {
  const ui = shadcnUi(root, dir, codeDir, importAlias);
  return { tailwind: ui !== null || usesTailwind(root, dir, codeDir, pkg), shadcnUi: ui };
}
