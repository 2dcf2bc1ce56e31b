/**
 * The project's own API calls routed through lib/api.ts: fetch(`${API_URL}/...`) → apiResponse/apiFetch("/..."),
 * on realistic modules. Every unrelated line is kept, the result re-parses, a second pass changes nothing.
 */
import { readFileSync, symlinkSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { removeFixture } from "../helpers/fixture.js";
import { keepsLines } from "../helpers/keeps-lines.js";
import { commit, planOn, replan, REPO } from "./generated-project.js";
import { OPTIONS, rewrite } from "./rewrite.js";


/** The original's lines that the rewrite had no reason to touch are all still there, in order (a removed constant takes one blank line with it). */
function keepsUnrelatedLines(before: string, after: string, touched: RegExp): void {
  const unrelated = before.split("\n").filter((line) => !touched.test(line) && line.trim() !== "");
  expect(keepsLines(unrelated, after)).toBe(true);
}

const EXAMPLE_PAGE = readFileSync(path.join(REPO, "examples/todo-monorepo/frontend/app/page.tsx"), "utf8");

describe("the bundled example's task page", () => {
  const result = rewrite(EXAMPLE_PAGE);

  it("sends every call through apiResponse with the path only, keeping method, body and headers", () => {
    expect(result.rewritten).toBe(3);
    expect(result.unrewritten).toEqual([]);
    expect(result.text).toContain("const res = await apiResponse(`/api/tasks`);");
    expect(result.text).toContain("const res = await apiResponse(`/api/tasks`, {\n      method: \"POST\",\n      headers: { \"Content-Type\": \"application/json\" },\n      body: JSON.stringify({ title }),\n    });");
    expect(result.text).toContain('await apiResponse(`/api/tasks/${task.id}/complete`, { method: "PATCH" });');
    expect(result.text).not.toMatch(/\bfetch\(/);
  });

  it("keeps `if (!res.ok)` meaningful: apiResponse, not the throwing apiFetch", () => {
    expect(result.text).toContain("if (!res.ok) return setError(`Could not load tasks (${res.status})`);");
    expect(result.text).not.toContain("apiFetch");
  });

  it("imports the helper after the other imports and drops the now-unused API_URL", () => {
    expect(result.text).toContain('import { useEffect, useState, type FormEvent } from "react";\nimport { apiResponse } from "@/lib/api";\n\ninterface Task {');
    expect(result.text).not.toContain("API_URL");
    expect(result.text).toContain("  completed: boolean;\n}\n\nexport default function TasksPage() {");
    keepsUnrelatedLines(EXAMPLE_PAGE, result.text, /API_URL/);
  });
});

describe("a data module (lib/tasks.ts)", () => {
  const before = `import type { Task } from "./types";

export const API_BASE = process.env.NEXT_PUBLIC_API_URL!;

// Lists the signed-in user's tasks.
export async function listTasks(): Promise<Task[]> {
  const res = await fetch(\`\${API_BASE}/api/tasks\`, { cache: "no-store" });
  return res.json();
}

export async function removeTask(id: number): Promise<boolean> {
  const res = await fetch(API_BASE + "/api/tasks/" + id, { method: "DELETE", headers: { "X-Trace": "1" } });
  return res.ok;
}

export const getTask = (id: number) => fetch(\`\${API_BASE}/api/tasks/\${id}\`).then((r) => r.json());

export function uploadUrl(): string {
  return \`\${API_BASE}/upload\`;
}
`;
  const result = rewrite(before, { apiModule: "./api" });

  it("uses apiFetch where only the body is read, apiResponse where the status is, and keeps the exported base", () => {
    expect(result.rewritten).toBe(3);
    expect(result.text).toContain('const res = await apiFetch(`/api/tasks`, { cache: "no-store" });');
    expect(result.text).toContain('const res = await apiResponse("/api/tasks/" + id, { method: "DELETE", headers: { "X-Trace": "1" } });');
    expect(result.text).toContain("apiResponse(`/api/tasks/${id}`).then((r) => r.json());");
    expect(result.text).toContain('import type { Task } from "./types";\nimport { apiFetch, apiResponse } from "./api";\n');
    expect(result.text).toContain("export const API_BASE = process.env.NEXT_PUBLIC_API_URL!;");
    keepsUnrelatedLines(before, result.text, /fetch\(/);
  });
});

describe("HTTP client libraries", () => {
  it.each([
    ["axios", "import axios from 'axios'", "axios.create({ baseURL: process.env.NEXT_PUBLIC_API_URL })", /request interceptor/],
    ["ky", "import ky from 'ky'", "ky.create({ prefixUrl: process.env.NEXT_PUBLIC_API_URL })", /beforeRequest hook/],
    ["ofetch", "import { ofetch } from 'ofetch'", "ofetch(`${process.env.NEXT_PUBLIC_API_URL}/api/tasks`)", /onRequest hook/],
    ["openapi-fetch", "import createClient from 'openapi-fetch'", "createClient({ baseUrl: process.env.NEXT_PUBLIC_API_URL })", /middleware \(client\.use/],
    ["@hey-api/client-fetch", "import { createClient } from '@hey-api/client-fetch'", "createClient({ baseUrl: process.env.NEXT_PUBLIC_API_URL })", /interceptors\.request\.use/],
  ])("a %s client for the API is reported with where that library adds the header, and left as written", (name, importLine, call, hook) => {
    const before = `${importLine}\n\nexport const api = ${call}\n`;
    const result = rewrite(before);
    expect(result.text).toBe(before);
    expect(result.unrewritten).toEqual([{ line: 3, reason: expect.stringContaining(`an ${name} call: route it through apiFetch()`) }]);
    expect(result.unrewritten[0].reason).toMatch(hook);
  });

  it("leaves a client for another service alone, and a type-only import is no client", () => {
    expect(rewrite("import ky from 'ky'\n\nexport const gh = ky.create({ prefixUrl: 'https://api.github.com' })\n").unrewritten).toEqual([]);
    expect(rewrite("import type { KyInstance } from 'ky'\n\nexport const KyInstance = (x: number) => x\nKyInstance(process.env.NEXT_PUBLIC_API_URL)\n").unrewritten).toEqual([]);
  });
});

describe("axios, custom wrappers and URLs that cannot be split", () => {
  const before = `'use client'
import axios from 'axios'
import { useEffect } from 'react'

const API_URL = process.env.NEXT_PUBLIC_API_URL || 'http://localhost:8000'
const client = axios.create({ baseURL: API_URL })

export async function request(path: string, init?: RequestInit) {
  return fetch(\`\${API_URL}\${path}\`, init)
}

export function Tasks() {
  useEffect(() => {
    axios.get(\`\${API_URL}/api/tasks\`).then((r) => console.log(r.data))
    const url = \`\${API_URL}/api/me\`
    fetch(url)
    fetch('https://example.com/elsewhere')
    void client
  }, [])
  return null
}
`;
  const result = rewrite(before);

  it("changes nothing and lists each call with its line, in the file's own style", () => {
    expect(result.text).toBe(before);
    expect(result.unrewritten.map((u) => u.line)).toEqual([6, 9, 14, 16]);
    expect(result.unrewritten[0].reason).toMatch(/axios/);
    expect(result.unrewritten[1].reason).toMatch(/does not start with a literal "\/"/);
    expect(result.unrewritten[2].reason).toMatch(/axios/);
    expect(result.unrewritten[3].reason).toMatch(/variable url/);
  });

  it("rewrites the splittable call next to them in single quotes without semicolons", () => {
    const text = before.replace("    fetch(url)\n", "    fetch(url)\n    fetch(`${API_URL}/api/ping`, { method: 'POST' })\n");
    const out = rewrite(text);
    expect(out.rewritten).toBe(1);
    expect(out.text).toContain("    apiResponse(`/api/ping`, { method: 'POST' })\n");
    expect(out.text).toContain("import { useEffect } from 'react'\nimport { apiResponse } from '@/lib/api'\n");
    expect(out.text).toContain("const API_URL = process.env.NEXT_PUBLIC_API_URL || 'http://localhost:8000'");
  });
});

describe("a module with two API bases and a literal origin", () => {
  const before = `"use client";
import { apiFetch } from "./legacy";

const API = process.env.NEXT_PUBLIC_API_URL ?? "http://localhost:8000";
const ANALYTICS = process.env.NEXT_PUBLIC_ANALYTICS_URL ?? "https://plausible.io";
const BACKEND = process.env.NEXT_PUBLIC_BACKEND_URL;

export async function track(event: string) {
  await fetch(\`\${ANALYTICS}/api/event\`, { method: "POST", body: event });
}

export async function me() {
  const res = await fetch("http://localhost:8000/api/me");
  if (res.status === 401) return null;
  return res.json();
}

export async function stats() {
  return (await fetch(\`\${BACKEND}/api/stats\`)).json();
}

export async function tasks() {
  return (await fetch(\`\${process.env.NEXT_PUBLIC_API_URL}/api/tasks\`)).json();
}

export const legacy = () => apiFetch(API);
`;
  const result = rewrite(before, { otherApiEnvs: new Set(["NEXT_PUBLIC_BACKEND_URL"]) });

  it("rewrites the API's calls, leaves the analytics call alone and reports the other API base", () => {
    expect(result.rewritten).toBe(2);
    expect(result.text).toContain('const res = await apiResponse("/api/me");');
    expect(result.text).toContain("return (await apiFetch2(`/api/tasks`)).json();");
    expect(result.text).toContain('await fetch(`${ANALYTICS}/api/event`, { method: "POST", body: event });');
    expect(result.text).toContain("return (await fetch(`${BACKEND}/api/stats`)).json();");
    expect(result.unrewritten).toEqual([{ line: 19, reason: expect.stringMatching(/NEXT_PUBLIC_BACKEND_URL/) }]);
    // apiFetch is the name of the project's own import: ours gets another one.
    expect(result.text).toContain('import { apiFetch } from "./legacy";\nimport { apiFetch as apiFetch2, apiResponse } from "@/lib/api";');
    keepsUnrelatedLines(before, result.text, /fetch\(/);
  });
});

describe("through the frontend plan", () => {
  let root = "";
  afterEach(() => removeFixture(root));

  it("rewrites the project's pages, points lib/api.ts at the project's own variable, and a second run changes nothing", () => {
    const page = EXAMPLE_PAGE.replaceAll("NEXT_PUBLIC_API_URL", "NEXT_PUBLIC_BACKEND_URL");
    const server = 'export default async function Page() {\n  const res = await fetch(`${process.env.NEXT_PUBLIC_BACKEND_URL}/api/health`);\n  return <p>{res.status}</p>;\n}\n';
    const planned = planOn({
      "web/package.json": '{ "dependencies": { "next": "^15.5.0" } }\n',
      "web/app/page.tsx": page,
      "web/app/health/page.tsx": server,
      "web/components/list.tsx": '"use client";\nexport const n = 1;\n',
    });
    root = planned.root;
    expect(planned.files["web/app/page.tsx"]).toContain('import { apiResponse } from "@/lib/api";');
    expect(planned.files["web/app/page.tsx"]).not.toContain("NEXT_PUBLIC_BACKEND_URL");
    expect(planned.files["web/app/health/page.tsx"]).toBeUndefined();
    expect(planned.tree.warningList()).toContainEqual(expect.stringMatching(/^web\/app\/health\/page\.tsx:2: this API call still sends no token: server-side code/));
    expect(planned.files["web/lib/api.ts"]).toContain('baseUrl: process.env.NEXT_PUBLIC_BACKEND_URL || process.env.NEXT_PUBLIC_API_URL || "http://localhost:8000",');
    commit(planned);
    const again = replan(root);
    expect(again.files["web/app/page.tsx"]).toBeUndefined();
    expect(again.files["web/lib/api.ts"]).toBeUndefined();
  });
});

describe("a deployed fallback URL in the project's base constant", () => {
  let root = "";
  afterEach(() => removeFixture(root));

  it("is kept as lib/api.ts's fallback when the rewrite removes the constant that held it, and on a second run", () => {
    const page = EXAMPLE_PAGE.replace(/const API_URL = .*;/, 'const API_URL = process.env.NEXT_PUBLIC_API_URL || "https://api.example.com";');
    expect(page).toContain('"https://api.example.com"');
    const planned = planOn({ "web/package.json": '{ "dependencies": { "next": "^15.5.0" } }\n', "web/app/page.tsx": page });
    root = planned.root;
    expect(planned.files["web/app/page.tsx"]).not.toContain("https://api.example.com");
    expect(planned.files["web/lib/api.ts"]).toContain('baseUrl: process.env.NEXT_PUBLIC_API_URL || "https://api.example.com",');
    commit(planned);
    expect(replan(root).files["web/lib/api.ts"]).toBeUndefined();
  });
});

describe("apiResponse in the generated lib/api.ts", () => {
  let root = "";
  afterEach(() => removeFixture(root));

  it("keeps fetch's semantics with the token: any status resolves, a 401 is retried with a new token; signed out, the request goes without one (the project's own login keeps working) and apiFetch refuses", async () => {
    const planned = planOn({});
    root = planned.root;
    commit(planned);
    symlinkSync(path.join(REPO, "node_modules"), path.join(root, "web/node_modules"), "dir");
    type Client = { apiResponse(path: string, init?: RequestInit): Promise<Response>; apiFetch(path: string, init?: RequestInit): Promise<Response> };
    const { createApiClient } = (await import(path.join(root, "web/lib/api.ts"))) as {
      createApiClient(options: { getToken: () => Promise<string | null>; baseUrl: string; fetch: typeof fetch }): Client;
    };
    const sent: { url: string; auth: string | null; method: string }[] = [];
    const answers = [404, 401, 200];
    const stub = (async (url: RequestInfo | URL, init?: RequestInit) => {
      sent.push({ url: String(url), auth: new Headers(init?.headers).get("Authorization"), method: init?.method ?? "GET" });
      const status = answers.shift() ?? 200;
      return new Response(JSON.stringify({ detail: `status ${status}` }), { status });
    }) as typeof fetch;
    let tokens = 0;
    const client = createApiClient({ getToken: async () => `token-${++tokens}`, baseUrl: "http://api.test", fetch: stub });
    const notFound = await client.apiResponse("/api/tasks/9", { method: "DELETE" });
    expect(notFound.status).toBe(404);
    const retried = await client.apiResponse("/api/tasks");
    expect(retried.status).toBe(200);
    // These tokens carry no exp, so each call gets a fresh one; the 401 got one retry with yet another.
    expect(sent).toEqual([
      { url: "http://api.test/api/tasks/9", auth: "Bearer token-1", method: "DELETE" },
      { url: "http://api.test/api/tasks", auth: "Bearer token-2", method: "GET" },
      { url: "http://api.test/api/tasks", auth: "Bearer token-3", method: "GET" },
    ]);
    answers.push(500);
    await expect(client.apiFetch("/api/tasks")).rejects.toMatchObject({ name: "ApiError", status: 500 });

    const signedOut = createApiClient({ getToken: async () => null, baseUrl: "http://api.test", fetch: stub });
    const before = sent.length;
    const login = await signedOut.apiResponse("/api/login", { method: "POST", body: "{}" });
    expect(login.status).toBe(200);
    expect(sent.slice(before)).toEqual([{ url: "http://api.test/api/login", auth: null, method: "POST" }]);
    await expect(signedOut.apiFetch("/api/tasks")).rejects.toMatchObject({ name: "ApiError", status: 401 });
    expect(sent.length).toBe(before + 1);
    await expect(signedOut.apiResponse("https://elsewhere.test/x")).rejects.toThrow(TypeError);
    expect(sent.length).toBe(before + 1);
  });
});
