/**
 * The generated jwks-mode verifier (auth_jwt.py) under pytest, in-process: key caching and refetch rules,
 * outages, the verified-token cache, configuration checks and the .env loader (tests/backend/python/test_verifier.py).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { removeFixture } from "../helpers/fixture.js";
import { flatBackend, generatedFixture } from "./fixtures.js";
import { runPython } from "./python.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const { root } = generatedFixture(flatBackend(), { secretMode: "jwks" });
afterAll(() => removeFixture(root));

it("passes the verifier's unit tests", async () => {
  const result = await runPython(["-m", "pytest", "-q", "-p", "no:cacheprovider", "test_verifier.py"], {
    cwd: path.join(HERE, "python"),
    env: { GENERATED_BACKEND: path.join(root, "backend") },
  });
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  expect(result.stdout).toMatch(/\b\d{2} passed\b/);
});
