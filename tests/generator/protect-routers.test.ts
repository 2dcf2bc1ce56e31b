// --protect chooses which of the project's routers are scoped to the signed-in user: every one found by default,
// a named subset, or none (each left open is named in a warning), and `auth-integrator routes` shows the result.
import { afterEach, describe, expect, it } from "vitest";
import { runBin } from "../helpers/bin.js";
import { makeFixture, removeFixture, snapshotTree } from "../helpers/fixture.js";
import { PROJECT_LAYOUTS } from "../e2e/project-layouts.js";

let root = "";
afterEach(() => removeFixture(root));

const NESTED = PROJECT_LAYOUTS.find((layout) => layout.name === "nested-async")!;
const runAuth = (...flags: string[]) => runBin(["auth", "--cwd", root, "--yes", "--secret-mode", "shared-secret", ...flags]);
const routeClasses = async () => {
  const listed = await runBin(["routes", "--cwd", root, "--json"]);
  const { routes } = JSON.parse(listed.stdout) as { routes: { method: string; path: string; routeClass: string }[] };
  return Object.fromEntries(routes.map((route) => [`${route.method} ${route.path}`, route.routeClass]));
};

describe("--protect", () => {
  it("by default secures every owned-resource router and lists the routes in the summary", async () => {
    root = makeFixture(NESTED.files);
    expect((await routeClasses())["GET /api/v1/todos/"]).toBe("owned");
    const run = await runAuth();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/routes secured \(\d+\)/);
    expect(run.stdout).toMatch(/GET \/api\/v1\/todos\/ \(backend\/app\/api\/v1\/endpoints\/todos\.py:\d+\): only the signed-in user's Todo rows/);
    expect((await routeClasses())["GET /api/v1/todos/"]).toBe("protected");
  });

  it("with none leaves the project's routes byte for byte as they were and names each one left open", async () => {
    root = makeFixture(NESTED.files);
    const run = await runAuth("--protect", "none");
    expect(run.code, run.stderr).toBe(0);
    expect(snapshotTree(root)["backend/app/api/v1/endpoints/todos.py"]).toBe(NESTED.files["backend/app/api/v1/endpoints/todos.py"]);
    expect(run.stdout).toMatch(/todos\.py:\d+ GET \/api\/v1\/todos\/ stays open to every caller: its router todos is not in --protect/);
    expect(run.stdout).not.toContain("routes secured");
  });

  it("refuses a name that is no router name, writing nothing", async () => {
    root = makeFixture(NESTED.files);
    const before = snapshotTree(root);
    const run = await runAuth("--protect", "todos;rm -rf");
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('"todos;rm -rf" is none of these');
    expect(snapshotTree(root)).toEqual(before);
  });

  it("names routes guarded by the project's own token check, auth middleware, and a user id taken from a header, with what to change", async () => {
    const frontend = Object.fromEntries(Object.entries(NESTED.files).filter(([file]) => !file.startsWith("backend/")));
    root = makeFixture({
      ...frontend,
      "backend/requirements.txt": "fastapi\npyjwt\n",
      "backend/main.py": [
        "import jwt",
        "from fastapi import Depends, FastAPI, Header, Request",
        "from middleware import JWTAuthMiddleware",
        "",
        "app = FastAPI()",
        "app.add_middleware(JWTAuthMiddleware)",
        "",
        "",
        "def get_current_user(authorization: str = Header()) -> str:",
        '    return jwt.decode(authorization[7:], "secret", algorithms=["HS256"])["sub"]',
        "",
        "",
        '@app.get("/api/notes")',
        "def notes(user: str = Depends(get_current_user)) -> list[str]:",
        "    return [user]",
        "",
        "",
        '@app.post("/api/chat")',
        "def chat(request: Request) -> str:",
        '    return request.headers.get("X-User-ID", "")',
        "",
      ].join("\n"),
      "backend/middleware.py": "class JWTAuthMiddleware:\n    pass\n",
    });
    const run = await runAuth();
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/1 route\(s\) check the signed-in user with your own Depends\(get_current_user\) \(e\.g\. GET \/api\/notes, backend\/main\.py:14\)/);
    expect(run.stdout).toMatch(/backend\/main\.py:6: JWTAuthMiddleware runs before every route/);
    expect(run.stdout).toMatch(/backend\/main\.py:20 POST \/api\/chat takes the caller's id from the X-User-ID header, which any client can set/);
  });
});
