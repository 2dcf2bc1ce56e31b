// Calls that reach the API through a rewrite of next.config (fetch("/api/todos") forwarded to the FastAPI origin) send
// no token and are not the API base, so they cannot be rewritten safely: each is named with the rewrite and the
// apiFetch() path to call instead, and the page middleware never answers an /api/ call with the sign-in page.
import { afterEach, describe, expect, it } from "vitest";
import { apiRewritesIn } from "../../generators/lib/frontend/proxied-api.js";
import { makeFixture, removeFixture, snapshotTree } from "../helpers/fixture.js";
import { runGenerator } from "../helpers/generator.js";
import { SMALL_MONOREPO } from "../helpers/monorepo.js";

const NEXT_CONFIG = `import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  async rewrites() {
    return [
      { source: "/api/todos/:path*", destination: "http://localhost:8000/todos/:path*" },
      { source: "/docs", destination: "https://example.com/docs" },
      { source: "/backend/:path*", destination: \`\${process.env.BACKEND_URL}/:path*\` },
    ];
  },
};

export default nextConfig;
`;

describe("apiRewritesIn", () => {
  it("finds the rewrites to the API's origin or an API-like env variable, with their path prefixes", () => {
    expect(apiRewritesIn(NEXT_CONFIG, "frontend/next.config.ts", "http://localhost:8000")).toEqual([
      { from: "/api/todos", to: "/todos", file: "frontend/next.config.ts", line: 6 },
      { from: "/backend", to: "", file: "frontend/next.config.ts", line: 8 },
    ]);
  });
});

describe("a frontend calling the API through a rewrite", () => {
  let root = "";
  afterEach(() => removeFixture(root));

  it("names each call with the rewrite and the apiFetch path to use, and keeps /api/ out of the middleware", async () => {
    const page = `"use client";\n\nexport default function Todos() {\n  async function load() {\n    const res = await fetch("/api/todos");\n    return res.json();\n  }\n  return <button onClick={load}>Load</button>;\n}\n`;
    root = makeFixture({ ...SMALL_MONOREPO, "frontend/next.config.ts": NEXT_CONFIG, "frontend/app/todos/page.tsx": page });
    const { result, failures } = await runGenerator(root, { secretMode: "jwks" });
    expect(failures).toEqual([]);
    expect(result!.warnings.join("\n")).toContain(
      'frontend/app/todos/page.tsx:5: this API call goes through the rewrite at frontend/next.config.ts:6 (/api/todos → the API\'s /todos) and sends no token, so the API now answers 401: call apiFetch("/todos...") from lib/api.ts instead',
    );
    const proxy = Object.entries(snapshotTree(root)).find(([file]) => /frontend\/(middleware|proxy)\.ts$/.test(file))?.[1] ?? "";
    expect(proxy).toContain("(?!api/|");
  });
});
