// `auth-integrator routes`: the compiled bin lists the detected FastAPI app's routes as a table or as JSON.
import { describe, expect, it } from "vitest";
import type { RouteInfo, RouteInventory } from "../../generators/lib/python/routes.js";
import { runBin } from "../helpers/bin.js";
import { makeFixture } from "../helpers/fixture.js";
import { removedAfterEach } from "../helpers/temp-roots.js";

const removed = removedAfterEach();

const REPO = {
  "package.json": JSON.stringify({ name: "mono", private: true }),
  "server/pyproject.toml": `[project]\nname = "api"\nversion = "0.1.0"\ndependencies = ["fastapi>=0.110", "sqlmodel"]\n`,
  "server/app/__init__.py": "",
  "server/app/main.py": `from fastapi import FastAPI

from app.routers import tasks

app = FastAPI()
app.include_router(tasks.router)


@app.get("/health")
def health():
    return {"status": "ok"}
`,
  "server/app/models.py": `from sqlmodel import Field, SQLModel


class Task(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str
`,
  "server/app/routers/__init__.py": "",
  "server/app/routers/tasks.py": `from fastapi import APIRouter
from sqlmodel import select

from app.models import Task

router = APIRouter(prefix="/api/tasks")


@router.get("")
async def list_tasks():
    return select(Task)
`,
  "server/app/routers/old.py": `from fastapi import APIRouter\n\nrouter = APIRouter()\n\n\n@router.get("/old")\ndef old():\n    return 1\n`,
};

describe("auth-integrator routes", () => {
  it("prints the table of the detected backend's routes, then what it could not resolve", async () => {
    const root = removed(makeFixture(REPO, "routes-cli-"));
    const result = await runBin(["routes", "--cwd", root]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toMatch(/^METHOD +PATH +CLASS +HANDLER +WHY$/);
    expect(lines[1]).toMatch(/^GET +\/api\/tasks +owned +list_tasks \(server\/app\/routers\/tasks\.py:10\) +uses Task \(no owner column\)$/);
    expect(lines[2]).toMatch(/^GET +\/health +public +health \(server\/app\/main\.py:10\) +health check$/);
    expect(lines.slice(3)).toEqual(["", "Unresolved:", "  server/app/routers/old.py:3: router not included by the app"]);
  });

  it("prints only JSON with --json, for the folder given with --backend", async () => {
    const root = removed(makeFixture(REPO, "routes-cli-"));
    const result = await runBin(["routes", "--cwd", root, "--backend", "server", "--json"]);
    expect(result.code).toBe(0);
    const inventory = JSON.parse(result.stdout) as RouteInventory;
    expect(Object.keys(inventory)).toEqual(["routes", "unresolved"]);
    expect(inventory.routes.map((route: RouteInfo) => `${route.method} ${route.path} ${route.routeClass}`)).toEqual(["GET /api/tasks owned", "GET /health public"]);
    expect(inventory.routes[0]).toMatchObject({
      file: "server/app/routers/tasks.py",
      line: 10,
      handler: "list_tasks",
      async: true,
      router: { module: "app.routers.tasks", variable: "router" },
      models: [{ className: "Task", module: "app.models", file: "server/app/models.py", ownerColumn: null }],
      dependencies: [],
    });
    expect(inventory.unresolved).toEqual([{ file: "server/app/routers/old.py", line: 3, reason: "router not included by the app" }]);
  });

  it("exits 2 with a message on stderr when there is no backend, or for an option of the auth command", async () => {
    const root = removed(makeFixture({ "package.json": "{}" }, "routes-cli-"));
    const none = await runBin(["routes", "--cwd", root, "--json"]);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe("");
    expect(none.stderr).toMatch(/no FastAPI backend found/);

    const missing = await runBin(["routes", "--cwd", root, "--backend", "nope"]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe("");
    expect(missing.stderr).toMatch(/nope/);

    const foreign = await runBin(["routes", "--cwd", root, "--yes"]);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toMatch(/--yes is not an option of "routes"/);
  });

  it("lists the command in --help", async () => {
    const help = await runBin(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Commands:\n {2}auth .*\n {2}routes /);
  });
});
