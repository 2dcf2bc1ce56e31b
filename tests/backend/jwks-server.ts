import { KeyObject, randomBytes, sign as signBytes } from "node:crypto";
import { createServer, type ServerResponse, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK, type JWTPayload } from "jose";

/** A stand-in for Better Auth's GET /api/auth/jwks: signing keys, a hit counter, and an off switch. */
export interface JwksServer {
  url: string;
  /** The kid of the first (EdDSA) key, which `sign` uses. */
  kid: string;
  publicJwk: JWK;
  /** The symmetric key listed in the set when asked for (a verifier must never use it), else null. */
  symmetricJwk: JWK | null;
  /** How many times the key set was requested. */
  fetches(): number;
  /** While false, every request gets its connection reset (the endpoint is unreachable). */
  setAvailable(available: boolean): void;
  /** While true, requests are accepted and never answered (a hanging endpoint); set false to answer them. */
  setHanging(hanging: boolean): void;
  /** Adds a new EdDSA key to the served set (a rotation) and returns a signer with it, under kid `kid`. */
  rotate(kid: string): Promise<(claims: JWTPayload) => Promise<string>>;
  /** A token signed with the first (EdDSA) key, `kid` in its header unless overridden. */
  sign(claims: JWTPayload, header?: Record<string, unknown>): Promise<string>;
  /** A token signed with the served key of that algorithm (see `algorithms`), under that key's kid. */
  signWith(alg: string, claims: JWTPayload): Promise<string>;
  /** Signs any header and payload with the EdDSA key, unchecked (for headers no JWT library would write). */
  signRaw(header: Record<string, unknown>, payload: unknown): string;
  stop(): Promise<void>;
}

export interface JwksServerOptions {
  kid?: string;
  /** More asymmetric keys to serve besides the EdDSA one, e.g. ["ES256", "RS256"]; kid = the algorithm in lower case. */
  algorithms?: string[];
  /** Also list an HS256 "oct" key (kid "hmac"), as a misconfigured or hostile key set might. */
  withSymmetricKey?: boolean;
}

/** Starts the key set server on a free loopback port. */
export async function startJwksServer(options: JwksServerOptions = {}): Promise<JwksServer> {
  const kid = options.kid ?? "test-key-1";
  const { publicKey, privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "EdDSA" };
  const extra = new Map<string, CryptoKey>();
  const keys: JWK[] = [publicJwk];
  for (const alg of options.algorithms ?? []) {
    const pair = await generateKeyPair(alg);
    extra.set(alg, pair.privateKey);
    keys.push({ ...(await exportJWK(pair.publicKey)), kid: alg.toLowerCase(), alg });
  }
  const symmetricJwk = options.withSymmetricKey ? { kty: "oct", k: randomBytes(32).toString("base64url"), kid: "hmac", alg: "HS256" } : null;
  if (symmetricJwk) keys.push(symmetricJwk);

  let fetches = 0;
  let available = true;
  let hanging = false;
  const parked: ServerResponse[] = [];
  const answer = (response: ServerResponse) => response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys }));
  const server: Server = createServer((request, response) => {
    if (!available) {
      request.socket.destroy();
      return;
    }
    fetches++;
    if (hanging) parked.push(response);
    else answer(response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/auth/jwks`,
    kid,
    publicJwk,
    symmetricJwk,
    fetches: () => fetches,
    setAvailable: (value) => {
      available = value;
    },
    setHanging: (value) => {
      hanging = value;
      if (!hanging) parked.splice(0).forEach((response) => response.destroyed || answer(response));
    },
    rotate: async (newKid) => {
      const pair = await generateKeyPair("EdDSA", { crv: "Ed25519" });
      keys.push({ ...(await exportJWK(pair.publicKey)), kid: newKid, alg: "EdDSA" });
      return (claims) => new SignJWT(claims).setProtectedHeader({ alg: "EdDSA", kid: newKid }).sign(pair.privateKey);
    },
    sign: (claims, header = {}) => new SignJWT(claims).setProtectedHeader({ kid, ...header, alg: "EdDSA" }).sign(privateKey),
    signWith: (alg, claims) => {
      const key = extra.get(alg);
      if (!key) throw new Error(`no ${alg} key is served`);
      return new SignJWT(claims).setProtectedHeader({ alg, kid: alg.toLowerCase() }).sign(key);
    },
    signRaw: (header, payload) => signCompactRaw(privateKey, header, payload),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const encodePart = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** header.payload.signature with Ed25519 over whatever JSON is given. */
function signCompactRaw(key: CryptoKey, header: Record<string, unknown>, payload: unknown): string {
  const input = `${encodePart(header)}.${encodePart(payload)}`;
  const signature = signBytes(null, Buffer.from(input), KeyObject.from(key));
  return `${input}.${signature.toString("base64url")}`;
}
