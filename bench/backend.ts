/**
 * Backend benchmark: a generated FastAPI backend (jwks mode) under uvicorn with one worker, loaded with
 * wrk on loopback. Prints authenticated GET /api/me and the app's unauthenticated async /health in
 * requests/second and their ratio (target >= 0.85), then the JWKS fetches during 10,000 authenticated
 * requests made with 100 distinct tokens (target: 1).
 * Needs wrk: `apt-get update && apt-get install -y wrk`.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { flatBackend, generatedFixture } from "../tests/backend/fixtures.js";
import { startJwksServer, type JwksServer } from "../tests/backend/jwks-server.js";
import { startBackend, type RunningBackend } from "../tests/backend/uvicorn.js";
import { removeFixture } from "../tests/helpers/fixture.js";

const DURATION = process.env.BENCH_WRK_DURATION ?? "5s";
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const COUNTED_REQUESTS = 10_000;
const DISTINCT_TOKENS = 100;
const ISSUER = "http://127.0.0.1:3999";

/** wrk's requests/second for one URL (2 threads, 20 connections, bounded duration). */
function wrk(url: string, headers: string[] = []): number {
  const args = ["-t2", "-c20", `-d${DURATION}`, "--latency", ...headers.flatMap((h) => ["-H", h]), url];
  const output = execFileSync("wrk", args, { encoding: "utf8" });
  if (/Non-2xx or 3xx responses/.test(output)) throw new Error(`wrk saw error responses from ${url}:\n${output}`);
  const match = /Requests\/sec:\s+([\d.]+)/.exec(output);
  if (!match) throw new Error(`no Requests/sec in wrk's output:\n${output}`);
  return Number(match[1]);
}

function tokenClaims(user: string) {
  const now = Math.floor(Date.now() / 1000);
  return { sub: user, id: user, email: `${user}@example.com`, name: user, iss: ISSUER, aud: ISSUER, iat: now, exp: now + 3600 };
}

/** Sends `total` authenticated requests, `concurrency` at a time, cycling through the tokens; throws on any non-200. */
async function authenticatedRequests(url: string, tokens: string[], total: number, concurrency = 20): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const token = tokens[next++ % tokens.length];
      const response = await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`GET /api/me answered ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

export async function benchBackend(): Promise<{ health: number; me: number; ratio: number; fetches: number }> {
  const { root } = generatedFixture(flatBackend(), { secretMode: "jwks" });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "bench-backend-db-"));
  let jwks: JwksServer | undefined;
  let api: RunningBackend | undefined;
  try {
    jwks = await startJwksServer();
    api = await startBackend(path.join(root, "backend"), "main:app", {
      BETTER_AUTH_URL: ISSUER,
      BETTER_AUTH_JWKS_URL: jwks.url,
      DATABASE_URL: `sqlite:///${path.join(dataDir, "bench.db")}`,
    });
    const tokens = await Promise.all(Array.from({ length: DISTINCT_TOKENS }, (_, i) => jwks!.sign(tokenClaims(`user-${i}`))));

    await authenticatedRequests(api.url, tokens, COUNTED_REQUESTS);
    const fetches = jwks.fetches();

    const auth = [`Authorization: Bearer ${tokens[0]}`];
    let health = 0;
    let me = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // Interleaved, best of each: drift in machine load hits both sides alike.
      health = Math.max(health, wrk(`${api.url}/health`));
      me = Math.max(me, wrk(`${api.url}/api/me`, auth));
    }
    return { health, me, ratio: me / health, fetches };
  } finally {
    await api?.stop();
    await jwks?.stop();
    removeFixture(root);
    removeFixture(dataDir);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { health, me, ratio, fetches } = await benchBackend();
  console.log(`backend: GET /health ${health.toFixed(0)} req/s, authenticated GET /api/me ${me.toFixed(0)} req/s (wrk -t2 -c20 -d${DURATION}, best of ${ROUNDS})`);
  console.log(`backend /api/me vs /health ratio: ${ratio.toFixed(2)} (target >= 0.85)`);
  console.log(`backend JWKS fetches during ${COUNTED_REQUESTS} authenticated requests (${DISTINCT_TOKENS} tokens): ${fetches} (target: 1)`);
}
