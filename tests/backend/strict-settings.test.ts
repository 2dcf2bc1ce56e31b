import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { SignJWT } from "jose";
import { afterEach, expect, it } from "vitest";
import { makeFixture, removeFixture, snapshotTree } from "../helpers/fixture.js";
import { runGenerator } from "../helpers/generator.js";
import { SMALL_MONOREPO } from "../helpers/monorepo.js";
import { runPython, startBackend } from "./python.js";

// A backend whose pydantic-settings class reads backend/.env and forbids undeclared keys (the library's
// default), as real task apps do: a key added to that .env stops the app at import and prints its value.
const CONFIG = `from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env")

    DATABASE_URL: str = "sqlite:///./tasks.db"
    debug: bool = False


settings = Settings()
`;
const STRICT_BACKEND = {
  ...SMALL_MONOREPO,
  "backend/config.py": CONFIG,
  "backend/main.py": `from config import settings  # noqa: F401\n${SMALL_MONOREPO["backend/main.py"]}`,
  "backend/.env": "DATABASE_URL=sqlite:///./tasks.db\nDEBUG=true\n",
};

let root = "";
afterEach(() => removeFixture(root));

it("puts the API's auth settings in backend/.env.auth, so the app still imports and starts and its routes answer 401 without a token", async () => {
  root = makeFixture(STRICT_BACKEND);
  const { result, failures } = await runGenerator(root, { secretMode: "shared-secret" });
  expect(failures).toEqual([]);
  const files = snapshotTree(root);
  expect(files["backend/.env"]).toBe(STRICT_BACKEND["backend/.env"]);
  const apiKey = /^API_JWT_SECRET=(.+)$/m.exec(files["backend/.env.auth"])![1];
  expect(files["backend/.env.auth"]).toContain("BETTER_AUTH_URL=http://localhost:3000");
  expect(files[".gitignore"]).toContain("/backend/.env.auth");
  expect(result!.warnings.join("\n")).toMatch(/^backend\/config\.py:4: Settings reads backend\/\.env and refuses keys it does not declare \(BETTER_AUTH_URL, API_JWT_SECRET\)/m);

  const backendDir = path.join(root, "backend");
  const api = await startBackend(backendDir, "main:app", {});
  try {
    expect((await fetch(`${api.url}/api/me`)).status).toBe(401);
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ sub: "alice", iss: "http://localhost:3000", aud: "http://localhost:3000", iat: now, exp: now + 300 })
      .setProtectedHeader({ alg: "HS256", typ: "at+jwt" })
      .sign(new TextEncoder().encode(apiKey));
    const me = await fetch(`${api.url}/api/me`, { headers: { Authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ id: "alice" });
  } finally {
    await api.stop();
  }

  // The check bites: the same key in backend/.env stops the app at import.
  const dotEnv = path.join(backendDir, ".env");
  writeFileSync(dotEnv, `${readFileSync(dotEnv, "utf8")}API_JWT_SECRET=${apiKey}\n`);
  const crashed = await runPython(["-c", "import config"], { cwd: backendDir });
  expect(crashed.code).not.toBe(0);
  expect(crashed.stderr).toContain("Extra inputs are not permitted");
  writeFileSync(dotEnv, STRICT_BACKEND["backend/.env"]);

  // A second run changes nothing.
  const again = await runGenerator(root, { secretMode: "shared-secret" });
  expect(again.result!.created).toEqual([]);
  expect(again.result!.modified).toEqual([]);
});

it("takes keys an earlier run wrote into the strict .env back out of it", async () => {
  root = makeFixture({ ...STRICT_BACKEND, "backend/.env": `${STRICT_BACKEND["backend/.env"]}BETTER_AUTH_URL=http://localhost:3000\n` });
  await runGenerator(root, { secretMode: "jwks" });
  const files = snapshotTree(root);
  expect(files["backend/.env"]).toBe(STRICT_BACKEND["backend/.env"]);
  expect(files["backend/.env.auth"]).toBe("BETTER_AUTH_URL=http://localhost:3000\n");
  expect((await runPython(["-c", "import main"], { cwd: path.join(root, "backend") })).code).toBe(0);
});

it("leaves backend/.env in use when the settings class ignores unknown keys or declares them", async () => {
  for (const config of [CONFIG.replace('env_file=".env"', 'env_file=".env", extra="ignore"'), CONFIG.replace("    debug: bool = False\n", "    debug: bool = False\n    better_auth_url: str = \"\"\n")]) {
    root = makeFixture({ ...STRICT_BACKEND, "backend/config.py": config });
    await runGenerator(root, { secretMode: "jwks" });
    const files = snapshotTree(root);
    expect(files["backend/.env"]).toContain("BETTER_AUTH_URL=http://localhost:3000");
    expect(files).not.toHaveProperty(["backend/.env.auth"]);
    removeFixture(root);
  }
  root = "";
});
