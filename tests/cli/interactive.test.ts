import { afterEach, describe, expect, it } from "vitest";
import { BIN } from "../helpers/bin.js";
import { makeFixture, removeFixture, snapshotTree } from "../helpers/fixture.js";
import { SMALL_MONOREPO } from "../helpers/monorepo.js";
import { TmuxSession } from "../helpers/tmux.js";

let root = "";
let session: TmuxSession | null = null;
afterEach(() => {
  session?.kill();
  removeFixture(root);
});

describe("interactive prompts in a real terminal", () => {
  it("shows detected defaults, refuses a path that does not exist with the reason, then generates", async () => {
    root = makeFixture(SMALL_MONOREPO);
    session = TmuxSession.start(`node ${BIN} auth --cwd ${root}`, { NODE_OPTIONS: "", NO_COLOR: "1" });

    const first = await session.waitFor(/Next\.js app folder/);
    expect(first).toMatch(/Next\.js app folder \(relative to the repo root\) \(frontend\)/);
    session.type("web");
    session.keys("Enter");
    await session.waitFor(/'web' does not exist/);
    session.keys("BSpace", "BSpace", "BSpace", "Enter");

    await session.waitFor(/FastAPI app folder .*\(backend\)/);
    session.keys("Enter");
    await session.waitFor(/How should FastAPI verify tokens/);
    session.keys("Down", "Enter"); // shared-secret
    for (const prompt of [/Better Auth's database/, /Task routes/]) {
      await session.waitFor(prompt);
      session.keys("Enter");
    }
    // A lifetime above one hour is asked about again at the end; declining it asks for a new one.
    await session.waitFor(/JWT lifetime/);
    session.keys("BSpace", "BSpace", "BSpace");
    session.type("7d");
    session.keys("Enter");
    for (const prompt of [/BETTER_AUTH_URL/, /NEXT_PUBLIC_API_URL/, /Pages that need a signed-in user .*\(\/\)/, /Your routers to scope to the signed-in user .*none found.*\(all\)/]) {
      await session.waitFor(prompt);
      session.keys("Enter");
    }
    await session.waitFor(/Tokens that live 7d keep working that long .* Keep 7d\?/);
    session.type("n");
    session.keys("Enter");
    await session.waitFor(/JWT lifetime \(one hour or less\)/);
    session.keys("Enter");
    // After the summary, the install question (tests/cli/install.test.ts): Enter is its default, no.
    await session.waitFor(/Install the new dependencies now\? \(y\/N\)/, 60_000);
    session.keys("Enter");
    const end = await session.waitFor(/EXIT=\d+/, 60_000);
    expect(end).toContain("EXIT=0");
    expect(end).toContain("frontend/lib/auth.ts");
    const files = snapshotTree(root);
    expect(files["backend/.env"]).toMatch(/^API_JWT_SECRET=.{43}$/m);
    expect(files["backend/.env"]).not.toContain("BETTER_AUTH_SECRET");
    expect(files["frontend/lib/auth.ts"]).toContain('expirationTime: "15m"');
  });

  it("offers the spec's answers as defaults, saying where each came from", async () => {
    const spec = "# Authentication\n\n## Requirements\n\n- The backend must verify JWTs with HS256 using the same BETTER_AUTH_SECRET as the frontend.\n";
    root = makeFixture({ ...SMALL_MONOREPO, "specs/features/authentication.md": spec });
    session = TmuxSession.start(`node ${BIN} auth --cwd ${root} --frontend frontend --backend backend`, { NODE_OPTIONS: "", NO_COLOR: "1" });
    const asked = await session.waitFor(/How should FastAPI verify tokens\? \[from specs\/features\/authentication\.md:5\]/);
    // The spec's answer is the selected choice.
    expect(asked).toMatch(/❯ shared-secret/);
    session.keys("Enter");
    for (const prompt of [/Better Auth's database/, /Task routes/, /JWT lifetime/, /BETTER_AUTH_URL/, /NEXT_PUBLIC_API_URL/, /Pages that need a signed-in user/, /Your routers to scope/]) {
      await session.waitFor(prompt);
      session.keys("Enter");
    }
    // After the summary, the install question (tests/cli/install.test.ts): Enter is its default, no.
    await session.waitFor(/Install the new dependencies now\? \(y\/N\)/, 60_000);
    session.keys("Enter");
    const end = await session.waitFor(/EXIT=\d+/, 60_000);
    expect(end).toContain("EXIT=0");
    expect(end).toMatch(/secretMode: shared-secret \(from specs\/features\/authentication\.md:5\)/);
    expect(snapshotTree(root)["backend/.env"]).toMatch(/^API_JWT_SECRET=/m);
  });
});

