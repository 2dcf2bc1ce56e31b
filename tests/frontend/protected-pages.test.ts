/** Protected pages: proxy.ts on Next.js 16+, middleware.ts on 15, the default from the pages that call the API, existing files edited or left alone. */
import { describe, expect, it } from "vitest";
import { addCheckToProxy, defaultProtectPages, nextMajor, pageRoutePrefix, parseProtectPages, protectPagesProblem } from "../../generators/lib/frontend/protected-pages.js";
import { PlanTree } from "../../generators/lib/tree.js";
import { makeFixture } from "../helpers/fixture.js";
import { removedAfterEach } from "../helpers/temp-roots.js";
import { frontendInfo, planOn } from "./generated-project.js";
import { parseSource } from "../../generators/lib/frontend/source/parse.js";

const removed = removedAfterEach();
const AUTH_PAGES = { signIn: "/sign-in", signUp: "/sign-up" };
const pkg = (next: string) => JSON.stringify({ name: "web", dependencies: { next } });

function planned(files: Record<string, string>, answers: { protectPages?: string } = {}, src = false) {
  const result = planOn(files, answers, { ...frontendInfo({ src }), nextVersion: JSON.parse(files["web/package.json"] ?? pkg("^15.5.0")).dependencies.next });
  removed(result.root);
  return result;
}

describe("the default protected pages", () => {
  it("derives route prefixes: groups dropped, cut at a dynamic segment, private folders skipped", () => {
    expect(pageRoutePrefix("web/app", "web/app/page.tsx")).toBe("/");
    expect(pageRoutePrefix("web/app", "web/app/(dash)/tasks/[id]/edit/page.tsx")).toBe("/tasks");
    expect(pageRoutePrefix("web/app", "web/app/@modal/settings/page.jsx")).toBe("/settings");
    expect(pageRoutePrefix("web/app", "web/app/_lib/page.tsx")).toBeNull();
  });

  it("takes the pages that fetch, use axios, lib/api or NEXT_PUBLIC_API_URL; '/' when none does", () => {
    const root = removed(
      makeFixture({
        "web/package.json": pkg("^15.5.0"),
        "web/app/page.tsx": "export default function Home() { return <main>Hi</main>; }\n",
        "web/app/(app)/tasks/page.tsx": 'const r = await fetch(`${process.env.NEXT_PUBLIC_API_URL}/api/tasks`);\n',
        "web/app/projects/[id]/page.tsx": 'import axios from "axios";\n',
        "web/app/projects/new/page.tsx": 'import { apiFetch } from "@/lib/api";\n',
        "web/app/about/page.tsx": "export default function About() {}\n",
      }),
    );
    expect(defaultProtectPages(new PlanTree(root), frontendInfo())).toBe("/projects,/tasks");
    const bare = removed(makeFixture({ "web/app/page.tsx": "export default function Home() {}\n" }));
    expect(defaultProtectPages(new PlanTree(bare), frontendInfo())).toBe("/");
  });

  it("parses and validates the answer", () => {
    expect(parseProtectPages("/tasks/, /tasks/archive,/projects")).toEqual(["/projects", "/tasks"]);
    expect(parseProtectPages("/,/tasks")).toEqual(["/"]);
    expect(parseProtectPages("none")).toEqual([]);
    expect(protectPagesProblem("/,/tasks")).toBeNull();
    expect(protectPagesProblem("tasks")).toMatch(/starting with "\/".*got "tasks"/);
  });
});

describe("the proxy or middleware file", () => {
  it("writes middleware.ts exporting middleware on Next.js 15, redirecting to sign-in with callbackUrl", () => {
    const { files } = planned({ "web/package.json": pkg("^15.5.0"), "web/app/tasks/page.tsx": "fetch('/x')\n" });
    expect(files["web/proxy.ts"]).toBeUndefined();
    const middleware = files["web/middleware.ts"];
    expect(middleware).toContain("export function middleware(request: NextRequest)");
    expect(middleware).toContain('const PROTECTED_PAGES = ["/tasks"];');
    expect(middleware).toContain('import { getSessionCookie } from "better-auth/cookies";');
    expect(middleware).toContain('signIn.searchParams.set("callbackUrl", `${pathname}${search}`);');
    expect(middleware).toContain("the API, which verifies every\n * token, stays the real gate");
    expect(middleware).toContain('matcher: ["/((?!api/|sign-in|sign-up|_next/static|_next/image|favicon\\\\.ico|.*\\\\.[\\\\w]+$).*)"]');
    expect(() => parseSource(middleware)).not.toThrow();
  });

  it("writes proxy.ts exporting proxy on Next.js 16 (the installed version wins over the declared one), in src/ for a src layout", () => {
    const installed = { "web/node_modules/next/package.json": JSON.stringify({ name: "next", version: "16.1.0" }) };
    const { files } = planned({ "web/package.json": pkg("^15.0.0"), ...installed, "web/src/app/page.tsx": "" }, { protectPages: "/" }, true);
    expect(Object.keys(files).filter((f) => /(proxy|middleware)\.ts$/.test(f))).toEqual(["web/src/proxy.ts"]);
    expect(files["web/src/proxy.ts"]).toContain("export function proxy(request: NextRequest)");
    const root = removed(makeFixture({ "web/package.json": pkg("16.0.0") }));
    expect(nextMajor(new PlanTree(root), { ...frontendInfo(), nextVersion: "16.0.0" })).toBe(16);
  });

  it("writes nothing for --protect-pages none", () => {
    const { files } = planned({ "web/package.json": pkg("^16.0.0") }, { protectPages: "none" });
    expect(Object.keys(files).filter((f) => /(proxy|middleware)\.ts$/.test(f))).toEqual([]);
  });

  it("adds the check at the top of an existing middleware function, in the file's style, and a second run changes nothing", () => {
    const before = [
      "import { NextResponse } from 'next/server'",
      "import type { NextRequest } from 'next/server'",
      "",
      "export function middleware(req: NextRequest) {",
      "    const res = NextResponse.next()",
      "    res.headers.set('x-hello', 'world')",
      "    return res",
      "}",
      "",
      "export const config = { matcher: ['/tasks/:path*'] }",
      "",
    ].join("\n");
    const result = addCheckToProxy(before, ["/tasks"], AUTH_PAGES);
    expect(result.status).toBe("added");
    const after = (result as { text: string }).text;
    expect(after.startsWith("import { NextResponse } from 'next/server'\nimport type { NextRequest } from 'next/server'\nimport { getSessionCookie } from 'better-auth/cookies'\n")).toBe(true);
    expect(after).toContain("export function middleware(req: NextRequest) {\n    // auth-integrator:");
    expect(after).toContain("    if (!getSessionCookie(req) && ['/tasks'].some(");
    expect(after).toContain("        return NextResponse.redirect(signInUrl)\n    }\n    const res = NextResponse.next()");
    for (const line of before.split("\n")) expect(after.split("\n")).toContain(line);
    expect(() => parseSource(after)).not.toThrow();
    expect(addCheckToProxy(after, ["/tasks"], AUTH_PAGES)).toEqual({ status: "present" });
  });

  it("says that a middleware with an empty matcher never runs the check added to it", () => {
    const existing = "import { NextResponse } from 'next/server'\n\nexport function middleware() {\n  return NextResponse.next()\n}\n\nexport const config = { matcher: [] }\n";
    const { files, tree } = planned({ "web/package.json": pkg("^15.5.0"), "web/middleware.ts": existing });
    expect(files["web/middleware.ts"]).toContain("getSessionCookie");
    expect(tree.warningList().join("\n")).toMatch(/web\/middleware\.ts: its config\.matcher is an empty list, so Next\.js runs it on no path and the sign-in redirect added to it never runs/);
  });

  it("leaves a wrapped middleware alone and reports it with the snippet", () => {
    const existing = 'import { withAuth } from "next-auth/middleware";\n\nexport default withAuth({});\n';
    const { files, tree } = planned({ "web/package.json": pkg("^15.5.0"), "web/middleware.ts": existing });
    expect(files["web/middleware.ts"]).toBeUndefined();
    expect(files["web/proxy.ts"]).toBeUndefined();
    const skipped = tree.skippedFiles().find((s) => s.path === "web/middleware.ts");
    expect(skipped?.reason).toMatch(/left as it is \(its default export is not a function written in place\)/);
    expect(skipped?.snippet).toContain("export function middleware(request: NextRequest)");
  });

  it("is left unchanged on a second run over its own output", async () => {
    const first = planned({ "web/package.json": pkg("^15.5.0") });
    const { commit, replan } = await import("./generated-project.js");
    commit(first);
    const again = replan(first.root, {}, { ...frontendInfo(), nextVersion: "^15.5.0" });
    expect(Object.keys(again.files).filter((f) => /(proxy|middleware)\.ts$/.test(f))).toEqual([]);
  });
});

describe("the bin", () => {
  it("writes middleware.ts on a Next.js 15 monorepo under --yes, takes --protect-pages, and refuses a bad one with exit 2", async () => {
    const { runBin } = await import("../helpers/bin.js");
    const { SMALL_MONOREPO } = await import("../helpers/monorepo.js");
    const { existsSync, readFileSync } = await import("node:fs");
    const path = await import("node:path");
    const root = removed(makeFixture(SMALL_MONOREPO));
    const bad = await runBin(["auth", "--cwd", root, "--yes", "--protect-pages", "tasks"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--protect-pages takes path prefixes starting with "/"');
    const ok = await runBin(["auth", "--cwd", root, "--yes", "--protect-pages", "/tasks,/projects"]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(existsSync(path.join(root, "frontend/proxy.ts"))).toBe(false);
    expect(readFileSync(path.join(root, "frontend/middleware.ts"), "utf8")).toContain('const PROTECTED_PAGES = ["/projects", "/tasks"];');
  });
});

describe("the redirect's origin", () => {
  /** The generated module, run for real: written inside the repository so next/server and better-auth/cookies resolve. */
  async function load(text: string): Promise<(request: unknown) => Response> {
    const { mkdirSync, mkdtempSync, writeFileSync } = await import("node:fs");
    const path = await import("node:path");
    const { REPO_ROOT } = await import("../helpers/python.js");
    mkdirSync(path.join(REPO_ROOT, ".tmp"), { recursive: true });
    const dir = removed(mkdtempSync(path.join(REPO_ROOT, ".tmp", "middleware-")));
    const file = path.join(dir, "middleware.ts");
    writeFileSync(file, text);
    const mod = (await import(file)) as { middleware: (request: unknown) => Response };
    return mod.middleware;
  }
  const request = async (url: string, headers: Record<string, string>) => {
    const { NextRequest } = await import("next/server.js");
    return new NextRequest(url, { headers });
  };

  // Next.js 15 hands middleware a request.url on the server's own address (`next start -H 127.0.0.1`
  // behind a proxy: http://localhost:3000/...) and sends an absolute redirect as it is, so a redirect
  // built from request.url alone took the visitor of https://planner.example to localhost.
  it("sends the visitor to sign-in on the host they asked for (Host), not the server's own address", async () => {
    const { files } = planned({ "web/package.json": pkg("^15.5.0"), "web/app/tasks/page.tsx": "fetch('/x')\n" });
    const middleware = await load(files["web/middleware.ts"]);
    const viaProxy = middleware(await request("https://localhost:3000/tasks?view=all", { host: "planner.example" }));
    expect(viaProxy.status).toBe(307);
    expect(viaProxy.headers.get("location")).toBe("https://planner.example/sign-in?callbackUrl=%2Ftasks%3Fview%3Dall");
    const direct = middleware(await request("http://localhost:3000/tasks", {}));
    expect(direct.headers.get("location")).toBe("http://localhost:3000/sign-in?callbackUrl=%2Ftasks");
    const signedIn = middleware(await request("http://localhost:3000/tasks", { host: "planner.example", cookie: "better-auth.session_token=abc.def" }));
    expect(signedIn.headers.get("location")).toBeNull();
  });

  it("does the same in the check added to an existing middleware", async () => {
    const before = "import { NextResponse, type NextRequest } from 'next/server'\n\nexport function middleware(req: NextRequest) {\n  return NextResponse.next()\n}\n";
    const edit = addCheckToProxy(before, ["/tasks"], AUTH_PAGES);
    expect(edit.status).toBe("added");
    const middleware = await load((edit as { text: string }).text);
    const response = middleware(await request("http://localhost:3000/tasks/7", { host: "planner.example:8080" }));
    expect(response.headers.get("location")).toBe("http://planner.example:8080/sign-in?callbackUrl=%2Ftasks%2F7");
  });
});
