import { AUTH_SECRETS_KEY } from "../../lib/secret-versions.js";
import { fail, listText, pass, skip, type Check } from "./check.js";
import type { DoctorContext } from "./context.js";
import { betterAuthSecrets, composeHolder, fileHolders, GROUP, sameEverywhere, weakness, type Missing } from "./holders.js";
import { apiJwtSecretPreviousCheck, betterAuthSecretsCheck } from "./rotated-secrets.js";

const AUTH_SECRET = "BETTER_AUTH_SECRET";
const API_SECRET = "API_JWT_SECRET";
const API_PREVIOUS = "API_JWT_SECRET_PREVIOUS";

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
  const same = betterAuthSecrets(context).find((secret) => secret.value === value);
  if (same) {
    return fail(GROUP, id, check.title, {
      detail: `${API_SECRET} has the same value as ${same.name}; the backend refuses to start with it`,
      fix: `give ${API_SECRET} a value of its own (openssl rand -base64 32), the same on both sides`,
    });
  }
  return check;
}

/**
 * The backend never holds BETTER_AUTH_SECRET or BETTER_AUTH_SECRETS (they sign Better Auth's sessions and email links); in
 * jwks mode it holds no API_JWT_SECRET (or _PREVIOUS) either (nothing to share). Its env file and its compose service are checked.
 */
export function backendSecretsCheck(context: DoctorContext): Check {
  const id = "backend-holds-no-auth-secret";
  const jwks = context.mode.value === "jwks";
  const keys = jwks ? [AUTH_SECRET, AUTH_SECRETS_KEY, API_SECRET, API_PREVIOUS] : [AUTH_SECRET, AUTH_SECRETS_KEY];
  const title = jwks ? `the backend holds neither ${AUTH_SECRET}(S) nor ${API_SECRET} (jwks mode)` : `the backend does not hold ${AUTH_SECRET} or ${AUTH_SECRETS_KEY}`;
  if (context.backendDir === null) return skip(GROUP, id, title, { detail: "no FastAPI app found" });
  const found: string[] = [];
  const file = context.backendEnvFile;
  // A backend at the root shares the .env compose interpolates the frontend's secret from: it cannot be moved out of there.
  const shared = (key: string) => key !== API_SECRET && key !== API_PREVIOUS && file !== null && file === context.composeEnvFile() && context.compose()?.frontend?.env.has(key);
  if (file && context.isBroken(file)) return skip(GROUP, id, title, { detail: `${file} does not parse (see above)` });
  for (const key of keys) {
    if (file && context.env(file)?.has(key) && !shared(key)) found.push(`${key} in ${file}`);
    const service = context.compose()?.backend;
    if (service?.env.has(key)) found.push(`${key} in ${context.composeFile} (${service.name})`);
  }
  if (found.length === 0) return pass(GROUP, id, title);
  const foundKeys = listText([...new Set(found.map((f) => f.split(" in ")[0]))]);
  return fail(GROUP, id, title, {
    detail: `found ${listText(found)}`,
    fix: jwks
      ? `remove ${foundKeys} from the backend's env file and compose service: in jwks mode it verifies Better Auth's public keys`
      : `remove ${foundKeys} from the backend's env file and compose service: it verifies API tokens with ${API_SECRET}, and with ${foundKeys} it could forge Better Auth's sessions and email links`,
  });
}

export function secretChecks(context: DoctorContext): Check[] {
  // In jwks mode nothing is shared: the backend check says it must hold neither secret.
  const shared = context.mode.value === "shared-secret" ? [apiJwtSecretCheck(context), apiJwtSecretPreviousCheck(context)] : [];
  return [betterAuthSecretCheck(context), betterAuthSecretsCheck(context), ...shared, backendSecretsCheck(context)];
}
