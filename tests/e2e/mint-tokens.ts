/**
 * Child-process script: `node --import tsx mint-tokens.ts <lib/auth.ts>` with the auth server's cwd and env,
 * a JSON array of claim sets on stdin; prints a JSON array of tokens signed by that Better Auth instance's
 * own key (its server-only `signJWT` endpoint). Lets the tests make validly signed tokens with a wrong
 * issuer or a past expiry, which only the server's key can produce.
 */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

interface SignJwtApi {
  api: { signJWT(input: { body: { payload: Record<string, unknown> } }): Promise<{ token: string }> };
}

const authFile = process.argv[2];
if (!authFile) throw new Error("usage: mint-tokens.ts <path to lib/auth.ts> < payloads.json");
const payloads = JSON.parse(readFileSync(0, "utf8")) as Record<string, unknown>[];
const loaded = (await import(pathToFileURL(authFile).href)) as { auth?: SignJwtApi; default?: { auth?: SignJwtApi } };
// tsx compiles a CommonJS-typed project's .ts as CommonJS: the named export may sit on `default`.
const auth = loaded.auth ?? loaded.default?.auth;
if (!auth) throw new Error(`${authFile} exports no \`auth\``);
const tokens: string[] = [];
for (const payload of payloads) tokens.push((await auth.api.signJWT({ body: { payload } })).token);
process.stdout.write(JSON.stringify(tokens));
