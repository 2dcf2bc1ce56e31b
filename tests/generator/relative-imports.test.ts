// A backend whose app imports relatively (`from .db import ...`) is a package: the backend folder itself
// (run as backend.main from the folder above) or its src/ folder (run as src.main). The generated modules
// must import it that way, so the app still imports and starts after a run, and its generated tests pass.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runPython } from "../backend/python.js";
import { runBackendTests } from "../e2e/checks.js";
import { runBin } from "../helpers/bin.js";
import { makeFixture, snapshotTree } from "../helpers/fixture.js";
import { SMALL_MONOREPO } from "../helpers/monorepo.js";
import { VENV_PYTHON } from "../helpers/python.js";
import { removedAfterEach } from "../helpers/temp-roots.js";

const PYTHON = process.env.AUTH_INTEGRATOR_PYTHON ?? VENV_PYTHON;
const temp = removedAfterEach();
const FRONTEND = Object.fromEntries(Object.entries(SMALL_MONOREPO).filter(([file]) => file === "package.json" || file.startsWith("frontend/")));

const MAIN = `from fastapi import FastAPI\n\nfrom .db import ping\n\napp = FastAPI()\n\n\n@app.get("/health")\ndef health() -> dict[str, str]:\n    return {"status": ping()}\n`;
const DB = 'def ping() -> str:\n    return "ok"\n';

describe("a backend package with relative imports", () => {
  it("the backend folder itself: generated imports say backend.…, the app imports from the folder above", async () => {
    const root = temp(makeFixture({ ...FRONTEND, "backend/requirements.txt": "fastapi\nsqlmodel\n", "backend/__init__.py": "", "backend/main.py": MAIN, "backend/db.py": DB }));
    const run = await runBin(["auth", "--cwd", root, "--yes", "--secret-mode", "shared-secret"]);
    expect(run.code, run.stderr).toBe(0);
    const files = snapshotTree(root);
    expect(files["backend/main.py"]).toContain("from backend.routes.auth import router as auth_router\n");
    expect(files["backend/routes/auth.py"]).toContain("from backend.auth_jwt import get_verifier\n");
    expect(run.stdout).toContain("uvicorn backend.main:app --app-dir ..");
    const imported = await runPython(["-c", "import backend.main as m; print(sorted(m.app.openapi()['paths']))"], { cwd: root });
    expect(imported.stdout + imported.stderr).toContain("'/api/me'");
    const tests = await runBackendTests(path.join(root, "backend"), PYTHON);
    expect(tests.code, tests.stdout + tests.stderr).toBe(0);
  });

  it("a src/ folder without __init__.py that the app imports relatively from: src.main", async () => {
    const root = temp(makeFixture({ ...FRONTEND, "backend/requirements.txt": "fastapi\nsqlmodel\n", "backend/src/main.py": MAIN, "backend/src/db.py": DB }));
    const run = await runBin(["auth", "--cwd", root, "--yes", "--secret-mode", "shared-secret"]);
    expect(run.code, run.stderr).toBe(0);
    expect(snapshotTree(root)["backend/src/main.py"]).toContain("from src.routes.auth import router as auth_router\n");
    expect(run.stdout).toContain("(cd backend && uvicorn src.main:app --reload)");
    const imported = await runPython(["-c", "import src.main as m; print(sorted(m.app.openapi()['paths']))"], { cwd: path.join(root, "backend") });
    expect(imported.stdout + imported.stderr).toContain("'/api/me'");
  });
});
