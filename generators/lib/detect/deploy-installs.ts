import { readdirSync } from "node:fs";
import path from "node:path";
import type * as Yaml from "yaml";
import { UserInputError } from "../errors.js";
import { isObject, parseJsonObject } from "../formats/json.js";
import { parseTomlDocument } from "../formats/toml.js";
import { lazyModule } from "../lazy-module.js";
import { readSmallText } from "./files.js";
import { isDir, isFile, joinRel } from "./paths.js";
import { requirementName } from "../formats/pep508.js";
import { shellCommands, type ShellCommand } from "./shell-commands.js";

// yaml is loaded only when a render.yaml or a workflow exists (the CLI's start-up is benchmarked).
const yaml = lazyModule<typeof Yaml>("yaml");

/**
 * How a deploy or CI file installs the backend's Python packages:
 * - `requirements`: `pip install -r <file>`, `uv pip install -r`, `uv pip sync`, `pip-sync`, or a platform that installs
 *   the requirements.txt beside its Procfile;
 * - `packages`: an inline list (`pip install fastapi uvicorn`);
 * - `project`: the project itself (`pip install .`, `pip install -e ./backend`, `uv pip install -r pyproject.toml`), from its pyproject.toml;
 * - `uv-sync`, `poetry-install`, `pipenv-install`, `pdm-install`: a tool that installs what its lockfile holds.
 */
export type DeployInstallKind = "requirements" | "packages" | "project" | "uv-sync" | "poetry-install" | "pipenv-install" | "pdm-install";

/** One install a deploy file runs. */
export interface DeployInstall {
  /** The deploy file, repo-relative (`backend/Dockerfile`, `render.yaml`, `.github/workflows/ci.yml`). */
  file: string;
  /** 1-based line of the command. */
  line: number;
  kind: DeployInstallKind;
  /** The command as the file runs it (words joined by spaces). */
  command: string;
  /** Findings from one command share it (`pip install -r a.txt -r b.txt` gives two findings). */
  commandId: number;
  /** `requirements`: the file installed from, repo-relative, when it could be resolved and exists. */
  requirementsFile?: string;
  /** `requirements`: the path as the command names it, and why it could not be resolved (no `requirementsFile` then). */
  unresolved?: { given: string; reason: string };
  /** `packages`: the requirements listed, as written. */
  packages?: string[];
  /** `project`: the folder installed, repo-relative, when known. */
  projectDir?: string;
  /** The folder the command runs in: repo-relative, or in a Dockerfile the container path; null when it cannot be told. */
  dir: string | null;
  /** `pip install --require-hashes`: every requirement it installs needs a hash. */
  requireHashes?: boolean;
  /** Installs only what the lockfile holds, failing when it is out of date (`uv sync --frozen|--locked`, `poetry install`, `pipenv install --deploy`, `pipenv sync`). */
  frozen?: boolean;
  /** Run by the platform, not by a command in the file (a Procfile's buildpack installs the requirements.txt beside it). */
  implicit?: boolean;
}

/** A deploy file that could not be read: the installs it runs are unknown. */
export interface DeployFileProblem {
  file: string;
  line?: number;
  reason: string;
}

export interface DeployInstalls {
  installs: DeployInstall[];
  problems: DeployFileProblem[];
  /** Every deploy file that was read, repo-relative. */
  files: string[];
}

// ---------------------------------------------------------------- commands

/** Packages that set up the installer rather than the app: `pip install --upgrade pip setuptools wheel` installs no dependency. */
const TOOLING = new Set(["pip", "setuptools", "wheel", "uv", "poetry", "pipenv", "pdm", "pip-tools", "virtualenv", "build", "hatch", "hatchling", "twine", "poetry-plugin-export"]);

/** pip / uv pip options that take a value (the next word, unless written `--opt=value`). */
const VALUE_OPTIONS = new Set([
  "-c", "--constraint", "-t", "--target", "--platform", "--python-version", "--implementation", "--abi", "--root", "--prefix", "--src",
  "--upgrade-strategy", "-C", "--config-settings", "--global-option", "--build-option", "-i", "--index-url", "--extra-index-url", "-f",
  "--find-links", "--no-binary", "--only-binary", "--progress-bar", "--root-user-action", "--report", "--log", "--cache-dir", "--proxy",
  "--retries", "--timeout", "--exists-action", "--trusted-host", "--cert", "--client-cert", "--python", "-p", "--group", "--override",
  "--extra", "--index", "--index-strategy", "--keyring-provider", "--resolution", "--prerelease", "--python-platform", "--link-mode",
  "--config-file", "--directory", "--project", "--build-constraint", "--exclude-newer", "--only-group", "--no-group", "--extra-index",
]);

/** What one simple command does, as far as Python installs go. */
type Interpreted =
  | { type: "cd"; to: string | null }
  | {
      type: "install";
      kind: DeployInstallKind;
      /** Requirement files named (`-r`), as written; null for a dynamic one. */
      requirements: Array<string | null>;
      packages: string[];
      projects: string[];
      requireHashes: boolean;
      frozen: boolean;
      /** `uv --directory DIR`, `poetry -C DIR`: where the tool runs. */
      directory: string | null;
    };

/** The command without what runs it (`sudo`, `env A=b`, `A=b`, `exec`) and its program's file name (`/usr/bin/pip3` → `pip3`). */
function stripWrappers(words: string[], dynamic: boolean[]): { words: string[]; dynamic: boolean[] } {
  let i = 0;
  for (;;) {
    const word = words[i];
    if (word === undefined) break;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word) || ["sudo", "env", "exec", "command", "nohup"].includes(word)) i++;
    else if (i > 0 && (words[i - 1] === "sudo" || words[i - 1] === "env") && word.startsWith("-")) i++;
    else break;
  }
  return { words: words.slice(i), dynamic: dynamic.slice(i) };
}

/** Reads a pip (or uv pip) install's arguments. */
function pipInstall(args: string[], dynamic: boolean[], kind: "pip" | "sync"): Interpreted {
  const result = { type: "install" as const, kind: "requirements" as DeployInstallKind, requirements: [] as Array<string | null>, packages: [] as string[], projects: [] as string[], requireHashes: false, frozen: false, directory: null as string | null };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = (at: number) => (dynamic[at] ? null : (args[at] ?? null));
    if (arg === "-r" || arg === "--requirement") {
      result.requirements.push(value(++i));
    } else if (/^-r./.test(arg) && !arg.startsWith("--")) {
      result.requirements.push(dynamic[i] ? null : arg.slice(2));
    } else if (arg.startsWith("--requirement=")) {
      result.requirements.push(dynamic[i] ? null : arg.slice("--requirement=".length));
    } else if (arg === "-e" || arg === "--editable") {
      const target = value(++i);
      if (target !== null) result.projects.push(target);
    } else if (arg === "--require-hashes") {
      result.requireHashes = true;
    } else if (arg === "--directory" || arg === "--project") {
      result.directory = value(++i);
    } else if (VALUE_OPTIONS.has(arg)) {
      i++;
    } else if (arg.startsWith("-")) {
      continue;
    } else if (kind === "sync") {
      // `uv pip sync requirements.txt`, `pip-sync a.txt b.txt`: the files themselves.
      result.requirements.push(dynamic[i] ? null : arg);
    } else if (dynamic[i]) {
      continue;
    } else if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(arg) || arg.startsWith("git+")) {
      continue;
    } else if (arg.startsWith(".") || arg.startsWith("/") || arg.includes("/") || /\.(whl|zip|tar\.gz|tgz)$/i.test(arg)) {
      result.projects.push(arg);
    } else if (requirementName(arg) !== null) {
      result.packages.push(arg);
    }
  }
  return result;
}

/** The subcommand of a tool after its global options (`uv --quiet sync` → index of `sync`); -1 when none. */
function subcommandAt(words: string[], from: number, valueOptions: readonly string[] = []): number {
  for (let i = from; i < words.length; i++) {
    if (valueOptions.includes(words[i])) i++;
    else if (!words[i].startsWith("-")) return i;
  }
  return -1;
}

/** The value of an option anywhere in the words (`--directory x`, `--directory=x`, `-C x`), or null. */
function optionValue(words: string[], names: readonly string[]): string | null {
  for (let i = 0; i < words.length; i++) {
    for (const name of names) {
      if (words[i] === name) return words[i + 1] ?? null;
      if (name.startsWith("--") && words[i].startsWith(`${name}=`)) return words[i].slice(name.length + 1);
    }
  }
  return null;
}

/** What a simple command does about Python packages: a `cd`, an install, or nothing (null). */
export function interpretCommand(command: Pick<ShellCommand, "words" | "dynamic">): Interpreted | null {
  const { words, dynamic } = stripWrappers(command.words, command.dynamic);
  if (words.length === 0) return null;
  const program = path.posix.basename(words[0]);
  // `cd`, `cd -`, `cd $DIR`: somewhere the reader cannot follow.
  if (program === "cd") return { type: "cd", to: words.length > 1 && !dynamic[1] && words[1] !== "-" ? words[1] : null };
  const tool = (kind: DeployInstallKind, frozen: boolean, directory: string | null): Interpreted => ({ type: "install", kind, requirements: [], packages: [], projects: [], requireHashes: false, frozen, directory });
  let pipArgs: number | null = null;
  if (/^pip\d*(\.\d+)?$/.test(program)) pipArgs = 1;
  else if (/^python\d*(\.\d+)?$/.test(program) || program === "py") {
    const m = words.indexOf("-m");
    if (m > 0 && words[m + 1] === "pip") pipArgs = m + 2;
  }
  if (pipArgs !== null) {
    const at = subcommandAt(words, pipArgs, ["--cache-dir", "--log", "--proxy", "--timeout", "--retries", "--cert", "--client-cert", "--python", "--exists-action"]);
    if (at < 0 || words[at] !== "install") return null;
    return pipInstall(words.slice(at + 1), dynamic.slice(at + 1), "pip");
  }
  if (program === "pip-sync") return pipInstall(words.slice(1), dynamic.slice(1), "sync");
  if (program === "uv") {
    const directory = optionValue(words, ["--directory", "--project"]);
    const at = subcommandAt(words, 1, ["--directory", "--project", "--cache-dir", "--config-file", "-p", "--python"]);
    if (at < 0) return null;
    if (words[at] === "sync") return tool("uv-sync", words.includes("--frozen") || words.includes("--locked"), directory);
    if (words[at] === "pip" && (words[at + 1] === "install" || words[at + 1] === "sync")) {
      const interpreted = pipInstall(words.slice(at + 2), dynamic.slice(at + 2), words[at + 1] === "sync" ? "sync" : "pip");
      return interpreted.type === "install" ? { ...interpreted, directory: interpreted.directory ?? directory } : interpreted;
    }
    return null;
  }
  if (program === "poetry") {
    const at = subcommandAt(words, 1, ["-C", "--directory", "-P", "--project"]);
    if (at < 0 || (words[at] !== "install" && words[at] !== "sync")) return null;
    return tool("poetry-install", true, optionValue(words, ["-C", "--directory", "-P", "--project"]));
  }
  if (program === "pipenv") {
    const at = subcommandAt(words, 1);
    if (at < 0) return null;
    // `pipenv install pkg` adds a package; `pipenv install` (--deploy, --system) and `pipenv sync` install the Pipfile.
    if (words[at] === "sync") return tool("pipenv-install", true, null);
    if (words[at] === "install" && words.slice(at + 1).every((w) => w.startsWith("-"))) {
      return tool("pipenv-install", words.includes("--deploy") || words.includes("--ignore-pipfile"), null);
    }
    return null;
  }
  if (program === "pdm") {
    const at = subcommandAt(words, 1, ["-p", "--project"]);
    if (at < 0 || (words[at] !== "install" && words[at] !== "sync")) return null;
    return tool("pdm-install", words.includes("--frozen-lockfile") || words[at] === "sync", optionValue(words, ["-p", "--project"]));
  }
  return null;
}

/** How a script's paths map to the repo: a plain folder, or a Dockerfile stage's container paths. */
interface PathResolver {
  /** The repo-relative folder of a path the command names from `cwd`, or why it cannot be told. */
  resolve(cwd: string | null, given: string): { path: string } | { reason: string };
  /** A folder after `cd to` from `cwd`. */
  cd(cwd: string | null, to: string): string | null;
}

/** Paths of a repo folder (render.yaml's rootDir, a workflow's working-directory): plain joins, inside the repo. */
const repoResolver: PathResolver = {
  resolve(cwd, given) {
    if (cwd === null) return { reason: "the folder it runs in is not known" };
    if (path.posix.isAbsolute(given)) return { reason: "an absolute path" };
    const joined = joinRel(cwd, given);
    if (joined.startsWith("..")) return { reason: "outside the repository" };
    return { path: joined };
  },
  cd(cwd, to) {
    if (cwd === null || path.posix.isAbsolute(to)) return null;
    const joined = joinRel(cwd, to);
    return joined.startsWith("..") ? null : joined;
  },
};

let nextCommandId = 1;

/**
 * The installs of one script (a RUN, a buildCommand, a workflow step): simple commands in order, with `cd` followed
 * so `cd backend && pip install -r requirements.txt` names backend/requirements.txt.
 */
function scriptInstalls(
  root: string,
  script: string,
  start: { file: string; cwd: string | null; lineAt: (offset: number) => number },
  resolver: PathResolver = repoResolver,
): DeployInstall[] {
  const found: DeployInstall[] = [];
  let cwd = start.cwd;
  for (const command of shellCommands(script)) {
    const interpreted = interpretCommand(command);
    if (interpreted === null) continue;
    if (interpreted.type === "cd") {
      cwd = interpreted.to === null ? null : resolver.cd(cwd, interpreted.to);
      continue;
    }
    const base = {
      file: start.file,
      line: start.lineAt(command.offset),
      command: command.words.join(" "),
      commandId: nextCommandId++,
    };
    let dir = cwd;
    if (interpreted.directory !== null) dir = resolver.cd(cwd, interpreted.directory);
    const requireHashes = interpreted.requireHashes ? { requireHashes: true } : {};
    for (const given of interpreted.requirements) {
      if (given === null) {
        found.push({ ...base, kind: "requirements", dir, unresolved: { given: "(a path the shell expands)", reason: "it is only known when the command runs" }, ...requireHashes });
        continue;
      }
      const resolved = resolver.resolve(dir, given);
      // `uv pip install -r pyproject.toml`: the project's own manifest, not a requirements file.
      if ("path" in resolved && /^(pyproject\.toml|setup\.py|setup\.cfg)$/.test(path.posix.basename(resolved.path))) {
        found.push({ ...base, kind: "project", dir, ...(isFile(root, resolved.path) ? { projectDir: path.posix.dirname(resolved.path) } : {}) });
        continue;
      }
      if ("reason" in resolved) found.push({ ...base, kind: "requirements", dir, unresolved: { given, reason: resolved.reason }, ...requireHashes });
      else if (!isFile(root, resolved.path)) found.push({ ...base, kind: "requirements", dir, unresolved: { given, reason: `${resolved.path} does not exist` }, ...requireHashes });
      else found.push({ ...base, kind: "requirements", dir, requirementsFile: resolved.path, ...requireHashes });
    }
    const appPackages = interpreted.packages.filter((p) => !TOOLING.has(requirementName(p) ?? ""));
    if (appPackages.length > 0) found.push({ ...base, kind: "packages", dir, packages: interpreted.packages });
    for (const project of interpreted.projects) {
      const resolved = resolver.resolve(dir, project.replace(/\[.*\]$/, ""));
      found.push({ ...base, kind: "project", dir, ...("path" in resolved && isDir(root, resolved.path) ? { projectDir: resolved.path } : {}) });
    }
    if (interpreted.kind !== "requirements") found.push({ ...base, kind: interpreted.kind, dir, ...(interpreted.frozen ? { frozen: true } : {}) });
  }
  return found;
}

// ---------------------------------------------------------------- Dockerfile

/** A Dockerfile instruction: its keyword, its arguments and the physical lines they came from. */
interface DockerInstruction {
  keyword: string;
  /** The arguments, with continuations kept (`\` + newline) so a shell reader sees the lines. */
  args: string;
  /** 1-based line of the arguments' first character. */
  line: number;
  /** `RUN <<EOF`: the script, the lines after the instruction up to the delimiter; null otherwise. */
  heredocBody: string | null;
}

/**
 * A Dockerfile's instructions, read line by line: comments and blank lines between instructions are skipped, a line
 * ending in the escape character (`\`, or the one a `# escape=` directive sets) continues on the next, a comment line
 * inside a continuation is dropped (as Docker does), and `RUN <<EOF` takes the lines up to `EOF` as its script.
 */
export function dockerInstructions(text: string): DockerInstruction[] {
  const lines = text.split(/\r?\n/);
  const escape = /^#\s*escape\s*=\s*`/i.test(lines.find((l) => l.trim() !== "") ?? "") ? "`" : "\\";
  const out: DockerInstruction[] = [];
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i];
    const trimmed = first.trim();
    if (trimmed === "" || trimmed.startsWith("#")) continue;
    const match = /^\s*([A-Za-z]+)(\s+|$)/.exec(first);
    if (!match) continue;
    const line = i + 1;
    const parts = [first.slice(match[0].length)];
    const continues = (l: string) => l.trimEnd().endsWith(escape);
    // A continued line ends in `\` for the shell reader, whatever the Dockerfile's escape character.
    const asShell = (l: string) => (continues(l) ? `${l.trimEnd().slice(0, -1)}\\` : l);
    parts[0] = asShell(parts[0]);
    let last = first;
    while (continues(last) && i + 1 < lines.length) {
      const next = lines[++i];
      // A comment or blank line inside a continuation is dropped; a lone `\` keeps the line count and the continuation.
      if (/^\s*(#.*)?$/.test(next)) {
        parts.push("\\");
        continue;
      }
      parts.push(asShell(next));
      last = next;
    }
    if (continues(last)) parts[parts.length - 1] = parts[parts.length - 1].slice(0, -1);
    let heredocBody: string | null = null;
    const heredoc = /<<-?\s*(["']?)([A-Za-z_][A-Za-z0-9_]*)\1/.exec(parts[0]);
    if (heredoc && match[1].toUpperCase() === "RUN") {
      const body: string[] = [];
      while (i + 1 < lines.length && lines[i + 1].trim() !== heredoc[2]) body.push(lines[++i]);
      i++;
      heredocBody = body.join("\n");
    }
    out.push({ keyword: match[1].toUpperCase(), args: parts.join("\n"), line, heredocBody });
  }
  return out;
}

/** What a COPY (or a RUN's bind mount) puts where: a repo path at a container path. */
interface DockerCopy {
  /** Container path, absolute, without a trailing slash. */
  dest: string;
  destIsDir: boolean;
  /** Repo-relative source (a file or a folder). */
  src: string;
  srcIsDir: boolean;
}

/** A build stage's state as the instructions run: where WORKDIR is and what was copied in. */
interface DockerStage {
  name: string | null;
  /** null after a WORKDIR the reader cannot follow (`WORKDIR $APP_HOME`). */
  workdir: string | null;
  copies: DockerCopy[];
}

/** The words of a COPY/ADD: JSON form (`["a", "b"]`) or shell-like words; flags (`--chown=...`) come first. */
function instructionWords(args: string): string[] {
  const flat = args.replace(/\\\n/g, " ").trim();
  if (flat.startsWith("[")) {
    try {
      const parsed = JSON.parse(flat) as unknown;
      if (Array.isArray(parsed) && parsed.every((w) => typeof w === "string")) return parsed;
    } catch {
      // Not JSON: Docker reads it as shell form too.
    }
  }
  return shellCommands(flat).flatMap((c) => c.words);
}

/** A container path resolved against the stage's WORKDIR; null when the WORKDIR is not known. */
function containerPath(stage: DockerStage, given: string): string | null {
  if (given.includes("$")) return null;
  if (given.startsWith("/")) return path.posix.normalize(given).replace(/(.)\/+$/, "$1");
  if (stage.workdir === null) return null;
  return path.posix.join(stage.workdir, given).replace(/(.)\/+$/, "$1");
}

/** The repo paths a COPY source names, in the build contexts tried (the Dockerfile's folder, then the root). */
function copySources(root: string, contexts: string[], given: string): Array<{ src: string; isDir: boolean }> {
  if (given.includes("$")) return [];
  for (const context of contexts) {
    if (/[*?]/.test(given)) {
      // `COPY requirements*.txt ./`: the matching files of that folder.
      const dir = joinRel(context, path.posix.dirname(given));
      const pattern = new RegExp(`^${path.posix.basename(given).replace(/[.+^${}()|\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
      let names: string[] = [];
      try {
        names = readdirSync(path.join(root, dir)).filter((name) => pattern.test(name));
      } catch {
        names = [];
      }
      if (names.length > 0) return names.map((name) => ({ src: joinRel(dir, name), isDir: isDir(root, joinRel(dir, name)) }));
      continue;
    }
    const src = joinRel(context, given);
    if (src.startsWith("..")) continue;
    if (isDir(root, src)) return [{ src, isDir: true }];
    if (isFile(root, src)) return [{ src, isDir: false }];
  }
  return [];
}

/** The COPY entries of one COPY/ADD instruction (none for `--from=`: those files come from another stage or image). */
function copyEntries(root: string, contexts: string[], stage: DockerStage, args: string): DockerCopy[] {
  const words = instructionWords(args);
  if (words.some((w) => w.startsWith("--from="))) return [];
  const operands = words.filter((w) => !w.startsWith("--"));
  if (operands.length < 2) return [];
  const destGiven = operands[operands.length - 1];
  const dest = containerPath(stage, destGiven);
  if (dest === null) return [];
  const sources = operands.slice(0, -1).flatMap((given) => copySources(root, contexts, given));
  const destIsDir = destGiven.endsWith("/") || destGiven === "." || operands.length > 2 || sources.length > 1;
  return sources.map(({ src, isDir: srcIsDir }) => ({ dest, destIsDir: destIsDir || srcIsDir, src, srcIsDir }));
}

/** The repo file a container path holds, from the latest COPY that put something there; null when none did. */
function repoPathOf(copies: DockerCopy[], target: string): string | null {
  for (const copy of [...copies].reverse()) {
    if (!copy.destIsDir) {
      if (target === copy.dest) return copy.src;
      continue;
    }
    if (target === copy.dest && copy.srcIsDir) return copy.src;
    const prefix = copy.dest === "/" ? "/" : `${copy.dest}/`;
    if (!target.startsWith(prefix)) continue;
    const rest = target.slice(prefix.length);
    if (copy.srcIsDir) return joinRel(copy.src, rest);
    if (rest === path.posix.basename(copy.src)) return copy.src;
  }
  return null;
}

/** Bind mounts of a RUN (`--mount=type=bind,source=requirements.txt,target=/tmp/requirements.txt`) as copies. */
function bindMounts(root: string, contexts: string[], stage: DockerStage, flags: string[]): DockerCopy[] {
  const copies: DockerCopy[] = [];
  for (const flag of flags) {
    if (!flag.startsWith("--mount=")) continue;
    const fields = new Map(flag.slice("--mount=".length).split(",").map((kv) => {
      const eq = kv.indexOf("=");
      return [eq < 0 ? kv : kv.slice(0, eq), eq < 0 ? "true" : kv.slice(eq + 1)] as [string, string];
    }));
    if ((fields.get("type") ?? "bind") !== "bind" || fields.has("from")) continue;
    const targetGiven = fields.get("target") ?? fields.get("dst") ?? fields.get("destination");
    if (!targetGiven) continue;
    const dest = containerPath(stage, targetGiven);
    const [source] = copySources(root, contexts, fields.get("source") ?? fields.get("src") ?? ".");
    if (dest === null || !source) continue;
    copies.push({ dest, destIsDir: source.isDir, src: source.src, srcIsDir: source.isDir });
  }
  return copies;
}

/** The installs of a Dockerfile, stage by stage, with `-r` paths followed through WORKDIR, COPY and bind mounts to repo files. */
export function dockerfileInstalls(root: string, file: string, text: string, context?: string): DeployInstall[] {
  const dockerDir = path.posix.dirname(file);
  const contexts = [...new Set([context ?? dockerDir, dockerDir, "."])];
  const stages: DockerStage[] = [];
  let stage: DockerStage = { name: null, workdir: "/", copies: [] };
  const found: DeployInstall[] = [];
  for (const instruction of dockerInstructions(text)) {
    if (instruction.keyword === "FROM") {
      const words = instructionWords(instruction.args).filter((w) => !w.startsWith("--"));
      const parent = stages.find((s) => s.name !== null && s.name === words[0]?.toLowerCase());
      const name = words[1]?.toLowerCase() === "as" ? (words[2]?.toLowerCase() ?? null) : null;
      stage = parent ? { name, workdir: parent.workdir, copies: [...parent.copies] } : { name, workdir: "/", copies: [] };
      stages.push(stage);
    } else if (instruction.keyword === "WORKDIR") {
      const [given] = instructionWords(instruction.args);
      stage.workdir = given === undefined ? stage.workdir : containerPath(stage, given);
    } else if (instruction.keyword === "COPY" || instruction.keyword === "ADD") {
      stage.copies.push(...copyEntries(root, contexts, stage, instruction.args));
    } else if (instruction.keyword === "RUN") {
      let script = instruction.heredocBody ?? instruction.args;
      let firstLine = instruction.heredocBody !== null ? instruction.line + 1 : instruction.line;
      // Leading flags (`--mount=...`, `--network=none`) belong to RUN, not to the command.
      const flags: string[] = [];
      const head = /^(\s*--[a-z]+=\S+(?:\s|\\\n)+)+/.exec(instruction.args);
      if (head) {
        flags.push(...head[0].split(/\s+|\\\n/).filter((w) => w.startsWith("--")));
        if (instruction.heredocBody === null) {
          firstLine += (head[0].match(/\n/g) ?? []).length;
          script = instruction.args.slice(head[0].length);
        }
      }
      const trimmed = script.replace(/\\\n/g, " ").trim();
      if (instruction.heredocBody === null && trimmed.startsWith("[")) {
        const words = instructionWords(trimmed);
        script = words.map((w) => (/^[\w./@%+=:,-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(" ");
      }
      const mounts = bindMounts(root, contexts, stage, flags);
      const resolver = dockerResolver(root, { ...stage, copies: [...stage.copies, ...mounts] });
      const lineAt = (offset: number) => firstLine + (script.slice(0, offset).match(/\n/g) ?? []).length;
      found.push(...scriptInstalls(root, script, { file, cwd: stage.workdir, lineAt }, resolver));
    }
  }
  return found;
}

/** Container paths of a stage, mapped to repo files through its COPY entries. Folders (`dir`) stay container paths. */
function dockerResolver(root: string, stage: DockerStage): PathResolver {
  return {
    resolve(cwd, given) {
      const target = given.startsWith("/") ? path.posix.normalize(given) : cwd === null ? null : path.posix.join(cwd, given);
      if (target === null) return { reason: "the WORKDIR it runs in is not known" };
      const repo = repoPathOf(stage.copies, target);
      if (repo === null) return { reason: `no COPY puts ${target} in the image` };
      if (repo.startsWith("..")) return { reason: "outside the repository" };
      return { path: repo };
    },
    cd(cwd, to) {
      if (to.includes("$")) return null;
      if (to.startsWith("/")) return path.posix.normalize(to);
      return cwd === null ? null : path.posix.join(cwd, to);
    },
  };
}

// ---------------------------------------------------------------- YAML files (render.yaml, workflows, GitLab CI)

type YamlNode = Yaml.Node;

/** Parses a YAML file; a syntax error becomes a problem at its line rather than an exception. */
function parseYaml(text: string, file: string): { doc: Yaml.Document.Parsed; lines: Yaml.LineCounter } | DeployFileProblem {
  const lines = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text, { lineCounter: lines, merge: true });
  const error = doc.errors[0];
  if (error) {
    const reason = error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    return { file, line: error.linePos?.[0].line, reason: `not valid YAML: ${reason}` };
  }
  return { doc, lines };
}

/** A scalar's string and the line of any offset in it (a literal block keeps its lines; other scalars count from their first). */
function scalarScript(node: unknown, lines: Yaml.LineCounter): { script: string; lineAt: (offset: number) => number } | null {
  if (!yaml().isScalar(node) || typeof node.value !== "string" || !node.range) return null;
  const script = node.value;
  const startLine = lines.linePos(node.range[0]).line;
  if (node.type === "BLOCK_LITERAL") return { script, lineAt: (offset) => startLine + 1 + (script.slice(0, offset).match(/\n/g) ?? []).length };
  return { script, lineAt: () => startLine };
}

/** The node at a key of a map node (null when it is not a map or lacks the key). */
function at(node: unknown, key: string): unknown {
  return yaml().isMap(node) ? node.get(key, true) : null;
}

/** A scalar node's string value, or null. */
function str(node: unknown): string | null {
  return yaml().isScalar(node) && typeof node.value === "string" ? node.value : null;
}

/** The items of a sequence node (empty when it is not one). */
function items(node: unknown): unknown[] {
  return yaml().isSeq(node) ? node.items : [];
}

/** The values of a map node (empty when it is not one). */
function values(node: unknown): unknown[] {
  return yaml().isMap(node) ? node.items.map((pair) => pair.value) : [];
}

/** A folder given in a deploy file relative to the repo root (`./backend`, `backend/`); null when not one inside it. */
function repoDir(base: string, given: string | null): string | null {
  if (given === null) return base;
  if (given.includes("${{") || given.includes("$") || path.posix.isAbsolute(given)) return null;
  const joined = joinRel(base, given);
  return joined.startsWith("..") ? null : joined;
}

/** render.yaml: each service's build and pre-deploy commands, run in its rootDir; a Docker service's Dockerfile too. */
function renderInstalls(root: string, file: string, text: string, dockerfiles: Map<string, string>): DeployInstall[] | DeployFileProblem {
  const parsed = parseYaml(text, file);
  if ("reason" in parsed) return parsed;
  const found: DeployInstall[] = [];
  const base = path.posix.dirname(file);
  for (const service of items(at(parsed.doc.contents, "services"))) {
    const dir = repoDir(base, str(at(service, "rootDir")));
    for (const key of ["buildCommand", "preDeployCommand", "startCommand"]) {
      const command = scalarScript(at(service, key), parsed.lines);
      if (command) found.push(...scriptInstalls(root, command.script, { file, cwd: dir, lineAt: command.lineAt }));
    }
    const dockerfile = str(at(service, "dockerfilePath"));
    if (dockerfile !== null && dir !== null) {
      const dockerfileRel = repoDir(dir, dockerfile);
      const context = repoDir(dir, str(at(service, "dockerContext")) ?? ".");
      if (dockerfileRel !== null && context !== null) dockerfiles.set(dockerfileRel, context);
    }
  }
  return found;
}

/** A GitHub Actions workflow: every step's `run`, in its working-directory (step, job defaults, workflow defaults). */
function workflowInstalls(root: string, file: string, text: string): DeployInstall[] | DeployFileProblem {
  const parsed = parseYaml(text, file);
  if ("reason" in parsed) return parsed;
  const found: DeployInstall[] = [];
  const workingDir = (node: unknown) => str(at(at(at(node, "defaults"), "run"), "working-directory"));
  const workflowDir = workingDir(parsed.doc.contents);
  for (const job of values(at(parsed.doc.contents, "jobs"))) {
    const jobDir = workingDir(job) ?? workflowDir;
    for (const step of items(at(job, "steps"))) {
      const command = scalarScript(at(step, "run"), parsed.lines);
      if (!command) continue;
      const cwd = repoDir(".", str(at(step, "working-directory")) ?? jobDir);
      found.push(...scriptInstalls(root, command.script, { file, cwd, lineAt: command.lineAt }));
    }
  }
  return found;
}

/** .gitlab-ci.yml: each job's before_script, script and after_script lines, from the repo root. */
function gitlabInstalls(root: string, file: string, text: string): DeployInstall[] | DeployFileProblem {
  const parsed = parseYaml(text, file);
  if ("reason" in parsed) return parsed;
  const found: DeployInstall[] = [];
  for (const job of values(parsed.doc.contents)) {
    for (const key of ["before_script", "script", "after_script"]) {
      const node = at(job, key);
      for (const line of yaml().isSeq(node) ? node.items : [node]) {
        const command = scalarScript(line, parsed.lines);
        if (command) found.push(...scriptInstalls(root, command.script, { file, cwd: ".", lineAt: command.lineAt }));
      }
    }
  }
  return found;
}

// ---------------------------------------------------------------- JSON / TOML / Procfile

/** The 1-based line where `needle` first occurs in the text (from `after`), else 1: JSON and TOML parsers give no positions. */
function lineOfText(text: string, needle: string): number {
  const at = text.indexOf(needle);
  return at < 0 ? 1 : text.slice(0, at).split("\n").length;
}

/** Commands found in a parsed JSON/TOML object at the given key paths (a string, or an array of strings). */
function commandsAt(data: Record<string, unknown>, paths: string[][]): string[] {
  const out: string[] = [];
  for (const keys of paths) {
    let node: unknown = data;
    for (const key of keys) node = key === "*" ? (isObject(node) ? Object.values(node) : []) : Array.isArray(node) ? node.map((n) => (isObject(n) ? n[key] : undefined)) : isObject(node) ? node[key] : undefined;
    const flat = (Array.isArray(node) ? node.flat(2) : [node]).filter((v): v is string => typeof v === "string");
    out.push(...flat);
  }
  return out;
}

/** Where a JSON or TOML deploy file keeps its commands, by file name. */
const CONFIG_COMMANDS: Record<string, { format: "json" | "toml"; paths: string[][] }> = {
  "vercel.json": { format: "json", paths: [["installCommand"], ["buildCommand"]] },
  "railway.json": { format: "json", paths: [["build", "buildCommand"], ["deploy", "preDeployCommand"], ["deploy", "startCommand"]] },
  "railway.toml": { format: "toml", paths: [["build", "buildCommand"], ["deploy", "preDeployCommand"], ["deploy", "startCommand"]] },
  "nixpacks.toml": { format: "toml", paths: [["phases", "*", "cmds"], ["start", "cmd"]] },
  "fly.toml": { format: "toml", paths: [["deploy", "release_command"], ["processes", "*"]] },
};

/** A JSON or TOML deploy file's commands, run in its own folder. */
function configInstalls(root: string, file: string, text: string): DeployInstall[] | DeployFileProblem {
  const spec = CONFIG_COMMANDS[path.posix.basename(file)];
  let data: Record<string, unknown>;
  try {
    data = spec.format === "json" ? parseJsonObject(text, file) : parseTomlDocument(text, file);
  } catch (error) {
    if (error instanceof UserInputError) return { file, line: error.line, reason: error.reason };
    throw error;
  }
  const dir = path.posix.dirname(file);
  return commandsAt(data, spec.paths).flatMap((script) => {
    const firstLine = lineOfText(text, JSON.stringify(script).slice(1, 30));
    return scriptInstalls(root, script, { file, cwd: dir, lineAt: () => firstLine });
  });
}

/**
 * A Procfile's process commands (`web: ...`, `release: ...`); the buildpack platforms that read Procfiles (Heroku,
 * Dokku, Scalingo) install the requirements.txt beside it before any of them runs.
 */
function procfileInstalls(root: string, file: string, text: string): DeployInstall[] {
  const dir = path.posix.dirname(file);
  const found: DeployInstall[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    const match = /^\s*[A-Za-z0-9_-]+\s*:(.*)$/.exec(line);
    if (match) found.push(...scriptInstalls(root, match[1], { file, cwd: dir, lineAt: () => index + 1 }));
  });
  const beside = joinRel(dir, "requirements.txt");
  if (lines.some((l) => /^\s*[A-Za-z0-9_-]+\s*:/.test(l)) && isFile(root, beside)) {
    found.push({ file, line: 1, kind: "requirements", command: "(the platform's Python buildpack installs requirements.txt)", commandId: nextCommandId++, requirementsFile: beside, dir, implicit: true });
  }
  return found;
}

// ---------------------------------------------------------------- the scan

const DOCKERFILE = /^(?:(?:Docker|Container)file(?:[.-][\w.-]+)?|[\w.-]+\.(?:Dockerfile|dockerfile|Containerfile))$/;

/** Names in a folder (empty when it does not exist). */
function namesIn(root: string, dir: string): string[] {
  try {
    return readdirSync(path.join(root, dir)).sort();
  } catch {
    return [];
  }
}

/**
 * Every Python install the backend's deploy and CI files run: Dockerfiles, Procfile, render.yaml, vercel.json,
 * railway.json/.toml, nixpacks.toml and fly.toml in the backend folder and at the root, and the root's GitHub
 * workflows and .gitlab-ci.yml. Nothing is run. A file that does not parse is a problem, not an error: these files are
 * read, never edited, so the run goes on and the caller says which file could not be checked.
 */
export function findDeployInstalls(root: string, backendDir: string): DeployInstalls {
  nextCommandId = 1;
  const result: DeployInstalls = { installs: [], problems: [], files: [] };
  const dockerfiles = new Map<string, string | undefined>();
  const add = (file: string, found: DeployInstall[] | DeployFileProblem) => {
    result.files.push(file);
    if (Array.isArray(found)) result.installs.push(...found);
    else result.problems.push(found);
  };
  const dirs = [...new Set([backendDir, "."])];
  for (const dir of dirs) {
    for (const name of namesIn(root, dir)) {
      const file = joinRel(dir, name);
      if (DOCKERFILE.test(name) && isFile(root, file)) dockerfiles.set(file, undefined);
    }
  }
  for (const dir of dirs) {
    for (const name of ["render.yaml", "Procfile", ...Object.keys(CONFIG_COMMANDS)]) {
      const file = joinRel(dir, name);
      const text = readSmallText(root, file);
      if (text === null) continue;
      if (name === "render.yaml") add(file, renderInstalls(root, file, text, dockerfiles as Map<string, string>));
      else if (name === "Procfile") add(file, procfileInstalls(root, file, text));
      else add(file, configInstalls(root, file, text));
    }
  }
  for (const name of namesIn(root, ".github/workflows")) {
    if (!/\.ya?ml$/i.test(name)) continue;
    const file = `.github/workflows/${name}`;
    const text = readSmallText(root, file);
    if (text !== null) add(file, workflowInstalls(root, file, text));
  }
  for (const name of [".gitlab-ci.yml", ".gitlab-ci.yaml"]) {
    const text = readSmallText(root, name);
    if (text !== null) add(name, gitlabInstalls(root, name, text));
  }
  for (const [file, context] of dockerfiles) {
    const text = readSmallText(root, file);
    if (text !== null) add(file, dockerfileInstalls(root, file, text, context));
  }
  result.files = [...new Set(result.files)];
  return result;
}
