// The generated task routes take the project's own Task primary key, whatever its type: an int, a UUID or a
// str id, in both route styles; the generated backend tests (real FastAPI, real SQLite) pass on each.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runBackendTests } from "../e2e/checks.js";
import { copyExample } from "../e2e/scratch.js";
import { runBin } from "../helpers/bin.js";
import { VENV_PYTHON } from "../helpers/python.js";
import { removedAfterEach } from "../helpers/temp-roots.js";

const PYTHON = process.env.AUTH_INTEGRATOR_PYTHON ?? VENV_PYTHON;
const temp = removedAfterEach();

const ID_COLUMNS = {
  UUID: "id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)",
  str: "id: str = Field(default_factory=lambda: uuid.uuid4().hex, primary_key=True)",
};

/** A str or UUID key without a default: nothing fills it on insert unless the routes do. */
const KEYS_WITHOUT_DEFAULT = [
  ["UUID", "id: uuid.UUID = Field(primary_key=True)", "flat", "id=uuid4()"],
  ["str", "id: str = Field(primary_key=True)", "user-scoped", "id=str(uuid4())"],
] as const;

describe.each(KEYS_WITHOUT_DEFAULT)("a Task with a %s primary key and no default", (type, column, style, fill) => {
  it(`gets task routes (${style}) that make the key on create, whose generated tests pass`, { timeout: 120_000 }, async () => {
    const root = temp(copyExample(`task-id-nodefault-${type}-`));
    const models = path.join(root, "backend/models.py");
    writeFileSync(models, `import uuid\n${readFileSync(models, "utf8").replace("id: int | None = Field(default=None, primary_key=True)", column)}`);
    const run = await runBin(["auth", "--cwd", root, "--yes", "--secret-mode", "shared-secret", "--route-style", style]);
    expect(run.code, run.stderr).toBe(0);
    const routes = readFileSync(path.join(root, "backend/routes/tasks.py"), "utf8");
    expect(routes).toContain(`        ${fill},\n`);
    expect(routes).toMatch(/^from uuid import (?:UUID, )?uuid4$/m);
    const tests = await runBackendTests(path.join(root, "backend"), PYTHON);
    expect(tests.code, tests.stdout + tests.stderr).toBe(0);
  });
});

describe.each(Object.entries(ID_COLUMNS))("a Task with a %s primary key", (type, column) => {
  it.each(["flat", "user-scoped"])("gets task routes in the %s style, whose generated tests pass", { timeout: 120_000 }, async (style) => {
    const root = temp(copyExample(`task-id-${type}-`));
    const models = path.join(root, "backend/models.py");
    writeFileSync(models, `import uuid\n${readFileSync(models, "utf8").replace("id: int | None = Field(default=None, primary_key=True)", column)}`);
    const run = await runBin(["auth", "--cwd", root, "--yes", "--secret-mode", "shared-secret", "--route-style", style]);
    expect(run.code, run.stderr).toBe(0);
    const routes = readFileSync(path.join(root, "backend/routes/tasks.py"), "utf8");
    expect(routes).toContain(`def read_task(task_id: ${type},`);
    if (type === "UUID") expect(routes).toContain("from uuid import UUID\n");
    const tests = await runBackendTests(path.join(root, "backend"), PYTHON);
    expect(tests.code, tests.stdout + tests.stderr).toBe(0);
  });
});
