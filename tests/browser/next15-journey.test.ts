/**
 * The second browser fixture (issue 7, item 8): Next.js 15 (middleware.ts), a src/ layout, a backend
 * without CORS. Generated, built by Next.js 15, served, and driven in Chromium (see next15-journey.ts).
 * Screenshots: $AUTH_INTEGRATOR_SHOTS/next15-src-no-cors, else <tmp>/auth-integrator-journey/next15-src-no-cors/.
 */
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURE_NAME, runNext15Journey } from "./next15-journey.js";

const SHOTS = process.env.AUTH_INTEGRATOR_SHOTS ?? path.join(os.tmpdir(), "auth-integrator-journey");

describe("a Next.js 15 src/ app and a FastAPI without CORS, in Chromium", () => {
  it(
    "gets src/middleware.ts and a CORS policy; redirects a signed-out visitor, signs alice up, saves her task through the preflight, keeps bob apart, signs out",
    async () => {
      const shotsDir = path.join(SHOTS, FIXTURE_NAME);
      const lines: string[] = [];
      const result = await runNext15Journey({ shotsDir, log: (line) => lines.push(line) });
      const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
      console.log(
        `browser journey (${FIXTURE_NAME}, Next.js ${result.nextVersion}): screenshots in ${shotsDir}\n${lines.join("\n")}\n` +
          `setup ${s(result.timings.setupMs)}, generate ${s(result.timings.generateMs)}, next build ${s(result.timings.buildMs)}, ` +
          `journey ${s(result.timings.journeyMs)}, total ${s(result.timings.totalMs)}; preflights: ${result.preflights.join(", ")}`,
      );
      expect(result.nextVersion).toMatch(/^15\./);
      expect(result.protectionFile).toBe("web/src/middleware.ts");
      expect(result.steps.length).toBeGreaterThanOrEqual(5);
      expect(result.preflights).toContain("OPTIONS /api/tasks 200");
    },
    300_000,
  );
});
