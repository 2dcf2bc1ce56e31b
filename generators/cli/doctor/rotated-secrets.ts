/**
 * What `rotate-secret` leaves behind: BETTER_AUTH_SECRETS (Better Auth's versioned secrets, frontend only) and, in
 * shared-secret mode, API_JWT_SECRET_PREVIOUS with its end API_JWT_SECRET_PREVIOUS_EXPIRES. Each is checked only when set.
 */
import { envKeyLine } from "../../lib/editors/env.js";
import { UserInputError } from "../../lib/errors.js";
import { AUTH_SECRETS_KEY, parseSecretVersions, type SecretVersion } from "../../lib/secret-versions.js";
import { secretWeakness } from "../../lib/steps/secret.js";
import { fail, listText, pass, skip, type Check } from "./check.js";
import type { DoctorContext } from "./context.js";
import { betterAuthSecrets, composeHolder, fileHolders, GROUP, sameEverywhere, weakness, type Holder, type Missing } from "./holders.js";

const AUTH_SECRET = "BETTER_AUTH_SECRET";
const API_SECRET = "API_JWT_SECRET";
const API_PREVIOUS = "API_JWT_SECRET_PREVIOUS";
const API_PREVIOUS_EXPIRES = "API_JWT_SECRET_PREVIOUS_EXPIRES";
/** An ISO 8601 time with its offset, as the generated backend's datetime.fromisoformat() reads it (a time without one is refused). */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** `file:line` of `key` in an env file (the file alone when the line is unknown). */
function keyAt(context: DoctorContext, file: string, key: string): string {
  const line = envKeyLine(context.text(file) ?? "", key, file);
  return line === undefined ? file : `${file}:${line}`;
}

/** The frontend's BETTER_AUTH_SECRETS holders, and the compose frontend's copy (or the root .env's) — with what is missing. */
function secretsHolders(context: DoctorContext, missing: Missing[]): Holder[] {
  const holders = fileHolders(context, context.frontendEnvFiles(), AUTH_SECRETS_KEY);
  const service = context.compose()?.frontend ?? null;
  // Once the frontend has versions, compose must pass them on to a service it gives Better Auth's secret (rotate-secret adds them there).
  const passes = service !== null && (service.env.has(AUTH_SECRETS_KEY) || (holders.length > 0 && service.env.has(AUTH_SECRET)));
  const composed = passes ? composeHolder(context, service, AUTH_SECRETS_KEY, "frontend", missing) : null;
  const rootEnv = context.composeEnvFile();
  if (composed) holders.push(composed);
  else if (rootEnv && !context.isBroken(rootEnv)) holders.push(...fileHolders(context, [rootEnv], AUTH_SECRETS_KEY));
  return holders;
}

/** The versions, or a ✗ naming the entry Better Auth would refuse (never a value): malformed, a version twice, a weak secret. */
function versionsOrFailure(context: DoctorContext, holder: Holder, title: string): SecretVersion[] | Check {
  const fix = `write it as <version>:<secret> entries, newest first, separated by commas, each secret random (npx auth-integrator rotate-secret writes it so)`;
  let versions: SecretVersion[];
  try {
    versions = parseSecretVersions(holder.value ?? "", holder.where, envKeyLine(context.text(holder.where) ?? "", AUTH_SECRETS_KEY, holder.where));
  } catch (error) {
    if (!(error instanceof UserInputError)) throw error;
    return fail(GROUP, "better-auth-secrets", title, { detail: `${error.message}; Better Auth refuses to start with it`, fix });
  }
  for (const { version, value } of versions) {
    const problem = secretWeakness(value, AUTH_SECRETS_KEY);
    if (!problem) continue;
    return fail(GROUP, "better-auth-secrets", title, {
      detail: `${keyAt(context, holder.where, AUTH_SECRETS_KEY)}: version ${version} of ${AUTH_SECRETS_KEY} ${problem}`,
      fix: `run npx auth-integrator rotate-secret (it adds a random version) and remove version ${version} once nothing Better Auth encrypted with it is left`,
    });
  }
  return versions;
}

/** BETTER_AUTH_SECRETS, when set: well-formed, each version a real secret, the same in every frontend env file and the root .env compose reads. */
export function betterAuthSecretsCheck(context: DoctorContext): Check {
  const id = "better-auth-secrets";
  const title = `${AUTH_SECRETS_KEY} well-formed and the same everywhere`;
  if (context.frontendDir === null) return skip(GROUP, id, title, { detail: "no Next.js app found" });
  const files = [...context.frontendEnvFiles(), ...(context.composeEnvFile() ? [".env"] : [])];
  if (files.some((file) => context.isBroken(file))) return skip(GROUP, id, title, { detail: "an env file does not parse (see above)" });
  const missing: Missing[] = [];
  const holders = secretsHolders(context, missing);
  if (holders.length === 0 && missing.length === 0) return skip(GROUP, id, `${AUTH_SECRETS_KEY} (versioned secrets)`, { detail: `not set: Better Auth uses ${AUTH_SECRET} alone (npx auth-integrator rotate-secret adds versions)` });
  const frontend = holders.filter((h) => context.frontendEnvFiles().includes(h.where));
  if (frontend.length === 0) {
    missing.push({ detail: `the frontend's env (${listText(context.frontendEnvFiles())}) does not set ${AUTH_SECRETS_KEY}, but ${holders[0]?.where ?? "compose"} does`, fix: `copy ${AUTH_SECRETS_KEY} into ${context.frontendEnvFiles()[0]}` });
  }
  const check = sameEverywhere(id, AUTH_SECRETS_KEY, holders, missing, frontend[0]?.where ?? context.frontendEnvFiles()[0]);
  if (check.ok !== true) return check;
  const versions = versionsOrFailure(context, holders[0], check.title);
  if (!Array.isArray(versions)) return versions;
  return pass(GROUP, id, check.title, { detail: `versions ${versions.map((v) => v.version).join(", ")}` });
}

/** Every holder of API_JWT_SECRET_PREVIOUS: the frontend's and the backend's env files, and the compose backend's interpolation. */
function previousHolders(context: DoctorContext, missing: Missing[]): { frontend: Holder[]; backend: Holder[]; composed: Holder[] } {
  const frontend = fileHolders(context, context.frontendEnvFiles(), API_PREVIOUS).filter((h) => h.value !== "");
  const backendFile = context.backendEnvFile;
  const backend = backendFile ? fileHolders(context, [backendFile], API_PREVIOUS).filter((h) => h.value !== "") : [];
  const service = context.compose()?.backend ?? null;
  const held = service?.env.has(API_PREVIOUS) ? composeHolder(context, service, API_PREVIOUS, "backend", missing) : null;
  if (service?.env.has(API_PREVIOUS) && !service.env.has(API_PREVIOUS_EXPIRES)) {
    missing.push({ detail: `${context.composeFile} gives the backend service (${service.name}) ${API_PREVIOUS} without ${API_PREVIOUS_EXPIRES}`, fix: `add ${API_PREVIOUS_EXPIRES}: \${${API_PREVIOUS_EXPIRES}:-} to its environment` });
  }
  return { frontend, backend, composed: held ? [held] : [] };
}

/** Why the backend refuses the previous key (weak, the current key, or one of Better Auth's secrets), or null. */
function previousValueProblem(context: DoctorContext, value: string): string | null {
  const weak = weakness(value);
  if (weak) return `${API_PREVIOUS} ${weak}`;
  if (context.frontendValue(API_SECRET)?.value === value) return `${API_PREVIOUS} has the same value as ${API_SECRET}`;
  const same = betterAuthSecrets(context).find((secret) => secret.value === value);
  return same ? `${API_PREVIOUS} has the same value as ${same.name}` : null;
}

/** The end of the previous key: a ✗ when a file holding the key has none or a malformed one, or when it has passed; else the end. */
function previousEnd(context: DoctorContext, holders: Holder[], title: string, remove: string): string | Check {
  const id = "api-jwt-secret-previous";
  const files = holders.filter((h) => !h.service).map((h) => h.where);
  const without = files.filter((file) => !context.env(file)?.get(API_PREVIOUS_EXPIRES));
  if (without.length > 0) {
    return fail(GROUP, id, title, {
      detail: `${listText(without)} ${without.length > 1 ? "set" : "sets"} ${API_PREVIOUS} without ${API_PREVIOUS_EXPIRES}; the backend refuses to start with it`,
      fix: `set ${API_PREVIOUS_EXPIRES} to when the last token signed with the previous key expires (an ISO 8601 time such as 2030-01-01T12:15:00Z), or ${remove}`,
    });
  }
  const reference = files.includes(context.backendEnvFile ?? "") ? context.backendEnvFile! : files[0];
  const end = context.env(reference)?.get(API_PREVIOUS_EXPIRES)?.trim() ?? "";
  if (!ISO_WITH_OFFSET.test(end) || Number.isNaN(Date.parse(end))) {
    return fail(GROUP, id, title, { detail: `${keyAt(context, reference, API_PREVIOUS_EXPIRES)}: ${API_PREVIOUS_EXPIRES} is not an ISO 8601 time with its offset; the backend refuses to start with it`, fix: `write it as 2030-01-01T12:15:00Z, or ${remove}` });
  }
  if (Date.parse(end) <= Date.now()) {
    return fail(GROUP, id, title, { detail: `${keyAt(context, reference, API_PREVIOUS_EXPIRES)}: ${API_PREVIOUS_EXPIRES} ${end} has passed, so the backend no longer accepts the previous key`, fix: remove });
  }
  return end;
}

/**
 * Shared-secret mode, API_JWT_SECRET_PREVIOUS when set: the same in the frontend's and the backend's env (and compose's
 * backend), a key the backend accepts (not weak, not API_JWT_SECRET, not Better Auth's), with an end that has not passed.
 */
export function apiJwtSecretPreviousCheck(context: DoctorContext): Check {
  const id = "api-jwt-secret-previous";
  const backendFile = context.backendEnvFile;
  const files = [...context.frontendEnvFiles(), ...(backendFile ? [backendFile] : []), ...(context.composeEnvFile() ? [".env"] : [])];
  if (files.some((file) => context.isBroken(file))) return skip(GROUP, id, API_PREVIOUS, { detail: "an env file does not parse (see above)" });
  const missing: Missing[] = [];
  const { frontend, backend, composed } = previousHolders(context, missing);
  if (frontend.length + backend.length === 0) return skip(GROUP, id, `${API_PREVIOUS} (the key before the last rotation)`, { detail: "not set: the backend accepts API_JWT_SECRET alone" });
  const first = [...frontend, ...backend][0].where;
  if (frontend.length === 0) missing.push({ detail: `the frontend's env (${listText(context.frontendEnvFiles())}) does not set ${API_PREVIOUS}, but ${first} does`, fix: `copy it from ${first}, or remove it everywhere` });
  if (backendFile && backend.length === 0) missing.push({ detail: `${backendFile} does not set ${API_PREVIOUS}, but ${first} does`, fix: `copy it from ${first} into ${backendFile}, or remove it everywhere` });
  const holders = [...frontend, ...backend, ...composed];
  const check = sameEverywhere(id, API_PREVIOUS, holders, missing, first);
  if (check.ok !== true) return check;
  const inFiles = files.filter((file) => context.env(file)?.has(API_PREVIOUS) || context.env(file)?.has(API_PREVIOUS_EXPIRES));
  const remove = `remove ${API_PREVIOUS} and ${API_PREVIOUS_EXPIRES} from ${listText(inFiles)} (the next npx auth-integrator rotate-secret writes new ones)`;
  const problem = previousValueProblem(context, holders[0].value ?? "");
  if (problem) return fail(GROUP, id, check.title, { detail: `${problem}; the backend refuses to start with it`, fix: remove });
  const end = previousEnd(context, [...frontend, ...backend], check.title, remove);
  if (typeof end !== "string") return end;
  return pass(GROUP, id, check.title, { detail: `accepted until ${end}` });
}
