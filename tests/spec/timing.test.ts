import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { readSpec } from "../../generators/lib/spec/read-spec.js";
import { SPEC_FIXTURES } from "./fixtures.js";

/**
 * readSpec on ~50 KB of the fixtures concatenated, after warm-up. With markdown-it (block structure only) it takes
 * ~25–40 ms on a 2-core box (micromark took 120–300 ms). Counted in CPU time of this process, not wall-clock time:
 * on a loaded machine (the suite's other workers, a CI neighbour) the wall clock measured 150–215 ms; the bound is
 * loose, and the figure is printed for the record.
 */
it("reads a 50 KB spec in well under 200 ms", () => {
  const all = readdirSync(SPEC_FIXTURES).map((f) => readFileSync(path.join(SPEC_FIXTURES, f), "utf8")).join("\n\n");
  let text = "";
  while (text.length < 50_000) text += `${all}\n\n`;
  for (let i = 0; i < 3; i++) readSpec(text, "big.md");
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const start = process.cpuUsage();
    readSpec(text, "big.md");
    const spent = process.cpuUsage(start);
    times.push((spent.user + spent.system) / 1000);
  }
  const median = times.sort((a, b) => a - b)[3];
  console.log(`readSpec on ${text.length} bytes: median ${median.toFixed(1)} ms of CPU (min ${times[0].toFixed(1)} ms)`);
  expect(median).toBeLessThan(200);
});
