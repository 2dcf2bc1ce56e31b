import { builtinModules } from "node:module";
import path from "node:path";
import { backendRequirements } from "../../lib/backend/requirements.js";
import { joinRel } from "../../lib/detect/paths.js";
import { inspectPythonProject } from "../../lib/detect/python-project.js";
import { walkDirs } from "../../lib/detect/walk.js";
import { addPythonRequirement } from "../../lib/editors/python-deps.js";
import { UserInputError } from "../../lib/errors.js";
import { isObject } from "../../lib/formats/json.js";
import { fail, listText, pass, skip, type Check } from "./check.js";
import type { DoctorContext } from "./context.js";

const GROUP = "dependencies";
const DEPENDENCY_FIELDS = ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"] as const;
const BUILTINS = new Set(builtinModules);

/** The npm package a module specifier names ("better-auth/plugins" → "better-auth", "@a/b/c" → "@a/b"); null for relative, alias and built-in ones. */
export function packageOf(specifier: string): string | null {
  if (/^(?:\.|\/|node:|@\/|~\/|#)/.test(specifier)) return null;
  const parts = specifier.split("/");
  const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
  if (BUILTINS.has(name) || (specifier.startsWith("@") && parts.length < 2)) return null;
  return name;
}

/** The packages a JS/TS module imports: `import … from "x"`, `import "x"`, `import("x")`, `require("x")`. */
export function importedPackages(text: string): string[] {
  const found = new Set<string>();
  const patterns = [/^\s*(?:import|export)\b[^;'"]*?\bfrom\s*["']([^"']+)["']/gm, /^\s*import\s*["']([^"']+)["']/gm, /\b(?:import|require)\(\s*["']([^"']+)["']\s*\)/g];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) {
      const name = packageOf(match[1]);
      if (name) found.add(name);
    }
  }
  return [...found];
}

/** A package.json's declared packages (every dependency field), or null when it is absent or malformed. */
function declared(context: DoctorContext, file: string): Set<string> | null {
  const pkg = context.json(file);
  if (pkg === null) return null;
  return new Set(DEPENDENCY_FIELDS.flatMap((field) => (isObject(pkg[field]) ? Object.keys(pkg[field]) : [])));
}

/** Where Node would find an installed package for code in `dir`: its node_modules or an ancestor's, up to the repo root. */
function installedIn(context: DoctorContext, dir: string, name: string): boolean {
  for (let at = dir; ; at = path.posix.dirname(at)) {
    if (context.exists(joinRel(at, "node_modules", name, "package.json"))) return true;
    if (at === ".") return false;
  }
}

function hasNodeModules(context: DoctorContext, dir: string): boolean {
  for (let at = dir; ; at = path.posix.dirname(at)) {
    if (context.exists(joinRel(at, "node_modules"))) return true;
    if (at === ".") return false;
  }
}

/**
 * Every npm package the generated frontend code imports (and tsx, which runs auth:migrate) is declared in the
 * frontend's own package.json, the one its install reads; and when node_modules exists, installed.
 */
export function frontendDependencyChecks(context: DoctorContext): Check[] {
  const dir = context.frontendDir;
  if (dir === null) return [skip(GROUP, "frontend", "the frontend's dependencies declared", { detail: "no Next.js app found" })];
  const file = joinRel(dir, "package.json");
  const title = `${file} declares what the generated code imports`;
  const own = declared(context, file);
  if (own === null) return context.isBroken(file) ? [] : [fail(GROUP, "frontend", title, { detail: `${file} is missing`, fix: "restore the frontend's package.json" })];
  const users = new Map<string, string>();
  const generated = Object.keys(context.manifest?.files ?? {}).filter((f) => /\.(?:[cm]?[jt]sx?)$/.test(f) && (dir === "." || f.startsWith(`${dir}/`)));
  for (const source of generated) for (const name of importedPackages(context.text(source) ?? "")) if (!users.has(name)) users.set(name, source);
  const scripts = context.json(file)?.scripts;
  if (isObject(scripts) && Object.values(scripts).some((command) => typeof command === "string" && /(^|\s)tsx\s.*auth-migrate/.test(command))) users.set("tsx", `${file} scripts`);
  if (users.size === 0) return [skip(GROUP, "frontend", title, { detail: "no generated frontend module found" })];
  const missing = [...users.keys()].filter((name) => !own.has(name)).sort();
  const rootDeclared = dir === "." ? null : declared(context, "package.json");
  const checks: Check[] = [];
  if (missing.length > 0) {
    const elsewhere = missing.filter((name) => rootDeclared?.has(name));
    const install = context.inDir(dir, `npm install ${missing.join(" ")}`);
    checks.push(
      fail(GROUP, "frontend", title, {
        detail: `missing ${missing.map((name) => `${name} (imported by ${users.get(name)})`).join(", ")}${elsewhere.length ? `; ${listText(elsewhere)} only in the root package.json, which the frontend's install does not read` : ""}`,
        fix: `${install}${elsewhere.length ? " (and drop them from the root package.json)" : ""}`,
      }),
    );
  } else checks.push(pass(GROUP, "frontend", `${file} declares ${listText([...users.keys()].sort())}`));
  if (hasNodeModules(context, dir)) {
    const notInstalled = [...users.keys()].filter((name) => own.has(name) && !installedIn(context, dir, name)).sort();
    if (notInstalled.length > 0) {
      checks.push(fail(GROUP, "frontend-installed", "the frontend's dependencies installed", { detail: `not in node_modules: ${listText(notInstalled)}`, fix: context.inDir(dir, "npm install") }));
    } else checks.push(pass(GROUP, "frontend-installed", "the frontend's dependencies installed"));
  }
  return checks;
}

/** The Python requirements the generated backend imports (PyJWT, with the crypto extra in jwks mode; python-dotenv) are in the file that declares fastapi. */
export function backendDependencyCheck(context: DoctorContext): Check {
  const dir = context.backendDir;
  if (dir === null) return skip(GROUP, "backend", "the backend's dependencies declared", { detail: "no FastAPI app found" });
  const requirements = backendRequirements(context.mode.value, false);
  let project;
  try {
    project = inspectPythonProject(context.root, dir, walkDirs(context.root, dir, 0)[0]?.files ?? []);
  } catch (error) {
    if (!(error instanceof UserInputError)) throw error;
    return fail(GROUP, "backend", "the backend's dependencies declared", { detail: error.message, fix: "fix that line (the file must parse for the backend's install too)" });
  }
  if (!project.depsFile) {
    return fail(GROUP, "backend", "the backend's dependencies declared", { detail: `no pyproject.toml or requirements*.txt in ${dir} names fastapi`, fix: `declare the backend's dependencies (fastapi, ${listText(requirements)}) in ${dir}/pyproject.toml` });
  }
  const { file, kind } = project.depsFile;
  const text = context.text(file) ?? "";
  const missing: string[] = [];
  try {
    for (const requirement of requirements) if (addPythonRequirement(text, requirement, { file, kind }) !== text) missing.push(requirement);
  } catch (error) {
    if (!(error instanceof UserInputError)) throw error;
    return fail(GROUP, "backend", `${file} declares the backend's dependencies`, { detail: error.message, fix: "fix that line" });
  }
  const names = requirements.map((r) => r.replace(/[<>=!~;].*$/, ""));
  if (missing.length === 0) return pass(GROUP, "backend", `${file} declares ${listText(names)}`);
  return fail(GROUP, "backend", `${file} declares ${listText(names)}`, {
    detail: `missing ${listText(missing.map((r) => `"${r}"`))}${missing.some((r) => r.startsWith("pyjwt[crypto]")) ? " (jwks mode needs PyJWT's crypto extra for EdDSA keys)" : ""}`,
    fix: `add ${listText(missing.map((r) => `"${r}"`))} to ${file}${kind === "requirements" ? "" : kind === "poetry" ? " [tool.poetry.dependencies]" : " [project].dependencies"}, then install (or re-run npx auth-integrator auth)`,
  });
}

export function dependencyChecks(context: DoctorContext): Check[] {
  return [...frontendDependencyChecks(context), backendDependencyCheck(context)];
}
