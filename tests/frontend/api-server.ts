import { createServer } from "node:http";
import { SignJWT } from "jose";

/** One request the fake API received. */
export interface ApiRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: string;
}

export interface FakeApi {
  url: string;
  requests: ApiRequest[];
  /** Tokens the API answers 401 to (as if revoked, or signed with a rotated key). */
  rejected: Set<string>;
  /** Answer 401 to every token (a backend that cannot verify any of them). */
  rejectAll: boolean;
  /** Tokens answered once with the generated backend's 503 "key service unavailable" (a key it is still fetching). */
  keyPendingOnce: Set<string>;
  /** Paths answered 503 with another detail (the route's own outage). */
  unavailable: Set<string>;
  close(): Promise<void>;
}

/**
 * A stand-in for the FastAPI backend on a loopback port: 401 without a bearer token (or with a
 * rejected one), 404 with FastAPI's `{"detail": ...}` for /api/tasks/404, 204 for DELETE, and
 * otherwise a JSON echo of the request, so tests see exactly what the client sent.
 */
export async function startFakeApi(): Promise<FakeApi> {
  const requests: ApiRequest[] = [];
  const rejected = new Set<string>();
  const keyPendingOnce = new Set<string>();
  const unavailable = new Set<string>();
  let fake: FakeApi | null = null;
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const authorization = req.headers.authorization;
      requests.push({ method: req.method!, path: req.url!, authorization, body });
      const reply = (status: number, json?: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, json === undefined ? headers : { "Content-Type": "application/json", ...headers });
        res.end(json === undefined ? undefined : JSON.stringify(json));
      };
      const token = authorization?.match(/^Bearer (.+)$/)?.[1];
      if (!token || rejected.has(token) || fake?.rejectAll) return reply(401, { detail: "Invalid or expired token" });
      if (keyPendingOnce.delete(token)) return reply(503, { detail: "key service unavailable" }, { "Retry-After": "0.2" });
      if (unavailable.has(req.url!)) return reply(503, { detail: "Database unavailable" });
      if (req.url!.endsWith("/404")) return reply(404, { detail: "Task not found" });
      if (req.method === "DELETE") return reply(204);
      reply(200, { method: req.method, path: req.url, body: body ? JSON.parse(body) : null });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  fake = {
    url: `http://127.0.0.1:${port}`,
    requests,
    keyPendingOnce,
    unavailable,
    rejected,
    rejectAll: false,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return fake;
}

const KEY = new TextEncoder().encode("fake-api-signing-key-for-client-tests");

/** A signed JWT with the given claims (seconds), like the ones Better Auth issues. */
export function mintToken(claims: { sub: string; iat?: number; exp?: number }): Promise<string> {
  return new SignJWT({ ...claims }).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(KEY);
}
