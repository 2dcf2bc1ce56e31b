/**
 * CORS: the frontend's origin may call the API with Authorization. The editor's text edits, then the
 * real FastAPI (TestClient, as a browser's preflight reaches it) on generated apps.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { addCorsMiddleware, fixCorsPolicies, type CorsOptions } from "../../generators/lib/editors/fastapi-cors.js";
import { keepsLines, sameLineOrInserted } from "../helpers/keeps-lines.js";
import { makeFixture } from "../helpers/fixture.js";
import { removedAfterEach } from "../helpers/temp-roots.js";
import { bareBackend, flatBackend, generatedFixture, packageBackend, planIn } from "./fixtures.js";
import { runPython } from "./python.js";

const ORIGIN = "http://localhost:3000";
const OPTIONS: CorsOptions = { file: "backend/main.py", appVariable: "app", origin: ORIGIN };
const lines = (...text: string[]) => `${text.join("\n")}\n`;
const removed = removedAfterEach();

/** True when `candidate` is `line` with pieces inserted (its characters, in order). */
const withInsertions = (line: string, candidate: string) => {
  let i = 0;
  for (const ch of candidate) if (ch === line[i]) i++;
  return i === line.length && candidate.startsWith(line.slice(0, 1));
};

/** Runs the edit a second time: nothing changes; every original line is still there (perhaps with an item added). */
function fixTwice(text: string, options = OPTIONS) {
  const once = fixCorsPolicies(text, options);
  expect(fixCorsPolicies(once.text, options).text).toBe(once.text);
  expect(keepsLines(text, once.text, withInsertions)).toBe(true);
  return once;
}

describe("addCorsMiddleware", () => {
  it("adds the middleware right after app = FastAPI(...), with the imports, keeping every line", () => {
    const before = lines('"""API."""', "from fastapi import FastAPI", "", "from db import engine", "", "app = FastAPI(", '    title="x",', ")", "", "@app.get('/')", "def root(): ...");
    const after = addCorsMiddleware(before, OPTIONS)!;
    expect(keepsLines(before, after)).toBe(true);
    expect(after).toBe(
      lines(
        '"""API."""',
        "import os",
        "",
        "from fastapi import FastAPI",
        "from fastapi.middleware.cors import CORSMiddleware",
        "",
        "from db import engine",
        "",
        "app = FastAPI(",
        '    title="x",',
        ")",
        "",
        "# Lets the frontend (BETTER_AUTH_URL, its origin) call this API from the browser with Authorization: Bearer <token>.",
        "app.add_middleware(",
        "    CORSMiddleware,",
        '    allow_origins=[os.environ.get("BETTER_AUTH_URL", "http://localhost:3000").rstrip("/")],',
        "    allow_credentials=True,",
        '    allow_methods=["*"],',
        '    allow_headers=["Authorization", "Content-Type"],',
        ")",
        "",
        "@app.get('/')",
        "def root(): ...",
      ),
    );
    // The result configures CORS, so a second run fixes nothing, adds nothing and warns about nothing.
    expect(fixCorsPolicies(after, OPTIONS)).toEqual({ text: after, warnings: [] });
  });

  it("reuses the module's os / environ import and goes after `from __future__`", () => {
    const withOs = addCorsMiddleware(lines("import os", "from fastapi import FastAPI", "app = FastAPI()"), OPTIONS)!;
    expect(withOs.match(/^import os$/gm)).toHaveLength(1);
    const withEnviron = addCorsMiddleware(lines("from os import environ as env", "from fastapi import FastAPI", "app = FastAPI()"), OPTIONS)!;
    expect(withEnviron).toContain('allow_origins=[env.get("BETTER_AUTH_URL", "http://localhost:3000").rstrip("/")]');
    expect(withEnviron).not.toContain("import os");
    const future = addCorsMiddleware(lines("from __future__ import annotations", "from fastapi import FastAPI", "app = FastAPI()"), OPTIONS)!;
    expect(future.split("\n").slice(0, 3)).toEqual(["from __future__ import annotations", "import os", ""]);
  });

  it("returns null when there is no top-level app assignment", () => {
    expect(addCorsMiddleware(lines("from fastapi import FastAPI", "def create():", "    return FastAPI()"), OPTIONS)).toBeNull();
  });
});

describe("fixCorsPolicies", () => {
  it("adds the origin to a literal allow_origins list and Authorization to a literal allow_headers list, one per line as written", () => {
    const before = lines(
      "app.add_middleware(",
      "    CORSMiddleware,",
      "    allow_origins=[",
      "        'https://example.com',  # production",
      "    ],",
      "    allow_credentials=True,",
      '    allow_headers=["Content-Type"],',
      ")",
    );
    const { text, warnings } = fixTwice(before);
    expect(warnings).toEqual([]);
    expect(text).toBe(
      lines(
        "app.add_middleware(",
        "    CORSMiddleware,",
        "    allow_origins=[",
        "        'https://example.com',  # production",
        "        'http://localhost:3000',",
        "    ],",
        "    allow_credentials=True,",
        '    allow_headers=["Content-Type", "Authorization"],',
        ")",
      ),
    );
  });

  it("adds allow_headers when the call has none (Starlette then allows no Authorization header), and a tuple item", () => {
    const { text } = fixTwice(lines('app.add_middleware(CORSMiddleware, allow_origins=("https://example.com",))'));
    expect(text).toBe(lines('app.add_middleware(CORSMiddleware, allow_origins=("https://example.com", "http://localhost:3000",), allow_headers=["Authorization", "Content-Type"])'));
  });

  it("leaves a policy that already allows the origin (trailing slash or not) and any header alone", () => {
    const before = lines('app.add_middleware(CORSMiddleware, allow_origins=["http://localhost:3000/"], allow_headers=["*"])');
    expect(fixTwice(before)).toEqual({ text: before, warnings: [] });
  });

  it("fixes Middleware(CORSMiddleware, ...) inside FastAPI(middleware=[...]) too", () => {
    const { text } = fixTwice(lines("app = FastAPI(middleware=[Middleware(CORSMiddleware, allow_origins=[], allow_headers=['authorization'])])"));
    expect(text).toBe(lines("app = FastAPI(middleware=[Middleware(CORSMiddleware, allow_origins=[\"http://localhost:3000\"], allow_headers=['authorization'])])"));
  });

  it("reports settings that are not literals, with the fix, and changes nothing", () => {
    const before = lines("app.add_middleware(", "    CORSMiddleware,", "    allow_origins=settings.CORS_ORIGINS,", "    allow_headers=HEADERS,", ")");
    const { text, warnings } = fixTwice(before);
    expect(text).toBe(before);
    expect(warnings).toEqual([
      'backend/main.py:1: allow_origins is `settings.CORS_ORIGINS`, which auth-integrator does not edit; make sure it includes "http://localhost:3000" (the frontend\'s origin), or the browser blocks every API call from it',
      'backend/main.py:1: allow_headers is `HEADERS`, which auth-integrator does not edit; make sure it includes "Authorization", or the browser blocks every call that sends a token',
    ]);
    expect(fixTwice(lines("app.add_middleware(CORSMiddleware, **cors_settings)")).warnings[0]).toContain("takes settings from `**cors_settings`");
  });

  it('reports allow_origins=["*"] with allow_credentials=True', () => {
    const before = lines('app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True, allow_headers=["*"])');
    const { text, warnings } = fixTwice(before);
    expect(text).toBe(before);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^backend\/main\.py:1: allow_origins=\["\*"\] with allow_credentials=True lets every website/);
    expect(warnings[0]).toContain('allow_origins=["http://localhost:3000"]');
  });
});

/** A preflight as Chromium sends it before apiFetch()'s GET with Authorization, through the app's real middleware stack. */
const PREFLIGHT = (appModule: string, variable: string) => `
import json
from fastapi.testclient import TestClient
from ${appModule} import ${variable} as app

client = TestClient(app)
r = client.options("/api/me", headers={
    "Origin": "http://localhost:3000",
    "Access-Control-Request-Method": "GET",
    "Access-Control-Request-Headers": "authorization",
})
print(json.dumps({"status": r.status_code, "origin": r.headers.get("access-control-allow-origin"), "headers": r.headers.get("access-control-allow-headers")}))
`;

async function preflight(backendDir: string, appModule: string, variable: string, env: Record<string, string> = {}) {
  const result = await runPython(["-c", PREFLIGHT(appModule, variable)], { cwd: backendDir, env: { BETTER_AUTH_URL: ORIGIN, API_JWT_SECRET: "x".repeat(43), ...env } });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout.trim().split("\n").at(-1)!) as { status: number; origin: string | null; headers: string | null };
}

describe("the generated app under FastAPI", () => {
  it("lets the frontend's preflight with Authorization through on an app that had no CORS", async () => {
    const { root, tree } = generatedFixture(bareBackend());
    removed(root);
    expect(tree.warningList().filter((w) => /CORS/.test(w))).toEqual([]);
    const result = await preflight(path.join(root, "backend"), "main", "app");
    expect(result).toEqual({ status: 200, origin: ORIGIN, headers: expect.stringMatching(/authorization/i) });
    // The origin comes from the configuration: another BETTER_AUTH_URL, another allowed origin.
    const other = await runPython(["-c", PREFLIGHT("main", "app").replaceAll("http://localhost:3000", "https://app.example.com")], {
      cwd: path.join(root, "backend"),
      env: { BETTER_AUTH_URL: "https://app.example.com/" },
    });
    expect(JSON.parse(other.stdout.trim()).origin).toBe("https://app.example.com");
    // A second run changes nothing.
    expect(planIn(root, bareBackend().info).tree.changes().filter((c) => c.path === "backend/main.py")).toEqual([]);
  });

  it("widens a too-narrow literal policy in place (no Authorization header allowed, another origin only)", async () => {
    const backend = packageBackend();
    const main = "backend/app/main.py";
    backend.files[main] = backend.files[main]
      .replace("from fastapi import FastAPI\n", "from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\n")
      .replace(
        "api.include_router(items.router)\n",
        'api.include_router(items.router)\napi.add_middleware(\n    CORSMiddleware,\n    allow_origins=["https://prod.example.com"],\n    allow_methods=["*"],\n    allow_headers=["Content-Type"],\n)\n',
      );
    const original = backend.files[main];
    const root = removed(makeFixture(backend.files, "auth-integrator-cors-"));
    const before = await preflight(path.join(root, "backend"), "app.main", "api");
    expect(before.status).toBe(400);
    const { tree, plan } = planIn(root, backend.info);
    expect(plan).toBeTruthy();
    const { commitChanges } = await import("../../generators/lib/commit.js");
    commitChanges(root, tree.changes());
    const result = await preflight(path.join(root, "backend"), "app.main", "api");
    expect(result).toEqual({ status: 200, origin: ORIGIN, headers: expect.stringMatching(/authorization/i) });
    const { readFileSync } = await import("node:fs");
    expect(keepsLines(original, readFileSync(path.join(root, main), "utf8"), sameLineOrInserted)).toBe(true);
  });

  it("fixes the bundled-example shape (origin listed, no allow_headers) so the Authorization header passes", async () => {
    const { root } = generatedFixture(flatBackend());
    removed(root);
    const result = await preflight(path.join(root, "backend"), "main", "app");
    expect(result).toEqual({ status: 200, origin: ORIGIN, headers: expect.stringMatching(/authorization/i) });
  });

  it("reports, and leaves alone, a policy read from settings", () => {
    const backend = bareBackend();
    backend.files["backend/settings.py"] = 'CORS_ORIGINS = ["https://prod.example.com"]\n';
    backend.files["backend/main.py"] = backend.files["backend/main.py"].replace(
      "app = FastAPI()\n",
      "from fastapi.middleware.cors import CORSMiddleware\nimport settings\n\napp = FastAPI()\napp.add_middleware(CORSMiddleware, allow_origins=settings.CORS_ORIGINS, allow_headers=['*'])\n",
    );
    const root = removed(makeFixture(backend.files, "auth-integrator-cors-"));
    writeFileSync(path.join(root, "backend/.keep"), "");
    const { tree } = planIn(root, backend.info);
    expect(tree.warningList().filter((w) => w.includes("allow_origins is `settings.CORS_ORIGINS`"))).toHaveLength(1);
    expect(tree.read("backend/main.py")).not.toContain("BETTER_AUTH_URL");
  });
});

describe("--cors-origins", () => {
  const EXTRA = ["https://app.example.com", "https://admin.example.com"];
  const WITH_EXTRA: CorsOptions = { ...OPTIONS, extraOrigins: EXTRA };

  it("adds every missing origin to a literal list, in its layout, and a second run changes nothing", () => {
    const before = lines("app.add_middleware(", "    CORSMiddleware,", "    allow_origins=[", "        'https://admin.example.com',", "    ],", '    allow_headers=["*"],', ")");
    const { text, warnings } = fixTwice(before, WITH_EXTRA);
    expect(warnings).toEqual([]);
    expect(text).toBe(
      lines("app.add_middleware(", "    CORSMiddleware,", "    allow_origins=[", "        'https://admin.example.com',", "        'http://localhost:3000',", "        'https://app.example.com',", "    ],", '    allow_headers=["*"],', ")"),
    );
    expect(fixTwice(lines('app.add_middleware(CORSMiddleware, allow_origins=("https://example.com",), allow_headers=["*"])'), WITH_EXTRA).text).toBe(
      lines('app.add_middleware(CORSMiddleware, allow_origins=("https://example.com", "http://localhost:3000", "https://app.example.com", "https://admin.example.com",), allow_headers=["*"])'),
    );
  });

  it("keeps BETTER_AUTH_URL first in a generated policy and lists the others after it as literals; a later run adds new ones beside it", () => {
    const text = addCorsMiddleware(lines("from fastapi import FastAPI", "", "app = FastAPI()"), WITH_EXTRA)!;
    expect(text).toContain('    allow_origins=[os.environ.get("BETTER_AUTH_URL", "http://localhost:3000").rstrip("/"), "https://app.example.com", "https://admin.example.com"],\n');
    expect(fixTwice(text, WITH_EXTRA).text).toBe(text);
    const defaults = addCorsMiddleware(lines("from fastapi import FastAPI", "", "app = FastAPI()"), OPTIONS)!;
    expect(fixTwice(defaults, WITH_EXTRA).text).toBe(text);
  });

  it("names every origin in what it cannot fix", () => {
    const { warnings } = fixTwice(lines("app.add_middleware(CORSMiddleware, allow_origins=settings.CORS_ORIGINS, allow_headers=['*'])"), WITH_EXTRA);
    expect(warnings[0]).toContain('make sure it includes "http://localhost:3000", "https://app.example.com", "https://admin.example.com" (the frontend\'s origin and the other origins asked for)');
  });

  it("lets each origin's preflight through on the generated app, and refuses what is not an origin", async () => {
    const answers = { corsOrigins: "http://localhost:3000, https://app.example.com/,https://app.example.com" };
    const { root, tree } = generatedFixture(bareBackend(), answers);
    removed(root);
    const main = tree.read("backend/main.py")!;
    expect(main.match(/https:\/\/app\.example\.com/g)).toHaveLength(1);
    const other = await runPython(["-c", PREFLIGHT("main", "app").replaceAll("http://localhost:3000", "https://app.example.com")], { cwd: path.join(root, "backend"), env: { BETTER_AUTH_URL: ORIGIN } });
    expect(other.code, other.stderr).toBe(0);
    expect(JSON.parse(other.stdout.trim()).origin).toBe("https://app.example.com");
    expect((await preflight(path.join(root, "backend"), "main", "app")).origin).toBe(ORIGIN);
    expect(planIn(root, bareBackend().info, answers).tree.changes().filter((c) => c.path === "backend/main.py")).toEqual([]);
    const bad = makeFixture(bareBackend().files, "auth-integrator-cors-");
    removed(bad);
    expect(() => planIn(bad, bareBackend().info, { corsOrigins: 'https://x.example"), evil' })).toThrow(/not an origin/);
  });
});
