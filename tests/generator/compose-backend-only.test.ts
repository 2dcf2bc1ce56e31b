import { afterEach, describe, expect, it } from "vitest";
import { makeFixture, removeFixture, snapshotTree } from "../helpers/fixture.js";
import { runGenerator } from "../helpers/generator.js";
import { SMALL_MONOREPO } from "../helpers/monorepo.js";

// A compose file that runs only the backend: in jwks mode the container must be told where Better Auth's keys are.

let root = "";
afterEach(() => removeFixture(root));

const BACKEND_ONLY = "services:\n  backend:\n    build: ./backend\n    ports:\n      - \"8000:8000\"\n";

describe("a compose file with the backend only", () => {
  it("says how the backend container reaches the JWKS on the host, with the lines to add, and edits nothing it would guess", async () => {
    root = makeFixture({ ...SMALL_MONOREPO, "docker-compose.yml": BACKEND_ONLY });
    const { result, failures } = await runGenerator(root, { secretMode: "jwks" });
    expect(failures).toEqual([]);
    const warning = result!.warnings.find((w) => w.includes("fetches Better Auth's keys"));
    expect(warning).toContain('docker-compose.yml: service "backend" runs the backend, but the frontend is not in compose');
    expect(warning).toContain("    BETTER_AUTH_JWKS_URL: http://host.docker.internal:3000/api/auth/jwks\n  extra_hosts:\n    - \"host.docker.internal:host-gateway\"");
    expect(snapshotTree(root)["docker-compose.yml"]).not.toContain("BETTER_AUTH_JWKS_URL");
  });

  it("says nothing of it in shared-secret mode, where the backend fetches nothing", async () => {
    root = makeFixture({ ...SMALL_MONOREPO, "docker-compose.yml": BACKEND_ONLY });
    const { result } = await runGenerator(root, { secretMode: "shared-secret" });
    expect(result!.warnings.filter((w) => w.includes("fetches Better Auth's keys"))).toEqual([]);
  });
});
