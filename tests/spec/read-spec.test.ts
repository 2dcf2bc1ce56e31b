import { describe, expect, it } from "vitest";
import { readSpec } from "../../generators/lib/spec/read-spec.js";
import { expectDecisions, findingsOf, readFixture } from "./fixtures.js";

describe("readSpec on fixture specs", () => {
  it("reads prose requirements", () => {
    const report = readFixture("prose.md");
    expectDecisions(report, {
      secretMode: ["shared-secret", 10],
      tokenTtl: ["7d", 11],
      passwordMinLength: ["8", 11],
      routeStyle: ["user-scoped", 13],
      mismatchStatus: ["403", 13],
      signInPath: ["/signin", 16],
      signUpPath: ["/signup", 16],
      afterSignInPath: ["/dashboard", 17],
      database: ["postgres", 19],
    });
    expect(report.decisions.secretMode?.section).toBe("Feature: Authentication > Requirements");
    expect(report.decisions.tokenTtl?.text).toBe("after 7 days, after which the user signs in again. Passwords must be at least 8 characters long.");
    expect(report.silentOn).toEqual(["passwordMaxLength", "signUpName", "socialProviders", "corsOrigins"]);
    expect(report.conflicts).toEqual([]);
  });

  it("reads bullets, nested bullets under a lead item, and flat routes", () => {
    const report = readFixture("bullets.md");
    expectDecisions(report, {
      secretMode: ["jwks", 5],
      tokenTtl: ["1h", 6],
      signUpName: ["yes", 7],
      passwordMinLength: ["10", 9],
      passwordMaxLength: ["72", 10],
      routeStyle: ["flat", 14],
      signInPath: ["/login", 16],
      signUpPath: ["/register", 17],
    });
    expect(findingsOf(report, "routeStyle")).toEqual([["flat", 14, "requirement"], ["flat", 15, "requirement"]]);
  });

  it("reads table rows, ignores a rate-limit row and a missing-task 404", () => {
    const report = readFixture("table.md");
    expectDecisions(report, {
      tokenTtl: ["1d", 7],
      secretMode: ["shared-secret", 8],
      passwordMinLength: ["12", 9],
      database: ["postgres", 11],
      corsOrigins: ["http://localhost:3000,https://tasks.acme.dev", 12],
      routeStyle: ["user-scoped", 18],
      mismatchStatus: ["404", 20],
    });
    expect(findingsOf(report, "tokenTtl")).toEqual([["1d", 7, "requirement"]]);
    expect(findingsOf(report, "mismatchStatus")).toEqual([["404", 20, "requirement"]]);
    expect(report.notGenerated).toEqual([{ feature: "rate limiting", line: 10, text: "| Rate limit | 5 attempts per 15 minutes |" }]);
  });

  it("reads a TypeScript snippet as the default when it alone states the values; the JWT plugin alone sets no secret mode", () => {
    const report = readFixture("typescript.md");
    expectDecisions(report, {
      passwordMinLength: ["8", 11],
      passwordMaxLength: ["128", 11],
      socialProviders: ["github", 12],
      tokenTtl: ["7d", 13],
      afterSignInPath: ["/tasks", 20],
    });
    expect(report.decisions.tokenTtl?.strength).toBe("default");
    expect(report.silentOn).toContain("secretMode");
  });

  it("reads a Python snippet: timedelta, a 60 * 60 * 24 * 7 product and HS256; the session cookie's age is not the token's", () => {
    const report = readFixture("python.md");
    expectDecisions(report, { tokenTtl: ["7d", 10], secretMode: ["shared-secret", 14], routeStyle: ["user-scoped", 23] });
    expect(findingsOf(report, "tokenTtl")).toEqual([["7d", 10, "default"], ["7d", 11, "default"]]);
  });

  it("reads env blocks: BETTER_AUTH_SECRET in the backend's env is a shared secret, JWT_EXPIRATION_HOURS=168 is 7d", () => {
    const report = readFixture("env.md");
    expectDecisions(report, {
      database: ["postgres", 10],
      secretMode: ["shared-secret", 16],
      tokenTtl: ["7d", 17],
      corsOrigins: ["http://localhost:3000", 18],
    });
    expect(findingsOf(report, "secretMode")).toEqual([["shared-secret", 16, "default"]]);
  });

  it("reads settings code, a Name field, a length range and providers", () => {
    const report = readFixture("settings.md");
    expectDecisions(report, {
      tokenTtl: ["30m", 7],
      corsOrigins: ["http://localhost:3000", 8],
      database: ["sqlite", 9],
      signUpName: ["yes", 14],
      passwordMinLength: ["8", 15],
      passwordMaxLength: ["64", 15],
      socialProviders: ["google,github,discord", 19],
    });
    expect(report.placeholders).toEqual([{ value: "https://tasks.example.com", line: 8, text: expect.stringContaining("allow_origins") }]);
  });

  it("reads Given/When/Then scenarios in a paragraph and in a list", () => {
    const report = readFixture("gherkin.md");
    expectDecisions(report, { routeStyle: ["user-scoped", 7], mismatchStatus: ["404", 8], tokenTtl: ["1d", 11] });
  });

  it("reads a checklist; sign-up with only email and password is signUpName no", () => {
    const report = readFixture("checklist.md");
    expectDecisions(report, { passwordMinLength: ["8", 4], tokenTtl: ["7d", 6], signUpName: ["no", 7] });
    expect(report.notGenerated.map((n) => [n.feature, n.line])).toEqual([["password reset", 8], ["rate limiting", 9]]);
    expect(findingsOf(report, "tokenTtl")).toEqual([["7d", 6, "requirement"]]);
  });

  it("keeps out-of-scope and upgrade-path lines as non-normative findings that decide nothing", () => {
    const report = readFixture("out-of-scope.md");
    expectDecisions(report, { secretMode: ["shared-secret", 6], tokenTtl: ["7d", 7] });
    expect(findingsOf(report, "socialProviders")).toEqual([["google,github", 9, "non-normative"], ["apple", 19, "non-normative"]]);
    expect(findingsOf(report, "tokenTtl")).toEqual([["7d", 7, "requirement"], ["15m", 13, "non-normative"]]);
    expect(findingsOf(report, "secretMode")).toEqual([["shared-secret", 6, "requirement"], ["jwks", 14, "non-normative"]]);
    expect(report.notGenerated).toEqual([]);
  });

  it("is not misled by rate limits, timeouts, caches, lockouts, an inline upgrade path or a denied JWKS", () => {
    const report = readFixture("misleading.md");
    expectDecisions(report, { tokenTtl: ["7d", 7], secretMode: ["shared-secret", 15] });
    expect(findingsOf(report, "tokenTtl")).toEqual([["7d", 7, "requirement"], ["15m", 13, "non-normative"]]);
    expect(report.findings.filter((f) => f.key === "socialProviders")).toEqual([]);
    expect(report.notGenerated.map((n) => n.feature)).toEqual(["rate limiting", "account lockout"]);
  });

  it("takes the route style from the current section, not the one under Before", () => {
    const report = readFixture("before-after.md");
    expectDecisions(report, { routeStyle: ["user-scoped", 9], mismatchStatus: ["403", 10], tokenTtl: ["12h", 11] });
    expect(findingsOf(report, "routeStyle")).toEqual([["flat", 5, "non-normative"], ["user-scoped", 9, "requirement"]]);
  });

  it("reports a 6-vs-8 password minimum as a conflict with both lines; jwt plugin + HS256 is shared-secret", () => {
    const report = readFixture("conflict.md");
    expectDecisions(report, { secretMode: ["shared-secret", 13] });
    expect(report.conflicts).toHaveLength(1);
    expect(report.conflicts[0].key).toBe("passwordMinLength");
    expect(report.conflicts[0].findings.map((f) => [f.value, f.line])).toEqual([["6", 5], ["8", 9]]);
  });

  it("flags placeholders and never uses them as origins", () => {
    const report = readFixture("placeholders.md");
    expectDecisions(report, {});
    expect(report.placeholders.map((p) => [p.value, p.line])).toEqual([
      ["https://your-domain.com", 7],
      ["https://<your-app>.vercel.app", 8],
      ["https://example.com", 12],
    ]);
    expect(report.silentOn).toContain("corsOrigins");
  });

  it("lists every key a spec about the sign-in UI is silent on", () => {
    const report = readFixture("silent.md");
    expect(report.aboutAuth).toBe(true);
    expectDecisions(report, { signInPath: ["/auth/signin", 4] });
    expect(report.silentOn).toEqual([
      "secretMode", "tokenTtl", "routeStyle", "mismatchStatus", "passwordMinLength", "passwordMaxLength", "signUpName",
      "socialProviders", "signUpPath", "afterSignInPath", "corsOrigins", "database",
    ]);
  });

  it("sets nothing from a Markdown file that is not about authentication", () => {
    const report = readFixture("unrelated.md");
    expect(report).toMatchObject({ aboutAuth: false, findings: [], decisions: {}, conflicts: [], notGenerated: [], placeholders: [] });
    expect(report.silentOn).toHaveLength(13);
  });

  it("ranks a default over an example; a deferred provider and Example-section code decide nothing", () => {
    const report = readFixture("defaults.md");
    expectDecisions(report, { tokenTtl: ["1h", 5] });
    expect(findingsOf(report, "tokenTtl")).toEqual([["1h", 5, "default"], ["7d", 5, "example"], ["30m", 14, "example"]]);
    expect(findingsOf(report, "socialProviders")).toEqual([["google", 9, "non-normative"]]);
  });
});

describe("readSpec details", () => {
  it("keeps findings in line order and quotes the trimmed source line, at most 160 characters", () => {
    const long = `- Tokens expire after 7 days ${"and this line goes on ".repeat(10)}`;
    const report = readSpec(`# Authentication\n\nUsers sign in with a password.\n\n${long}\n`, "a.md");
    expect(report.decisions.tokenTtl?.line).toBe(5);
    expect(report.decisions.tokenTtl?.text.length).toBeLessThanOrEqual(160);
    expect(report.decisions.tokenTtl?.text.startsWith("- Tokens expire after 7 days")).toBe(true);
  });

  it("reads CRLF and a BOM", () => {
    const report = readSpec("\uFEFF# Login\r\n\r\nPasswords must be at least 9 characters.\r\n", "a.md");
    expect(report.decisions.passwordMinLength).toMatchObject({ value: "9", line: 3 });
  });

  it("finds the line inside a multi-line paragraph and inside a fenced block", () => {
    const text = "# Auth\n\nUsers sign in with email and password and the\nbackend verifies the JWT. Tokens\nexpire after 2 hours.\n\n```ts\nconst a = 1;\nexpiresIn: \"3h\",\n```\n";
    const report = readSpec(text, "a.md");
    expect(findingsOf(report, "tokenTtl")).toEqual([["2h", 5, "requirement"], ["3h", 9, "example"]]);
  });

  it("reads a list after an 'Out of scope:' lead-in as non-normative", () => {
    const report = readSpec("# Authentication\n\nUsers sign in with a password.\n\nOut of scope:\n\n- GitHub login\n- Password reset\n", "a.md");
    expect(findingsOf(report, "socialProviders")).toEqual([["github", 7, "non-normative"]]);
    expect(report.decisions).toEqual({});
    expect(report.notGenerated).toEqual([]);
  });

  it("skips long sections about other things without changing line numbers", () => {
    const filler = "## Task list\n\n" + "The list shows each item with a checkbox.\n\n".repeat(50);
    const report = readSpec(`# Authentication\n\nUsers sign in with a password.\n\n${filler}## Tokens\n\nTokens expire after 7 days.\n`, "a.md");
    expect(report.decisions.tokenTtl).toMatchObject({ value: "7d", line: 109, section: "Authentication > Tokens" });
  });
});
