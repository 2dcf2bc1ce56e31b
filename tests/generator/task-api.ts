// Drives a generated backend's task routes for real: the app in-process under FastAPI's TestClient (lifespan
// included), tokens signed the way the frontend signs API tokens, and the rows read back from the database.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { readDotenv, runCommand } from "../e2e/scratch.js";

/** What to do against the task routes; the script answers with every response and the rows it finds. */
export interface TaskApiScenario {
  /** The Task table's name, for reading the rows back. */
  table: string;
  /** A synchronous SQLAlchemy URL of the app's database (the script seeds and reads it directly). */
  syncDatabaseUrl: string;
  /** SQL run once the app has started (its tables exist), before any request. */
  seed: string[];
  /** The task routes' path: "/api/tasks", or "/api/test-alice/tasks" for the user-scoped style (requests are made as test-alice). */
  base: string;
  /** Requests in order: method, path under \`base\` (`{id}` is the first created task's id), JSON body. */
  requests: [string, string, unknown][];
}

export interface TaskApiResult {
  responses: { status: number; body: unknown }[];
  rows: Record<string, unknown>[];
}

const SCRIPT = String.raw`
import json
import os
import sys
import time

import jwt
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

sys.path.insert(0, os.getcwd())
from main import app  # noqa: E402

scenario = json.loads(sys.argv[1])
origin = os.environ["BETTER_AUTH_URL"]


def headers(user_id):
    now = int(time.time())
    claims = {"sub": user_id, "iss": origin, "aud": origin, "iat": now, "exp": now + 600}
    token = jwt.encode(claims, os.environ["API_JWT_SECRET"], algorithm="HS256", headers={"typ": "at+jwt"})
    return {"Authorization": f"Bearer {token}"}


database = create_engine(scenario["syncDatabaseUrl"])
responses = []
first_id = None
with TestClient(app, raise_server_exceptions=False) as client:
    with database.begin() as connection:
        for statement in scenario["seed"]:
            connection.execute(text(statement))
    for method, path, body in scenario["requests"]:
        url = scenario["base"] + path.replace("{id}", str(first_id))
        response = client.request(method, url, json=body, headers=headers("test-alice"))
        payload = response.json() if response.content else None
        if first_id is None and method == "POST" and response.status_code == 201:
            first_id = payload["id"]
        responses.append({"status": response.status_code, "body": payload})
with database.connect() as connection:
    rows = [dict(row) for row in connection.execute(text(f"SELECT * FROM {scenario['table']} ORDER BY id")).mappings()]
print(json.dumps({"responses": responses, "rows": rows}, default=str))
`;

/** Runs a scenario against the generated backend in `backendDir` with the venv's Python; the env comes from its generated .env. */
export async function runTaskApi(backendDir: string, python: string, scenario: TaskApiScenario, env: Record<string, string> = {}): Promise<TaskApiResult> {
  const script = path.join(backendDir, "task_api_check.py");
  writeFileSync(script, SCRIPT);
  const dotenv = readDotenv(path.join(backendDir, ".env"));
  const run = await runCommand(python, ["-W", "default", script, JSON.stringify(scenario)], {
    cwd: backendDir,
    env: { ...process.env, BETTER_AUTH_URL: dotenv.BETTER_AUTH_URL, API_JWT_SECRET: dotenv.API_JWT_SECRET, PYTHONDONTWRITEBYTECODE: "1", ...env },
    timeoutMs: 90_000,
  });
  if (run.code !== 0) throw new Error(`task API check failed (${run.code}):\n${run.stdout}\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "") as TaskApiResult;
}

/** The `loc` paths of a 422's validation errors: [["body", "priority"]]. */
export function errorLocations(body: unknown): unknown[] {
  const detail = (body as { detail?: unknown }).detail;
  return Array.isArray(detail) ? detail.map((error: { loc?: unknown }) => error.loc) : [];
}
