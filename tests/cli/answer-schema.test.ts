import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ANSWER_FLAGS, ANSWER_KEYS, ANSWER_SCHEMA, PROMPT_KEYS, STATIC_DEFAULTS, answerValueProblem } from "../../generators/auth/schema.js";
import { formatDuration, parseDuration } from "../../generators/lib/answers/duration.js";
import { expirationTime } from "../../generators/lib/frontend/token-ttl.js";
import { README, withAnswerTable } from "../../scripts/answers-table.js";

describe("the answer schema", () => {
  it("is the README's answer table (npm run docs rewrites it)", () => {
    const readme = readFileSync(README, "utf8");
    expect(withAnswerTable(readme)).toBe(readme);
  });

  it("gives every answer one flag, and the prompted ones keep plop's positional order", () => {
    expect(new Set(Object.values(ANSWER_FLAGS)).size).toBe(ANSWER_KEYS.length);
    expect(PROMPT_KEYS).toEqual(["frontend", "backend", "secretMode", "database", "routeStyle", "tokenTtl", "authUrl", "apiUrl", "protectPages", "protectRouters"]);
  });

  it("accepts its own fixed defaults", () => {
    for (const [key, value] of Object.entries(STATIC_DEFAULTS)) expect(answerValueProblem(key as keyof typeof STATIC_DEFAULTS, value), key).toBeNull();
    for (const option of ANSWER_SCHEMA.filter((o) => o.choices)) expect(option.choices).toContain(option.default({ detectedValue: () => null, answers: {} })!.value);
  });

  it.each([
    ["mismatchStatus", "401", "--mismatch-status must be one of 403, 404"],
    ["passwordMinLength", "eight", "--password-min-length must be a whole number"],
    ["socialProviders", "google,myspace", "unknown: myspace"],
    ["signInPath", "login", 'must be a URL path like /sign-in, got "login"'],
    ["signInPath", "/", 'cannot be "/"'],
    ["signUpPath", "/api/register", "cannot be under /api"],
    ["corsOrigins", "http://localhost:3000,https://your-app.com/", 'not an origin: "https://your-app.com/"'],
    ["tokenTtl", "7 fortnights", "is not like 15m"],
  ] as const)("refuses %s %j with a message naming the flag", (key, value, message) => {
    expect(answerValueProblem(key, value)).toContain(message);
  });
});

describe("the duration grammar", () => {
  it.each([
    ["15m", 900],
    ["900", 900],
    ["1 h", 3600],
    ["7days", 604_800],
    ["2 weeks", 1_209_600],
    ["1.5h", 5400],
  ])("reads %j as %i seconds, and the jwt plugin gets a span jose accepts", (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
    expect(expirationTime(text)).toMatch(/^\d+(\.\d+)? ?[a-z]+$/i);
  });

  it("refuses what is not a duration, and writes seconds in their largest whole unit", () => {
    for (const bad of ["", "m", "15 parsecs", "-5m", "0"]) expect(parseDuration(bad), bad).toBeNull();
    expect([604_800, 86_400, 5400, 900, 90].map(formatDuration)).toEqual(["7d", "1d", "90m", "15m", "90s"]);
  });
});
