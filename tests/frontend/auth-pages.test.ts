import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { renderAuthRedirect } from "../../generators/lib/frontend/auth-pages.js";
import { addUserMenuToLayout } from "../../generators/lib/frontend/layout-user-menu.js";
import type { FrontendStyling } from "../../generators/lib/types.js";
import { removeFixture } from "../helpers/fixture.js";
import { keepsLines } from "../helpers/keeps-lines.js";
import { commit, frontendInfo, planOn, replan, REPO, type PlannedFrontend } from "./generated-project.js";
import { directives, importsOf, jsxElements, tsxSyntaxErrors, type JsxElementInfo } from "./tsx-ast.js";

let planned: PlannedFrontend | null = null;
afterEach(() => {
  if (planned) removeFixture(planned.root);
  planned = null;
});

const PLAIN: FrontendStyling = { tailwind: false, shadcnUi: null };
const TAILWIND: FrontendStyling = { tailwind: true, shadcnUi: null };
const SHADCN: FrontendStyling = { tailwind: true, shadcnUi: "@/components/ui" };
const EXAMPLE_LAYOUT = readFileSync(path.join(REPO, "examples/todo-monorepo/frontend/app/layout.tsx"), "utf8");

const find = (elements: JsxElementInfo[], test: (e: JsxElementInfo) => boolean) => elements.filter(test);
const named = (tags: string[], text: string) => (e: JsxElementInfo) => tags.includes(e.tag) && e.text === text;

/** A labelled input: a <label>/<Label> with this text whose htmlFor names an <input>/<Input> of that id. */
function expectLabelledInput(elements: JsxElementInfo[], label: string, type: string, ui: boolean) {
  const labels = find(elements, named(ui ? ["Label"] : ["label"], label));
  expect(labels, `label ${label}`).toHaveLength(1);
  const id = labels[0].attrs.htmlFor;
  const inputs = find(elements, (e) => e.tag === (ui ? "Input" : "input") && e.attrs.id === id);
  expect(inputs, `input for ${label}`).toHaveLength(1);
  expect(inputs[0].attrs).toMatchObject({ type, required: true });
}

describe.each([
  { variant: "plain", styling: PLAIN, src: false, alias: true },
  { variant: "plain", styling: PLAIN, src: true, alias: false },
  { variant: "tailwind", styling: TAILWIND, src: false, alias: false },
  { variant: "tailwind", styling: TAILWIND, src: true, alias: true },
  { variant: "shadcn", styling: SHADCN, src: false, alias: true },
  { variant: "shadcn", styling: SHADCN, src: true, alias: true },
])("the sign-in and sign-up pages and user menu ($variant, src layout: $src, alias: $alias)", ({ variant, styling, src, alias }) => {
  const code = src ? "web/src" : "web";
  const ui = variant === "shadcn";
  const render = () => (planned = planOn({ [`${code}/app/layout.tsx`]: EXAMPLE_LAYOUT }, {}, frontendInfo({ src, alias, styling })));
  const clientModule = (from: string) => (alias ? "@/lib/auth-client" : path.posix.relative(path.posix.dirname(from), `${code}/lib/auth-client`));

  it("are client components with the labelled fields, the named button, an alert and a link to the other page", () => {
    const { files } = render();
    for (const [kind, button, other, otherUrl, fields] of [
      ["sign-in", "Sign in", "Sign up", "/sign-up", [["Email", "email"], ["Password", "password"]]],
      ["sign-up", "Sign up", "Sign in", "/sign-in", [["Name", "text"], ["Email", "email"], ["Password", "password"]]],
    ] as const) {
      const file = `${code}/app/(auth)/${kind}/page.tsx`;
      const page = files[file];
      expect(tsxSyntaxErrors(page), file).toEqual([]);
      expect(directives(page)).toEqual(["use client"]);
      const elements = jsxElements(page);
      for (const [label, type] of fields) expectLabelledInput(elements, label, type, ui);
      expect(find(elements, (e) => e.tag === "label" || e.tag === "Label").map((e) => e.text)).toEqual(fields.map(([label]) => label));
      const buttons = find(elements, named(ui ? ["Button"] : ["button"], button));
      expect(buttons).toHaveLength(1);
      expect(buttons[0].attrs.type).toBe("submit");
      expect(find(elements, (e) => e.attrs.role === "alert")).toHaveLength(1);
      const links = find(elements, named(["Link"], other));
      expect(links.map((l) => l.attrs.href)).toEqual([`withCallback("${otherUrl}", callbackPath)`]);
      // useSearchParams() sits under a Suspense boundary, so `next build` can prerender the page.
      expect(find(elements, (e) => e.tag === "Suspense")).toHaveLength(1);
      const imports = importsOf(page);
      expect(imports[clientModule(file)]).toEqual(["authClient"]);
      expect(imports[alias ? "@/lib/auth-redirect" : path.posix.relative(path.posix.dirname(file), `${code}/lib/auth-redirect`)]).toEqual(["CALLBACK_PARAM", "safeCallbackPath", "withCallback"]);
      expect(page).toContain(kind === "sign-in" ? "authClient.signIn.email({" : "authClient.signUp.email({");
      if (ui) expect(Object.keys(imports).filter((m) => m.startsWith("@/components/ui/")).sort()).toEqual(["@/components/ui/button", "@/components/ui/input", "@/components/ui/label"]);
      else expect(Object.keys(imports).some((m) => m.includes("components/ui"))).toBe(false);
      const classNames = elements.filter((e) => e.attrs.className !== undefined);
      if (variant === "plain") expect(classNames).toEqual([]);
      else expect(classNames.length).toBeGreaterThan(3);
      expect(elements.some((e) => e.attrs.style !== undefined)).toBe(false);
    }
  });

  // A protected page prefetched while signed out (a <Link> in the layout) is a cached redirect to sign-in in
  // Next.js 15's router: with router.push (even after router.refresh) the visitor who had just signed in
  // landed back on the sign-in page. A full page load goes to the server, which now sees the session cookie.
  it("goes to the callback page with a full page load, not the client router", () => {
    const { files } = render();
    for (const kind of ["sign-in", "sign-up"]) {
      const page = files[`${code}/app/(auth)/${kind}/page.tsx`];
      expect(page, kind).toContain("window.location.assign(callbackPath);");
      expect(page, kind).not.toMatch(/\buseRouter\b|\brouter\.(push|replace|refresh)\(/);
    }
  });

  it("adds the user menu with the name or email, Sign out, and Sign in / Sign up links, and puts it first in <body>", () => {
    const { files } = render();
    const menu = files[`${code}/components/user-menu.tsx`];
    expect(tsxSyntaxErrors(menu)).toEqual([]);
    expect(directives(menu)).toEqual(["use client"]);
    const elements = jsxElements(menu);
    expect(find(elements, named(ui ? ["Button"] : ["button"], "Sign out"))).toHaveLength(1);
    expect(find(elements, named(["Link"], "Sign in")).map((l) => l.attrs.href)).toEqual(["/sign-in"]);
    expect(find(elements, named(["Link"], "Sign up")).map((l) => l.attrs.href)).toEqual(["/sign-up"]);
    expect(find(elements, (e) => e.text === "{user.name || user.email}" || e.tag === "span").length).toBeGreaterThan(0);
    expect(menu).toContain("authClient.useSession()");
    expect(menu).toMatch(/await authClient\.signOut\(undefined\);\n\s+router\.push\("\/sign-in"\);\n\s+router\.refresh\(\);/);
    expect(importsOf(menu)[clientModule(`${code}/components/user-menu.tsx`)]).toEqual(["authClient"]);
    const layout = files[`${code}/app/layout.tsx`];
    expect(importsOf(layout)[alias ? "@/components/user-menu" : "../components/user-menu"]).toEqual(["UserMenu"]);
    expect(layout).toContain('margin: "2rem auto" }}><UserMenu />{children}</body>');
    expect(keepsLines(EXAMPLE_LAYOUT.replace("}}>{children}", "}}><UserMenu />{children}").split("\n"), layout)).toBe(true);
  });
});

type AuthRedirectModule = { safeCallbackPath: (v: string | null | undefined) => string; withCallback: (page: string, path: string) => string; CALLBACK_PARAM: string };

/** Transpiles a generated lib/auth-redirect.ts into `dir` and imports it. */
async function loadAuthRedirect(dir: string, source: string, name = "auth-redirect"): Promise<AuthRedirectModule> {
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  writeFileSync(path.join(dir, `${name}.mjs`), js);
  return import(pathToFileURL(path.join(dir, `${name}.mjs`)).href);
}

describe("safeCallbackPath and withCallback (the generated lib/auth-redirect.ts, run)", () => {
  let dir = "";
  let mod: AuthRedirectModule;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "auth-redirect-"));
    mod = await loadAuthRedirect(dir, renderAuthRedirect());
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ["/", "/"],
    ["/tasks", "/tasks"],
    ["/tasks?done=1&sort=asc", "/tasks?done=1&sort=asc"],
    ["/tasks#top", "/tasks#top"],
    ["/a/b/../c", "/a/c"],
    ["/search?q=a%20b", "/search?q=a%20b"],
    ["/my%20tasks", "/my%20tasks"],
    ["/caf%C3%A9", "/caf%C3%A9"],
    ["/café", "/caf%C3%A9"],
  ])("accepts the same-origin path %j as %j", (value, expected) => {
    expect(mod.safeCallbackPath(value)).toBe(expected);
  });

  it.each([
    null,
    undefined,
    "",
    "tasks",
    "https://evil.example/",
    "http://evil.example",
    "HTTPS://evil.example",
    "//evil.example",
    "//evil.example/tasks",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/tasks\\..\\..\\evil",
    "/%2f%2fevil.example",
    "/%2F/evil.example",
    "%2f%2fevil.example",
    "/%5cevil.example",
    "/%5Cevil.example",
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%00",
    "/%252f%252fevil.example",
    "/%",
    "/%E0%A4%A",
    "/\tevil",
    "/\n/evil.example",
    "/\r\n/evil.example",
    " /tasks",
    "/tasks ",
    "/\u0000",
    "/\u007f",
    "/\u00a0/evil.example",
    "/\u2028",
    "/\ufeff/evil.example",
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "mailto:x@example.com",
  ])("refuses %j (returns \"/\")", (value) => {
    expect(mod.safeCallbackPath(value)).toBe("/");
  });

  it("refuses a path whose dot segments collapse into another origin", () => {
    expect(mod.safeCallbackPath("/..//evil.example")).toBe("/");
    expect(mod.safeCallbackPath("/a/../..//evil.example/x")).toBe("/");
    expect(mod.safeCallbackPath("/tasks/../done")).toBe("/done");
  });

  it("keeps a path that merely contains javascript: as a path segment (it cannot leave the origin)", () => {
    expect(mod.safeCallbackPath("/javascript:alert(1)")).toBe("/javascript:alert(1)");
  });

  it("never returns anything that leaves the origin, for any string (property check over 2,000 inputs)", async () => {
    const fc = (await import("fast-check")).default;
    const pieces = ["/", "\\", "%2f", "%5c", "%252f", "//", ":", "@", "evil.example", "\t", "\n", " ", "?", "#", "..", "javascript:", "http:", "%", "\u3000"];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 8 }), (parts) => {
        const out = mod.safeCallbackPath(parts.join(""));
        expect(new URL(out, "http://same.invalid").origin).toBe("http://same.invalid");
        expect(out.startsWith("/") && !out.startsWith("//") && !out.includes("\\")).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("carries the return address to the other page only when there is one", () => {
    expect(mod.CALLBACK_PARAM).toBe("callbackUrl");
    expect(mod.withCallback("/sign-up", "/")).toBe("/sign-up");
    expect(mod.withCallback("/sign-up", "/tasks?done=1")).toBe("/sign-up?callbackUrl=%2Ftasks%3Fdone%3D1");
  });

  it("falls back to --after-sign-in-path instead of / (and carries no return address when it is that one)", async () => {
    const after = await loadAuthRedirect(dir, renderAuthRedirect("/dashboard"), "auth-redirect-dashboard");
    expect(after.safeCallbackPath(null)).toBe("/dashboard");
    expect(after.safeCallbackPath("//evil.example")).toBe("/dashboard");
    expect(after.safeCallbackPath("/..//evil.example")).toBe("/dashboard");
    expect(after.safeCallbackPath("/tasks")).toBe("/tasks");
    expect(after.safeCallbackPath("/")).toBe("/");
    expect(after.withCallback("/sign-up", "/dashboard")).toBe("/sign-up");
    expect(after.withCallback("/sign-up", "/")).toBe("/sign-up?callbackUrl=%2F");
  });
});

const LAYOUTS: Record<string, string> = {
  example: EXAMPLE_LAYOUT,
  "create-next-app (fonts, className on body, single quotes, no semicolons)": `import type { Metadata } from 'next'
import { Geist, Geist_Mono } from 'next/font/google'
import './globals.css'

const geistSans = Geist({
  variable: '--font-geist-sans',
  subsets: ['latin'],
})

export const metadata: Metadata = {
  title: 'Create Next App',
}

export default function RootLayout({
  children,
}: Readonly<{
  children: React.ReactNode
}>) {
  return (
    <html lang="en">
      <body
        className={\`\${geistSans.variable} antialiased\`}
      >
        {children}
      </body>
    </html>
  )
}
`,
  "Providers wrapper inside body, four-space indent": `import { Providers } from "./providers";
import "./globals.css";

export default async function RootLayout({ children }: { children: React.ReactNode }) {
    return (
        <html lang="en" suppressHydrationWarning>
            <body>
                {/* theme and query providers */}
                <Providers>
                    {children}
                </Providers>
            </body>
        </html>
    );
}
`,
  "arrow function exported by name, tabs": `import React from "react";

const RootLayout = ({ children }: { children: React.ReactNode }) => (
\t<html lang="en">
\t\t<body className="min-h-screen">
\t\t\t<header>My app</header>
\t\t\t<main>{children}</main>
\t\t</body>
\t</html>
);

export default RootLayout;
`,
  "no imports, js-style layout": `export default function RootLayout({ children }) {
  return <html><body>{children}</body></html>
}
`,
};

describe("placing <UserMenu /> in the root layout", () => {
  it.each(Object.entries(LAYOUTS))("%s: imports it, puts it first in <body>, keeps every other byte, re-parses, and a second run changes nothing", (_name, before) => {
    const result = addUserMenuToLayout(before, "@/components/user-menu");
    expect(result.status).toBe("added");
    const after = (result as { text: string }).text;
    expect(tsxSyntaxErrors(after)).toEqual([]);
    const usesSingle = before.includes("from 'next'");
    const hasSemi = /^import .*;$/m.test(before) || !/^import /m.test(before);
    const importLine = `import { UserMenu } from ${usesSingle ? "'@/components/user-menu'" : '"@/components/user-menu"'}${hasSemi ? ";" : ""}`;
    expect(after.split("\n")).toContain(importLine);
    // Removing the two insertions gives back the original, byte for byte.
    const withoutImport = after.replace(new RegExp(`\\n?${importLine.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\\n?`), (m) => (m.startsWith("\n") && m.endsWith("\n") ? "\n" : ""));
    expect(withoutImport.replace(/\n[ \t]*<UserMenu \/>(?=\n)/, "").replace("<UserMenu />", "")).toBe(before);
    // The menu is the first element inside <body>.
    const elements = jsxElements(after);
    const bodyIndex = elements.findIndex((e) => e.tag === "body");
    expect(elements[bodyIndex + 1].tag).toBe("UserMenu");
    // On its own line when the body's children are, at their indentation.
    const menuLine = after.split("\n").find((l) => l.includes("<UserMenu />"))!;
    if (!/<body[^>]*>\{children\}/.test(before)) expect(menuLine.trim()).toBe("<UserMenu />");
    expect(addUserMenuToLayout(after, "@/components/user-menu")).toEqual({ status: "present" });
  });

  it("follows the indentation of the body's first child", () => {
    const after = (addUserMenuToLayout(LAYOUTS["Providers wrapper inside body, four-space indent"], "@/components/user-menu") as { text: string }).text;
    expect(after).toContain('            <body>\n                <UserMenu />\n                {/* theme and query providers */}\n');
    const tabs = (addUserMenuToLayout(LAYOUTS["arrow function exported by name, tabs"], "@/components/user-menu") as { text: string }).text;
    expect(tabs).toContain('\t\t<body className="min-h-screen">\n\t\t\t<UserMenu />\n\t\t\t<header>My app</header>\n');
  });

  it("imports it under another name when UserMenu is already taken", () => {
    const before = 'import { UserMenu } from "./nav";\n\nexport default function RootLayout({ children }: { children: React.ReactNode }) {\n  return (\n    <html>\n      <body>\n        <UserMenu />\n        {children}\n      </body>\n    </html>\n  );\n}\n';
    const after = (addUserMenuToLayout(before, "@/components/user-menu") as { text: string }).text;
    expect(after).toContain('import { UserMenu as UserMenu2 } from "@/components/user-menu";');
    expect(after).toContain("      <body>\n        <UserMenu2 />\n        <UserMenu />\n");
  });

  it.each([
    ["two returns", 'export default function RootLayout({ children }) {\n  if (!children) return null;\n  return <html><body>{children}</body></html>;\n}\n', /2 return statements/],
    ["body built elsewhere", 'import { Shell } from "./shell";\nexport default function RootLayout({ children }) {\n  return <html lang="en"><Shell>{children}</Shell></html>;\n}\n', /no <body> element/],
    ["a wrapped default export", 'import { withTheme } from "./theme";\nfunction RootLayout({ children }) {\n  return <html><body>{children}</body></html>;\n}\nexport default withTheme(RootLayout);\n', /not a function/],
    ["no default export", "export function Layout() {\n  return <html><body /></html>;\n}\n", /no `export default`/],
    ["a layout that does not parse", "export default function RootLayout( {\n", /does not parse/],
  ])("leaves %s alone", (_name, before, reason) => {
    const result = addUserMenuToLayout(before, "@/components/user-menu");
    expect(result.status).toBe("unrecognised");
    expect((result as { reason: string }).reason).toMatch(reason);
  });

  it("skips an unrecognised layout in the plan, with file:line and the exact lines to add, and changes nothing there", () => {
    const before = 'export default function RootLayout({ children }) {\n  if (!children) return null;\n  return <html><body>{children}</body></html>;\n}\n';
    planned = planOn({ "web/app/layout.tsx": before });
    expect(planned.files["web/app/layout.tsx"]).toBeUndefined();
    const skipped = planned.tree.skippedFiles().find((s) => s.path === "web/app/layout.tsx")!;
    expect(skipped.reason).toMatch(/web\/app\/layout\.tsx:3: the layout has 2 return statements/);
    expect(skipped.snippet).toBe('import { UserMenu } from "@/components/user-menu";\n\n// in the root layout, as the first child of <body>:\n<UserMenu />');
    expect(planned.files["web/components/user-menu.tsx"]).toBeDefined();
  });
});

describe("a project that already has auth pages", () => {
  it.each([
    ["web/app/login/page.tsx", "web/app/register/page.tsx", "/login", "/register"],
    ["web/app/(auth)/signin/page.tsx", "web/app/(auth)/signup/page.tsx", "/signin", "/signup"],
    ["web/app/sign-in/[[...sign-in]]/page.tsx", "web/app/sign-up/[[...sign-up]]/page.tsx", "/sign-in", "/sign-up"],
    ["web/app/(auth)/sign-in/page.tsx", "web/app/(marketing)/account/sign-up/page.jsx", "/sign-in", "/account/sign-up"],
  ])("keeps %s and %s, generates neither page, and links the menu to their URLs", (signIn, signUp, signInUrl, signUpUrl) => {
    planned = planOn({ [signIn]: "export default function P() { return null; }\n", [signUp]: "export default function P() { return null; }\n", "web/app/layout.tsx": EXAMPLE_LAYOUT });
    const { files, tree } = planned;
    expect(Object.keys(files).filter((f) => f.includes("/app/(auth)/") || f.endsWith("auth-redirect.ts"))).toEqual([]);
    const skipped = tree.skippedFiles();
    expect(skipped.find((s) => s.path === signIn)?.reason).toMatch(new RegExp(`the project's own sign-in page \\(${signInUrl.replace(/\//g, "\\/")}\\): left as it is`));
    expect(skipped.find((s) => s.path === signUp)?.reason).toMatch(/the project's own sign-up page/);
    const links = jsxElements(files["web/components/user-menu.tsx"]).filter((e) => e.tag === "Link");
    expect(links.map((l) => l.attrs.href)).toEqual([signInUrl, signUpUrl]);
    expect(files["web/components/user-menu.tsx"]).toContain(`router.push("${signInUrl}");`);
  });

  it("with only a login page, generates sign-up linking to it, and not a second sign-in page", () => {
    planned = planOn({ "web/app/login/page.tsx": "export default function P() { return null; }\n" });
    const signUp = planned.files["web/app/(auth)/sign-up/page.tsx"];
    expect(planned.files["web/app/(auth)/sign-in/page.tsx"]).toBeUndefined();
    expect(jsxElements(signUp).filter((e) => e.tag === "Link").map((l) => l.attrs.href)).toEqual(['withCallback("/login", callbackPath)']);
    expect(planned.files["web/lib/auth-redirect.ts"]).toBeDefined();
  });

  it("does not take a dynamic or unrelated page for an auth page", () => {
    planned = planOn({ "web/app/[slug]/page.tsx": "x", "web/app/users/[id]/login/page.tsx": "x", "web/app/login-help/page.tsx": "x", "web/app/api/login/route.ts": "x" });
    expect(planned.files["web/app/(auth)/sign-in/page.tsx"]).toBeDefined();
    expect(planned.files["web/app/(auth)/sign-up/page.tsx"]).toBeDefined();
  });
});

describe("a user's auth client the pages cannot import", () => {
  it("skips the pages and the menu with the reason, and leaves the layout alone", () => {
    planned = planOn({
      "web/lib/auth-client.ts": 'import { createAuthClient } from "better-auth/react";\n\nexport const { signIn, signUp, signOut, useSession } = createAuthClient();\n',
      "web/app/layout.tsx": EXAMPLE_LAYOUT,
    });
    const reasons = Object.fromEntries(planned.tree.skippedFiles().map((s) => [s.path, s.reason]));
    for (const file of ["web/app/(auth)/sign-in/page.tsx", "web/app/(auth)/sign-up/page.tsx", "web/components/user-menu.tsx"]) {
      expect(reasons[file], file).toMatch(/does not export its client under a name/);
      expect(planned.files[file]).toBeUndefined();
    }
    expect(planned.files["web/app/layout.tsx"]).toBeUndefined();
  });

  it("uses the name the user's client is exported under", () => {
    planned = planOn({ "web/lib/auth-client.ts": 'import { createAuthClient } from "better-auth/react";\n\nexport const client = createAuthClient({});\n', "web/app/layout.tsx": EXAMPLE_LAYOUT });
    expect(importsOf(planned.files["web/app/(auth)/sign-in/page.tsx"])["@/lib/auth-client"]).toEqual(["authClient"]);
    expect(planned.files["web/app/(auth)/sign-in/page.tsx"]).toContain('import { client as authClient } from "@/lib/auth-client";');
    expect(planned.files["web/components/user-menu.tsx"]).toContain('import { client as authClient } from "@/lib/auth-client";');
  });
});

describe("a second run", () => {
  it("changes nothing: pages, menu, auth-redirect and the edited layout are unchanged", () => {
    planned = planOn({ "web/app/layout.tsx": LAYOUTS["create-next-app (fonts, className on body, single quotes, no semicolons)"] }, {}, frontendInfo({ styling: TAILWIND }));
    commit(planned);
    const again = replan(planned.root, {}, frontendInfo({ styling: TAILWIND }));
    expect(again.tree.changes()).toEqual([]);
    expect(again.tree.skippedFiles()).toEqual([]);
    expect(again.tree.unchangedFiles()).toEqual(
      expect.arrayContaining(["web/app/(auth)/sign-in/page.tsx", "web/app/(auth)/sign-up/page.tsx", "web/lib/auth-redirect.ts", "web/components/user-menu.tsx", "web/app/layout.tsx"]),
    );
  });

  it("reports a missing root layout with the lines to add (only when the project has pages of its own)", () => {
    expect((planned = planOn({})).tree.skippedFiles()).toEqual([]);
    removeFixture(planned.root);
    planned = planOn({ "web/app/page.tsx": "export default function Home() { return null; }\n" });
    const skipped = planned.tree.skippedFiles().find((s) => s.path === "web/app/layout.tsx")!;
    expect(skipped.reason).toMatch(/no root layout found/);
    expect(skipped.snippet).toContain("<UserMenu />");
  });
});
