/**
 * The signed-in app in a real browser (issue 7): the bundled example generated, built with `next build`,
 * served with `next start`, the generated FastAPI under uvicorn, Chromium driven by playwright-core.
 * Screenshots of every step: $AUTH_INTEGRATOR_SHOTS, else <tmp>/auth-integrator-journey/<mode>/.
 */
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runJourney } from "./journey.js";

const SHOTS = process.env.AUTH_INTEGRATOR_SHOTS ?? path.join(os.tmpdir(), "auth-integrator-journey");

describe.each(["jwks", "shared-secret"] as const)("the example in Chromium, --secret-mode %s", (secretMode) => {
  it(
    "redirects a signed-out visitor, signs alice and bob up, keeps their tasks apart, signs out and in, renews an expired token",
    async () => {
      const shotsDir = path.join(SHOTS, secretMode);
      const lines: string[] = [];
      const result = await runJourney({ secretMode, shotsDir, tokenTtlSeconds: 20, log: (line) => lines.push(line) });
      console.log(`browser journey (${secretMode}): screenshots in ${shotsDir}\n${lines.join("\n")}\n` +
        `generate ${(result.timings.generateMs / 1000).toFixed(1)} s, next build ${(result.timings.buildMs / 1000).toFixed(1)} s, journey ${(result.timings.journeyMs / 1000).toFixed(1)} s; ` +
        `token requests: ${result.tokenRequestsOnLoad} on a signed-in page load, ${result.tokenRequests} in all`);
      expect(result.steps.length).toBeGreaterThanOrEqual(8);
      expect(result.unauthenticatedApiCalls).toEqual([]);
      expect(result.tokenRequestsOnLoad).toBeLessThanOrEqual(1);
    },
    240_000,
  );
});
