/** Where doctor finds a secret (env files, compose interpolations from the root .env) and whether its holders agree. */
import { secretVersionEntries, AUTH_SECRETS_KEY } from "../../lib/secret-versions.js";
import { fail, listText, pass, type Check } from "./check.js";
import type { ComposeService, DoctorContext } from "./context.js";

export const GROUP = "secrets";

/** Where one holder of a secret keeps it: an env file, or a compose service's interpolation of a root .env variable. */
export interface Holder {
  /** The file: an env file, or the compose file for a literal value. */
  where: string;
  /** For a compose service's copy: "docker-compose.yml frontend". */
  service?: string;
  value: string | null;
}

/** A problem that stops a comparison: a secret a runtime needs is missing, or written into a committed file. */
export interface Missing {
  detail: string;
  fix: string;
}

/** The compose service's copy of `key`: a `${VAR}` read from the root .env (a literal value is a problem of its own). */
export function composeHolder(context: DoctorContext, service: ComposeService | null, key: string, who: string, missing: Missing[]): Holder | null {
  const compose = context.compose();
  if (!compose || !service) return null;
  const raw = service.env.get(key);
  if (raw === undefined) {
    if (!service.hasEnvFile) {
      missing.push({
        detail: `${compose.file} gives the ${who} service (${service.name}) no ${key}`,
        fix: `add ${key}: \${${key}} to its environment in ${compose.file} (or re-run npx auth-integrator auth)`,
      });
    }
    return null;
  }
  const resolved = context.resolveCompose(raw);
  if (resolved.literal) {
    missing.push({
      detail: `${compose.file} writes ${key} into the ${who} service (${service.name}) as a literal value, in a file you commit`,
      fix: `replace it with ${key}: \${${key}} and put the value in .env (git-ignored)`,
    });
    return { where: compose.file, service: service.name, value: resolved.value };
  }
  if (resolved.value === null) {
    if (context.isBroken(".env")) return null;
    missing.push({
      detail: `${compose.file} interpolates \${${resolved.variable}} for the ${who} service, but .env does not set ${resolved.variable}`,
      fix: `set ${resolved.variable} in .env to the same value as the frontend's ${key}`,
    });
    return null;
  }
  return { where: ".env", service: `${compose.file} ${service.name}`, value: resolved.value };
}

/** Every env file among `files` that sets `key`, as holders. */
export function fileHolders(context: DoctorContext, files: string[], key: string): Holder[] {
  return files.flatMap((file) => {
    const value = context.env(file)?.get(key);
    return value === undefined ? [] : [{ where: file, value }];
  });
}

/** "docker-compose.yml frontend" and "docker-compose.yml backend" → "docker-compose.yml frontend, backend". */
function servicesText(names: string[]): string {
  const file = names[0].split(" ")[0];
  if (names.every((name) => name.startsWith(`${file} `))) return `${file} ${names.map((name) => name.slice(file.length + 1)).join(", ")}`;
  return names.join(", ");
}

/** The holders' values agree: ✓ naming them; else ✗ naming which differ from the first (never a value). */
export function sameEverywhere(id: string, key: string, holders: Holder[], missing: Missing[], reference: string): Check {
  // The root .env for two compose services reads as ".env (docker-compose.yml frontend, backend)".
  const services = new Map<string, string[]>();
  for (const { where, service } of holders) services.set(where, [...(services.get(where) ?? []), ...(service ? [service] : [])]);
  const places = [...services].map(([where, names]) => (names.length > 0 ? `${where} (${servicesText(names)})` : where));
  const title = `${key} the same ${places.length > 1 ? `in ${listText(places)}` : "everywhere it is needed"}`;
  if (missing.length > 0) return fail(GROUP, id, title, { detail: missing.map((m) => m.detail).join("; "), fix: missing.map((m) => m.fix).join("; ") });
  const first = holders[0];
  const different = holders.filter((h) => h.value !== first.value).map((h) => h.where);
  if (different.length > 0) {
    return fail(GROUP, id, title, {
      detail: `${listText([...new Set(different)])} ${different.length > 1 ? "hold" : "holds"} a different ${key} from ${first.where}`,
      fix: `give every one of them the value in ${reference} (copy it; doctor never prints it)`,
    });
  }
  return pass(GROUP, id, title);
}

/** Why a value cannot be an HS256 key the backend accepts (the generated verifier's secret_weakness), or null. */
export function weakness(secret: string): string | null {
  const bytes = Buffer.byteLength(secret, "utf8");
  if (bytes < 32) return `is ${bytes} bytes long; HS256 needs at least 32 random bytes`;
  if (new Set(secret).size < 8) return "has fewer than 8 distinct characters, not a random value";
  if (/[\s"'#\\$]/.test(secret)) return "holds whitespace, a quote, #, \\ or $, which the two sides' .env readers may read differently";
  return null;
}

/** The values Better Auth holds for the frontend, each named for messages: BETTER_AUTH_SECRET and every version of BETTER_AUTH_SECRETS. */
export function betterAuthSecrets(context: DoctorContext): Array<{ name: string; value: string }> {
  const legacy = context.frontendValue("BETTER_AUTH_SECRET");
  const versions = context.frontendValue(AUTH_SECRETS_KEY);
  return [
    ...(legacy ? [{ name: "BETTER_AUTH_SECRET", value: legacy.value }] : []),
    ...(versions ? secretVersionEntries(versions.value).map((entry) => ({ name: `${entry.label} of ${AUTH_SECRETS_KEY}`, value: entry.value })) : []),
  ];
}
