/**
 * Ownership benchmark: what scoping a list route to the signed-in user costs as the table grows. The FLAT
 * layout of tests/e2e/project-layouts.ts (the project's own GET /api/tasks/, sync SQLModel over SQLite, Task
 * with an indexed user_id) is run through the compiled bin (shared-secret mode), then two copies of the same
 * app are started under uvicorn, one worker each: one over a SQLite database of 10 users x 100 rows, one over
 * 1,000 users x 100 rows (rows interleaved by user, as they would be written over time). wrk loads GET
 * /api/tasks/ with user-0's token (100 rows in both) in interleaved rounds A,B,A,B... Prints the medians and
 * the median of the rounds' ratios, small table ÷ large table: the slowdown (target <= 1.20x, which holds
 * when the owner column is indexed and the filter uses it), and SQLite's query plan for the route's query on
 * the large database.
 * Needs wrk: `apt-get update && apt-get install -y wrk`; and a built dist/ (`npm run build`).
 */
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { DURATION, PINNED, WRK_ARGS, median, wrk } from "./wrk.js";
import { SignJWT } from "jose";
import { apiClaimsFrom } from "../tests/backend/claims.js";
import { runPython, startBackend, type RunningBackend } from "../tests/backend/python.js";
import { PROJECT_LAYOUTS } from "../tests/e2e/project-layouts.js";
import { readDotenv } from "../tests/e2e/scratch.js";
import { runBin } from "../tests/helpers/bin.js";
import { makeFixture, removeFixture, writeFiles } from "../tests/helpers/fixture.js";
import { REPO_ROOT } from "../tests/helpers/python.js";

/** 7 rather than backend.ts's 5: single 3s runs of this route vary by up to ±25% here (same app, same table). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const ROWS_PER_USER = 100;
const SMALL_USERS = 10;
const LARGE_USERS = 1_000;
const MEASURED_USER = "user-0";
/**
 * Run in the backend folder with the app's DATABASE_URL: creates the tables with the app's own function,
 * then inserts users x rows tasks straight through sqlite3 (row i of every user before row i+1 of any), with
 * the table and column names read from the model. With "plan", also prints SQLite's query plan for the list
 * route's query (the statement the route builds, compiled for SQLite) as the last line, JSON.
 */
const POPULATE = `
import json, sqlite3, sys
from datetime import datetime, timezone

from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlmodel import select

from app.database import create_db_and_tables, engine
from app.models import Task

users, rows_per_user, want_plan = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "plan"
create_db_and_tables()
table = Task.__table__
path = engine.url.database
created = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
columns = [table.c.title.name, table.c.description.name, table.c.completed.name, table.c.user_id.name, table.c.created_at.name]
rows = (
    (f"task {i} of user-{u}", None, i % 2, f"user-{u}", created)
    for i in range(rows_per_user)
    for u in range(users)
)
with sqlite3.connect(path) as db:
    db.execute(f'DELETE FROM "{table.name}"')
    db.executemany(f'INSERT INTO "{table.name}" ({", ".join(columns)}) VALUES (?, ?, ?, ?, ?)', rows)
    db.execute("ANALYZE")
    count = db.execute(f'SELECT COUNT(*) FROM "{table.name}"').fetchone()[0]
    result = {"table": table.name, "owner": table.c.user_id.name, "count": count}
    if want_plan:
        statement = select(Task).where(Task.user_id == "user-0").order_by(Task.id)
        sql = str(statement.compile(dialect=sqlite_dialect.dialect()))
        plan = db.execute(f"EXPLAIN QUERY PLAN {sql}", ("user-0",)).fetchall()
        result["sql"] = " ".join(sql.split())
        result["plan"] = [row[-1] for row in plan]
print(json.dumps(result))
`;

interface Populated {
  table: string;
  owner: string;
  count: number;
  sql?: string;
  plan?: string[];
}

async function populate(backendDir: string, env: Record<string, string>, users: number, plan: boolean): Promise<Populated> {
  const result = await runPython(["-c", POPULATE, String(users), String(ROWS_PER_USER), plan ? "plan" : "no-plan"], { cwd: backendDir, env, timeoutMs: 120_000 });
  if (result.code !== 0) throw new Error(`populating the ${users}-user database failed (${result.code}):\n${result.stderr}`);
  const populated = JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "{}") as Populated;
  if (populated.count !== users * ROWS_PER_USER) throw new Error(`the ${users}-user database holds ${populated.count} rows, not ${users * ROWS_PER_USER}`);
  return populated;
}

/** One request as user-0: must answer 200 with exactly user-0's 100 rows. */
async function checkList(url: string, token: string, label: string): Promise<void> {
  const response = await fetch(`${url}/api/tasks/`, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET /api/tasks/ on the ${label} database answered ${response.status}: ${text.slice(0, 400)}`);
  const rows = JSON.parse(text) as { user_id?: string }[];
  const foreign = rows.filter((row) => row.user_id !== MEASURED_USER).length;
  if (rows.length !== ROWS_PER_USER || foreign > 0) {
    throw new Error(`GET /api/tasks/ on the ${label} database gave ${rows.length} rows (${foreign} not ${MEASURED_USER}'s), not ${ROWS_PER_USER} of ${MEASURED_USER}'s`);
  }
}

export interface OwnershipResult {
  small: number;
  large: number;
  /** Median of the rounds' small ÷ large. */
  slowdown: number;
  slowdowns: number[];
  plan: string[];
  sql: string;
  table: string;
}

export async function benchOwnership(): Promise<OwnershipResult> {
  const bin = path.join(REPO_ROOT, "dist", "bin", "auth-integrator.js");
  if (!existsSync(bin)) throw new Error(`no ${path.relative(REPO_ROOT, bin)}: run npm run build first`);
  const layout = PROJECT_LAYOUTS.find((l) => l.name === "flat");
  if (!layout) throw new Error("no flat layout in tests/e2e/project-layouts.ts");

  const tmp = makeFixture({}, "bench-ownership-");
  const apis: RunningBackend[] = [];
  try {
    const root = path.join(tmp, "repo");
    writeFiles(root, layout.files);
    const generated = await runBin(["auth", "--cwd", root, "--yes", "--secret-mode", "shared-secret"]);
    if (generated.code !== 0) throw new Error(`the bin failed on the flat layout (exit ${generated.code}):\n${generated.stdout}\n${generated.stderr}`);
    const backendDir = path.join(root, layout.backend);
    const dotenv = readDotenv(path.join(backendDir, ".env"));

    const envFor = (name: string) => {
      const data = path.join(tmp, name);
      mkdirSync(data);
      const layoutEnv = Object.fromEntries(Object.entries(layout.env).map(([key, value]) => [key, value.replaceAll("{data}", data)]));
      return { ...dotenv, ...layoutEnv };
    };
    const smallEnv = envFor("data-small");
    const largeEnv = envFor("data-large");
    await populate(backendDir, smallEnv, SMALL_USERS, false);
    const large = await populate(backendDir, largeEnv, LARGE_USERS, true);

    // The token as the frontend mints it: HS256 keyed with API_JWT_SECRET, typ at+jwt, iss = aud = BETTER_AUTH_URL's origin.
    const secret = dotenv.API_JWT_SECRET;
    const issuer = dotenv.BETTER_AUTH_URL;
    if (!secret || !issuer) throw new Error(`the generator wrote no API_JWT_SECRET/BETTER_AUTH_URL to ${layout.backend}/.env`);
    const claims = apiClaimsFrom(new URL(issuer).origin)(MEASURED_USER);
    const token = await new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "at+jwt" }).sign(new TextEncoder().encode(secret));

    const pin = PINNED ? { cpu: 0 } : {};
    const smallApi = await startBackend(backendDir, layout.appImport, smallEnv, pin);
    apis.push(smallApi);
    const largeApi = await startBackend(backendDir, layout.appImport, largeEnv, pin);
    apis.push(largeApi);
    await checkList(smallApi.url, token, `${SMALL_USERS}-user`);
    await checkList(largeApi.url, token, `${LARGE_USERS}-user`);

    const auth = [`Authorization: Bearer ${token}`];
    const smallUrl = `${smallApi.url}/api/tasks/`;
    const largeUrl = `${largeApi.url}/api/tasks/`;
    // Warm-up: the first requests of each process (imports, the token cache, SQLite's page cache) are not measured.
    wrk(smallUrl, auth, "1s");
    wrk(largeUrl, auth, "1s");
    const smalls: number[] = [];
    const larges: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Interleaved: drift in machine load hits both sides alike; each round gives one ratio. The order flips
      // every round (A,B then B,A): on this machine the second run of a pair is a few percent faster either way.
      if (round % 2 === 0) {
        smalls.push(wrk(smallUrl, auth));
        larges.push(wrk(largeUrl, auth));
      } else {
        larges.push(wrk(largeUrl, auth));
        smalls.push(wrk(smallUrl, auth));
      }
    }
    const slowdowns = smalls.map((value, i) => value / larges[i]);
    return {
      small: median(smalls),
      large: median(larges),
      slowdown: median(slowdowns),
      slowdowns,
      plan: large.plan ?? [],
      sql: large.sql ?? "",
      table: large.table,
    };
  } finally {
    for (const api of apis) await api.stop();
    removeFixture(tmp);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { small, large, slowdown, slowdowns, plan, sql } = await benchOwnership();
  const setup = `${WRK_ARGS.slice(PINNED ? 3 : 0).join(" ")} -d${DURATION}${PINNED ? ", wrk and uvicorn pinned to separate cores" : ""}`;
  const fmt = (n: number) => n.toLocaleString("en-US");
  console.log(`ownership: SQLite's plan for the list query on the ${fmt(LARGE_USERS)}-user table: ${plan.join("; ")} (${sql})`);
  console.log(
    `ownership: GET /api/tasks/ for a user with ${ROWS_PER_USER} rows: ${fmt(SMALL_USERS)} users x ${ROWS_PER_USER} rows ${small.toFixed(0)} req/s, ` +
      `${fmt(LARGE_USERS)} users x ${ROWS_PER_USER} rows ${large.toFixed(0)} req/s (median of ${ROUNDS} interleaved rounds; ${setup})`,
  );
  console.log(`ownership slowdown at ${fmt(LARGE_USERS)} users: ${slowdown.toFixed(2)}x (target <= 1.20x; rounds: ${slowdowns.map((r) => r.toFixed(2)).join(" ")})`);
}
