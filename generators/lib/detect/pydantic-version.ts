import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { isObject } from "../formats/json.js";
import { normalizeProjectName, requirementName } from "../formats/pep508.js";
import { includedFile, readRequirements } from "../formats/requirements.js";
import { parseTomlDocument } from "../formats/toml.js";
import { decodeFile } from "../text-style.js";
import { readSmallText } from "./files.js";
import { joinRel } from "./paths.js";
import { requirementsFiles } from "./python-project.js";

/** The pydantic major the generated Python is written for, and what in the project says so. */
export interface PydanticVersion {
  major: 1 | 2;
  /** The declaration that decided v1 ("pydantic==1.10.13 in backend/requirements.txt"); null when nothing limits the project to v1. */
  evidence: string | null;
}

/** A release as numbers: "1.10.13" → [1, 10, 13]. */
type Release = number[];

/** The highest version a specifier admits: below `release` (exclusive) or up to it (inclusive); null when unbounded. */
export interface UpperBound {
  release: Release;
  inclusive: boolean;
}

/** The projects whose declared versions can limit a backend to pydantic v1, and the first release that runs on v2. */
const V2_FROM: Record<string, { release: Release; why: string }> = {
  pydantic: { release: [2], why: "" },
  // FastAPI supports pydantic v2 from 0.100.0 (https://fastapi.tiangolo.com/release-notes/#01000).
  fastapi: { release: [0, 100], why: "FastAPI before 0.100 runs on pydantic v1 only" },
  // SQLModel supports pydantic v2 from 0.0.14.
  sqlmodel: { release: [0, 0, 14], why: "SQLModel before 0.0.14 runs on pydantic v1 only" },
};

function compareReleases(a: Release, b: Release): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** The release before which `prefix` ends, bumping its last number: [1, 10] → [1, 11]. */
function bump(prefix: Release): Release {
  return [...prefix.slice(0, -1), (prefix.at(-1) ?? 0) + 1];
}

/** The numbers of a version ("v1.10.13rc1" → [1, 10, 13]); null when it starts with none. */
function releaseOf(version: string): Release | null {
  const match = /^v?(\d+(?:\.\d+)*)/.exec(version.trim());
  return match ? match[1].split(".").map(Number) : null;
}

/** The tighter (AND) or looser (OR) of two bounds; null stands for "unbounded". */
function tighter(a: UpperBound | null, b: UpperBound | null): UpperBound | null {
  if (a === null || b === null) return a ?? b;
  const order = compareReleases(a.release, b.release);
  return order < 0 || (order === 0 && !a.inclusive) ? a : b;
}

function looser(a: UpperBound | null, b: UpperBound | null): UpperBound | null {
  if (a === null || b === null) return null;
  return tighter(a, b) === a ? b : a;
}

/** One version clause's upper bound: PEP 440 (`<2`, `==1.10.*`, `~=1.10`) and Poetry (`^1.10`, `~1.10`, `1.10.13`). */
function clauseBound(operator: string, version: string): UpperBound | null {
  const wildcard = /\.\*$/.test(version);
  const release = releaseOf(version);
  if (release === null) return null;
  switch (operator) {
    case "<":
      return { release, inclusive: false };
    case "<=":
      return { release, inclusive: true };
    case "":
    case "=":
    case "==":
    case "===":
      return wildcard ? { release: bump(release), inclusive: false } : { release, inclusive: true };
    case "~=":
      return release.length < 2 ? null : { release: bump(release.slice(0, -1)), inclusive: false };
    case "^": {
      // Poetry: the first non-zero number may not change (^1.2 → <2, ^0.95 → <0.96, ^0.0.8 → <0.0.9).
      const first = release.findIndex((part) => part !== 0);
      return { release: bump(release.slice(0, first === -1 ? release.length : first + 1)), inclusive: false };
    }
    case "~":
      // Poetry: ~1.2.3 → <1.3, ~1.2 → <1.3, ~1 → <2.
      return { release: bump(release.slice(0, release.length >= 2 ? 2 : 1)), inclusive: false };
    default:
      return null; // >=, >, != put no ceiling
  }
}

const CLAUSE = /(===|==|!=|~=|<=|>=|<|>|\^|~|=)?\s*(v?\d+(?:\.\d+)*(?:\.\*)?[\w.+!-]*|\*)/g;

/**
 * The highest version a version specifier admits: PEP 440 (`>=1.8,<2.0`, `==1.10.*`, `~=1.10`) or Poetry
 * (`^1.10`, `~1.10`, `1.10.13`, `>=1.8 <2.0`, `^1.8 || ^2.0`). Null when it admits every later version.
 */
export function upperBound(spec: string): UpperBound | null {
  let alternatives: UpperBound | null | undefined;
  for (const alternative of spec.split("||")) {
    let bound: UpperBound | null = null;
    for (const match of alternative.matchAll(CLAUSE)) {
      if (match[2] !== "*") bound = tighter(bound, clauseBound(match[1] ?? "", match[2]));
    }
    alternatives = alternatives === undefined ? bound : looser(alternatives, bound);
  }
  return alternatives ?? null;
}

/** True when a specifier admits only versions before `release`: `<2`, `<=1.10.13`, `^1.10` are all before [2]. */
export function onlyBefore(spec: string, release: Release): boolean {
  const bound = upperBound(spec);
  if (bound === null) return false;
  const order = compareReleases(bound.release, release);
  return order < 0 || (order === 0 && !bound.inclusive);
}

/** A declaration found in a manifest: the project it names and its version specifier (PEP 440 or Poetry). */
export interface Declaration {
  project: string;
  spec: string;
  /** How it reads in the manifest, for the summary: "pydantic==1.10.13", "pydantic = ^1.10". */
  text: string;
  file: string;
}

/** The project and version specifier of a PEP 508 requirement; null for a URL requirement or no name. */
export function pep508Declaration(requirement: string, file: string): Declaration | null {
  const text = requirement.replace(/\s+#.*$/, "").trim();
  const project = requirementName(text);
  if (project === null) return null;
  const rest = text
    .replace(/^\s*[A-Za-z0-9][A-Za-z0-9._-]*/, "")
    .replace(/^\s*\[[^\]]*\]/, "")
    .split(";")[0];
  if (rest.trim().startsWith("@")) return null;
  return { project, spec: rest.replace(/[()\s]/g, " ").trim(), text: text.split(";")[0].trim(), file };
}

/** Why a declaration limits the project to pydantic v1, or null when it does not. */
export function v1Evidence(declaration: Declaration): string | null {
  const limit = V2_FROM[declaration.project];
  if (!limit || !onlyBefore(declaration.spec, limit.release)) return null;
  return `${declaration.text} in ${declaration.file}${limit.why ? ` (${limit.why})` : ""}`;
}

/** Poetry's declaration of one dependency: `"^1.10"`, `{ version = "^1.10", extras = [...] }`, or a list of those (per Python). */
function poetrySpec(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (isObject(value)) return typeof value.version === "string" ? value.version : null;
  if (Array.isArray(value)) {
    const specs = value.map(poetrySpec);
    return specs.every((spec) => spec !== null) && specs.length > 0 ? specs.join(" || ") : null;
  }
  return null;
}

/** The runtime declarations of a pyproject.toml: [project].dependencies, [tool.poetry.dependencies] and uv's constraints and overrides. */
export function pyprojectDeclarations(doc: Record<string, unknown>, file: string): Declaration[] {
  const declarations: Declaration[] = [];
  const strings = (value: unknown) => (Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : []);
  const project = isObject(doc.project) ? doc.project : {};
  const tool = isObject(doc.tool) ? doc.tool : {};
  const uv = isObject(tool.uv) ? tool.uv : {};
  for (const requirement of [...strings(project.dependencies), ...strings(uv["constraint-dependencies"]), ...strings(uv["override-dependencies"])]) {
    const declaration = pep508Declaration(requirement, file);
    if (declaration) declarations.push(declaration);
  }
  const poetry = isObject(tool.poetry) && isObject(tool.poetry.dependencies) ? tool.poetry.dependencies : {};
  for (const [name, value] of Object.entries(poetry)) {
    const spec = poetrySpec(value);
    if (spec !== null) declarations.push({ project: normalizeProjectName(name), spec, text: `${name} = "${spec}"`, file });
  }
  return declarations;
}

/**
 * The declarations of a requirements file and of the files it names with `-r`/`-c` (relative to it, each read
 * once, none outside the repo). Options, editable installs and URLs are left out.
 */
export function requirementsDeclarations(root: string, file: string, seen = new Set<string>()): Declaration[] {
  if (seen.has(file) || file.startsWith("..")) return []; // never outside the repo
  seen.add(file);
  const text = readSmallText(root, file);
  if (text === null) return [];
  const declarations: Declaration[] = [];
  for (const entry of readRequirements(text)) {
    const include = includedFile(entry, { constraints: true });
    if (include !== null) declarations.push(...requirementsDeclarations(root, joinRel(path.posix.dirname(file), include), seen));
    const declaration = entry.kind === "requirement" ? pep508Declaration(entry.requirement, file) : null;
    if (declaration) declarations.push(declaration);
  }
  return declarations;
}

/** Lock files can be large: read up to this size. */
const MAX_LOCK_BYTES = 16 * 1024 * 1024;

function readLock(root: string, rel: string): string | null {
  const file = path.join(root, rel);
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile() || stat.size > MAX_LOCK_BYTES) return null;
  try {
    return decodeFile(readFileSync(file)).raw;
  } catch {
    return null;
  }
}

/** The pydantic version a poetry.lock, uv.lock or pdm.lock (`[[package]] name = "pydantic" version = "..."`) or Pipfile.lock pins. */
export function lockedPydantic(text: string): string | null {
  const toml = /\[\[package\]\]\s*\r?\nname\s*=\s*"pydantic"\s*\r?\nversion\s*=\s*"([^"]+)"/.exec(text);
  if (toml) return toml[1];
  const pipfile = /"pydantic"\s*:\s*\{[^{}]*?"version"\s*:\s*"==([^"]+)"/.exec(text);
  return pipfile ? pipfile[1] : null;
}

const LOCK_FILES = ["poetry.lock", "uv.lock", "pdm.lock", "Pipfile.lock"];

/** Every requirements*.txt directly in a folder, requirements.txt first. */
function requirementsFilesIn(root: string, dir: string): string[] {
  try {
    return requirementsFiles(readdirSync(path.join(root, dir))).map((name) => joinRel(dir, name));
  } catch {
    return [];
  }
}

/**
 * The pydantic major a backend runs, from what it declares: pydantic itself, FastAPI before 0.100 or SQLModel
 * before 0.0.14 (both v1 only), in pyproject.toml (PEP 621, Poetry, uv constraints), Pipfile, every
 * requirements*.txt (and the files they include) and a lock file in the backend folder or at the root (uv and
 * Poetry workspaces). Any of them limiting it to v1 makes it v1: code written for v1 still runs on v2 (with
 * deprecation warnings), not the other way round. Nothing said → v2. A malformed manifest counts as saying nothing
 * (detection reports it elsewhere).
 */
export function declaredPydantic(root: string, backendDir: string): PydanticVersion {
  const declarations: Declaration[] = [];
  for (const name of ["pyproject.toml", "Pipfile"]) {
    const file = joinRel(backendDir, name);
    const text = readSmallText(root, file);
    if (text === null) continue;
    let doc: Record<string, unknown>;
    try {
      doc = parseTomlDocument(text, file);
    } catch {
      continue;
    }
    if (name === "pyproject.toml") declarations.push(...pyprojectDeclarations(doc, file));
    else declarations.push(...pipfileDeclarations(doc, file));
  }
  const seen = new Set<string>();
  for (const file of requirementsFilesIn(root, backendDir)) declarations.push(...requirementsDeclarations(root, file, seen));
  for (const declaration of declarations) {
    const evidence = v1Evidence(declaration);
    if (evidence) return { major: 1, evidence };
  }
  for (const dir of backendDir === "." ? ["."] : [backendDir, "."]) {
    for (const name of LOCK_FILES) {
      const file = joinRel(dir, name);
      const text = readLock(root, file);
      const version = text === null ? null : lockedPydantic(text);
      if (version !== null && releaseOf(version)?.[0] === 1) return { major: 1, evidence: `pydantic ${version} in ${file}` };
    }
  }
  return { major: 2, evidence: null };
}

/** A Pipfile's [packages]: `pydantic = "<2"` or `pydantic = { version = "<2", extras = [...] }`. */
function pipfileDeclarations(doc: Record<string, unknown>, file: string): Declaration[] {
  const packages = isObject(doc.packages) ? doc.packages : {};
  return Object.entries(packages).flatMap(([name, value]) => {
    const spec = poetrySpec(value);
    return spec === null ? [] : [{ project: normalizeProjectName(name), spec, text: `${name} = "${spec}"`, file }];
  });
}
