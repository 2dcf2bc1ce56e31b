/**
 * The API's calls the trial on public repos found neither rewritten nor reported: a base URL in a plain constant,
 * 127.0.0.1 beside localhost, a call to another loopback port, and server-side calls. Each is rewritten like the
 * env-based ones, or named with file:line and the change to make; the API origin the frontend names is offered
 * as the apiUrl answer's detected default.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { apiPrefixLength, detectApiOrigin, sameApiOrigin } from "../../generators/lib/frontend/api-origins.js";
import { PlanTree } from "../../generators/lib/tree.js";
import { runBin } from "../helpers/bin.js";
import { makeFixture, removeFixture } from "../helpers/fixture.js";
import { SMALL_MONOREPO } from "../helpers/monorepo.js";
import { commit, frontendInfo, planOn, replan } from "./generated-project.js";
import { OPTIONS, rewrite } from "./rewrite.js";


describe("loopback hosts", () => {
  it("are one origin per scheme and port", () => {
    for (const host of ["127.0.0.1", "[::1]", "0.0.0.0", "localhost"]) expect(sameApiOrigin(`http://${host}:8000`, "http://localhost:8000")).toBe(true);
    expect(sameApiOrigin("http://127.0.0.1:8080", "http://localhost:8000")).toBe(false);
    expect(sameApiOrigin("https://127.0.0.1:8000", "http://localhost:8000")).toBe(false);
    expect(sameApiOrigin("http://api.test:8000", "http://localhost:8000")).toBe(false);
    expect(apiPrefixLength("http://127.0.0.1:8000/items", "http://localhost:8000")).toBe("http://127.0.0.1:8000".length);
    expect(apiPrefixLength("http://127.0.0.1:80001/items", "http://localhost:8000")).toBe(-1);
    expect(apiPrefixLength("http://localhost:8000", "http://localhost:8000")).toBe("http://localhost:8000".length);
    expect(apiPrefixLength("http://localhost:", "http://localhost:8000", false)).toBe(-1);
  });
});

describe("(a) a base URL in a plain constant", () => {
  const before = `"use client";
import { useState } from "react";

const API_URL = 'http://127.0.0.1:8000';

export function Todos() {
  const [todos, setTodos] = useState<unknown[]>([]);
  async function load() {
    const res = await fetch(\`\${API_URL}/todos\`);
    setTodos(await res.json());
  }
  async function remove(id: number) {
    const res = await fetch(\`\${API_URL}/todos/\${id}\`, { method: "DELETE" });
    if (!res.ok) throw new Error("could not delete");
  }
  return <a href={\`\${API_URL}/docs\`} onClick={() => { void load(); void remove(1); }}>{todos.length}</a>;
}
`;

  it("is a base at module level: the calls keep only their path, and the constant stays while other code uses it", () => {
    const result = rewrite(before);
    expect(result.rewritten).toBe(2);
    expect(result.unrewritten).toEqual([]);
    expect(result.text).toContain("const res = await apiFetch(`/todos`);");
    expect(result.text).toContain('const res = await apiResponse(`/todos/${id}`, { method: "DELETE" });');
    expect(result.text).toContain("const API_URL = 'http://127.0.0.1:8000';");
    expect(result.text).toContain('import { useState } from "react";\nimport { apiFetch, apiResponse } from "@/lib/api";\n');
  });

  it("is a base inside the component too, with a base path and `+`, and the constant goes when nothing else uses it", () => {
    const inside = `"use client";

export default function Page() {
  const API_URL = "http://localhost:8000/v1";
  async function add(title: string) {
    const res = await fetch(API_URL + "/todos", { method: "POST", body: JSON.stringify({ title }) });
    return res.ok;
  }
  async function get(id: number) {
    return (await fetch(\`\${API_URL}/todos/\${id}\`)).json();
  }
  return <button onClick={() => add("x").then(() => get(1))}>add</button>;
}
`;
    const result = rewrite(inside);
    expect(result.rewritten).toBe(2);
    expect(result.text).toContain('const res = await apiResponse("/v1/todos", { method: "POST", body: JSON.stringify({ title }) });');
    expect(result.text).toContain("return (await apiFetch(`/v1/todos/${id}`)).json();");
    expect(result.text).not.toContain("API_URL");
    expect(result.text).toContain("export default function Page() {\n  async function add(title: string) {");
  });

  it("is a base as `process.env.X ?? \"http://...\"` of a variable the browser does not have", () => {
    const text = `"use client";\nconst BASE = process.env.API_URL ?? "http://127.0.0.1:8000";\n\nexport const list = () => fetch(\`\${BASE}/todos\`).then((r) => r.json());\nexport const one = (id: string) => fetch(\`\${process.env.BACKEND_URL || "http://localhost:8000"}/todos/\${id}\`);\n`;
    const result = rewrite(text);
    expect(result.rewritten).toBe(2);
    expect(result.text).toContain("export const list = () => apiResponse(`/todos`).then((r) => r.json());");
    expect(result.text).toContain("export const one = (id: string) => apiResponse(`/todos/${id}`);");
    expect(result.text).not.toContain("BASE");
  });

  it("is not one when the same name holds another URL elsewhere in the module", () => {
    const text = `"use client";\nexport function A() {\n  const API = "http://localhost:8000";\n  return fetch(\`\${API}/todos\`);\n}\nexport function B() {\n  const API = "https://status.example.com";\n  return fetch(\`\${API}/todos\`);\n}\n`;
    const result = rewrite(text);
    expect(result.rewritten).toBe(0);
    expect(result.text).toBe(text);
  });
});

describe("(b) 127.0.0.1 beside localhost", () => {
  it("rewrites every loopback spelling of the API's origin and port", () => {
    const text = `"use client";
export async function all() {
  const a = await fetch("http://localhost:8000/items");
  const b = await fetch("http://127.0.0.1:8000/items");
  const c = await fetch(\`http://[::1]:8000/items/\${1}\`);
  const d = await fetch("http://0.0.0.0:8000/items", { method: "POST" });
  return [a, b, c, d];
}
`;
    const result = rewrite(text);
    expect(result.rewritten).toBe(4);
    expect(result.unrewritten).toEqual([]);
    expect(result.text).toContain('const b = await apiResponse("/items");');
    expect(result.text).toContain("const c = await apiResponse(`/items/${1}`);");
    expect(result.text).toContain('const d = await apiResponse("/items", { method: "POST" });');
    expect(result.text).not.toMatch(/https?:\/\//);
  });
});

describe("(c) a call to another loopback origin", () => {
  const text = `'use client'
import axios from 'axios'

const api = axios.create({ baseURL: 'http://127.0.0.1:8080' })
const OTHER = 'http://localhost:8080'

export async function load() {
  const { data } = await axios.get('http://127.0.0.1:8080/todos')
  await fetch(\`\${OTHER}/todos/1\`, { method: 'DELETE' })
  await fetch('http://localhost:3000/api/local')
  await fetch('https://example.com/feed')
  return [data, api]
}
`;

  it("is reported with its line and the --api-url to rerun with; the frontend's own origin and other sites are not", () => {
    const result = rewrite(text);
    expect(result.text).toBe(text);
    expect(result.unrewritten.map((u) => u.line)).toEqual([4, 8, 9]);
    for (const u of result.unrewritten) expect(u.reason).toMatch(/another origin than --api-url \(http:\/\/localhost:8000\).*rerun with --api-url http:\/\/(127\.0\.0\.1|localhost):8080$/);
    expect(result.unrewritten[0].reason).toMatch(/^an axios call: it goes to http:\/\/127\.0\.0\.1:8080/);
  });

  it("is rewritten once --api-url names that origin", () => {
    const result = rewrite(text, { apiUrl: "http://127.0.0.1:8080" });
    expect(result.rewritten).toBe(1);
    expect(result.text).toContain("  await apiResponse(`/todos/1`, { method: 'DELETE' })\n");
    expect(result.unrewritten.map((u) => [u.line, u.reason.slice(0, 14)])).toEqual([
      [4, "an axios call:"],
      [8, "an axios call:"],
    ]);
  });
});

describe("(d) server-side calls", () => {
  const route = `export async function GET() {
  const res = await fetch(\`\${process.env.API_URL ?? "http://127.0.0.1:8000"}/todos\`);
  return Response.json(await res.json());
}

export async function POST(request: Request) {
  return fetch(\`\${process.env.BACKEND_URL}/todos\`, { method: "POST", body: await request.text() });
}
`;

  it("are reported with the exact change: a token from auth.api.getToken() with the request's headers", () => {
    const result = rewrite(route, { serverSide: true, authImport: 'import { auth } from "@/lib/auth"' });
    expect(result.text).toBe(route);
    expect(result.unrewritten.map((u) => u.line)).toEqual([2, 7]);
    for (const { reason } of result.unrewritten) {
      expect(reason).toContain("server-side code");
      expect(reason).toContain('`import { headers } from "next/headers"` and `import { auth } from "@/lib/auth"`');
      expect(reason).toContain("`const { token } = await auth.api.getToken({ headers: await headers() })`");
      expect(reason).toContain('add the header "Authorization": `Bearer ${token}` to it');
    }
  });
});

describe("through the frontend plan", () => {
  let root = "";
  afterEach(() => removeFixture(root));

  it("warns file:line for a route handler and a server action, rewrites the client page, and leaves Better Auth's handler alone", () => {
    const planned = planOn({
      "web/package.json": '{ "dependencies": { "next": "^15.5.0" } }\n',
      "web/app/api/todos/route.ts": 'export async function GET() {\n  const res = await fetch(`${process.env.API_URL ?? "http://localhost:8000"}/todos`);\n  return Response.json(await res.json());\n}\n',
      "web/app/actions.ts": '"use server";\n\nexport async function addTodo(title: string) {\n  await fetch("http://127.0.0.1:8000/todos", { method: "POST", body: JSON.stringify({ title }) });\n}\n',
      "web/lib/server-data.ts": 'import "server-only";\n\nexport const todos = () => fetch("http://localhost:8000/todos", { cache: "no-store" });\n',
      "web/app/todos/page.tsx": '"use client";\nconst API_URL = "http://127.0.0.1:8000";\nexport default function Todos() {\n  const load = async (id: number) => (await fetch(`${API_URL}/todos/${id}`)).json();\n  return <button onClick={() => load(1)}>load</button>;\n}\n',
    });
    root = planned.root;
    const warnings = planned.tree.warningList();
    const serverWarning = (file: string, line: number) =>
      expect(warnings).toContainEqual(expect.stringMatching(new RegExp(`^${file.replace(/[.[\]]/g, "\\$&")}:${line}: this API call still sends no token: server-side code .*import \\{ auth \\} from "@/lib/auth".*auth\\.api\\.getToken`)));
    serverWarning("web/app/api/todos/route.ts", 2);
    serverWarning("web/app/actions.ts", 4);
    serverWarning("web/lib/server-data.ts", 3);
    expect(planned.files["web/app/api/todos/route.ts"]).toBeUndefined();
    expect(planned.files["web/app/todos/page.tsx"]).toBe(
      '"use client";\n\nimport { apiFetch } from "@/lib/api";\nexport default function Todos() {\n  const load = async (id: number) => (await apiFetch(`/todos/${id}`)).json();\n  return <button onClick={() => load(1)}>load</button>;\n}\n',
    );
    expect(warnings.filter((w) => w.includes("app/api/auth"))).toEqual([]);
    commit(planned);
    expect(replan(root).files["web/app/todos/page.tsx"]).toBeUndefined();
  });

  it("warns once when the frontend names several API origins, and names an env file's other origin where it is", () => {
    const several = planOn({
      "web/package.json": '{ "dependencies": { "next": "^15.5.0" } }\n',
      "web/.env.development": "NEXT_PUBLIC_API_URL=http://127.0.0.1:8080\nBETTER_AUTH_URL=http://localhost:3001\n",
      "web/lib/legacy.ts": 'export const ping = () => fetch("http://localhost:9000/ping");\nexport const self = () => fetch("http://localhost:3001/api/health");\n',
    });
    root = several.root;
    const warnings = several.tree.warningList();
    expect(warnings).toContainEqual(
      "the frontend names several API origins besides --api-url (http://localhost:8000): http://127.0.0.1:8080 (web/.env.development:1), http://localhost:9000 (web/lib/legacy.ts:1); lib/api.ts sends the token only to --api-url: rerun with --api-url <the API's origin> if it is one of these",
    );
    expect(warnings).toContainEqual(expect.stringMatching(/^web\/lib\/legacy\.ts:1: this API call still sends no token: it goes to http:\/\/localhost:9000/));
    expect(warnings.join("\n")).not.toContain("3001");
    removeFixture(root);

    const one = planOn({ "web/package.json": '{ "dependencies": { "next": "^15.5.0" } }\n', "web/.env": "NEXT_PUBLIC_API_URL='http://127.0.0.1:8080' # local API\n" });
    root = one.root;
    expect(one.tree.warningList()).toContainEqual(
      "web/.env:1: NEXT_PUBLIC_API_URL names http://127.0.0.1:8080, another origin than --api-url (http://localhost:8000), and lib/api.ts sends the token only to --api-url; if http://127.0.0.1:8080 is the API, rerun with --api-url http://127.0.0.1:8080",
    );
  });
});

describe("the apiUrl answer's detected default", () => {
  let root = "";
  afterEach(() => removeFixture(root));
  const detect = (files: Record<string, string>) => {
    root = makeFixture({ "web/package.json": '{ "scripts": { "dev": "next dev -p 3005" }, "dependencies": { "next": "^15.5.0" } }\n', ...files });
    const found = detectApiOrigin(new PlanTree(root), frontendInfo(), new Set());
    removeFixture(root);
    return found && { origin: found.origin, file: found.file, line: found.line };
  };

  it("is the one loopback API origin of the frontend's env files, next.config or calls; none or several that differ: nothing", () => {
    expect(detect({ "web/.env.local": "BETTER_AUTH_URL=http://localhost:3000\nNEXT_PUBLIC_API_URL=http://127.0.0.1:8080/\n" })).toEqual({ origin: "http://127.0.0.1:8080", file: "web/.env.local", line: 2 });
    expect(detect({ "web/next.config.ts": 'export default { async rewrites() { return [{ source: "/api/:p*", destination: "http://127.0.0.1:5000/:p*" }]; } };\n' })).toEqual({
      origin: "http://127.0.0.1:5000",
      file: "web/next.config.ts",
      line: 1,
    });
    // A constant base, the same origin spelled twice, and the app's own dev port (next dev -p 3005) left out.
    const page = '"use client";\nconst API = "http://127.0.0.1:8080";\nexport const a = () => fetch(`${API}/todos`);\nexport const b = () => fetch("http://localhost:8080/todos");\nexport const c = () => fetch("http://localhost:3005/api/me");\n';
    expect(detect({ "web/app/page.tsx": page })).toEqual({ origin: "http://127.0.0.1:8080", file: "web/app/page.tsx", line: 3 });
    expect(detect({ "web/app/page.tsx": page, "web/.env": "NEXT_PUBLIC_BACKEND_URL=http://localhost:9000\n" })).toBeNull();
    expect(detect({ "web/app/page.tsx": 'export const a = () => fetch("https://api.example.com/x");\n' })).toBeNull();
  });
});

describe("through the bin", () => {
  let root = "";
  afterEach(() => removeFixture(root));
  const page = `"use client";
import { useEffect, useState } from "react";

const API_URL = "http://127.0.0.1:8080";

export default function Todos() {
  const [todos, setTodos] = useState<{ id: number; title: string }[]>([]);
  useEffect(() => {
    fetch(\`\${API_URL}/todos\`).then((r) => r.json()).then(setTodos);
  }, []);
  return <ul>{todos.map((t) => <li key={t.id}>{t.title}</li>)}</ul>;
}
`;
  const route = 'export async function GET() {\n  return fetch(`${process.env.API_URL ?? "http://127.0.0.1:8080"}/todos`);\n}\n';
  const files = { ...SMALL_MONOREPO, "frontend/app/todos/page.tsx": page, "frontend/app/api/todos/route.ts": route };
  type Report = { answers: Record<string, { value: string; source: string }>; warnings: string[] };

  it("offers the frontend's API origin as the detected --api-url, rewrites the page to it and names the route handler", async () => {
    root = makeFixture(files);
    const run = await runBin(["auth", "--cwd", root, "--yes", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.answers.apiUrl).toEqual({ value: "http://127.0.0.1:8080", source: "detected" });
    const written = readFileSync(path.join(root, "frontend/app/todos/page.tsx"), "utf8");
    expect(written).toContain('import { apiResponse } from "@/lib/api";');
    expect(written).toContain("apiResponse(`/todos`).then((r) => r.json()).then(setTodos);");
    expect(written).not.toContain("API_URL");
    expect(readFileSync(path.join(root, "frontend/.env.local"), "utf8")).toContain("NEXT_PUBLIC_API_URL=http://127.0.0.1:8080");
    expect(report.warnings).toContainEqual(expect.stringMatching(/^frontend\/app\/api\/todos\/route\.ts:2: this API call still sends no token: server-side code .*auth\.api\.getToken\(\{ headers: await headers\(\) \}\)/));
  });

  it("with another --api-url, leaves the calls and names each with the --api-url to rerun with", async () => {
    root = makeFixture(files);
    const run = await runBin(["auth", "--cwd", root, "--yes", "--json", "--api-url", "http://localhost:8000"]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.answers.apiUrl).toEqual({ value: "http://localhost:8000", source: "flag" });
    expect(readFileSync(path.join(root, "frontend/app/todos/page.tsx"), "utf8")).toBe(page);
    expect(report.warnings).toContainEqual(
      "frontend/app/todos/page.tsx:9: this API call still sends no token: it goes to http://127.0.0.1:8080, another origin than --api-url (http://localhost:8000), and lib/api.ts sends the token only to --api-url; if http://127.0.0.1:8080 is the API, rerun with --api-url http://127.0.0.1:8080",
    );
    expect(report.warnings).toContainEqual(expect.stringMatching(/^frontend\/app\/api\/todos\/route\.ts:2: this API call still sends no token: it goes to http:\/\/127\.0\.0\.1:8080/));
  });
});
