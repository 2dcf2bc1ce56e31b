/**
 * Backend benchmark: a generated FastAPI backend (jwks mode) under uvicorn with one worker, loaded with
 * wrk on loopback. Prints, in requests/second (medians of interleaved rounds), authenticated GET /api/me
 * and the same handler without the auth dependency (an async route added for the benchmark that returns
 * the same AuthUser), and the median of the rounds' ratios: what authentication costs (target >= 0.95);
 * the app's /health for reference; then the JWKS fetches during 10,000 authenticated requests made with
 * 100 distinct tokens (target: 1).
 * Needs wrk: `apt-get update && apt-get install -y wrk`.
 */
import { appendFileSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DURATION, PINNED, WRK_ARGS, median, wrk, wrkWithServerCpu } from "./wrk.js";
import { flatBackend, generatedFixture } from "../tests/backend/fixtures.js";
import { startJwksServer, type JwksServer } from "../tests/backend/jwks-server.js";
import { startBackend, type RunningBackend } from "../tests/backend/python.js";
import { removeFixture } from "../tests/helpers/fixture.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const COUNTED_REQUESTS = 10_000;
const DISTINCT_TOKENS = 100;
const ISSUER = "http://127.0.0.1:3999";
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

/** /api/me's handler without its auth dependency: the same response model and body, no token. */
const OPEN_ME_ROUTE = `

from routes.auth import AuthUser


@app.get("/bench/open-me")
async def bench_open_me() -> AuthUser:
    return AuthUser(id="user-0", email="user-0@example.com", name="user-0")
`;

type Served = ReturnType<typeof wrkWithServerCpu>;

export interface BackendBench {
  health: number;
  open: number;
  me: number;
  /** Authenticated vs open requests/second (wall clock), median of the rounds' ratios. */
  ratio: number;
  ratios: number[];
  /** The same ratio in requests per CPU-second of the server: what auth costs the server, apart from the machine's other load. */
  cpuRatio: number | null;
  cpuRatios: number[];
  fetches: number;
}

export async function benchBackend(): Promise<BackendBench> {
  const { root } = generatedFixture(flatBackend(), { secretMode: "jwks" });
  appendFileSync(path.join(root, "backend", "main.py"), OPEN_ME_ROUTE);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "bench-backend-db-"));
  let jwks: JwksServer | undefined;
  let api: RunningBackend | undefined;
  try {
    jwks = await startJwksServer();
    const env = { BETTER_AUTH_URL: ISSUER, BETTER_AUTH_JWKS_URL: jwks.url, DATABASE_URL: `sqlite:///${path.join(dataDir, "bench.db")}` };
    api = await startBackend(path.join(root, "backend"), "main:app", env, PINNED ? { cpu: 0 } : {});
    const tokens = await Promise.all(Array.from({ length: DISTINCT_TOKENS }, (_, i) => jwks!.sign(tokenClaims(`user-${i}`))));

    await authenticatedRequests(api.url, tokens, COUNTED_REQUESTS);
    const fetches = jwks.fetches();

    const auth = [`Authorization: Bearer ${tokens[0]}`];
    const health: number[] = [];
    const open: Served[] = [];
    const me: Served[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Interleaved: drift in machine load hits both sides alike; each round gives one ratio.
      health.push(wrk(`${api.url}/health`));
      open.push(wrkWithServerCpu(`${api.url}/bench/open-me`, api.process.pid));
      me.push(wrkWithServerCpu(`${api.url}/api/me`, api.process.pid, auth));
    }
    const ratios = me.map((value, i) => value.perSecond / open[i].perSecond);
    const cpuRatios = me.flatMap((value, i) => (value.perCpuSecond && open[i].perCpuSecond ? [value.perCpuSecond / open[i].perCpuSecond] : []));
    return {
      health: median(health),
      open: median(open.map((o) => o.perSecond)),
      me: median(me.map((m) => m.perSecond)),
      ratio: median(ratios),
      ratios,
      cpuRatio: cpuRatios.length > 0 ? median(cpuRatios) : null,
      cpuRatios,
      fetches,
    };
  } finally {
    await api?.stop();
    await jwks?.stop();
    removeFixture(root);
    removeFixture(dataDir);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { health, open, me, ratio, ratios, cpuRatio, cpuRatios, fetches } = await benchBackend();
  const setup = `${WRK_ARGS.slice(PINNED ? 3 : 0).join(" ")} -d${DURATION}${PINNED ? ", wrk and uvicorn pinned to separate cores" : ""}`;
  console.log(`backend: authenticated GET /api/me ${me.toFixed(0)} req/s, the same handler without auth ${open.toFixed(0)} req/s, GET /health ${health.toFixed(0)} req/s (median of ${ROUNDS} interleaved rounds; ${setup})`);
  const rounds = (values: number[]) => values.map((r) => r.toFixed(2)).join(" ");
  console.log(`backend authenticated vs unauthenticated ratio: ${ratio.toFixed(2)} in requests/second (rounds: ${rounds(ratios)})`);
  if (cpuRatio !== null) {
    console.log(`backend authenticated vs unauthenticated ratio per server CPU-second: ${cpuRatio.toFixed(2)} (target >= 0.95; rounds: ${rounds(cpuRatios)})`);
  }
  console.log(`backend JWKS fetches during ${COUNTED_REQUESTS} authenticated requests (${DISTINCT_TOKENS} tokens): ${fetches} (target: 1)`);
}
