import { fail, listText, pass, skip, type Check } from "./check.js";
import type { ComposeService, DoctorContext } from "./context.js";

const GROUP = "secrets";
const AUTH_SECRET = "BETTER_AUTH_SECRET";
const API_SECRET = "API_JWT_SECRET";

/** Where one holder of a secret keeps it: an env file, or a compose service's interpolation of a root .env variable. */
interface Holder {
  /** The file: an env file, or the compose file for a literal value. */
  where: string;
  /** For a compose service's copy: "docker-compose.yml frontend". */
  service?: string;
  value: string | null;
}

/** A problem that stops a comparison: a secret a runtime needs is missing, or written into a committed file. */
interface Missing {
  detail: string;
  fix: string;
}

/** The compose service's copy of `key`: a `${VAR}` read from the root .env (a literal value is a problem of its own). */
function composeHolder(context: DoctorContext, service: ComposeService | null, key: string, who: string, missing: Missing[]): Holder | null {
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
function fileHolders(context: DoctorContext, files: string[], key: string): Holder[] {
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
function sameEverywhere(id: string, key: string, holders: Holder[], missing: Missing[], reference: string): Check {
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
function weakness(secret: string): string | null {
  const bytes = Buffer.byteLength(secret, "utf8");
  if (bytes < 32) return `is ${bytes} bytes long; HS256 needs at least 32 random bytes`;
  if (new Set(secret).size < 8) return "has fewer than 8 distinct characters, not a random value";
  if (/[\s"'#\\$]/.test(secret)) return "holds whitespace, a quote, #, \\ or $, which the two sides' .env readers may read differently";
  return null;
}

/** BETTER_AUTH_SECRET: set for the frontend, and the same in every env file and compose interpolation that holds it. */
export function betterAuthSecretCheck(context: DoctorContext): Check {
  const id = "better-auth-secret";
  if (context.frontendDir === null) return skip(GROUP, id, `${AUTH_SECRET} the same everywhere`, { detail: "no Next.js app found" });
  const frontendFiles = context.frontendEnvFiles();
  if (frontendFiles.some((file) => context.isBroken(file))) return skip(GROUP, id, `${AUTH_SECRET} the same everywhere`, { detail: "an env file does not parse (see above)" });
  const missing: Missing[] = [];
  const holders = fileHolders(context, frontendFiles, AUTH_SECRET);
  if (holders.length === 0) {
    missing.push({ detail: `${listText(frontendFiles)} ${frontendFiles.length > 1 ? "do" : "does"} not set ${AUTH_SECRET}`, fix: `run npx auth-integrator auth, which generates it into ${frontendFiles[0]}` });
  }
  const reference = holders[0]?.where ?? frontendFiles[0];
  const composeEnv = context.composeEnvFile();
  const composed = composeHolder(context, context.compose()?.frontend ?? null, AUTH_SECRET, "frontend", missing);
  if (composed) holders.push(composed);
  else if (composeEnv && !context.isBroken(composeEnv)) holders.push(...fileHolders(context, [composeEnv], AUTH_SECRET));
  return sameEverywhere(id, AUTH_SECRET, holders, missing, reference);
}

/** Shared-secret mode: API_JWT_SECRET the same for the frontend (which signs), the backend (which verifies) and compose; strong; not BETTER_AUTH_SECRET. */
export function apiJwtSecretCheck(context: DoctorContext): Check {
  const id = "api-jwt-secret";
  if (context.mode.value !== "shared-secret") {
    return skip(GROUP, id, `${API_SECRET} the same for the frontend and the backend`, { detail: "jwks mode: the backend verifies Better Auth's public keys, no secret is shared" });
  }
  const frontendFiles = context.frontendEnvFiles();
  const backendFile = context.backendEnvFile;
  const files = [...frontendFiles, ...(backendFile ? [backendFile] : [])];
  if (files.some((file) => context.isBroken(file))) return skip(GROUP, id, `${API_SECRET} the same for the frontend and the backend`, { detail: "an env file does not parse (see above)" });
  const missing: Missing[] = [];
  const frontend = fileHolders(context, frontendFiles, API_SECRET);
  if (frontend.length === 0) missing.push({ detail: `the frontend's env (${listText(frontendFiles)}) does not set ${API_SECRET}, which signs API tokens`, fix: "re-run npx auth-integrator auth --secret-mode shared-secret" });
  const backend = backendFile ? fileHolders(context, [backendFile], API_SECRET) : [];
  if (backendFile && backend.length === 0) missing.push({ detail: `${backendFile} does not set ${API_SECRET}, which the backend verifies tokens with`, fix: `copy ${API_SECRET} from ${frontend[0]?.where ?? frontendFiles[0]} into ${backendFile}` });
  const holders = [...frontend, ...backend];
  const compose = context.compose();
  for (const [service, who] of [[compose?.frontend ?? null, "frontend"], [compose?.backend ?? null, "backend"]] as const) {
    const held = composeHolder(context, service, API_SECRET, who, missing);
    if (held) holders.push(held);
  }
  const check = sameEverywhere(id, API_SECRET, holders, missing, frontend[0]?.where ?? frontendFiles[0]);
  if (check.ok !== true) return check;
  const value = holders[0].value ?? "";
  const weak = weakness(value);
  if (weak) return fail(GROUP, id, check.title, { detail: `${API_SECRET} ${weak}; the backend refuses to start with it`, fix: `generate one (openssl rand -base64 32) and put it in ${listText([...new Set(holders.map((h) => h.where))])}` });
  if (context.frontendValue(AUTH_SECRET)?.value === value) {
    return fail(GROUP, id, check.title, {
      detail: `${API_SECRET} has the same value as ${AUTH_SECRET}; the backend refuses to start with it`,
      fix: `give ${API_SECRET} a value of its own (openssl rand -base64 32), the same on both sides`,
    });
  }
  return check;
}

/**
 * The backend never holds BETTER_AUTH_SECRET (it signs Better Auth's sessions and email links); in jwks mode it holds no
 * API_JWT_SECRET either (nothing to share). Its env file and its compose service are checked.
 */
export function backendSecretsCheck(context: DoctorContext): Check {
  const id = "backend-holds-no-auth-secret";
  const jwks = context.mode.value === "jwks";
  const keys = jwks ? [AUTH_SECRET, API_SECRET] : [AUTH_SECRET];
  const title = jwks ? `the backend holds neither ${AUTH_SECRET} nor ${API_SECRET} (jwks mode)` : `the backend does not hold ${AUTH_SECRET}`;
  if (context.backendDir === null) return skip(GROUP, id, title, { detail: "no FastAPI app found" });
  const found: string[] = [];
  const file = context.backendEnvFile;
  // A backend at the root shares the .env compose interpolates the frontend's secret from: it cannot be moved out of there.
  const shared = file !== null && file === context.composeEnvFile() && context.compose()?.frontend?.env.has(AUTH_SECRET);
  if (file && context.isBroken(file)) return skip(GROUP, id, title, { detail: `${file} does not parse (see above)` });
  for (const key of keys) {
    if (file && context.env(file)?.has(key) && !(shared && key === AUTH_SECRET)) found.push(`${key} in ${file}`);
    const service = context.compose()?.backend;
    if (service?.env.has(key)) found.push(`${key} in ${context.composeFile} (${service.name})`);
  }
  if (found.length === 0) return pass(GROUP, id, title);
  return fail(GROUP, id, title, {
    detail: `found ${listText(found)}`,
    fix: jwks
      ? `remove ${listText(found.map((f) => f.split(" in ")[0]).filter((k, i, all) => all.indexOf(k) === i))} from the backend's env file and compose service: in jwks mode it verifies Better Auth's public keys`
      : `remove ${AUTH_SECRET} from the backend's env file and compose service: it verifies API tokens with ${API_SECRET}, and with ${AUTH_SECRET} it could forge Better Auth's sessions and email links`,
  });
}

export function secretChecks(context: DoctorContext): Check[] {
  // In jwks mode nothing is shared: the backend check says it must hold neither secret.
  const shared = context.mode.value === "shared-secret" ? [apiJwtSecretCheck(context)] : [];
  return [betterAuthSecretCheck(context), ...shared, backendSecretsCheck(context)];
}
