import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { readSpec } from "../../generators/lib/spec/read-spec.js";
import { SPEC_FIXTURES } from "./fixtures.js";

/**
 * readSpec on ~50 KB of the fixtures concatenated, after warm-up. With markdown-it (block structure only) it takes
 * ~25–40 ms on a 2-core box (micromark took 120–300 ms); the bound is loose for a loaded CI machine, and the figure
 * is printed for the record.
 */
it("reads a 50 KB spec in well under 200 ms", () => {
  const all = readdirSync(SPEC_FIXTURES).map((f) => readFileSync(path.join(SPEC_FIXTURES, f), "utf8")).join("\n\n");
  let text = "";
  while (text.length < 50_000) text += `${all}\n\n`;
  for (let i = 0; i < 3; i++) readSpec(text, "big.md");
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    readSpec(text, "big.md");
    times.push(performance.now() - start);
  }
  const median = times.sort((a, b) => a - b)[3];
  console.log(`readSpec on ${text.length} bytes: median ${median.toFixed(1)} ms (min ${times[0].toFixed(1)} ms)`);
  expect(median).toBeLessThan(200);
});
