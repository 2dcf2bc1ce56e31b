/**
 * Rotating Better Auth's secret: a new version goes first into BETTER_AUTH_SECRETS and BETTER_AUTH_SECRET keeps its
 * value, because Better Auth still decrypts with it what it encrypted before versioned secrets (the jwks private key).
 */
import { AUTH_SECRETS_KEY, formatSecretVersions, nextSecretVersion, parseSecretVersions, secretVersionValues, type SecretVersion } from "../../lib/secret-versions.js";
import { generateSecret } from "../../lib/steps/secret.js";
import { envKeyLine } from "../../lib/editors/env.js";
import { agreedValue, isBackendOnly, keyAt, type AppDirs, type EnvFile } from "./env-files.js";
import { assertReadsSecretVersions } from "./frontend-config.js";
import { API_SECRET, AUTH_SECRET, RotateError } from "./options.js";
import type { Rotation } from "./rotation.js";

/** A secret the env files agree on, and the files that hold it. */
export interface Agreed {
  value: string;
  holders: EnvFile[];
}

/** The frontend's holders of BETTER_AUTH_SECRET; one in the backend's own folder is a warning and is not rotated. */
function frontendHolders(rotation: Rotation, dirs: AppDirs, auth: Agreed): EnvFile[] {
  for (const f of auth.holders.filter((f) => isBackendOnly(dirs, f.file))) {
    rotation.report.warnings.push(`${keyAt(f, AUTH_SECRET)}: holds ${AUTH_SECRET}, which the backend never needs; it is not rotated there: remove it (npx auth-integrator auth does, unless your code reads it)`);
  }
  return auth.holders.filter((f) => !isBackendOnly(dirs, f.file));
}

/** The versions BETTER_AUTH_SECRETS has now (the same in every holder), or BETTER_AUTH_SECRET as version 1 when none has any. */
function currentVersions(holders: EnvFile[], legacy: string): SecretVersion[] {
  const versions = agreedValue(holders, AUTH_SECRETS_KEY);
  if (!versions) return [{ version: 1, value: legacy }];
  const without = holders.find((f) => !f.vars.has(AUTH_SECRETS_KEY));
  const [first] = versions.holders;
  if (without) throw new RotateError(`${without.file}: has no ${AUTH_SECRETS_KEY}, but ${keyAt(first, AUTH_SECRETS_KEY)} has; make them equal and run again (nothing was written)`, 1);
  return parseSecretVersions(versions.value, first.file, envKeyLine(first.text, AUTH_SECRETS_KEY, first.file));
}

/** What a new version changes, for the report's "What changes". */
function effects(version: number, mode: Rotation["report"]["mode"]): string[] {
  return [
    `Better Auth signs with version ${version} of ${AUTH_SECRETS_KEY} from its restart on; ${AUTH_SECRET} keeps its value, because Better Auth still decrypts with it what was encrypted before versioned secrets (leave it in place)`,
    "everyone signs in again once: Better Auth checks its session cookies with the newest secret only (the sessions in its database stay, the cookies no longer match)",
    mode === "jwks"
      ? "API tokens and the JWKS do not change: the jwt plugin's signing key in the jwks table stays readable (its private key was encrypted with the secret Better Auth still decrypts with), so the backend notices nothing"
      : `API tokens do not change with it: they are signed with ${API_SECRET}`,
  ];
}

/**
 * Plans a new version of BETTER_AUTH_SECRETS in every frontend env file that holds BETTER_AUTH_SECRET; returns every
 * value Better Auth then holds (BETTER_AUTH_SECRET and each version), which API_JWT_SECRET must differ from.
 */
export function rotateBetterAuthSecret(rotation: Rotation, dirs: AppDirs, auth: Agreed, api: Agreed | null): string[] {
  assertReadsSecretVersions(rotation.tree, dirs.frontend);
  const holders = frontendHolders(rotation, dirs, auth);
  const existing = currentVersions(holders, auth.value);
  const version = nextSecretVersion(existing);
  const versions = [{ version, value: generateSecret([...existing.map((v) => v.value), api?.value]) }, ...existing];
  const values = [auth.value, ...versions.map((v) => v.value)];
  rotation.redact(...values);
  for (const f of holders) rotation.editEnv(f, [{ key: AUTH_SECRETS_KEY, value: formatSecretVersions(versions) }]);
  rotation.report.rotated.push(AUTH_SECRET);
  rotation.report.betterAuth = { secretsVersion: version, versions: versions.map((v) => v.version), legacyKept: true };
  rotation.report.effects.push(...effects(version, rotation.report.mode));
  return values;
}

/** Without a rotation of Better Auth's secret: the values it holds (BETTER_AUTH_SECRET and each version), read as they are. */
export function currentBetterAuthValues(rotation: Rotation, files: EnvFile[], auth: Agreed): string[] {
  const versions = agreedValue(files, AUTH_SECRETS_KEY);
  const values = [auth.value, ...(versions ? secretVersionValues(versions.value) : [])];
  rotation.redact(...values);
  return values;
}
