import { describe, expect, it } from "vitest";
import type { RunResult } from "../../generators/lib/run.js";
import { formatSummary, useColor } from "../../generators/lib/summary.js";

const result: RunResult = {
  dryRun: false,
  created: ["frontend/lib/auth.ts"],
  modified: ["backend/main.py"],
  unchanged: ["frontend/package.json"],
  skipped: [{ path: "frontend/lib/api.ts", reason: "was edited since auth-integrator created it", snippet: "plugins: [jwt()]" }],
  warnings: ["frontend/lib/auth.ts is ignored by git"],
  routes: [],
  diff: "",
  secretSource: null,
  nextSteps: ["Install: npm install"],
};

describe("the summary", () => {
  it("lists created, modified, unchanged and skipped files, warnings and next steps", () => {
    const text = formatSummary(result, false);
    expect(text).toContain("created (1)\n  frontend/lib/auth.ts");
    expect(text).toContain("modified (1)\n  backend/main.py");
    expect(text).toContain("unchanged (1)\n  frontend/package.json");
    expect(text).toContain("skipped (1)\n  frontend/lib/api.ts: was edited since auth-integrator created it\n      plugins: [jwt()]");
    expect(text).toContain("warnings (1)");
    expect(text).toContain("1. Install: npm install");
    expect(text).not.toContain("\u001b[");
  });

  it("says when there is nothing to do", () => {
    expect(formatSummary({ ...result, created: [], modified: [], nextSteps: [] }, false)).toContain("Nothing to do");
  });

  it("colours only a terminal, and never with NO_COLOR set", () => {
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({}, {})).toBe(false);
    expect(formatSummary(result, true)).toContain("\u001b[32mcreated (1)\u001b[0m");
  });
});
