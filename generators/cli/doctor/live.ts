import { randomBytes } from "node:crypto";
import path from "node:path";
import { fail, pass, skip, type Check } from "./check.js";
import type { DoctorContext } from "./context.js";
import { backendPythonFiles } from "./python-files.js";
import { originOf } from "./urls.js";

const GROUP = "live";
/** Each live check makes one request and waits at most this long for it. */
export const LIVE_TIMEOUT_MS = 2000;

export interface LiveOptions {
  /** A real token from Better Auth (GET /api/auth/token while signed in), to check the backend accepts it. */
  token?: string;
  /** The backend's base URL; default NEXT_PUBLIC_API_URL from the frontend's env, else http://localhost:8000. */
  apiUrl?: string;
}

/** One HTTP answer, or why there was none. */
type Answer = { status: number; body: string } | { error: string };

async function request(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  try {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(LIVE_TIMEOUT_MS), redirect: "manual" });
    return { status: response.status, body: (await response.text()).slice(0, 4096) };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const name = (error as Error).name;
    if (name === "TimeoutError" || name === "AbortError") return { error: `no answer within ${LIVE_TIMEOUT_MS / 1000} s` };
    if (cause === "ECONNREFUSED") return { error: "connection refused (nothing listens there)" };
    if (cause === "ENOTFOUND") return { error: "host not found" };
    return { error: cause ?? (error as Error).message };
  }
}

/** `uvicorn main:app`, from the backend module that creates FastAPI(...) (a text search, no parser). */
function startCommand(context: DoctorContext): string {
  const dir = context.backendDir ?? ".";
  for (const file of backendPythonFiles(context)) {
    const variable = /^([A-Za-z_]\w*)\s*(?::[^=\n]+)?=\s*(?:fastapi\.)?FastAPI\(/m.exec(context.text(file) ?? "")?.[1];
    if (!variable) continue;
    const module = path.posix.relative(dir, file).replace(/\.py$/, "").replace(/\/__init__$/, "").split("/").join(".");
    return context.inDir(dir, `uvicorn ${module}:${variable}`);
  }
  return context.inDir(dir, "uvicorn main:app");
}

/** The detail FastAPI put in an error body ({"detail": "token expired"}), for a ✗ line. */
function bodyDetail(body: string): string {
  try {
    const detail = (JSON.parse(body) as { detail?: unknown }).detail;
    return typeof detail === "string" ? `: "${detail.slice(0, 80)}"` : "";
  } catch {
    return "";
  }
}

interface Endpoints {
  me: string;
  issuer: string | null;
  jwks: string | null;
  frontendUrl: string | null;
}

function endpoints(context: DoctorContext, options: LiveOptions): Endpoints {
  const frontendUrl = context.frontendValue("BETTER_AUTH_URL")?.value ?? null;
  const backendEnv = context.backendEnvFile ? context.env(context.backendEnvFile) : null;
  const backendAuthUrl = backendEnv?.get("BETTER_AUTH_URL") ?? frontendUrl;
  const issuer = originOf(frontendUrl ?? backendAuthUrl ?? "");
  const configured = options.apiUrl ?? context.frontendValue("NEXT_PUBLIC_API_URL")?.value ?? context.manifest?.answers.apiUrl ?? "http://localhost:8000";
  // A relative NEXT_PUBLIC_API_URL ("/") is the frontend's own origin, proxied to the API.
  const base = originOf(configured) ? configured : new URL(configured, issuer ?? "http://localhost:3000").href;
  const jwksBase = backendAuthUrl?.trim().replace(/\/+$/, "");
  const jwks = backendEnv?.get("BETTER_AUTH_JWKS_URL")?.trim() || (jwksBase ? `${jwksBase}/api/auth/jwks` : null);
  return { me: `${base.replace(/\/+$/, "")}/api/me`, issuer, jwks, frontendUrl };
}

/** A JWKS key doctor can imitate: its kid and algorithm. */
interface KeyShape {
  kid: string;
  alg: string;
}

/** jwks mode: Better Auth's key set answers at the URL the backend fetches it from, with at least one key. */
async function jwksCheck(context: DoctorContext, urls: Endpoints): Promise<{ check: Check; key: KeyShape | null }> {
  const title = "the JWKS reachable at the backend's configured URL";
  if (!urls.jwks) return { check: fail(GROUP, "jwks", title, { detail: "the backend has no BETTER_AUTH_URL or BETTER_AUTH_JWKS_URL", fix: `set BETTER_AUTH_URL in ${context.backendEnvFile ?? "the backend's .env"}` }), key: null };
  const answer = await request(urls.jwks);
  const where = `GET ${urls.jwks}`;
  const fix = `start the frontend: ${context.inDir(context.frontendDir ?? ".", "npm run dev")}; or point BETTER_AUTH_JWKS_URL in ${context.backendEnvFile ?? "the backend's .env"} at Better Auth's /api/auth/jwks`;
  if ("error" in answer) return { check: fail(GROUP, "jwks", title, { detail: `${where}: ${answer.error}`, fix }), key: null };
  if (answer.status !== 200) return { check: fail(GROUP, "jwks", title, { detail: `${where} answered ${answer.status}`, fix }), key: null };
  let keys: Array<{ kid?: unknown; alg?: unknown; kty?: unknown }> = [];
  try {
    const parsed = JSON.parse(answer.body) as { keys?: unknown };
    if (Array.isArray(parsed.keys)) keys = parsed.keys as typeof keys;
  } catch {
    return { check: fail(GROUP, "jwks", title, { detail: `${where} answered 200 but not JSON: is it Better Auth's endpoint?`, fix }), key: null };
  }
  const usable = keys.find((k) => typeof k.kid === "string" && (k.kty === "OKP" || k.kty === "EC" || k.kty === "RSA"));
  if (!usable) return { check: fail(GROUP, "jwks", title, { detail: `${where} lists no signing key`, fix: "sign in once (Better Auth creates its first key on the first /token or /jwks call), then run doctor again" }), key: null };
  const alg = typeof usable.alg === "string" ? usable.alg : "EdDSA";
  return { check: pass(GROUP, "jwks", `the JWKS reachable at ${urls.jwks} (${keys.length} key${keys.length > 1 ? "s" : ""})`), key: { kid: usable.kid as string, alg } };
}

const now = () => Math.floor(Date.now() / 1000);

/** A token shaped like the frontend's but signed with a key nobody holds: under a real kid when one is known, so only the signature is wrong. */
async function forgedToken(context: DoctorContext, issuer: string, key: KeyShape | null): Promise<string> {
  const { SignJWT, generateKeyPair } = await import("jose");
  const claims = { sub: "auth-integrator-doctor-forged", iss: issuer, aud: issuer, iat: now(), exp: now() + 300 };
  if (context.mode.value === "shared-secret") {
    return new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "at+jwt" }).sign(randomBytes(32));
  }
  const alg = key && ["EdDSA", "ES256", "ES512", "PS256", "RS256"].includes(key.alg) ? key.alg : "EdDSA";
  const { privateKey } = await generateKeyPair(alg, alg === "EdDSA" ? { crv: "Ed25519" } : {});
  return new SignJWT(claims).setProtectedHeader({ alg, kid: key?.kid ?? "auth-integrator-doctor" }).sign(privateKey);
}

/** What a /api/me request without an answer, or with an unexpected one, means for the user. */
function unreachable(context: DoctorContext, urls: Endpoints, answer: Answer): { detail: string; fix: string } | null {
  if ("error" in answer) {
    return { detail: `GET ${urls.me}: ${answer.error}`, fix: `start the backend: ${startCommand(context)}, or pass --api-url with its URL` };
  }
  if (answer.status === 404) return { detail: `GET ${urls.me} answered 404: no /api/me there`, fix: "pass --api-url with the generated backend's URL" };
  if (answer.status === 503) {
    return {
      detail: `GET ${urls.me} answered 503${bodyDetail(answer.body)}: the backend cannot fetch Better Auth's keys${urls.jwks ? ` (${urls.jwks})` : ""}`,
      fix: "start the frontend, or set BETTER_AUTH_JWKS_URL for the backend to where Better Auth serves /api/auth/jwks",
    };
  }
  return null;
}

/** A token signed with a key the backend does not trust is answered 401. */
async function forgedCheck(context: DoctorContext, urls: Endpoints, key: KeyShape | null): Promise<Check> {
  const title = "a forged token refused by the backend's /api/me";
  if (!urls.issuer) return skip(GROUP, "forged-token", title, { detail: "the frontend's BETTER_AUTH_URL is not set (see urls)" });
  const answer = await request(urls.me, { authorization: `Bearer ${await forgedToken(context, urls.issuer, key)}` });
  const problem = unreachable(context, urls, answer);
  if (problem) return fail(GROUP, "forged-token", title, problem);
  const { status, body } = answer as { status: number; body: string };
  if (status === 401) return pass(GROUP, "forged-token", `a forged token refused by ${urls.me} (401)`);
  if (status >= 200 && status < 300) {
    return fail(GROUP, "forged-token", title, {
      detail: `${urls.me} ACCEPTED a token signed with a random key (${status})`,
      fix: "the backend does not verify signatures: make /api/me use the generated get_current_user (re-run npx auth-integrator auth --force for the generated auth files)",
    });
  }
  return fail(GROUP, "forged-token", title, { detail: `${urls.me} answered ${status}${bodyDetail(body)}, not 401`, fix: "check the backend's log; /api/me should answer 401 to a bad token" });
}

/** A token from Better Auth (--token), or in shared-secret mode one doctor signs as the frontend does, is answered 200. */
async function acceptedCheck(context: DoctorContext, urls: Endpoints, options: LiveOptions): Promise<Check> {
  let token = options.token;
  let what = "a token from Better Auth";
  if (!token && context.mode.value === "shared-secret") {
    const secret = context.frontendValue("API_JWT_SECRET")?.value;
    if (!secret || !urls.issuer) return skip(GROUP, "token-accepted", "a token signed with API_JWT_SECRET accepted", { detail: "the frontend's API_JWT_SECRET or BETTER_AUTH_URL is not set (see secrets and urls)" });
    // As the generated lib/auth.ts signs: HS256 with API_JWT_SECRET's UTF-8 bytes, typ at+jwt, sub/iss/aud/iat/exp only.
    const { SignJWT } = await import("jose");
    token = await new SignJWT({ sub: "auth-integrator-doctor", iss: urls.issuer, aud: urls.issuer, iat: now(), exp: now() + 300 })
      .setProtectedHeader({ alg: "HS256", typ: "at+jwt" })
      .sign(new TextEncoder().encode(secret));
    what = `a token signed as Better Auth signs it (HS256, API_JWT_SECRET of ${context.frontendValue("API_JWT_SECRET")!.file})`;
  }
  const title = `${what} accepted by /api/me`;
  if (!token) {
    const tokenUrl = urls.frontendUrl ? `${urls.frontendUrl.replace(/\/+$/, "")}/api/auth/token` : "<BETTER_AUTH_URL>/api/auth/token";
    return skip(GROUP, "token-accepted", title, { detail: `pass --token TOKEN (or set AUTH_INTEGRATOR_TOKEN): the "token" of GET ${tokenUrl} while signed in` });
  }
  const answer = await request(urls.me, { authorization: `Bearer ${token}` });
  const problem = unreachable(context, urls, answer);
  if (problem) return fail(GROUP, "token-accepted", title, problem);
  const { status, body } = answer as { status: number; body: string };
  if (status === 200) {
    let user = "";
    try {
      const id = (JSON.parse(body) as { id?: unknown }).id;
      if (typeof id === "string") user = `, user ${id}`;
    } catch {
      // Not JSON: the status is what counts.
    }
    return pass(GROUP, "token-accepted", `${title} (200${user})`);
  }
  const fix =
    status === 401
      ? options.token
        ? "get a fresh token (they last minutes); if it is fresh, BETTER_AUTH_URL must be the same origin on both sides (the token's iss and aud)"
        : "API_JWT_SECRET and BETTER_AUTH_URL must be the same for the running backend as in the frontend's env (restart it after changing its .env)"
      : "check the backend's log";
  return fail(GROUP, "token-accepted", title, { detail: `${urls.me} answered ${status}${bodyDetail(body)}`, fix });
}

/** The live checks, one request each: the JWKS (jwks mode), a forged token refused, a real (or doctor-signed) token accepted. */
export async function liveChecks(context: DoctorContext, options: LiveOptions): Promise<Check[]> {
  const urls = endpoints(context, options);
  const checks: Check[] = [];
  let key: KeyShape | null = null;
  if (context.mode.value === "jwks") {
    const jwks = await jwksCheck(context, urls);
    checks.push(jwks.check);
    key = jwks.key;
  }
  // The forged and the real token go to the backend at once: two requests, in parallel, each with its own timeout.
  checks.push(...(await Promise.all([forgedCheck(context, urls, key), acceptedCheck(context, urls, options)])));
  return checks;
}
