import type { Statement } from "../statement.js";
import { negated, type Match } from "./reader.js";

const SHARED =
  /\bHS256\b|\bshared[- ]secret\b|\bsymmetric(?:ally)?\b|\bsame\s+BETTER_AUTH_SECRET\b|\b(?:verif|decod|validat|check)\w*\b[^.;\n]{0,40}?\b(?:with|using|against|via)\s+(?:the\s+)?(?:same\s+)?BETTER_AUTH_SECRET\b|\bBETTER_AUTH_SECRET\b[^.;\n]{0,60}?\b(?:both|backend|fastapi|shared)\b|\b(?:backend|fastapi)\b[^.;\n]{0,40}?\b(?:reads?|uses?|loads?|knows?|gets?|has)\b[^.;\n]{0,20}?\bBETTER_AUTH_SECRET\b/gi;
const JWKS = /jwks|\bJWKClient\b|\bEdDSA\b|\bEd25519\b|\bRS256\b|\bES256\b|\bpublic[- ]keys?\b|\basymmetric(?:ally)?\b/gi;
const BACKEND_SCOPE = /\bbackend\b|fastapi|python|uvicorn|\.py\b|\bapi\/\.env|backend\//i;

/**
 * secretMode: HS256, a shared secret or the same BETTER_AUTH_SECRET on both sides → shared-secret; JWKS, EdDSA,
 * RS256, ES256 or a public key → jwks. "The JWT plugin" alone says neither. BETTER_AUTH_SECRET set in a backend
 * env block (or Python) is the backend sharing the secret.
 */
export function readSecretMode(s: Statement): Match[] {
  if (!/hs256|secret|symmetric|jwk|eddsa|ed25519|rs256|es256|public[- ]key/i.test(s.text)) return [];
  const matches: Match[] = [];
  for (const [pattern, value] of [[SHARED, "shared-secret"], [JWKS, "jwks"]] as const) {
    for (const m of s.text.matchAll(pattern)) {
      if (!negated(s.text, m.index, m.index + m[0].length)) matches.push({ key: "secretMode", value, index: m.index });
    }
  }
  const env = /\bBETTER_AUTH_SECRET\s*[=:]/.exec(s.text);
  if (s.kind === "code" && env && (s.lang === "python" || s.lang === "py" || BACKEND_SCOPE.test(s.scope))) {
    matches.push({ key: "secretMode", value: "shared-secret", index: env.index });
  }
  return matches;
}
