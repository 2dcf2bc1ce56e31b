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

describe("dry-run diffs of env files", () => {
  it("hide every value but the public ones this tool writes, including multi-line values", () => {
    const before = 'STRIPE_SECRET_KEY=sk_live_abc123\nPEM="-----BEGIN KEY-----\nMIIBsecretline\n-----END KEY-----"\n# a comment\n';
    const after = `${before}BETTER_AUTH_SECRET=generated-secret\nBETTER_AUTH_URL=http://localhost:3000\n`;
    const diff = formatChangeDiff({ path: "frontend/.env.local", before, after }, ["generated-secret"], true);
    for (const secret of ["sk_live_abc123", "MIIBsecretline", "BEGIN KEY", "generated-secret"]) expect(diff).not.toContain(secret);
    expect(diff).toContain(" <redacted>\n # a comment");
    expect(diff).toContain("+BETTER_AUTH_SECRET=<redacted>");
    expect(diff).toContain("+BETTER_AUTH_URL=http://localhost:3000");
    expect(diff).toContain(" # a comment");
  });
});
