/**
 * Token requests made by the generated lib/api.ts: 100 API calls within one token lifetime should
 * cost one token request (target 1), also with the session user check, and 20 concurrent first calls should share one.
 * Runs the real generated file against a local HTTP API; the token source counts its calls and
 * takes 10 ms, like a round trip to /api/auth/token.
 */
import { symlinkSync } from "node:fs";
import path from "node:path";
import { removeFixture } from "../tests/helpers/fixture.js";
import { mintToken, startFakeApi } from "../tests/frontend/api-server.js";
import { commit, planOn, REPO } from "../tests/frontend/generated-project.js";

interface GeneratedApi {
  createApiClient(options: {
    getToken: () => Promise<string | null>;
    baseUrl: string;
    sessionUserId?: () => string | null | undefined;
  }): { apiFetch(path: string): Promise<Response> };
}

const CALLS = 100;
const CONCURRENT = 20;
const TOKEN_LATENCY_MS = 10;

const planned = planOn({});
commit(planned);
symlinkSync(path.join(REPO, "node_modules"), path.join(planned.root, "web/node_modules"), "dir");
const api = await startFakeApi();

try {
  const { createApiClient } = (await import(path.join(planned.root, "web/lib/api.ts"))) as GeneratedApi;
  let tokenRequests = 0;
  const getToken = async () => {
    tokenRequests++;
    await new Promise((resolve) => setTimeout(resolve, TOKEN_LATENCY_MS));
    const iat = Math.floor(Date.now() / 1000);
    return mintToken({ sub: "bench-user", iat, exp: iat + 15 * 60 });
  };

  const newClient = () => createApiClient({ getToken, baseUrl: api.url });

  /** Token requests and elapsed time of a run. */
  const measure = async (run: () => Promise<unknown>) => {
    tokenRequests = 0;
    const started = performance.now();
    await run();
    return { tokenRequests, ms: Math.round(performance.now() - started) };
  };

  const sequential = await measure(async () => {
    const { apiFetch } = newClient();
    for (let i = 0; i < CALLS; i++) await apiFetch("/api/tasks");
  });
  // As in the browser: each call first checks the cached token against the session's user id.
  const withSessionCheck = await measure(async () => {
    const { apiFetch } = createApiClient({ getToken, baseUrl: api.url, sessionUserId: () => "bench-user" });
    for (let i = 0; i < CALLS; i++) await apiFetch("/api/tasks");
  });
  const concurrent = await measure(() => {
    const { apiFetch } = newClient();
    return Promise.all(Array.from({ length: CONCURRENT }, () => apiFetch("/api/tasks")));
  });
  // What a client without the cache would pay: a token request before every call.
  const uncached = await measure(async () => {
    for (let i = 0; i < CALLS; i++) await newClient().apiFetch("/api/tasks");
  });

  console.log(`token requests for ${CALLS} API calls within one token lifetime: ${sequential.tokenRequests} (target 1), ${sequential.ms} ms`);
  console.log(`the same, checked against the session's user id each call: ${withSessionCheck.tokenRequests} (target 1), ${withSessionCheck.ms} ms`);
  console.log(`token requests for ${CONCURRENT} concurrent first calls: ${concurrent.tokenRequests} (target 1), ${concurrent.ms} ms`);
  console.log(`without the cache (a token per call): ${uncached.tokenRequests} token requests, ${uncached.ms} ms`);
  process.exitCode = sequential.tokenRequests === 1 && withSessionCheck.tokenRequests === 1 && concurrent.tokenRequests === 1 ? 0 : 1;
} finally {
  await api.close();
  removeFixture(planned.root);
}
