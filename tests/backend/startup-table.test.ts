/**
 * A generated Task model next to the project's own session: its table exists once the app has started
 * (FastAPI runs the task router's lifespan after the app's own), before any request — under the real app.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";
import { expect, it } from "vitest";
import type { Answers } from "../../generators/lib/types.js";
import { removedAfterEach } from "../helpers/temp-roots.js";
import { generatedFixture, packageBackend, type FixtureBackend } from "./fixtures.js";
import { runPython } from "./python.js";

const removed = removedAfterEach();
const SECRET = randomBytes(32).toString("base64");
const ANSWERS: Partial<Answers> = { secretMode: "shared-secret", routeStyle: "flat" };

/** Starts the app in-process (TestClient runs the lifespan as uvicorn does) and prints whether the task table exists before and after start-up. */
const START_APP = `
import sqlalchemy
from fastapi.testclient import TestClient
from app.database import engine
from app.main import api

print("before start:", sqlalchemy.inspect(engine).has_table("task"))
with TestClient(api):
    print("after start:", sqlalchemy.inspect(engine).has_table("task"))
`;

async function tableAtStart(backend: FixtureBackend) {
  const { root } = generatedFixture(backend, ANSWERS);
  removed(root);
  const backendDir = path.join(root, "backend");
  const env = { BETTER_AUTH_URL: "http://localhost:3000", API_JWT_SECRET: SECRET, DATABASE_URL: `sqlite:///${path.join(backendDir, "start.db")}` };
  return runPython(["-c", START_APP], { cwd: backendDir, env });
}

it("creates the table when the app starts, with no lifespan in the app", async () => {
  const result = await tableAtStart(packageBackend());
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toBe("before start: False\nafter start: True\n");
});

it("creates the table when the app starts, after the app's own lifespan, which it leaves alone", async () => {
  const backend = packageBackend();
  backend.files["backend/app/main.py"] = backend.files["backend/app/main.py"]
    .replace("from fastapi import FastAPI\n", 'from contextlib import asynccontextmanager\n\nfrom fastapi import FastAPI\n')
    .replace(
      'api = FastAPI(title="Package API")',
      '@asynccontextmanager\nasync def lifespan(_app: FastAPI):\n    print("own lifespan: start")\n    yield\n    print("own lifespan: stop")\n\n\napi = FastAPI(title="Package API", lifespan=lifespan)',
    );
  const result = await tableAtStart(backend);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toBe("before start: False\nown lifespan: start\nafter start: True\nown lifespan: stop\n");
});
