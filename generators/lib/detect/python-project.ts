import { isObject } from "../formats/json.js";
import { parseTomlDocument } from "../formats/toml.js";
import type { BackendInfo, PythonTool } from "../types.js";
import { readSmallText } from "./files.js";
import { isFile, joinRel } from "./paths.js";
import { namesProject, requirementsTxtNames } from "./python-requirements.js";

type TomlTable = Record<string, unknown>;

/** The dependency declarations of a pyproject.toml: PEP 621 requirement strings and Poetry's dependency table. */
export interface PyprojectDeps {
  /** [project].dependencies, or null when the table or key is missing. */
  pep621: string[] | null;
  /** Keys of [tool.poetry.dependencies] (requirement names), or null when missing. */
  poetry: string[] | null;
  hasPoetrySection: boolean;
}

/** Reads the dependency declarations out of a parsed pyproject.toml. */
export function pyprojectDeps(doc: TomlTable): PyprojectDeps {
  const project = doc.project;
  const poetry = isObject(doc.tool) && isObject(doc.tool.poetry) ? doc.tool.poetry : null;
  const deps = isObject(project) && Array.isArray(project.dependencies) ? project.dependencies : null;
  return {
    pep621: deps ? deps.filter((d): d is string => typeof d === "string") : null,
    poetry: poetry && isObject(poetry.dependencies) ? Object.keys(poetry.dependencies) : null,
    hasPoetrySection: poetry !== null,
  };
}

/** requirements*.txt names in a folder, `requirements.txt` first, then alphabetically. */
export function requirementsFiles(fileNames: readonly string[]): string[] {
  return fileNames
    .filter((name) => /^requirements.*\.txt$/i.test(name))
    .sort((a, b) => Number(b === "requirements.txt") - Number(a === "requirements.txt") || a.localeCompare(b));
}

export interface PythonProjectInfo {
  /** Where fastapi is declared, which is where new dependencies go; null when nothing names fastapi. */
  depsFile: BackendInfo["depsFile"] | null;
  pythonTool: PythonTool;
}

/** True when a manifest's text mentions fastapi at all: the cheap check before any parsing. */
function mentionsFastapi(text: string | null): text is string {
  return text !== null && /fastapi/i.test(text);
}

/**
 * How a Python folder declares its dependencies. fastapi's declaration decides the deps file: [project].dependencies
 * (pep621), then [tool.poetry.dependencies] (poetry), then the requirements*.txt naming it (requirements.txt first).
 * A malformed pyproject.toml throws a UserInputError at its line.
 */
export function inspectPythonProject(root: string, dir: string, fileNames: readonly string[]): PythonProjectInfo {
  const pyprojectFile = joinRel(dir, "pyproject.toml");
  const pyprojectText = fileNames.includes("pyproject.toml") ? readSmallText(root, pyprojectFile) : null;
  const deps = pyprojectText === null ? null : pyprojectDeps(parseTomlDocument(pyprojectText, pyprojectFile));

  let depsFile: PythonProjectInfo["depsFile"] = null;
  if (deps?.pep621 && namesProject(deps.pep621, "fastapi")) depsFile = { kind: "pep621", file: pyprojectFile };
  else if (deps?.poetry && namesProject(deps.poetry, "fastapi")) depsFile = { kind: "poetry", file: pyprojectFile };
  else {
    for (const name of requirementsFiles(fileNames)) {
      const file = joinRel(dir, name);
      const text = readSmallText(root, file);
      if (mentionsFastapi(text) && requirementsTxtNames(text).includes("fastapi")) {
        depsFile = { kind: "requirements", file };
        break;
      }
    }
  }
  return { depsFile, pythonTool: detectPythonTool(root, dir, deps?.hasPoetrySection ?? false, depsFile?.kind === "requirements") };
}

/** True when a folder's manifests mention fastapi at all: repo-wide scans parse only those. */
export function mayDeclareFastapi(root: string, dir: string, fileNames: readonly string[]): boolean {
  const manifests = [...(fileNames.includes("pyproject.toml") ? ["pyproject.toml"] : []), ...requirementsFiles(fileNames)];
  return manifests.some((name) => mentionsFastapi(readSmallText(root, joinRel(dir, name))));
}

/**
 * uv when a uv.lock is in the folder or at the root (uv workspaces), poetry on poetry.lock or [tool.poetry], else pip.
 * A backend declared in requirements.txt is no member of a root project: a root lockfile belongs to another app
 * (`uv sync` run in the backend would find and sync the root project, without the backend's requirements).
 */
export function detectPythonTool(root: string, dir: string, hasPoetrySection: boolean, declaredInRequirements = false): PythonTool {
  const hasLock = (name: string) => isFile(root, joinRel(dir, name)) || (!declaredInRequirements && isFile(root, name));
  if (hasLock("uv.lock")) return "uv";
  if (hasLock("poetry.lock") || hasPoetrySection) return "poetry";
  return "pip";
}
