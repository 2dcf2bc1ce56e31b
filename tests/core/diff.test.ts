import { describe, expect, it } from "vitest";
import { formatChangeDiff, redact } from "../../generators/lib/diff.js";

describe("dry-run diffs", () => {
  it("shows a git-style unified diff of a modified file", () => {
    const diff = formatChangeDiff({ path: "backend/.env", before: "A=1\n", after: "A=1\nB=2\n" }, []);
    expect(diff).toContain("--- a/backend/.env");
    expect(diff).toContain("+++ b/backend/.env");
    expect(diff).toContain("+B=2");
  });

  it("shows a created file against /dev/null", () => {
    expect(formatChangeDiff({ path: "x.py", before: null, after: "print(1)\n" }, [])).toMatch(/--- \/dev\/null\n\+\+\+ b\/x\.py/);
  });

  it("never prints the secret", () => {
    const secret = "s3cr3t-value-with-enough-length-0123456789";
    const diff = formatChangeDiff({ path: ".env", before: null, after: `BETTER_AUTH_SECRET=${secret}\n` }, [secret]);
    expect(diff).not.toContain(secret);
    expect(diff).toContain("BETTER_AUTH_SECRET=<redacted>");
    expect(redact("a secret b", ["secret"])).toBe("a <redacted> b");
  });
});
