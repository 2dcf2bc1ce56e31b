import { randomBytes } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { readSavedAnswers } from "../auth/saved-answers.js";
import { formatDuration, parseDuration } from "../lib/answers/duration.js";
import { commitChanges } from "../lib/commit.js";
import { findBackendCandidates } from "../lib/detect/backend.js";
import { detectComposeFile } from "../lib/detect/compose-file.js";
import { findFrontendCandidates } from "../lib/detect/frontend.js";
import { walkDirs } from "../lib/detect/walk.js";
import { formatChangeDiff, isEnvFileName } from "../lib/diff.js";
import { addComposeEnvironment, composeEnvironment, findComposeServices } from "../lib/editors/compose.js";
import { envKeyLine, mergeEnvContent, parseEnv, removeEnvKeys } from "../lib/editors/env.js";
import { UserInputError } from "../lib/errors.js";
import { BETTER_AUTH_FLOOR, compareVersions, lockedBetterAuth, parseVersion, rangeFloor } from "../lib/frontend/better-auth-version.js";
import { SEPARATE_AUTH_ENV_FILE } from "../lib/backend/env-file.js";
import { secretCandidateFiles, secretWeakness } from "../lib/steps/secret.js";
import { PlanTree } from "../lib/tree.js";
import type { FrontendInfo } from "../lib/types.js";

/** The keys `--key` takes; `all` is every key the repo holds (BETTER_AUTH_SECRET, and API_JWT_SECRET in shared-secret mode). */
export const ROTATABLE_KEYS = ["BETTER_AUTH_SECRET", "API_JWT_SECRET", "all"] as const;

export interface RotateSecretOptions {
  /** The monorepo root. */
  root: string;
  /** BETTER_AUTH_SECRET, API_JWT_SECRET or all (the default). */
  key?: string;
  /** How long API_JWT_SECRET_PREVIOUS stays accepted: a duration ("15m", "1h", seconds), or 0/none for no previous key. Default: the token lifetime. */
  keepPrevious?: string;
  /** The Next.js and FastAPI folders; from the saved answers or detected when absent. */
  frontend?: string;
  backend?: string;
  /** Print the redacted diffs and write nothing. */
  dryRun: boolean;
  /** Print one JSON object on stdout and nothing else. */
  json: boolean;
  /** The current time in ms (tests); Date.now() when absent. */
  now?: number;
}

/** Where the command writes: stdout gets the report or the JSON only, stderr the errors. */
export interface RotateSecretIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: RotateSecretIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

const AUTH_SECRET = "BETTER_AUTH_SECRET";
const AUTH_SECRETS = "BETTER_AUTH_SECRETS";
const API_SECRET = "API_JWT_SECRET";
const API_PREVIOUS = "API_JWT_SECRET_PREVIOUS";
const API_PREVIOUS_EXPIRES = "API_JWT_SECRET_PREVIOUS_EXPIRES";
const ENV_FILE_MODE = 0o600;
/** The token lifetime the generator writes when none is given: what is assumed when lib/auth.ts does not say. */
const DEFAULT_TOKEN_TTL = "15m";
/** Characters the generated backend refuses in API_JWT_SECRET besides `$` (its secret_weakness()): dotenv readers differ on them. */
const ENV_UNSAFE = /[#'"`\\\s]|[^\x20-\x7e\u00a0-\uffff]/;

/** One env file the command looked at: its text and variables. */
interface EnvFile {
  file: string;
  text: string;
  vars: Map<string, string>;
}

/** One versioned secret of BETTER_AUTH_SECRETS ("2:value"). */
interface SecretVersion {
  version: number;
  value: string;
}

/** What one rotation did, for the summary and --json. */
export interface RotationReport {
  dryRun: boolean;
  mode: "jwks" | "shared-secret";
  rotated: string[];
  files: Array<{ path: string; status: "modified"; keys: string[] }>;
  restart: Array<{ app: string; where: string; why: string }>;
  betterAuth: { secretsVersion: number; versions: number[]; legacyKept: boolean } | null;
  previous: { key: string; expiresAt: string; acceptedFor: string; tokenLifetime: string; tokenLifetimeFrom: string } | null;
  effects: string[];
  warnings: string[];
}

/** A failure with its exit status: 1 for a file (malformed, inconsistent, nothing to rotate), 2 for bad usage. */
class RotateError extends Error {
  constructor(
    message: string,
    readonly code: 1 | 2,
  ) {
    super(message);
  }
}

const fresh = (): string => randomBytes(32).toString("base64url");

/** Parses BETTER_AUTH_SECRETS as Better Auth 1.7's parseSecretsEnv does ("2:new,1:old"), refusing what it would refuse. */
function parseSecretVersions(value: string, file: string, line: number | undefined): SecretVersion[] {
  const versions = value.split(",").map((entry, index) => {
    const trimmed = entry.trim();
    const colon = trimmed.indexOf(":");
    const where = `entry ${index + 1}`;
    if (colon < 0) throw new UserInputError(`${AUTH_SECRETS}: ${where} is not <version>:<secret>`, file, line);
    const versionText = trimmed.slice(0, colon).trim();
    if (!/^\d+$/.test(versionText)) throw new UserInputError(`${AUTH_SECRETS}: ${where} has no non-negative integer version`, file, line);
    const secret = trimmed.slice(colon + 1).trim();
    if (!secret) throw new UserInputError(`${AUTH_SECRETS}: ${where} has an empty secret`, file, line);
    return { version: Number(versionText), value: secret };
  });
  const seen = new Set<number>();
  for (const { version } of versions) {
    if (seen.has(version)) throw new UserInputError(`${AUTH_SECRETS}: version ${version} appears twice`, file, line);
    seen.add(version);
  }
  return versions;
}

/** Why a value cannot be the generated backend's API_JWT_SECRET (or _PREVIOUS): its secret_weakness(), or null. */
function apiKeyWeakness(value: string): string | null {
  const problem = secretWeakness(value, API_SECRET);
  if (problem) return problem;
  if (ENV_UNSAFE.test(value)) return "contains whitespace, a quote, `#` or a backslash, which the frontend's and the backend's .env readers may read differently";
  return null;
}

/** The one value `key` has across `files`, or null when none holds it; two different values are an error naming both. */
function agreedValue(files: EnvFile[], key: string): { value: string; holders: EnvFile[] } | null {
  const holders = files.filter((f) => f.vars.has(key) && f.vars.get(key) !== "");
  if (holders.length === 0) return null;
  const [first] = holders;
  const other = holders.find((f) => f.vars.get(key) !== first.vars.get(key));
  if (other) {
    const at = (f: EnvFile) => `${f.file}:${envKeyLine(f.text, key, f.file)}`;
    throw new RotateError(`${at(other)}: ${key} differs from ${at(first)}; make them equal and run again (nothing was written)`, 1);
  }
  return { value: first.vars.get(key)!, holders };
}

/** The jwt plugin's token lifetime in the frontend's lib/auth.ts, with where it was read; the saved answer, else the default. */
function tokenLifetime(tree: PlanTree, frontendDir: string, saved: string | undefined): { seconds: number; text: string; from: string } {
  for (const rel of ["lib/auth.ts", "src/lib/auth.ts", "lib/auth.js", "src/lib/auth.js"]) {
    const file = path.posix.normalize(path.posix.join(frontendDir, rel));
    const text = tree.read(file);
    if (text === null) continue;
    const match = /expirationTime\s*:\s*(?:["'`]([^"'`\n]+)["'`]|(\d+))/.exec(text);
    const value = match?.[1] ?? match?.[2];
    const seconds = value === undefined ? null : parseDuration(value);
    if (seconds !== null) return { seconds, text: value!, from: `${file}:${text.slice(0, match!.index).split("\n").length}` };
  }
  const fallback = saved ?? DEFAULT_TOKEN_TTL;
  return { seconds: parseDuration(fallback)!, text: fallback, from: saved ? ".auth-integrator.json (saved answer tokenTtl)" : "the default (lib/auth.ts names no expirationTime)" };
}

/** The frontend's lib/auth.ts when it passes `secrets` itself: then BETTER_AUTH_SECRETS in the env files would be ignored. */
function ownSecretsOption(tree: PlanTree, frontendDir: string): string | null {
  for (const rel of ["lib/auth.ts", "src/lib/auth.ts", "lib/auth.js", "src/lib/auth.js"]) {
    const file = path.posix.normalize(path.posix.join(frontendDir, rel));
    const text = tree.read(file);
    const match = text === null ? null : /^\s*secrets\s*:/m.exec(text);
    if (match) return `${file}:${text!.slice(0, match.index + match[0].search(/\S/)).split("\n").length}`;
  }
  return null;
}

/** Refuses a better-auth older than the one whose versioned secrets (BETTER_AUTH_SECRETS) were checked: it would ignore them. */
function assertVersionedSecrets(tree: PlanTree, frontendDir: string): void {
  const locked = lockedBetterAuth(tree, { dir: frontendDir } as FrontendInfo);
  let version = locked ? parseVersion(locked.version) : null;
  let where = locked?.file;
  if (!version) {
    const pkgFile = path.posix.normalize(path.posix.join(frontendDir, "package.json"));
    const range = /"better-auth"\s*:\s*"([^"]+)"/.exec(tree.read(pkgFile) ?? "")?.[1];
    version = range ? rangeFloor(range) : null;
    where = pkgFile;
  }
  if (version && compareVersions(version, parseVersion(BETTER_AUTH_FLOOR)!) < 0) {
    throw new RotateError(
      `${where}: better-auth ${version.slice(0, 3).join(".")} is older than ${BETTER_AUTH_FLOOR}, whose versioned secrets (${AUTH_SECRETS}) this rotation relies on; an older one would ignore them and keep signing with the old secret. Run \`npx auth-integrator auth\` (it raises the range) and install, then rotate (nothing was written)`,
      1,
    );
  }
}

/** The Next.js and FastAPI folders: given, saved by `auth`, or the first detected. */
function appDirs(root: string, options: RotateSecretOptions, saved: Record<string, string>): { frontend: string; backend: string | null } {
  let dirs: ReturnType<typeof walkDirs> | null = null;
  const walked = () => (dirs ??= walkDirs(root));
  const frontend = options.frontend ?? saved.frontend ?? findFrontendCandidates(root, walked())[0] ?? ".";
  const backend = options.backend ?? saved.backend ?? findBackendCandidates(root, walked())[0] ?? null;
  return { frontend: path.posix.normalize(frontend), backend: backend === null ? null : path.posix.normalize(backend) };
}

/** Sets, in place or appended, and removes variables of one env file in the plan (mode 600, never printed). */
function editEnv(tree: PlanTree, file: EnvFile, set: Array<{ key: string; value: string }>, remove: string[] = []): void {
  let text = removeEnvKeys(file.text, remove, { file: file.file });
  if (set.length > 0) text = mergeEnvContent(text, set, { file: file.file, overwrite: true });
  tree.write(file.file, text, { mode: ENV_FILE_MODE, secret: true });
  file.text = text;
}

/** Adds ${VAR} interpolations a rotation needs to one compose service; a form it cannot edit is a warning with the lines to add. */
function addToComposeService(tree: PlanTree, composeFile: string, service: string, env: Record<string, string>, warnings: string[]): string[] {
  const text = tree.read(composeFile)!;
  const present = composeEnvironment(text, { file: composeFile, service });
  const missing = Object.fromEntries(Object.entries(env).filter(([key]) => !present.has(key)));
  if (Object.keys(missing).length === 0) return [];
  try {
    tree.write(composeFile, addComposeEnvironment(text, { file: composeFile, service, env: missing }));
    return Object.keys(missing);
  } catch (error) {
    if (!(error instanceof UserInputError)) throw error;
    const lines = Object.entries(missing).map(([key, value]) => `${key}: ${value}`).join(", ");
    warnings.push(`${composeFile}: service "${service}" left as it is (${error.reason}); add to its environment by hand: ${lines}`);
    return [];
  }
}

/** Plans the rotation; throws RotateError or UserInputError before anything is written. */
function planRotation(options: RotateSecretOptions): { tree: PlanTree; report: RotationReport; secrets: string[] } {
  const { root } = options;
  const key = options.key ?? "all";
  if (!(ROTATABLE_KEYS as readonly string[]).includes(key)) throw new RotateError(`--key must be one of ${ROTATABLE_KEYS.join(", ")}, not "${key}"`, 2);
  let keepPrevious: number | null = null;
  if (options.keepPrevious !== undefined) {
    keepPrevious = /^(0|none)$/i.test(options.keepPrevious.trim()) ? 0 : parseDuration(options.keepPrevious);
    if (keepPrevious === null) throw new RotateError(`--keep-previous must be a duration (15m, 1h, 900) or 0/none, not "${options.keepPrevious}"`, 2);
  }
  const saved = readSavedAnswers(root);
  const dirs = appDirs(root, options, saved?.answers ?? {});
  const tree = new PlanTree(root);
  const now = options.now ?? Date.now();

  const candidates = [...secretCandidateFiles(dirs.frontend, dirs.backend ?? dirs.frontend)];
  if (dirs.backend !== null) candidates.push(path.posix.normalize(path.posix.join(dirs.backend, SEPARATE_AUTH_ENV_FILE)));
  const files: EnvFile[] = [];
  for (const file of [...new Set(candidates)]) {
    const text = tree.read(file);
    if (text !== null) files.push({ file, text, vars: parseEnv(text, file) });
  }
  const auth = agreedValue(files, AUTH_SECRET);
  if (!auth) {
    throw new RotateError(
      `nothing to rotate: no env file holds ${AUTH_SECRET} (looked in ${candidates.join(", ")}); add authentication first: npx auth-integrator auth --cwd ${root}`,
      1,
    );
  }
  const api = agreedValue(files, API_SECRET);
  const mode = api ? "shared-secret" : "jwks";
  if (key === API_SECRET && !api) {
    throw new RotateError(`--key ${API_SECRET}: no env file holds ${API_SECRET}; in jwks mode the API verifies Better Auth's public keys and holds no secret`, 2);
  }
  const rotateAuth = key !== API_SECRET;
  const rotateApi = api !== null && key !== AUTH_SECRET;

  const report: RotationReport = { dryRun: options.dryRun, mode, rotated: [], files: [], restart: [], betterAuth: null, previous: null, effects: [], warnings: [] };
  const changedKeys = new Map<string, Set<string>>();
  const touched = (file: string, keys: string[]) => {
    const set = changedKeys.get(file) ?? new Set<string>();
    keys.forEach((k) => set.add(k));
    changedKeys.set(file, set);
  };
  const secrets: string[] = [auth.value];
  const backendOnly = (file: string) => dirs.backend !== null && dirs.backend !== "." && file.startsWith(`${dirs.backend}/`) && !file.startsWith(`${dirs.frontend}/`);

  // Every value Better Auth may hold: BETTER_AUTH_SECRET and each version of BETTER_AUTH_SECRETS (checked to agree).
  let authValues = [auth.value];
  if (rotateAuth) {
    const lockedOwn = ownSecretsOption(tree, dirs.frontend);
    if (lockedOwn) {
      throw new RotateError(`${lockedOwn}: lib/auth.ts passes \`secrets\` to betterAuth() itself, so ${AUTH_SECRETS} in the env files would be ignored; add the new version there by hand (nothing was written)`, 1);
    }
    assertVersionedSecrets(tree, dirs.frontend);
    const holders = auth.holders.filter((f) => !backendOnly(f.file));
    for (const f of auth.holders.filter((f) => backendOnly(f.file))) {
      report.warnings.push(`${f.file}:${envKeyLine(f.text, AUTH_SECRET, f.file)}: holds ${AUTH_SECRET}, which the backend never needs; it is not rotated there: remove it (npx auth-integrator auth does, unless your code reads it)`);
    }
    const versionsHolder = agreedValue(holders, AUTH_SECRETS);
    const missingVersions = versionsHolder ? holders.find((f) => !f.vars.has(AUTH_SECRETS)) : undefined;
    if (versionsHolder && missingVersions) {
      const other = versionsHolder.holders[0];
      throw new RotateError(`${missingVersions.file}: has no ${AUTH_SECRETS}, but ${other.file}:${envKeyLine(other.text, AUTH_SECRETS, other.file)} has; make them equal and run again (nothing was written)`, 1);
    }
    const existing = versionsHolder
      ? parseSecretVersions(versionsHolder.value, versionsHolder.holders[0].file, envKeyLine(versionsHolder.holders[0].text, AUTH_SECRETS, versionsHolder.holders[0].file))
      : [{ version: 1, value: auth.value }];
    let value = fresh();
    while (existing.some((v) => v.value === value) || value === api?.value) value = fresh();
    const version = Math.max(...existing.map((v) => v.version)) + 1;
    const versions = [{ version, value }, ...existing];
    authValues = [auth.value, ...versions.map((v) => v.value)];
    secrets.push(...authValues);
    const text = versions.map((v) => `${v.version}:${v.value}`).join(",");
    for (const f of holders) {
      editEnv(tree, f, [{ key: AUTH_SECRETS, value: text }]);
      touched(f.file, [AUTH_SECRETS]);
    }
    report.rotated.push(AUTH_SECRET);
    report.betterAuth = { secretsVersion: version, versions: versions.map((v) => v.version), legacyKept: true };
    report.effects.push(
      `Better Auth signs with version ${version} of ${AUTH_SECRETS} from its restart on; ${AUTH_SECRET} keeps its value, because Better Auth still decrypts with it what was encrypted before versioned secrets (leave it in place)`,
      "everyone signs in again once: Better Auth checks its session cookies with the newest secret only (the sessions in its database stay, the cookies no longer match)",
      mode === "jwks"
        ? "API tokens and the JWKS do not change: the jwt plugin's signing key in the jwks table stays readable (its private key was encrypted with the secret Better Auth still decrypts with), so the backend notices nothing"
        : `API tokens do not change with it: they are signed with ${API_SECRET}`,
    );
  } else {
    secrets.push(...(agreedValue(files, AUTH_SECRETS)?.value.split(",").map((e) => e.slice(e.indexOf(":") + 1).trim()) ?? []));
    authValues = secrets.slice();
  }

  if (rotateApi && api) {
    let value = fresh();
    while (authValues.includes(value) || value === api.value) value = fresh();
    secrets.push(api.value, value);
    const lifetime = tokenLifetime(tree, dirs.frontend, saved?.answers.tokenTtl);
    const keep = keepPrevious ?? lifetime.seconds;
    const oldPrevious = agreedValue(api.holders, API_PREVIOUS);
    if (oldPrevious) secrets.push(oldPrevious.value);
    const oldExpires = api.holders.map((f) => f.vars.get(API_PREVIOUS_EXPIRES)).find((v) => v);
    if (oldPrevious && oldExpires && Date.parse(oldExpires) > now) {
      report.warnings.push(`the key before the current one (${API_PREVIOUS}) was still accepted until ${oldExpires}; it is replaced now, so tokens signed with it get 401 from the backend's restart on (apiFetch then fetches a new token)`);
    }
    const problem = keep > 0 ? (apiKeyWeakness(api.value) ?? (authValues.includes(api.value) ? `equals ${AUTH_SECRET}` : null)) : null;
    const set = [{ key: API_SECRET, value }];
    const remove: string[] = [];
    if (keep > 0 && problem) {
      report.warnings.push(`the old ${API_SECRET} ${problem}, so it is not kept as ${API_PREVIOUS}: tokens signed with it get 401 from the backend's restart on (apiFetch then fetches a new token)`);
    }
    if (keep > 0 && !problem) {
      const expiresAt = new Date(Math.ceil((now + keep * 1000) / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
      set.push({ key: API_PREVIOUS, value: api.value }, { key: API_PREVIOUS_EXPIRES, value: expiresAt });
      report.previous = { key: API_PREVIOUS, expiresAt, acceptedFor: formatDuration(keep), tokenLifetime: lifetime.text, tokenLifetimeFrom: lifetime.from };
      report.effects.push(
        `the backend accepts a token signed with the old key (${API_PREVIOUS}) until ${expiresAt}, ${formatDuration(keep)} from now (the token lifetime is ${lifetime.text}, from ${lifetime.from}), and ignores it after that; remove ${API_PREVIOUS} and ${API_PREVIOUS_EXPIRES} from then on (the next rotate-secret replaces them)`,
      );
    } else {
      remove.push(API_PREVIOUS, API_PREVIOUS_EXPIRES);
      if (keep === 0) report.effects.push(`no previous key is kept (--keep-previous ${options.keepPrevious}): tokens signed with the old ${API_SECRET} get 401 from the backend's restart on, and apiFetch fetches a new one`);
    }
    for (const f of api.holders) {
      const removing = remove.filter((k) => f.vars.has(k));
      editEnv(tree, f, set, removing);
      touched(f.file, [...set.map((e) => e.key), ...removing]);
    }
    report.rotated.push(API_SECRET);
  }

  const composeFile = detectComposeFile(root);
  const composeServices: string[] = [];
  if (composeFile) {
    const text = tree.read(composeFile)!;
    const services = findComposeServices(text, { file: composeFile, composeDir: ".", frontendDir: dirs.frontend, backendDir: dirs.backend ?? dirs.frontend });
    const added: string[] = [];
    if (rotateAuth && services.frontend && composeEnvironment(text, { file: composeFile, service: services.frontend }).has(AUTH_SECRET)) {
      const keys = addToComposeService(tree, composeFile, services.frontend, { [AUTH_SECRETS]: "${BETTER_AUTH_SECRETS}" }, report.warnings);
      if (keys.length) added.push(`${services.frontend}: ${keys.join(", ")}`);
      composeServices.push(services.frontend);
    }
    if (rotateApi && services.backend && composeEnvironment(tree.read(composeFile)!, { file: composeFile, service: services.backend }).has(API_SECRET)) {
      // Empty when the root .env has none: the backend then accepts the current key only.
      const env: Record<string, string> = report.previous ? { [API_PREVIOUS]: "${API_JWT_SECRET_PREVIOUS:-}", [API_PREVIOUS_EXPIRES]: "${API_JWT_SECRET_PREVIOUS_EXPIRES:-}" } : {};
      const keys = addToComposeService(tree, composeFile, services.backend, env, report.warnings);
      if (keys.length) added.push(`${services.backend}: ${keys.join(", ")}`);
      composeServices.unshift(services.backend);
    }
    if (rotateApi && services.frontend && !composeServices.includes(services.frontend)) composeServices.push(services.frontend);
    if (added.length) touched(composeFile, added);
  }

  if (rotateApi) {
    const until = report.previous ? ` and, until ${report.previous.expiresAt}, with the old one` : "";
    report.restart.push({ app: "backend", where: dirs.backend ?? ".", why: `first: from then on it accepts tokens signed with the new ${API_SECRET}${until}` });
  }
  report.restart.push({
    app: "frontend",
    where: dirs.frontend,
    why: [rotateAuth && `Better Auth reads ${AUTH_SECRETS} as it starts`, rotateApi && `it signs API tokens with the new ${API_SECRET} from then on`].filter(Boolean).join("; "),
  });
  if (composeFile && composeServices.length) {
    report.restart.push({
      app: "compose",
      where: composeFile,
      why: `when the apps run in docker compose instead: docker compose up -d ${composeServices.join(" ")} (recreates them with the new values from .env; \`docker compose restart\` would keep the old ones)`,
    });
  }
  const changes = tree.changes();
  report.files = changes.map((c) => ({ path: c.path, status: "modified" as const, keys: [...(changedKeys.get(c.path) ?? [])] }));
  return { tree, report, secrets: [...new Set(secrets.filter(Boolean))] };
}

/** The human summary: what changed (keys, never values), what to restart and in which order, what users notice. */
function formatReport(report: RotationReport): string {
  const lines: string[] = [];
  const verb = report.dryRun ? "Would rotate" : "Rotated";
  lines.push(`${verb} ${report.rotated.join(" and ")} (${report.mode} mode); no value is printed.`);
  lines.push(`${report.dryRun ? "would change" : "changed"} (${report.files.length})`);
  for (const f of report.files) lines.push(`  ${f.path}  ${f.keys.join(", ")}`);
  lines.push("", "Restart, in this order");
  report.restart.forEach((r, i) => lines.push(r.app === "compose" ? `  ${r.why}` : `  ${i + 1}. the ${r.app} (${r.where === "." ? "the repo root" : `${r.where}/`}): ${r.why}`));
  lines.push("", "What changes");
  for (const effect of report.effects) lines.push(`  - ${effect}`);
  if (report.warnings.length) {
    lines.push("", "Warnings");
    for (const warning of report.warnings) lines.push(`  ${warning}`);
  }
  if (report.dryRun) lines.push("", "Dry run: nothing was written.");
  return `${lines.join("\n")}\n`;
}

/**
 * `auth-integrator rotate-secret`: a new Better Auth secret (a new version of BETTER_AUTH_SECRETS) and, in
 * shared-secret mode, a new API_JWT_SECRET with the old one kept as API_JWT_SECRET_PREVIOUS until the token
 * lifetime has passed; every env file at once or none, no value printed. Returns the exit status: 0, 1 for a
 * malformed or inconsistent env file or nothing to rotate, 2 for bad usage.
 */
export function runRotateSecretCommand(options: RotateSecretOptions, io: RotateSecretIo = processIo): number {
  const fail = (message: string, code: number) => (io.stderr(`auth-integrator rotate-secret: ${message}\n`), code);
  if (!existsSync(options.root) || !statSync(options.root).isDirectory()) return fail(`--cwd ${options.root} is not a folder`, 2);
  let planned;
  try {
    planned = planRotation(options);
  } catch (error) {
    if (error instanceof RotateError) return fail(error.message, error.code);
    if (error instanceof UserInputError) return fail(`${error.message} (nothing was written)`, 1);
    throw error;
  }
  const { tree, report, secrets } = planned;
  const changes = tree.changes();
  if (!options.dryRun) {
    try {
      commitChanges(options.root, changes);
    } catch (error) {
      if (error instanceof UserInputError) return fail(error.message, 1);
      throw error;
    }
  }
  if (options.json) {
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  }
  if (options.dryRun) for (const change of changes) io.stdout(formatChangeDiff(change, secrets, isEnvFileName(change.path)));
  io.stdout(formatReport(report));
  return 0;
}
