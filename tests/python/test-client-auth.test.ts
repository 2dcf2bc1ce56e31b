// The project's own tests, signed in: before each TestClient(app) the app's get_current_user is overridden (FastAPI's
// way to test with auth), so tests written before the routes needed a token keep passing; the real check stays
// tested by the generated tests/test_auth.py.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { signInTestClients } from "../../generators/lib/python/test-client-auth.js";
import { keepsLines } from "../helpers/keeps-lines.js";
import { VENV_PYTHON } from "../helpers/python.js";

const PYTHON = process.env.AUTH_INTEGRATOR_PYTHON ?? VENV_PYTHON;
const signIn = (text: string) => signInTestClients(text, { authModule: "app.routes.auth" });

const FIXTURES = `import pytest
from fastapi.testclient import TestClient

from app.main import app


@pytest.fixture
def client():
    with TestClient(app) as test_client:
        yield test_client
`;

describe("signInTestClients", () => {
  it("overrides get_current_user before a TestClient made in a fixture, keeping every line, with one import per module", () => {
    const result = signIn(FIXTURES);
    expect(result.clients).toEqual([9]);
    expect(result.text).toContain("    app.dependency_overrides[get_current_user] = signed_in_test_user\n    with TestClient(app) as test_client:\n");
    expect(result.text).toContain("from fastapi import Request\nfrom app.routes.auth import AuthUser, get_current_user\n");
    expect(result.text).toContain('return AuthUser(id=str(request.path_params.get("user_id", "test-user")))');
    expect(keepsLines(FIXTURES, result.text)).toBe(true);
    execFileSync(PYTHON, ["-c", "import ast, sys; ast.parse(sys.stdin.read())"], { input: result.text });
  });

  it("handles a module-level client and TestClient(app=...), each statement once", () => {
    const text = "from fastapi.testclient import TestClient as Client\nfrom app import main\n\nclient = Client(app=main.app)\n";
    const result = signIn(text);
    expect(result.text).toContain("\nmain.app.dependency_overrides[get_current_user] = signed_in_test_user\nclient = Client(app=main.app)\n");
  });

  it("reports a TestClient of an app built inline instead of guessing", () => {
    const text = "from fastapi.testclient import TestClient\nfrom app.main import create_app\n\nclient = TestClient(create_app())\n";
    const result = signIn(text);
    expect(result.text).toBe(text);
    expect(result.manual).toEqual([{ line: 4, reason: "the app of TestClient(create_app()) is not a name: set app.dependency_overrides[get_current_user] before it" }]);
  });

  it("leaves tests that override get_current_user already, and its own output, as they are", () => {
    const once = signIn(FIXTURES).text;
    expect(signIn(once).text).toBe(once);
    const own = FIXTURES.replace("    with TestClient", "    app.dependency_overrides[get_current_user] = lambda: None\n    with TestClient");
    expect(signIn(own).text).toBe(own);
  });

  it("refuses to rebind a name the tests use for something else, and says so", () => {
    const text = FIXTURES.replace("from app.main import app", "from app.main import app\nfrom app.security import get_current_user");
    const result = signIn(text);
    expect(result.text).toBe(text);
    expect(result.manual[0].reason).toMatch(/get_current_user already names something else in this module: override get_current_user from app\.routes\.auth by hand/);
  });
});
