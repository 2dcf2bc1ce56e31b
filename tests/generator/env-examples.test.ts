// The .env.example files document each app's own keys: the frontend's gets Better Auth's secret and the public API URL,
// the backend's only what the API reads; a backend whose settings class forbids unknown keys keeps its .env.example as
// it was (so `cp .env.example .env` still starts it) and gets its auth keys' example beside the file it reads them from.
import { copyFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runPython } from "../backend/python.js";
import { makeFixture, removeFixture, snapshotTree } from "../helpers/fixture.js";
import { runGenerator } from "../helpers/generator.js";
import { SMALL_MONOREPO } from "../helpers/monorepo.js";

let root = "";
afterEach(() => removeFixture(root));

const keys = (text: string | undefined) => [...(text ?? "").matchAll(/^([A-Z_]+)=/gm)].map((match) => match[1]);

describe(".env.example files", () => {
  it("give each app only the keys it reads, and the root one every key", async () => {
    root = makeFixture({ ...SMALL_MONOREPO, "frontend/.env.example": "NEXT_PUBLIC_SITE=x\n", "backend/.env.example": "LOG_LEVEL=info\n" });
    const { failures } = await runGenerator(root, { secretMode: "jwks" });
    expect(failures).toEqual([]);
    const files = snapshotTree(root);
    expect(keys(files["frontend/.env.example"])).toEqual(["NEXT_PUBLIC_SITE", "BETTER_AUTH_SECRET", "BETTER_AUTH_URL", "NEXT_PUBLIC_API_URL"]);
    expect(keys(files["backend/.env.example"])).toEqual(["LOG_LEVEL", "BETTER_AUTH_URL", "BETTER_AUTH_JWKS_URL"]);
    expect(keys(files[".env.example"])).toEqual(["BETTER_AUTH_SECRET", "BETTER_AUTH_URL", "NEXT_PUBLIC_API_URL", "BETTER_AUTH_JWKS_URL"]);
  });

  it("leave a strict settings class's .env.example as it was, so a .env copied from it still starts the app", async () => {
    const config = `from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env")

    app_name: str = "tasks"


settings = Settings()
`;
    root = makeFixture({ ...SMALL_MONOREPO, "backend/config.py": config, "backend/.env.example": "APP_NAME=tasks\n" });
    const { failures } = await runGenerator(root, { secretMode: "shared-secret" });
    expect(failures).toEqual([]);
    const files = snapshotTree(root);
    expect(files["backend/.env.example"]).toBe("APP_NAME=tasks\n");
    expect(keys(files["backend/.env.auth.example"])).toEqual(["API_JWT_SECRET", "BETTER_AUTH_URL"]);
    const backendDir = path.join(root, "backend");
    copyFileSync(path.join(backendDir, ".env.example"), path.join(backendDir, ".env"));
    const imported = await runPython(["-c", "import config; print(config.settings.app_name)"], { cwd: backendDir });
    expect(imported.stdout.trim(), imported.stderr).toBe("tasks");
  });
});

describe("--social-providers", () => {
  it("documents each provider's credentials in the frontend's and the root .env.example only, empty, says where to get them, and a second run changes nothing", async () => {
    root = makeFixture({ ...SMALL_MONOREPO, "frontend/.env.example": "NEXT_PUBLIC_SITE=x\n", "backend/.env.example": "LOG_LEVEL=info\n" });
    const answers = { secretMode: "jwks", socialProviders: "google,github" } as const;
    const { failures, output } = await runGenerator(root, answers);
    expect(failures).toEqual([]);
    const files = snapshotTree(root);
    const social = ["GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET", "GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET"];
    expect(keys(files["frontend/.env.example"]).slice(-4)).toEqual(social);
    expect(keys(files[".env.example"])).toEqual(expect.arrayContaining(social));
    for (const key of social) expect(files["frontend/.env.example"]).toMatch(new RegExp(`^${key}=$`, "m"));
    expect(keys(files["backend/.env.example"])).toEqual(["LOG_LEVEL", "BETTER_AUTH_URL", "BETTER_AUTH_JWKS_URL"]);
    // No fake credentials where the app reads them: the user creates the OAuth apps.
    expect(files["frontend/.env.local"]).not.toMatch(/GOOGLE|GITHUB/);
    expect(output).toContain("register the redirect URI http://localhost:3000/api/auth/callback/google");
    expect(output).toContain("https://github.com/settings/developers");
    const after = snapshotTree(root);
    expect((await runGenerator(root, answers)).failures).toEqual([]);
    expect(snapshotTree(root)).toEqual(after);
  });
});
