import { fail, listText, pass, skip, type Check } from "./check.js";
import type { DoctorContext } from "./context.js";

const GROUP = "urls";
const KEY = "BETTER_AUTH_URL";

/** The origin of an http(s) URL ("http://localhost:3000/" → "http://localhost:3000"), or null when it is not one. */
export function originOf(value: string): string | null {
  try {
    const url = new URL(value.trim());
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * BETTER_AUTH_URL the same origin for the frontend (Better Auth puts it in each token's iss and aud), the backend (which
 * requires exactly that iss and aud) and compose. The frontend's value is the reference.
 */
export function betterAuthUrlCheck(context: DoctorContext): Check {
  const id = "better-auth-url";
  const title = `${KEY} the same for the frontend, the backend and compose`;
  if (context.frontendDir === null || context.backendDir === null) return skip(GROUP, id, title, { detail: "no Next.js or FastAPI app found" });
  const files = [...context.frontendEnvFiles(), ...(context.backendEnvFile ? [context.backendEnvFile] : []), ...(context.composeEnvFile() ? [".env"] : [])];
  if (files.some((file) => context.isBroken(file))) return skip(GROUP, id, title, { detail: "an env file does not parse (see above)" });
  const frontend = context.frontendValue(KEY);
  const problems: string[] = [];
  const fixes: string[] = [];
  if (!frontend) return fail(GROUP, id, title, { detail: `the frontend's env (${listText(context.frontendEnvFiles())}) does not set ${KEY}`, fix: `set ${KEY} to the frontend's origin (e.g. http://localhost:3000) in ${context.frontendEnvFiles()[0]}` });
  const reference = originOf(frontend.value);
  if (reference === null) return fail(GROUP, id, title, { detail: `${frontend.file}: ${KEY} is ${JSON.stringify(frontend.value)}, not an http(s) URL`, fix: `set it to the frontend's origin, e.g. http://localhost:3000` });
  const seen = [frontend.file];
  const compare = (where: string, value: string | null | undefined, fileToFix: string) => {
    if (value === undefined || value === null) return;
    seen.push(where);
    const origin = originOf(value);
    if (origin === reference) return;
    problems.push(`${where} has ${origin === null ? `${JSON.stringify(value)}, not an http(s) URL` : value}`);
    fixes.push(`set ${KEY}=${reference} in ${fileToFix}`);
  };
  const backendFile = context.backendEnvFile;
  const backendValue = backendFile ? context.env(backendFile)?.get(KEY) : undefined;
  if (backendFile && backendValue === undefined) {
    problems.push(`${backendFile} does not set ${KEY} (the backend refuses to start without it)`);
    fixes.push(`set ${KEY}=${reference} in ${backendFile}`);
  }
  compare(backendFile ?? "the backend", backendValue, backendFile ?? "the backend's env file");
  const compose = context.compose();
  let rootEnvCompared = false;
  for (const service of [compose?.frontend, compose?.backend]) {
    const raw = service?.env.get(KEY);
    if (!service || raw === undefined) continue;
    const resolved = context.resolveCompose(raw);
    if (!resolved.literal && resolved.value === null) {
      problems.push(`${compose!.file} interpolates \${${resolved.variable}} for ${service.name}, but .env does not set it`);
      fixes.push(`set ${resolved.variable}=${reference} in .env`);
      continue;
    }
    if (!resolved.literal && resolved.variable === KEY) rootEnvCompared = true;
    compare(resolved.literal ? `${compose!.file} (${service.name})` : `.env (${compose!.file} ${service.name})`, resolved.value, resolved.literal ? compose!.file : ".env");
  }
  if (context.composeEnvFile() && !rootEnvCompared && backendFile !== ".env") compare(".env", context.env(".env")?.get(KEY), ".env");
  const where = listText([...new Set(seen.map((s) => s.replace(/ \(.*\)$/, "")))]);
  if (problems.length > 0) return fail(GROUP, id, title, { detail: `${frontend.file} has ${reference}; ${problems.join("; ")}`, fix: [...new Set(fixes)].join("; ") });
  return pass(GROUP, id, `${KEY} ${reference} in ${where}`);
}

/** NEXT_PUBLIC_API_URL, where the frontend (and doctor --live) reaches FastAPI. */
export function apiUrlCheck(context: DoctorContext): Check {
  const id = "api-url";
  const key = "NEXT_PUBLIC_API_URL";
  if (context.frontendDir === null) return skip(GROUP, id, `${key} set for the frontend`, { detail: "no Next.js app found" });
  if (context.frontendEnvFiles().some((file) => context.isBroken(file))) return skip(GROUP, id, `${key} set for the frontend`, { detail: "an env file does not parse (see above)" });
  const found = context.frontendValue(key);
  if (!found) {
    return fail(GROUP, id, `${key} set for the frontend`, {
      detail: `${listText(context.frontendEnvFiles())} do not set it: the API client cannot reach the backend`,
      fix: `set ${key}=http://localhost:8000 (the backend's URL) in ${context.frontendEnvFiles()[0]}`,
    });
  }
  return pass(GROUP, id, `${key} ${found.value} in ${found.file}`);
}

export function urlChecks(context: DoctorContext): Check[] {
  return [betterAuthUrlCheck(context), apiUrlCheck(context)];
}
