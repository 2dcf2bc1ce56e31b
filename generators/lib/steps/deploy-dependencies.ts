import path from "node:path";
import { findDeployInstalls, type DeployInstall } from "../detect/deploy-installs.js";
import { isWithin, joinRel } from "../detect/paths.js";
import { addPythonRequirement } from "../editors/python-deps.js";
import { UserInputError } from "../errors.js";
import { normalizeProjectName, requirementExtras, requirementName } from "../formats/pep508.js";
import { includedFile, pinsWithHash, readRequirements } from "../formats/requirements.js";
import { parseTomlDocument } from "../formats/toml.js";
import { inDir, shellQuote } from "../next-steps.js";
import type { PlanTree } from "../tree.js";
import type { BackendInfo } from "../types.js";
import { compareEntries, recordEntryChanges } from "./added-entries.js";

/** True when a requirements file pins its packages with `--hash` (pip-compile --generate-hashes, uv pip compile, poetry export): pip then wants a hash on every line, so none can be added by hand. */
export function isHashedRequirements(text: string): boolean {
  return readRequirements(text).some(pinsWithHash);
}

/** The requirements a requirements file's text names, by normalised name, with the line's requirement text (comments, options and hashes dropped). */
function requirementEntries(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const entry of readRequirements(text)) {
    if (entry.kind !== "requirement") continue;
    const name = normalizeProjectName(entry.name);
    if (!entries.has(name)) entries.set(name, entry.requirement);
  }
  return entries;
}

/** The wanted requirements a list of requirement strings lacks: by name, or by an extra the listed one does not have. */
function missingFrom(listed: Iterable<string>, wanted: string[]): string[] {
  const byName = new Map<string, string>();
  for (const requirement of listed) {
    const name = requirementName(requirement);
    if (name !== null) byName.set(name, requirement);
  }
  return wanted.filter((requirement) => {
    const present = byName.get(requirementName(requirement) ?? "");
    if (present === undefined) return true;
    const have = new Set(requirementExtras(present));
    return requirementExtras(requirement).some((extra) => !have.has(extra));
  });
}

/** The files a requirements file includes with `-r` / `--requirement`, followed to any depth, itself first. */
function includedRequirements(tree: PlanTree, file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = tree.read(file);
  if (text === null) return seen;
  for (const entry of readRequirements(text)) {
    const included = includedFile(entry);
    if (included !== null) includedRequirements(tree, joinRel(path.posix.dirname(file), included), seen);
  }
  return seen;
}

/** A requirements line installing the project in the file's own folder: `.`, `./`, `.[extras]`. */
const OWN_FOLDER = /^\.\/?(?:\[[^\]]*\])?$/;

/** The folder a requirements file installs as a project (a `.` or `-e .` line: its own folder), or null. */
function installsProjectIn(tree: PlanTree, file: string): string | null {
  const installsItself = readRequirements(tree.read(file) ?? "").some((entry) =>
    entry.kind === "option" ? (entry.name === "-e" || entry.name === "--editable") && OWN_FOLDER.test(entry.value) : entry.kind === "direct" && OWN_FOLDER.test(entry.code),
  );
  return installsItself ? path.posix.dirname(file) : null;
}

/** `file:line` of a finding. */
const where = (install: DeployInstall) => `${install.file}:${install.line}`;

/** How to bring a hashed requirements file up to date: the command that made it (from its header), and its source when that is a requirements file. */
interface Regeneration {
  /** The command, run from the file's folder; null when the file does not say and no `.in` sits beside it. */
  command: string | null;
  /** A requirements-format source (`requirements.in`) the new packages go into first; null when none. */
  source: string | null;
}

/**
 * Reads the command a generated requirements file names in its header (pip-compile: "by the following command:",
 * uv: "via the following command:"), else takes `pip-compile --generate-hashes <name>.in` when that `.in` exists.
 */
function regeneration(tree: PlanTree, file: string, text: string): Regeneration {
  const dir = path.posix.dirname(file);
  const lines = text.split("\n").slice(0, 20);
  const intro = lines.findIndex((line) => /^#.*\b(?:by|via) the following command:?\s*$/i.test(line));
  let command: string | null = null;
  if (intro >= 0) {
    command = lines.slice(intro + 1).map((line) => line.replace(/^#\s*/, "").trim()).find((line) => line !== "") ?? null;
  }
  let source: string | null = null;
  if (command !== null) {
    // The inputs are its operands that are files: requirements.in, pyproject.toml, setup.py.
    const words = command.split(/\s+/);
    for (let i = 1; i < words.length; i++) {
      if (/^(-o|--output-file)$/.test(words[i])) i++;
      else if (!words[i].startsWith("-") && /\.(in|txt)$/.test(words[i]) && tree.exists(joinRel(dir, words[i]))) source = joinRel(dir, words[i]);
    }
  }
  const sibling = joinRel(dir, `${path.posix.basename(file).replace(/\.txt$/i, "")}.in`);
  if (source === null && command === null && tree.exists(sibling)) {
    source = sibling;
    const output = path.posix.basename(file) === `${path.posix.basename(sibling, ".in")}.txt` ? "" : ` --output-file=${shellQuote(path.posix.basename(file))}`;
    command = `pip-compile --generate-hashes${output} ${shellQuote(path.posix.basename(sibling))}`;
  }
  return { command, source };
}

/** Packages a Pipfile's [packages] table names (normalised); null when it does not parse. */
function pipfilePackages(tree: PlanTree, file: string): string[] | null {
  const text = tree.read(file);
  if (text === null) return null;
  try {
    const doc = parseTomlDocument(text, file);
    const packages = doc.packages;
    return typeof packages === "object" && packages !== null ? Object.keys(packages).map(normalizeProjectName) : [];
  } catch {
    return null;
  }
}

/** Package names a lockfile holds: `name = "..."` entries (uv.lock, poetry.lock, pdm.lock) or Pipfile.lock's `default` keys. */
function lockedNames(file: string, text: string): Set<string> {
  if (file.endsWith("Pipfile.lock")) {
    try {
      const data = JSON.parse(text) as { default?: Record<string, unknown> };
      return new Set(Object.keys(data.default ?? {}).map(normalizeProjectName));
    } catch {
      return new Set();
    }
  }
  return new Set([...text.matchAll(/^name\s*=\s*"([^"]+)"/gm)].map((m) => normalizeProjectName(m[1])));
}

/** The lockfiles the backend's tools keep, with the command that regenerates each and the deploy commands that install from it. */
const LOCKFILES = [
  { name: "uv.lock", command: "uv lock", installs: "uv-sync" },
  { name: "poetry.lock", command: "poetry lock", installs: "poetry-install" },
  { name: "pdm.lock", command: "pdm lock", installs: "pdm-install" },
  { name: "Pipfile.lock", command: "pipenv install", installs: "pipenv-install" },
] as const;

/**
 * The backend's Python requirements in every manifest its deploy and CI files install from, besides the dependency
 * file planPythonDependencies edits: a requirements file a Dockerfile, render.yaml, Procfile, workflow... installs gets
 * them too (recorded in the manifest); a hashed one is not edited (its `.in` source is, when it has one) and the next
 * steps give the command that regenerates it; lockfiles are never edited, and the next steps give `uv lock`,
 * `poetry lock`... for each that lacks them; an inline `pip install a b`, or an install whose file cannot be told, is
 * named in a warning with its `file:line` and the packages to add. Returns those next steps.
 */
export function planDeployDependencies(tree: PlanTree, backend: BackendInfo, requirements: string[], addedPythonDeps: string[]): string[] {
  const steps: string[] = [];
  const depsFile = backend.depsFile.file;
  const listed = requirements.map(shellQuote).join(" ");
  const scan = findDeployInstalls(tree.root, backend.dir);
  for (const problem of scan.problems) {
    tree.warn(`${problem.file}${problem.line ? `:${problem.line}` : ""}: ${problem.reason}; the Python installs it runs were not checked: make sure they install ${listed}`);
  }

  const byCommand = new Map<number, DeployInstall[]>();
  for (const install of scan.installs) byCommand.set(install.commandId, [...(byCommand.get(install.commandId) ?? []), install]);
  // A pyproject.toml deps file is installed by `pip install .` in its folder, or by a requirements file holding `.` / `-e .` there.
  const projectDir = backend.depsFile.kind === "requirements" ? null : path.posix.dirname(depsFile);
  const coversDeps = (install: DeployInstall) =>
    (install.requirementsFile !== undefined &&
      [...includedRequirements(tree, install.requirementsFile)].some((file) => file === depsFile || (projectDir !== null && installsProjectIn(tree, file) === projectDir))) ||
    (install.kind === "project" && install.projectDir === backend.dir && backend.depsFile.kind !== "requirements");

  /** Requirements files to bring up to date, each with the first install that reads it. */
  const targets = new Map<string, DeployInstall>();
  for (const group of byCommand.values()) {
    if (group.some(coversDeps)) continue;
    for (const install of group) {
      if (install.kind === "requirements" && install.unresolved) {
        tree.warn(`${where(install)}: \`${install.command}\` installs from ${install.unresolved.given}, which could not be followed (${install.unresolved.reason}): make sure that file lists ${listed}`);
      } else if (install.kind === "requirements" && install.requirementsFile !== undefined && !targets.has(install.requirementsFile)) {
        targets.set(install.requirementsFile, install);
      } else if (install.kind === "packages" && install.packages) {
        // An inline list is the backend's own when it names fastapi; `pip install ruff` in a lint job is not.
        const missing = missingFrom(install.packages, requirements);
        if (missing.length > 0 && install.packages.some((p) => requirementName(p) === "fastapi")) {
          tree.warn(`${where(install)}: \`${install.command}\` installs the backend's packages inline, which auth-integrator does not edit: append ${missing.map(shellQuote).join(" ")} to it`);
        }
      }
    }
  }
  // A hashed dependency file is not edited by planPythonDependencies either: it is brought up to date here.
  if (backend.depsFile.kind === "requirements" && isHashedRequirements(tree.read(depsFile) ?? "")) {
    targets.set(depsFile, { file: depsFile, line: 1, kind: "requirements", command: "", commandId: 0, requirementsFile: depsFile, dir: backend.dir });
  } else targets.delete(depsFile);

  for (const [file, install] of targets) {
    // `-r requirements.txt` inside it: that file gets the packages, so this one has them too.
    const includes = [...includedRequirements(tree, file)].filter((included) => included !== file);
    if (includes.some((included) => included === depsFile || targets.has(included))) continue;
    const text = tree.read(file) ?? "";
    const by = install.commandId === 0 ? "" : ` (installed by ${where(install)})`;
    const missing = missingFrom(requirementEntries(text).values(), requirements);
    if (missing.length === 0) continue;
    if (!isWithin(file, backend.dir)) {
      tree.warn(`${file}${by} is outside the backend folder ${backend.dir}/ and was not edited: if it installs the backend, add ${missing.map(shellQuote).join(" ")} to it`);
      continue;
    }
    if (isHashedRequirements(text) || install.requireHashes) {
      const regen = regeneration(tree, file, text);
      const source = regen.source !== null && regen.source !== depsFile && !isHashedRequirements(tree.read(regen.source) ?? "") ? regen.source : null;
      if (source !== null) addRequirements(tree, source, requirements);
      const intro = `Regenerate ${file}${by}: it pins every package with --hash, so auth-integrator does not add ${missing.join(", ")} to it by hand`;
      if (regen.command !== null) {
        steps.push(`${intro}; ${source !== null ? `they are in ${source} now, so run` : "run"}: ${inDir(path.posix.dirname(file), regen.command)}`);
      } else {
        steps.push(`${intro}; add them where it is generated from and regenerate it with the tool that made it (pip-compile --generate-hashes, uv pip compile --generate-hashes, poetry export)`);
      }
      tree.warn(`${file}${by} pins with --hash and lacks ${missing.join(", ")}: regenerate it (${regen.command ?? "with the tool that made it"}) or the deploy installs without them`);
      continue;
    }
    addRequirements(tree, file, requirements);
  }

  // Lockfiles: never edited; the next steps say which command brings each up to date.
  const lockDirs = [...new Set([backend.dir, "."])];
  for (const lock of LOCKFILES) {
    const file = lockDirs.map((dir) => joinRel(dir, lock.name)).find((candidate) => tree.exists(candidate));
    if (file === undefined) continue;
    const text = tree.read(file) ?? "";
    const names = lockedNames(file, text);
    const missing = requirements.map((r) => requirementName(r) ?? r).filter((name) => !names.has(name));
    if (missing.length === 0) continue;
    const dir = path.posix.dirname(file);
    const frozen = scan.installs.filter((i) => i.kind === lock.installs && i.frozen).map(where);
    const deploys = frozen.length > 0 ? `; ${frozen.join(", ")} install${frozen.length === 1 ? "s" : ""} only what it holds` : "";
    let command: string = lock.command;
    if (lock.name === "Pipfile.lock") {
      // Pipfile is not edited either: `pipenv install <packages>` adds them to it and locks.
      const inPipfile = pipfilePackages(tree, joinRel(dir, "Pipfile")) ?? [];
      const toAdd = requirements.filter((r) => !inPipfile.includes(requirementName(r) ?? ""));
      command = toAdd.length > 0 ? `pipenv install ${toAdd.map(shellQuote).join(" ")}` : "pipenv lock";
    } else if (lock.name === "poetry.lock" && /@generated by Poetry 1\./.test(text)) {
      // Poetry 1.x's `lock` re-resolves every package; --no-update keeps the locked versions (Poetry 2 has no such flag).
      command = "poetry lock --no-update";
    }
    if (lock.name !== "Pipfile.lock" && (!isWithin(depsFile, dir) || backend.depsFile.kind === "requirements")) {
      // The lock is made from a pyproject.toml this run did not give the packages to.
      continue;
    }
    steps.push(`Update ${file}, which lacks ${missing.join(", ")}, and commit it: ${inDir(dir, command)}${deploys}`);
    if (addedPythonDeps.length === 0) tree.warn(`${file} lacks ${missing.join(", ")}: run ${inDir(dir, command)}${deploys}`);
  }
  return steps;
}

/** Adds requirements to a requirements file of the user's and records those it added, so a later run knows they are the tool's. */
function addRequirements(tree: PlanTree, file: string, requirements: string[]): void {
  const text = tree.read(file) ?? "";
  const recorded = tree.addedEntries(file);
  const wanted = requirements.map((requirement) => ({ key: requirementName(requirement) ?? requirement, value: requirement }));
  const changes = compareEntries(wanted, recorded, requirementEntries(text));
  let edited = text;
  for (const requirement of requirements) {
    try {
      edited = addPythonRequirement(edited, requirement, { file, kind: "requirements" });
    } catch (error) {
      if (error instanceof UserInputError) throw error;
      throw new UserInputError((error as Error).message, file);
    }
  }
  tree.write(file, edited);
  // Requirements are only ever added: an entry whose value the answers now change is left as written (and recorded so),
  // and one the answers no longer want stays recorded as the tool's.
  const record = { ...changes.record };
  for (const update of changes.updates) record[update.key] = recorded[update.key];
  for (const key of changes.stale) record[key] = recorded[key];
  recordEntryChanges(tree, file, { ...changes, record });
}
