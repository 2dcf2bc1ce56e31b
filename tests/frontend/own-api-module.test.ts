/**
 * A project with its own lib/api (an axios instance, fetch helpers, a folder, a .js file): the generated
 * client goes beside it under another name (lib/auth-api.ts), the project's file is never overwritten or
 * shadowed, and everything that imports the client (the rewritten fetch calls, the next steps) uses that name.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MANIFEST_PATH } from "../../generators/lib/tree.js";
import { makeFixture, removeFixture, snapshotTree } from "../helpers/fixture.js";
import { runGenerator } from "../helpers/generator.js";
import { SMALL_MONOREPO } from "../helpers/monorepo.js";
import { commit, frontendInfo, planOn, replan, REPO, type PlannedFrontend } from "./generated-project.js";

const EXAMPLE_PAGE = readFileSync(path.join(REPO, "examples/todo-monorepo/frontend/app/page.tsx"), "utf8");
const PACKAGE = '{ "dependencies": { "next": "^15.5.0" } }\n';

/** An axios instance, as many projects keep in lib/api.ts. */
export const AXIOS_API = `import axios from "axios";

export const api = axios.create({ baseURL: process.env.NEXT_PUBLIC_API_URL });

export async function health(): Promise<boolean> {
  const { status } = await api.get("/health");
  return status === 200;
}
`;

/** Fetch helpers of the project's own in lib/api.ts, calling the API. */
export const FETCH_HELPERS_API = `export const API_URL = process.env.NEXT_PUBLIC_API_URL ?? "http://localhost:8000";

export async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(\`\${API_URL}\${path}\`);
  return (await res.json()) as T;
}

export async function ping(): Promise<number> {
  const res = await fetch(\`\${API_URL}/api/health\`);
  return res.status;
}
`;

const GENERATED_EXPORTS = "export const { apiFetch, apiResponse,";

let planned: PlannedFrontend | null = null;
let root = "";
afterEach(() => {
  if (planned) removeFixture(planned.root);
  if (root) removeFixture(root);
  planned = null;
  root = "";
});

describe("a project with its own lib/api.ts", () => {
  it("(an axios instance) gets ours at lib/auth-api.ts, its file untouched, the page importing from @/lib/auth-api; a second run changes nothing", () => {
    planned = planOn({ "web/package.json": PACKAGE, "web/lib/api.ts": AXIOS_API, "web/app/page.tsx": EXAMPLE_PAGE });
    expect(planned.plan.apiClient).toBe("web/lib/auth-api.ts");
    expect(planned.files["web/lib/api.ts"]).toBeUndefined();
    expect(planned.files["web/lib/auth-api.ts"]).toContain(GENERATED_EXPORTS);
    expect(planned.files["web/app/page.tsx"]).toContain('import { apiResponse } from "@/lib/auth-api";');
    expect(planned.files["web/app/page.tsx"]).not.toMatch(/\bfetch\(/);
    // Nothing in lib/ skipped: the project's lib/api.ts is not ours to replace, so it is not even a candidate.
    expect(planned.tree.skippedFiles().map((s) => s.path)).toEqual(["web/app/layout.tsx"]);
    expect(Object.keys(JSON.parse(planned.files[MANIFEST_PATH]).files)).toContain("web/lib/auth-api.ts");
    expect(Object.keys(JSON.parse(planned.files[MANIFEST_PATH]).files)).not.toContain("web/lib/api.ts");
    // The axios instance is reported, naming the file that has apiFetch.
    expect(planned.tree.warningList()).toContainEqual(expect.stringMatching(/^web\/lib\/api\.ts:3: this API call still sends no token: an axios call: route it through apiFetch\(\) from lib\/auth-api\.ts/));
    commit(planned);
    const disk = snapshotTree(planned.root);
    expect(disk["web/lib/api.ts"]).toBe(AXIOS_API);
    const again = replan(planned.root);
    expect(again.tree.changes()).toEqual([]);
    expect(again.plan.apiClient).toBe("web/lib/auth-api.ts");
    expect(snapshotTree(planned.root)).toEqual(disk);
  });

  it("(fetch helpers) routes the helpers' own calls through ours, imported from ./auth-api without the alias", () => {
    planned = planOn({ "web/package.json": PACKAGE, "web/lib/api.ts": FETCH_HELPERS_API, "web/app/page.tsx": EXAMPLE_PAGE }, {}, frontendInfo({ alias: false }));
    expect(planned.plan.apiClient).toBe("web/lib/auth-api.ts");
    expect(planned.files["web/lib/auth-api.ts"]).toContain(GENERATED_EXPORTS);
    expect(planned.files["web/app/page.tsx"]).toContain('import { apiResponse } from "../lib/auth-api";');
    // A data module of the project's (issue 7 item 5): its fetch calls to the API get the token too.
    const helpers = planned.files["web/lib/api.ts"];
    expect(helpers).toContain('import { apiResponse } from "./auth-api";');
    expect(helpers).toContain("const res = await apiResponse(`/api/health`);");
    expect(helpers).toContain("export async function getJson<T>(path: string): Promise<T> {");
    commit(planned);
    expect(replan(planned.root, {}, frontendInfo({ alias: false })).tree.changes()).toEqual([]);
  });

  it("keeps an earlier run's lib/api.ts (ours, in the manifest) at lib/api.ts", () => {
    planned = planOn({ "web/package.json": PACKAGE, "web/app/page.tsx": EXAMPLE_PAGE });
    expect(planned.plan.apiClient).toBe("web/lib/api.ts");
    commit(planned);
    const again = replan(planned.root);
    expect(again.plan.apiClient).toBe("web/lib/api.ts");
    expect(again.tree.changes()).toEqual([]);
  });

  it.each([
    ["lib/api/index.ts", "web/lib/auth-api.ts"],
    ["lib/api.js", "web/lib/auth-api.ts"],
    ["lib/api.tsx", "web/lib/auth-api.ts"],
    ["lib/api/package.json", "web/lib/auth-api.ts"],
  ])("does not shadow a project's %s (ours goes to %s)", (own, expected) => {
    planned = planOn({ "web/package.json": PACKAGE, [`web/${own}`]: "export const api = 1;\n", "web/app/page.tsx": EXAMPLE_PAGE });
    expect(planned.plan.apiClient).toBe(expected);
    expect(planned.files["web/lib/api.ts"]).toBeUndefined();
    expect(planned.files["web/app/page.tsx"]).toContain('from "@/lib/auth-api";');
  });

  it("takes lib/api-client-auth.ts when lib/api.ts and lib/auth-api.ts are both the project's, in a src/ layout", () => {
    const src = frontendInfo({ src: true });
    planned = planOn({ "web/package.json": PACKAGE, "web/src/lib/api.ts": AXIOS_API, "web/src/lib/auth-api.js": "export {};\n", "web/src/app/page.tsx": EXAMPLE_PAGE }, {}, src);
    expect(planned.plan.apiClient).toBe("web/src/lib/api-client-auth.ts");
    expect(planned.files["web/src/lib/api-client-auth.ts"]).toContain(GENERATED_EXPORTS);
    expect(planned.files["web/src/app/page.tsx"]).toContain('import { apiResponse } from "@/lib/api-client-auth";');
    expect(planned.files["web/src/lib/api.ts"]).toBeUndefined();
    expect(planned.files["web/src/lib/auth-api.js"]).toBeUndefined();
  });
});

describe("through the generator", () => {
  it("names lib/auth-api.ts in the next steps, lists it as created, and --force still leaves the project's lib/api.ts alone", async () => {
    root = makeFixture({ ...SMALL_MONOREPO, "frontend/lib/api.ts": AXIOS_API });
    const { result, failures } = await runGenerator(root, {}, { force: true });
    expect(failures).toEqual([]);
    expect(result!.created).toContain("frontend/lib/auth-api.ts");
    expect(result!.created).not.toContain("frontend/lib/api.ts.bak");
    expect(result!.modified).not.toContain("frontend/lib/api.ts");
    expect(result!.nextSteps).toContainEqual(expect.stringContaining("apiFetch() from lib/auth-api.ts: it sends Authorization"));
    expect(snapshotTree(root)["frontend/lib/api.ts"]).toBe(AXIOS_API);
  });
});
