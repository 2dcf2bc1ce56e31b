/**
 * The generated verifier (auth_jwt.py) under pytest, in-process. jwks mode (tests/backend/python/test_verifier.py):
 * key caching and refetch timing, outages, the verified-token cache, canonical spellings, configuration and how
 * it is read. Shared-secret mode (test_shared_secret.py): API_JWT_SECRET's checks and the at+jwt token type.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { removeFixture } from "../helpers/fixture.js";
import { flatBackend, generatedFixture } from "./fixtures.js";
import { runPython } from "./python.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const jwks = generatedFixture(flatBackend(), { secretMode: "jwks" }).root;
const sharedSecret = generatedFixture(flatBackend(), { secretMode: "shared-secret" }).root;
afterAll(() => [jwks, sharedSecret].forEach(removeFixture));

const pytest = (file: string, root: string) =>
  runPython(["-m", "pytest", "-q", "-p", "no:cacheprovider", file], { cwd: path.join(HERE, "python"), env: { PYTHONPATH: path.join(root, "backend") } });

it("passes the jwks-mode verifier's unit tests", async () => {
  const result = await pytest("test_verifier.py", jwks);
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  expect(result.stdout).toMatch(/\b40 passed\b/);
});

it("passes the shared-secret verifier's unit tests", async () => {
  const result = await pytest("test_shared_secret.py", sharedSecret);
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  expect(result.stdout).toMatch(/\b36 passed\b/);
});
