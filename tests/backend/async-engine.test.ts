/**
 * A backend with no session dependency whose DATABASE_URL names an asyncio driver gets an async engine: a sync
 * create_engine on `sqlite+aiosqlite://` or `postgresql+asyncpg://` fails at the first query (MissingGreenlet).
 */
import path from "node:path";
import { SignJWT } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { databaseUrlInText } from "../../generators/lib/detect/database-url.js";
import { makeFixture, removeFixture, snapshotTree } from "../helpers/fixture.js";
import { runGenerator } from "../helpers/generator.js";
import { SMALL_MONOREPO } from "../helpers/monorepo.js";
import { startBackend } from "./python.js";

// The small monorepo without its session module and models: the generator writes both.
const { "backend/db.py": _db, "backend/models.py": _models, ...WITHOUT_DATABASE } = SMALL_MONOREPO;
const ASYNC_BACKEND = {
  ...WITHOUT_DATABASE,
  "backend/.env": "# local settings\nDATABASE_URL=sqlite+aiosqlite:///./tasks-async.db\n",
};

let root = "";
afterEach(() => removeFixture(root));

describe("the database URL a backend is configured with", () => {
  it("is read from env and compose entries with its driver, skipping commented-out ones", () => {
    expect(databaseUrlInText("# DATABASE_URL=sqlite:///x.db\nDATABASE_URL=postgresql+asyncpg://u:p@db/app\n", "backend/.env")).toEqual({
      scheme: "postgresql+asyncpg",
      async: true,
      file: "backend/.env",
      line: 2,
    });
    expect(databaseUrlInText("services:\n  api:\n    environment:\n      - DATABASE_URL=postgresql://u:p@db/app\n", "compose.yaml")).toMatchObject({
      scheme: "postgresql",
      async: false,
      line: 4,
    });
    expect(databaseUrlInText('    environment:\n      DATABASE_URL: "sqlite+aiosqlite:///data.db"\n', "compose.yaml")).toMatchObject({ async: true, line: 2 });
    expect(databaseUrlInText("REDIS_URL=redis://cache\n", ".env")).toBeNull();
  });
});

async function apiToken(secret: string, sub: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sub, iss: "http://localhost:3000", aud: "http://localhost:3000", iat: now, exp: now + 300 })
    .setProtectedHeader({ alg: "HS256", typ: "at+jwt" })
    .sign(new TextEncoder().encode(secret));
}

it("generates an async engine for an asyncio DATABASE_URL, and the task routes work on it per user", async () => {
  root = makeFixture(ASYNC_BACKEND);
  const { result, failures } = await runGenerator(root, { secretMode: "shared-secret", routeStyle: "flat" });
  expect(failures).toEqual([]);
  const files = snapshotTree(root);
  expect(files["backend/db.py"]).toContain("engine = create_async_engine(DATABASE_URL)");
  expect(files["backend/db.py"]).toMatch(/names an\s+asyncio driver \(sqlite\+aiosqlite\)/);
  expect(files["backend/db.py"]).toContain("backend/.env:2");
  expect(files["backend/routes/tasks.py"]).toMatch(/async def list_tasks\(/);
  expect(files["backend/pyproject.toml"]).toMatch(/"sqlalchemy\[asyncio\]"/);
  expect(files["backend/pyproject.toml"]).toMatch(/"aiosqlite"/);
  expect(result).toBeTruthy();

  const secret = /^API_JWT_SECRET=(.+)$/m.exec(files["backend/.env"])![1];
  const api = await startBackend(path.join(root, "backend"), "main:app", {});
  try {
    const alice = { Authorization: `Bearer ${await apiToken(secret, "alice")}`, "Content-Type": "application/json" };
    const bob = { Authorization: `Bearer ${await apiToken(secret, "bob")}` };
    expect((await fetch(`${api.url}/api/tasks`)).status).toBe(401);
    const created = await fetch(`${api.url}/api/tasks`, { method: "POST", headers: alice, body: JSON.stringify({ title: "async" }) });
    expect(created.status, await created.clone().text()).toBe(201);
    const task = (await created.json()) as { id: number; user_id: string };
    expect(task.user_id).toBe("alice");
    expect(((await (await fetch(`${api.url}/api/tasks`, { headers: alice })).json()) as unknown[]).length).toBe(1);
    expect(await (await fetch(`${api.url}/api/tasks`, { headers: bob })).json()).toEqual([]);
    expect((await fetch(`${api.url}/api/tasks/${task.id}`, { headers: bob })).status).toBe(404);
    const patched = await fetch(`${api.url}/api/tasks/${task.id}`, { method: "PATCH", headers: alice, body: JSON.stringify({ completed: true }) });
    expect(patched.status, await patched.clone().text()).toBe(200);
    expect(((await patched.json()) as { completed: boolean }).completed).toBe(true);
  } finally {
    await api.stop();
  }
});
