// A backend that declares pydantic v1 gets task routes written for v1 (class Config: orm_mode, .dict()), which
// run for real: the request and response models under pydantic's own v1 (pydantic.v1), and the whole app under
// the venv's pydantic 2, which still accepts the v1 spellings. A second run changes nothing.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runBackendTests } from "../e2e/checks.js";
import { copyExample, runCommand } from "../e2e/scratch.js";
import { runBin } from "../helpers/bin.js";
import { snapshotTree } from "../helpers/fixture.js";
import { VENV_PYTHON } from "../helpers/python.js";
import { removedAfterEach } from "../helpers/temp-roots.js";
import { errorLocations, runTaskApi } from "./task-api.js";

const PYTHON = process.env.AUTH_INTEGRATOR_PYTHON ?? VENV_PYTHON;
const temp = removedAfterEach();

/** The example monorepo with its backend's pyproject.toml dependencies changed by `edit`. */
function exampleWith(edit: (pyproject: string) => string, files: Record<string, string> = {}): string {
  const root = temp(copyExample("pydantic-v1-"));
  const pyproject = path.join(root, "backend/pyproject.toml");
  writeFileSync(pyproject, edit(readFileSync(pyproject, "utf8")));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(root, "backend", name), text);
  return root;
}

const run = (root: string) => runBin(["auth", "--cwd", root, "--yes", "--secret-mode", "shared-secret"]);

/** The generated request/response models, cut out of tasks.py and run under pydantic.v1 (the real v1 API). */
const V1_MODELS_CHECK = String.raw`
import ast
import sys
import warnings
from datetime import date, datetime, timezone
from types import SimpleNamespace
from uuid import UUID

warnings.simplefilter("ignore")  # pydantic.v1 on a new Python says it is not supported there
from pydantic.v1 import BaseModel, Field, ValidationError  # noqa: E402

source = open(sys.argv[1]).read()
classes = [node for node in ast.parse(source).body if isinstance(node, ast.ClassDef) and node.name in ("TaskCreate", "TaskUpdate", "TaskRead")]
namespace = {"BaseModel": BaseModel, "Field": Field, "datetime": datetime, "date": date, "UUID": UUID}
exec(compile(ast.Module(body=classes, type_ignores=[]), "tasks.py", "exec"), namespace)
TaskCreate, TaskUpdate, TaskRead = namespace["TaskCreate"], namespace["TaskUpdate"], namespace["TaskRead"]

row = SimpleNamespace(id=3, title="t", description=None, completed=True, user_id="u", created_at=datetime.now(timezone.utc), updated_at=None)
assert TaskRead.from_orm(row).dict()["completed"] is True  # orm_mode reads attributes
assert TaskUpdate(title="x").dict(exclude_unset=True) == {"title": "x"}
assert TaskCreate(title="x").dict() == {"title": "x", "description": None}
for bad in ({"title": ""}, {"title": "x" * 201}, {}):
    try:
        TaskCreate(**bad)
    except ValidationError:
        continue
    raise AssertionError(f"TaskCreate accepted {bad}")
print("pydantic.v1 ok")
`;

describe("a backend that declares pydantic v1", () => {
  it("gets task routes in v1's spelling that run, and a second run changes nothing", { timeout: 180_000 }, async () => {
    const root = exampleWith((text) => text.replace('"fastapi>=0.115",', '"fastapi>=0.95",\n    "pydantic>=1.10,<2",'));
    const first = await run(root);
    expect(first.code, first.stderr).toBe(0);
    const backend = path.join(root, "backend");
    const routes = readFileSync(path.join(backend, "routes/tasks.py"), "utf8");
    expect(routes).toContain("from pydantic import BaseModel, Field\n");
    expect(routes).toContain("\n    class Config:\n        orm_mode = True");
    expect(routes).toContain("body.dict(exclude_unset=True)");
    expect(routes).not.toMatch(/model_config|ConfigDict|model_dump|from_attributes|model_validate/);

    const before = snapshotTree(root);
    const again = await run(root);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("Nothing to do");
    expect(snapshotTree(root)).toEqual(before);

    writeFileSync(path.join(backend, "v1_models_check.py"), V1_MODELS_CHECK);
    const v1 = await runCommand(PYTHON, ["v1_models_check.py", "routes/tasks.py"], { cwd: backend, timeoutMs: 60_000 });
    expect(v1.code, v1.stdout + v1.stderr).toBe(0);
    expect(v1.stdout).toContain("pydantic.v1 ok");

    const database = path.join(backend, "v1.db");
    const api = await runTaskApi(
      backend,
      PYTHON,
      {
        table: "task",
        base: "/api/tasks",
        syncDatabaseUrl: `sqlite:///${database}`,
        seed: [],
        requests: [
          ["POST", "", { title: "first", description: "d" }],
          ["POST", "", { title: "" }],
          ["PATCH", "/{id}", { title: "renamed", completed: null }],
          ["PATCH", "/{id}/complete", null],
          ["GET", "", null],
        ],
      },
      { DATABASE_URL: `sqlite:///${database}` },
    );
    const [created, empty, patched, toggled, listed] = api.responses;
    expect(created).toMatchObject({ status: 201, body: { title: "first", description: "d", completed: false, user_id: "test-alice" } });
    expect(empty.status).toBe(422);
    expect(errorLocations(empty.body)).toEqual([["body", "title"]]);
    expect(patched).toMatchObject({ status: 200, body: { title: "renamed", completed: false } });
    expect(toggled).toMatchObject({ status: 200, body: { completed: true } });
    expect(listed).toMatchObject({ status: 200, body: [{ title: "renamed", completed: true }] });
    expect(api.rows).toMatchObject([{ title: "renamed", description: "d", user_id: "test-alice" }]);

    // The generated backend tests pass too (pydantic 2 runs the v1 spellings, with deprecation warnings).
    const tests = await runBackendTests(backend, PYTHON);
    expect(tests.code, tests.stdout + tests.stderr).toBe(0);
  });

  it.each([
    ["requirements.txt: fastapi==0.95.2", (text: string) => text.replace('"fastapi>=0.115",', ""), { "requirements.txt": "fastapi==0.95.2\nsqlmodel==0.0.8\n" }],
    ["Poetry: pydantic = ^1.10", (text: string) => `${text}\n[tool.poetry.dependencies]\npydantic = "^1.10"\n`, {}],
    ["sqlmodel<0.0.12", (text: string) => text.replace('"sqlmodel>=0.0.22"', '"sqlmodel<0.0.12"'), {}],
  ])("reads v1 from %s", { timeout: 60_000 }, async (_, edit, files) => {
    const root = exampleWith(edit, files);
    const result = await run(root);
    expect(result.code, result.stderr).toBe(0);
    const routes = readFileSync(path.join(root, "backend/routes/tasks.py"), "utf8");
    expect(routes).toContain("orm_mode = True");
    expect(routes).toContain("body.dict(exclude_unset=True)");
  });

  it("writes v2's spelling when nothing limits the project to v1", { timeout: 60_000 }, async () => {
    const root = exampleWith((text) => text.replace('"fastapi>=0.115",', '"fastapi>=0.115",\n    "pydantic>=1.10",'));
    const result = await run(root);
    expect(result.code, result.stderr).toBe(0);
    const routes = readFileSync(path.join(root, "backend/routes/tasks.py"), "utf8");
    expect(routes).toContain("from pydantic import BaseModel, ConfigDict, Field\n");
    expect(routes).toContain("    model_config = ConfigDict(from_attributes=True)\n");
    expect(routes).toContain("body.model_dump(exclude_unset=True)");
    expect(routes).not.toContain("orm_mode");
  });
});
