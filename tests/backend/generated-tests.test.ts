/**
 * The generated tests/test_auth.py, run with the venv's pytest inside each generated fixture backend,
 * the way a user runs it: `cd backend && python -m pytest`.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Answers } from "../../generators/lib/types.js";
import { removedAfterEach } from "../helpers/temp-roots.js";
import {
  asyncBackend,
  bareBackend,
  flatBackend,
  generatedFixture,
  inheritedTaskBackend,
  intUserIdBackend,
  noDescriptionBackend,
  packageBackend,
  srcLayoutBackend,
  type FixtureBackend,
} from "./fixtures.js";
import { runPython } from "./python.js";

const removed = removedAfterEach();

/** Generates the fixture in a temp folder and returns its backend folder. */
function generated(backend: FixtureBackend, answers: Partial<Answers>): string {
  return path.join(removed(generatedFixture(backend, answers).root), backend.info.dir);
}

function pytest(backendDir: string, args: string[] = []) {
  return runPython(["-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "ignore::DeprecationWarning", ...args], { cwd: backendDir });
}

// Auth tests: 15 in both modes, plus 3 (jwks: another key, unknown kid, unreachable keys) or 3 (another secret,
// and two tokens that are not API tokens: no typ, typ JWT); task tests: 4, plus 1 for the 403 of user-scoped paths.
const cases: [string, () => FixtureBackend, Partial<Answers>, number][] = [
  ["main.py + routes/ + get_session + Task, jwks, flat", flatBackend, { secretMode: "jwks", routeStyle: "flat" }, 22],
  ["main.py + routes/ + get_session + Task, shared-secret, user-scoped", flatBackend, { secretMode: "shared-secret", routeStyle: "user-scoped" }, 23],
  ["app/main.py + app/routers + SessionDep, generated Task, jwks, user-scoped", packageBackend, { secretMode: "jwks", routeStyle: "user-scoped" }, 23],
  ["AsyncSession, no routes package, shared-secret, flat", asyncBackend, { secretMode: "shared-secret", routeStyle: "flat" }, 22],
  ["no db, no models (both generated), jwks, flat", bareBackend, { secretMode: "jwks", routeStyle: "flat" }, 22],
  ["src layout in services/api, shared-secret, user-scoped", srcLayoutBackend, { secretMode: "shared-secret", routeStyle: "user-scoped" }, 23],
  ["main.py + routes/ + get_session + Task, jwks, user-scoped, 404 for another user's path", flatBackend, { secretMode: "jwks", routeStyle: "user-scoped", mismatchStatus: "404" }, 23],
  ["int Task.user_id (no task routes), jwks", intUserIdBackend, { secretMode: "jwks", routeStyle: "flat" }, 18],
  ["Task without a description column (no task routes), shared-secret", noDescriptionBackend, { secretMode: "shared-secret", routeStyle: "flat" }, 18],
  ["Task columns inherited from a TaskBase, shared-secret", inheritedTaskBackend, { secretMode: "shared-secret", routeStyle: "flat" }, 22],
];

describe("the generated tests/test_auth.py", () => {
  it.each(cases)("passes in the generated backend: %s", async (_label, backend, answers, expected) => {
    const result = await pytest(generated(backend(), answers));
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`\\b${expected} passed\\b`));
  });

  it("fails when the user-scoped routes answer another user's path with 403 while --mismatch-status asks for 404", async () => {
    const backendDir = generated(flatBackend(), { secretMode: "shared-secret", routeStyle: "user-scoped", mismatchStatus: "404" });
    const routes = path.join(backendDir, "routes", "auth.py");
    const text = readFileSync(routes, "utf8");
    expect(text).toContain('raise HTTPException(status.HTTP_404_NOT_FOUND, detail="User not found")');
    writeFileSync(routes, text.replace("HTTP_404_NOT_FOUND", "HTTP_403_FORBIDDEN"));
    const result = await pytest(backendDir);
    expect(result.stdout).toContain("FAILED tests/test_auth.py::test_another_users_path_is_404");
    expect(result.stdout).toMatch(/\b1 failed\b/);
  });

  it("passes under plain `pytest` from the backend folder too (no `python -m`)", async () => {
    const backendDir = generated(packageBackend(), { secretMode: "shared-secret" });
    const result = await runPython(["-c", "import sys, pytest; sys.path.remove(''); sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', 'tests']))"], {
      cwd: backendDir,
    });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  });

  it.each<[Answers["secretMode"], string]>([
    ["jwks", "test_a_wrong_audience_is_401"],
    ["shared-secret", "test_a_wrong_audience_is_401"],
  ])("fails (%s) when the verifier stops checking the audience", async (secretMode, failing) => {
    const backendDir = generated(flatBackend(), { secretMode });
    const verifier = path.join(backendDir, "auth_jwt.py");
    const sabotaged = readFileSync(verifier, "utf8").replace("audience=self.settings.audience,", 'audience=[self.settings.audience, "https://evil.example"],');
    expect(sabotaged).not.toBe(readFileSync(verifier, "utf8"));
    writeFileSync(verifier, sabotaged);
    const result = await pytest(backendDir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`FAILED tests/test_auth.py::${failing}`);
    expect(result.stdout).toMatch(/\b1 failed\b/);
  });
});
