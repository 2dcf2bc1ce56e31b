import { KeyObject, sign as signBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK, type JWTPayload } from "jose";

/** A stand-in for Better Auth's GET /api/auth/jwks: one Ed25519 key, a hit counter, and an off switch. */
export interface JwksServer {
  url: string;
  kid: string;
  publicJwk: JWK;
  /** How many times the key set was requested. */
  fetches(): number;
  /** While false, every request gets its connection reset (the endpoint is unreachable). */
  setAvailable(available: boolean): void;
  /** An EdDSA token signed with the served key, `kid` in its header unless overridden. */
  sign(claims: JWTPayload, header?: Record<string, unknown>): Promise<string>;
  /** Signs any header and payload with the served key, unchecked (for headers no JWT library would write). */
  signRaw(header: Record<string, unknown>, payload: unknown): string;
  stop(): Promise<void>;
}

/** Starts the key set server on a free loopback port. */
export async function startJwksServer(kid = "test-key-1"): Promise<JwksServer> {
  const { publicKey, privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "EdDSA" };
  const body = JSON.stringify({ keys: [publicJwk] });
  let fetches = 0;
  let available = true;
  const server: Server = createServer((request, response) => {
    if (!available) {
      request.socket.destroy();
      return;
    }
    fetches++;
    response.writeHead(200, { "content-type": "application/json" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/auth/jwks`,
    kid,
    publicJwk,
    fetches: () => fetches,
    setAvailable: (value) => {
      available = value;
    },
    sign: (claims, header = {}) => signEdDsa(privateKey, claims, { kid, ...header }),
    signRaw: (header, payload) => signCompactRaw(privateKey, header, payload),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function signEdDsa(key: CryptoKey, claims: JWTPayload, header: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ ...header, alg: "EdDSA" }).sign(key);
}

const encodePart = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** header.payload.signature with Ed25519 over whatever JSON is given. */
function signCompactRaw(key: CryptoKey, header: Record<string, unknown>, payload: unknown): string {
  const input = `${encodePart(header)}.${encodePart(payload)}`;
  const signature = signBytes(null, Buffer.from(input), KeyObject.from(key));
  return `${input}.${signature.toString("base64url")}`;
}
