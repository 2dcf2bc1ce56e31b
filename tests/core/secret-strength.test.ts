import { randomBytes } from "node:crypto";
import path from "node:path";
import fc from "fast-check";
import { afterAll, expect, it } from "vitest";
import { secretWeakness } from "../../generators/lib/steps/secret.js";
import { flatBackend, generatedFixture } from "../backend/fixtures.js";
import { runPython } from "../backend/python.js";
import { removeFixture } from "../helpers/fixture.js";

// The generator refuses exactly the API_JWT_SECRET values the generated backend refuses at start-up:
// a secret it writes or reuses never stops the backend, and one the backend would refuse never gets written.
const { root } = generatedFixture(flatBackend(), { secretMode: "shared-secret" });
afterAll(() => removeFixture(root));

const FIXED = [
  "a".repeat(40),
  "abcdefgh".repeat(5),
  "0123456789abcdef",
  "0123456789abcdef0123456789abcdeX",
  `x$${randomBytes(32).toString("base64url")}`,
  randomBytes(32).toString("base64url"),
  randomBytes(48).toString("base64"),
  "changeme-changeme-changeme-changeme",
  "ééééééééééééééééé-unicode-bytes-count",
];

it("agrees with the backend's secret_weakness() on every value, fixed and generated", async () => {
  const generated = fc.sample(fc.string({ unit: fc.constantFrom(..."ab$cdXY01-_+/=é"), minLength: 20, maxLength: 48 }), { numRuns: 300, seed: 11 });
  const values = [...FIXED, ...generated];
  const script = [
    "import json, sys",
    "import auth_jwt",
    "print(json.dumps([auth_jwt.secret_weakness(v) is None for v in json.load(sys.stdin)]))",
  ].join("\n");
  const env = { BETTER_AUTH_URL: "http://localhost:3000", API_JWT_SECRET: randomBytes(32).toString("base64url") };
  const result = await runPython(["-c", script], { cwd: path.join(root, "backend"), env, input: JSON.stringify(values) });
  expect(result.code, result.stderr).toBe(0);
  const backendAccepts = JSON.parse(result.stdout) as boolean[];
  const generatorAccepts = values.map((v) => secretWeakness(v, "API_JWT_SECRET") === null);
  expect(generatorAccepts).toEqual(backendAccepts);
  // Both kinds occur, so the comparison means something.
  expect(new Set(backendAccepts).size).toBe(2);
});
