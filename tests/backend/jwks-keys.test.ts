/**
 * A generated jwks-mode backend under uvicorn and a key rotation or a flood of made-up key ids: a key Better
 * Auth rotates in is accepted within a second, and 60 requests naming made-up kids while the key server hangs
 * leave a cached user's sync (`def`, threadpool) route as fast as before. Each case has a backend of its own.
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sleep } from "../e2e/processes.js";
import { removeFixture } from "../helpers/fixture.js";
import { ALICE, claimsFrom } from "./claims.js";
import { flatBackend, generatedFixture } from "./fixtures.js";
import { startJwksServer, type JwksServer } from "./jwks-server.js";
import { startBackend, type RunningBackend } from "./python.js";

const ISSUER = "http://127.0.0.1:3999";
const claims = claimsFrom(ISSUER);
const roots: string[] = [];
const servers: { stop(): Promise<void> }[] = [];

async function status(url: string, token: string): Promise<number> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(15_000) });
  await response.arrayBuffer();
  return response.status;
}

/** A flat jwks-mode backend (sync SQLite session: GET /api/tasks is a `def` route) on its own key server. */
async function backendWithKeys(): Promise<{ api: RunningBackend; jwks: JwksServer }> {
  const { root } = generatedFixture(flatBackend(), { secretMode: "jwks", routeStyle: "flat" });
  const dbDir = mkdtempSync(path.join(os.tmpdir(), "auth-integrator-keys-db-"));
  roots.push(root, dbDir);
  const jwks = await startJwksServer();
  servers.push(jwks);
  const env = { BETTER_AUTH_URL: ISSUER, BETTER_AUTH_JWKS_URL: jwks.url, DATABASE_URL: `sqlite:///${path.join(dbDir, "tasks.db")}` };
  const api = await startBackend(path.join(root, "backend"), "main:app", env);
  servers.push(api);
  // The app fetches the key set in the background as it starts: wait until a valid token is answered.
  const token = await jwks.sign(claims(ALICE));
  const deadline = Date.now() + 10_000;
  while ((await status(`${api.url}/api/me`, token)) !== 200) {
    if (Date.now() > deadline) throw new Error("the backend never held the key set");
    await sleep(50);
  }
  return { api, jwks };
}

afterAll(async () => {
  for (const server of servers.reverse()) await server.stop();
  roots.forEach(removeFixture);
});

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

describe("a key Better Auth rotates in after start-up", () => {
  it("is accepted within 1 s of the rotation (503 with Retry-After: 1 meanwhile, never a wait)", async () => {
    const { api, jwks } = await backendWithKeys();
    // Right after the start-up fetch: the worst moment, as the set just fetched is taken as fresh for a moment.
    const signWithNewKey = await jwks.rotate("rotated-key");
    const token = await signWithNewKey(claims(ALICE));
    const rotatedAt = performance.now();
    const answers: number[] = [];
    while (performance.now() - rotatedAt < 3000) {
      const asked = performance.now();
      answers.push(await status(`${api.url}/api/me`, token));
      expect(performance.now() - asked, "an answer waited").toBeLessThan(500);
      if (answers.at(-1) === 200) break;
      await sleep(50);
    }
    expect(answers.at(-1), answers.join(" ")).toBe(200);
    expect(performance.now() - rotatedAt).toBeLessThan(1000);
    expect(new Set(answers.slice(0, -1)).size <= 2 && answers.slice(0, -1).every((s) => s === 401 || s === 503), answers.join(" ")).toBe(true);
    expect(jwks.fetches()).toBe(2);
  });
});

describe("a flood of made-up kids while the key server hangs", () => {
  let api: RunningBackend;
  let jwks: JwksServer;
  let fetchedAt = 0;
  let user = "";
  beforeAll(async () => {
    ({ api, jwks } = await backendWithKeys());
    fetchedAt = Date.now();
    user = await jwks.sign(claims(ALICE));
    expect(await status(`${api.url}/api/tasks`, user)).toBe(200); // now verified and cached
  });

  /** The time (ms) `count` sequential requests to the sync route take, with the user's cached token. */
  async function syncRound(count: number): Promise<number> {
    const started = performance.now();
    for (let n = 0; n < count; n++) expect(await status(`${api.url}/api/tasks`, user)).toBe(200);
    return performance.now() - started;
  }

  it("does not slow a cached user's sync route by more than 10% (medians of alternating rounds)", async () => {
    // Long after the last fetch, so that every refetch rule (this verifier's 3 s, or the 30 s cooldown of
    // the versions that parked such requests on threads) lets a made-up kid start a fetch, which hangs.
    await sleep(Math.max(0, fetchedAt + 31_000 - Date.now()));
    jwks.setHanging(true);
    const floodStarted = Date.now();
    // Rounds of ~1 s: the flood's own 60 answers cost the event loop (and this client) ~50 ms of it. Other
    // processes on a busy 2-core machine slow rounds at random, so rounds alternate, medians are compared,
    // and more rounds are added (up to MAX_ROUNDS) while the medians say otherwise.
    const REQUESTS = 250;
    const MIN_ROUNDS = 5;
    const MAX_ROUNDS = 12;
    const tokens = await Promise.all(Array.from({ length: MAX_ROUNDS * 60 }, (_, n) => jwks.sign(claims(ALICE), { kid: `made-up-${n}` })));
    await syncRound(50); // warm-up
    const baseline: number[] = [];
    const flooded: number[] = [];
    const floodAnswers: number[] = [];
    let ratio = Infinity;
    for (let round = 0; round < MAX_ROUNDS && (round < MIN_ROUNDS || ratio > 1.1); round++) {
      baseline.push(await syncRound(REQUESTS));
      const flood = Promise.all(tokens.slice(round * 60, round * 60 + 60).map((token) => status(`${api.url}/api/me`, token)));
      flooded.push(await syncRound(REQUESTS));
      floodAnswers.push(...(await flood));
      ratio = median(flooded) / median(baseline);
    }
    const report = `baseline ${baseline.map((t) => t.toFixed(0)).join(" ")} ms, flooded ${flooded.map((t) => t.toFixed(0)).join(" ")} ms, ratio ${ratio.toFixed(3)}`;
    expect(ratio, report).toBeLessThanOrEqual(1.1);
    expect(new Set(floodAnswers), report).toEqual(new Set([503]));
    // The start-up fetch, then one hanging fetch at a time: each times out after 5 s, and the next starts 2 s later.
    expect(jwks.fetches(), report).toBeLessThanOrEqual(1 + Math.ceil((Date.now() - floodStarted) / 7000));
    jwks.setHanging(false);
  }, 120_000);
});
