import { expect } from "vitest";
import { rewriteApiCalls, type RewriteOptions } from "../../generators/lib/frontend/api-calls.js";
import { parseSource } from "../../generators/lib/frontend/source/parse.js";

/** The options of a frontend whose API base is NEXT_PUBLIC_API_URL at http://localhost:8000, with the client at @/lib/api. */
export const OPTIONS: RewriteOptions = { apiUrl: "http://localhost:8000", baseEnv: "NEXT_PUBLIC_API_URL", otherApiEnvs: new Set(), apiModule: "@/lib/api" };

/** Rewrites, checks it re-parses and that a second pass is a no-op; returns the result. */
export function rewrite(text: string, options: Partial<RewriteOptions> = {}) {
  const result = rewriteApiCalls(text, { ...OPTIONS, ...options });
  expect(() => parseSource(result.text)).not.toThrow();
  const again = rewriteApiCalls(result.text, { ...OPTIONS, ...options });
  expect(again.text).toBe(result.text);
  expect(again.rewritten).toBe(0);
  return result;
}
