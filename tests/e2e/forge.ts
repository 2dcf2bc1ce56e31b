import { createPublicKey } from "node:crypto";
import { SignJWT, generateKeyPair, type JWK, type JWTPayload } from "jose";

/** Forged tokens a verifier must refuse, made from a real token's header and claims. */

const encodePart = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const decodePart = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;

/** The decoded header and claims of a compact JWS. */
export function decodeToken(token: string): { header: Record<string, unknown>; payload: JWTPayload } {
  const [header, payload] = token.split(".");
  return { header: decodePart(header), payload: decodePart(payload) as JWTPayload };
}

/** The same claims with `alg: "none"` and no signature (the header's letter case is a parameter). */
export function withAlgNone(token: string, alg = "none"): string {
  const { payload } = decodeToken(token);
  return `${encodePart({ alg, typ: "JWT" })}.${encodePart(payload)}.`;
}

/** The real header and signature over claims changed by `patch`: the signature no longer matches. */
export function withTamperedPayload(token: string, patch: JWTPayload): string {
  const [header, payload, signature] = token.split(".");
  return `${header}.${encodePart({ ...decodePart(payload), ...patch })}.${signature}`;
}

/** HS256 over the token's claims keyed with the given bytes, keeping its `kid` (the algorithm-confusion attack). */
export function signHs256(token: string, key: Uint8Array, patch: JWTPayload = {}): Promise<string> {
  const { header, payload } = decodeToken(token);
  const kid = typeof header.kid === "string" ? header.kid : undefined;
  return new SignJWT({ ...payload, ...patch }).setProtectedHeader({ alg: "HS256", typ: "JWT", kid }).sign(key);
}

/** The forms of a public key an attacker might try as an HMAC secret: its SPKI PEM, its JWK JSON, and its raw `x`/`n`. */
export function publicKeyAsSecrets(jwk: JWK): { label: string; key: Uint8Array }[] {
  const pem = createPublicKey({ key: jwk as import("node:crypto").JsonWebKey, format: "jwk" }).export({ type: "spki", format: "pem" }).toString();
  const raw = jwk.x ?? jwk.n;
  const forms = [
    { label: "the public key's PEM", key: new TextEncoder().encode(pem) },
    { label: "the public key's JWK JSON", key: new TextEncoder().encode(JSON.stringify(jwk)) },
  ];
  if (raw) forms.push({ label: "the public key's raw bytes", key: new Uint8Array(Buffer.from(raw, "base64url")) });
  return forms;
}

/** The token's claims signed by a fresh Ed25519 key of the attacker's, under the real token's `kid`. */
export async function signWithAttackerKey(token: string): Promise<string> {
  const { header, payload } = decodeToken(token);
  const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
  const kid = typeof header.kid === "string" ? header.kid : undefined;
  return new SignJWT(payload).setProtectedHeader({ alg: "EdDSA", kid }).sign(privateKey);
}
