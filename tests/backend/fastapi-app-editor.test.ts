import { describe, expect, it } from "vitest";
import { UserInputError } from "../../generators/lib/errors.js";
import { registerRouters, type RegisterRoutersOptions } from "../../generators/lib/editors/fastapi-app.js";

const ROUTERS = [
  { module: "routes.auth", name: "router" },
  { module: "routes.tasks", name: "router" },
];
const options = (overrides: Partial<RegisterRoutersOptions> = {}): RegisterRoutersOptions => ({
  file: "backend/main.py",
  appVariable: "app",
  routers: ROUTERS,
  ...overrides,
});
const lines = (...text: string[]) => `${text.join("\n")}\n`;
/** `text` (made by `lines`) with the `added` lines put after its line n (1-based), for each n given. */
const withLinesAfter = (text: string, added: Record<number, string[]>) =>
  lines(...text.slice(0, -1).split("\n").flatMap((line, i) => [line, ...(added[i + 1] ?? [])]));

describe("registerRouters", () => {
  it("imports after the last import and includes right after a one-line app = FastAPI()", () => {
    const before = lines("from fastapi import FastAPI", "", "app = FastAPI()", "", "", "@app.get('/health')", "def health():", "    return {}");
    expect(registerRouters(before, options())).toBe(
      withLinesAfter(before, {
        1: ["from routes.auth import router as auth_router", "from routes.tasks import router as tasks_router"],
        3: ["app.include_router(auth_router)", "app.include_router(tasks_router)"],
      }),
    );
  });

  it("includes after the end of an app = FastAPI(...) spanning several lines, with parentheses inside strings and comments", () => {
    const before = lines(
      '"""The API."""',
      "from fastapi import FastAPI",
      "",
      "app = FastAPI(",
      '    title="Todo (v1",  # a stray ( in a comment',
      '    description="""a',
      '    multi-line ) string""",',
      ")",
      "app.add_middleware(X)",
    );
    const after = registerRouters(before, options({ routers: [ROUTERS[0]] }));
    expect(after).toBe(withLinesAfter(before, { 2: ["from routes.auth import router as auth_router"], 8: ["app.include_router(auth_router)"] }));
  });

  it("puts new includes after the last existing include_router call, even a multi-line one", () => {
    const before = lines(
      "from fastapi import FastAPI",
      "from app.routers import items, users",
      "",
      "api = FastAPI()",
      "api.include_router(items.router)",
      "api.include_router(",
      "    users.router,",
      '    prefix="/users",',
      ")",
      "",
      "@api.get('/health')",
      "async def health(): ...",
    );
    const after = registerRouters(before, options({ appVariable: "api", routers: [{ module: "app.routers.auth", name: "router" }] }));
    expect(after).toBe(withLinesAfter(before, { 2: ["from app.routers.auth import router as auth_router"], 9: ["api.include_router(auth_router)"] }));
  });

  it("keeps imports below the app's creation out of the choice of where imports go", () => {
    const before = lines("import os", "from fastapi import FastAPI", "app = FastAPI()", "from late import thing  # circular-import workaround");
    const after = registerRouters(before, options({ routers: [ROUTERS[0]] }));
    expect(after.split("\n").slice(0, 5)).toEqual([
      "import os",
      "from fastapi import FastAPI",
      "from routes.auth import router as auth_router",
      "app = FastAPI()",
      "app.include_router(auth_router)",
    ]);
  });

  it("recognises an annotated assignment and an app made by a factory", () => {
    const annotated = lines("from fastapi import FastAPI", "app: FastAPI = FastAPI()");
    expect(registerRouters(annotated, options({ routers: [ROUTERS[0]] }))).toContain("app: FastAPI = FastAPI()\napp.include_router(auth_router)\n");
    const factory = lines("from myapp import create_app", "", "def build():", "    app = make()", "    return app", "", "app = create_app()");
    expect(registerRouters(factory, options({ routers: [ROUTERS[0]] }))).toBe(
      withLinesAfter(factory, { 1: ["from routes.auth import router as auth_router"], 7: ["app.include_router(auth_router)"] }),
    );
  });

  it("includes after the assignment that creates the app, not an earlier placeholder", () => {
    const before = lines("from fastapi import FastAPI", "app = None  # set below", "", "app = FastAPI()", "x = 1");
    expect(registerRouters(before, options({ routers: [ROUTERS[0]] }))).toBe(
      withLinesAfter(before, { 1: ["from routes.auth import router as auth_router"], 4: ["app.include_router(auth_router)"] }),
    );
  });

  it("changes nothing on a second run", () => {
    const once = registerRouters(lines("from fastapi import FastAPI", "app = FastAPI()"), options());
    expect(registerRouters(once, options())).toBe(once);
  });

  it.each([
    ["from routes.auth import router", "app.include_router(router)"],
    ["from routes.auth import router as auth", "app.include_router(auth)"],
    ["from routes import auth", "app.include_router(auth.router)"],
    ["from routes import auth as auth_routes", "app.include_router(auth_routes.router, prefix='/x')"],
    ["import routes.auth", "app.include_router(routes.auth.router)"],
    ["import routes.auth as ra", "app.include_router( ra.router )"],
    ["from .routes import auth", "app.include_router(auth.router)"],
  ])("recognises an existing include written as `%s` + `%s`", (importLine, include) => {
    const before = lines(importLine, "from fastapi import FastAPI", "app = FastAPI()", include);
    const after = registerRouters(before, options({ routers: [ROUTERS[0]], appModule: importLine.includes(" .") ? "main" : undefined }));
    expect(after).toBe(before);
  });

  it("resolves relative imports against the app module's package", () => {
    const before = lines("from fastapi import FastAPI", "from .routers import tasks", "app = FastAPI()", "app.include_router(tasks.router)");
    const routers = [{ module: "app.routers.tasks", name: "router" }];
    expect(registerRouters(before, options({ routers, appModule: "app.main" }))).toBe(before);
    // Without the app module the relative import cannot be resolved, so the router counts as missing.
    expect(registerRouters(before, options({ routers }))).toContain("app.include_router(tasks_router)");
  });

  it("reuses an existing import of the router that is not included yet", () => {
    const before = lines("from fastapi import FastAPI", "from routes.auth import router as login_router", "app = FastAPI()");
    expect(registerRouters(before, options({ routers: [ROUTERS[0]] }))).toBe(`${before}app.include_router(login_router)\n`);
  });

  it("does not count an include inside a function or a commented-out one", () => {
    const before = lines(
      "from fastapi import FastAPI",
      "from routes.auth import router as auth_router",
      "app = FastAPI()",
      "# app.include_router(auth_router)",
      "def setup():",
      "    app.include_router(auth_router)",
    );
    const after = registerRouters(before, options({ routers: [ROUTERS[0]] }));
    expect(after.split("\n")[3]).toBe("app.include_router(auth_router)");
  });

  it("picks an alias no other name in the file uses", () => {
    const before = lines("from fastapi import FastAPI", "auth_router = None", "app = FastAPI()");
    const after = registerRouters(before, options({ routers: [ROUTERS[0]] }));
    expect(after).toContain("from routes.auth import router as auth_router_2\n");
    expect(after).toContain("app.include_router(auth_router_2)\n");
    expect(after).toContain("auth_router = None\n");
  });

  it("keeps every other line, CRLF-free text in, same lines out", () => {
    const before = lines("#!/usr/bin/env python", "# -*- coding: utf-8 -*-", "from fastapi import FastAPI", "app = FastAPI()  # the app", "x = 1");
    const after = registerRouters(before, options());
    const added = after.split("\n").filter((line) => !before.split("\n").includes(line));
    expect(added).toHaveLength(4);
    expect(after.split("\n").filter((line) => before.split("\n").includes(line))).toEqual(before.split("\n"));
  });

  it("includes inside a factory function building the app, counting includes made there or at top level", () => {
    const factory = lines("from fastapi import FastAPI", "", "def create_app():", "    app = FastAPI()", "    from routes import auth", "    app.include_router(auth.router)", "    return app", "", "app = create_app()");
    expect(registerRouters(factory, options())).toBe(
      withLinesAfter(factory, { 1: ["from routes.tasks import router as tasks_router"], 6: ["    app.include_router(tasks_router)"] }),
    );
    const includedOutside = lines("from fastapi import FastAPI", "from routes.auth import router", "def create_app():", "    app = FastAPI()", "    return app", "app = create_app()", "app.include_router(router)");
    expect(registerRouters(includedOutside, options({ routers: [ROUTERS[0]] }))).toBe(includedOutside);
  });

  it("includes after `app = create_app()` when the factory is written on one line (no place inside it)", () => {
    const text = lines("from fastapi import FastAPI", "def create_app(): app = FastAPI(); return app", "app = create_app()");
    expect(registerRouters(text, options({ routers: [ROUTERS[0]] }))).toBe(
      withLinesAfter(text, { 1: ["from routes.auth import router as auth_router"], 3: ["app.include_router(auth_router)"] }),
    );
  });

  it("ignores docstrings and comments that look like imports or includes", () => {
    const before = lines('"""', "from routes.auth import router", "app.include_router(router)", '"""', "from fastapi import FastAPI", "app = FastAPI()");
    expect(registerRouters(before, options({ routers: [ROUTERS[0]] }))).toBe(
      withLinesAfter(before, { 5: ["from routes.auth import router as auth_router"], 6: ["app.include_router(auth_router)"] }),
    );
  });

  it("keeps CRLF line endings", () => {
    const before = "from fastapi import FastAPI\r\napp = FastAPI()\r\n";
    expect(registerRouters(before, options({ routers: [ROUTERS[0]] }))).toBe(
      "from fastapi import FastAPI\r\nfrom routes.auth import router as auth_router\r\napp = FastAPI()\r\napp.include_router(auth_router)\r\n",
    );
  });

  it("refuses a module without a top-level assignment of the app variable", () => {
    const text = lines("from fastapi import FastAPI", "def make():", "    app = FastAPI()", "    return app");
    expect(() => registerRouters(text, options())).toThrow(UserInputError);
    expect(() => registerRouters(text, options())).toThrow(/backend\/main\.py: no top-level `app = \.\.\.`/);
  });
});
