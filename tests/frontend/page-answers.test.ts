// The answers the generated frontend follows: password lengths, a sign-up without a name, social providers,
// the pages' paths and where signing in lands. Each on the planned tree, parsed with TypeScript's TSX parser.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { detectedAuthPagePaths } from "../../generators/lib/frontend/auth-pages.js";
import { socialProviders, socialSetupSteps } from "../../generators/lib/frontend/social-providers.js";
import { PlanTree } from "../../generators/lib/tree.js";
import type { Answers, FrontendStyling } from "../../generators/lib/types.js";
import { makeFixture, removeFixture } from "../helpers/fixture.js";
import { userError } from "../helpers/user-error.js";
import { commit, frontendInfo, planOn, replan, type PlannedFrontend } from "./generated-project.js";
import { jsxElements, tsxSyntaxErrors } from "./tsx-ast.js";

const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), "fixtures");

let planned: PlannedFrontend | null = null;
afterEach(() => {
  if (planned) removeFixture(planned.root);
  planned = null;
});

const STYLINGS: Record<string, FrontendStyling> = {
  plain: { tailwind: false, shadcnUi: null },
  tailwind: { tailwind: true, shadcnUi: null },
  shadcn: { tailwind: true, shadcnUi: "@/components/ui" },
};

/** Every answer away from its default at once. */
const CUSTOM: Partial<Answers> = {
  passwordMinLength: "12",
  passwordMaxLength: "64",
  signUpName: "no",
  socialProviders: "google,github",
  signInPath: "/login",
  signUpPath: "/auth/register",
  afterSignInPath: "/dashboard",
};
const SIGN_IN = "web/app/(auth)/login/page.tsx";
const SIGN_UP = "web/app/(auth)/auth/register/page.tsx";

const plan = (answers: Partial<Answers>, files: Record<string, string> = {}, styling = STYLINGS.plain) => (planned = planOn(files, answers, frontendInfo({ styling })));

describe.each(Object.keys(STYLINGS))("the pages with every answer changed (%s)", (variant) => {
  const ui = variant === "shadcn";
  const button = ui ? "Button" : "button";

  it("go at the answered paths and link to each other there", () => {
    const { files } = plan(CUSTOM, {}, STYLINGS[variant]);
    expect(files["web/app/(auth)/sign-in/page.tsx"]).toBeUndefined();
    for (const [file, other] of [[SIGN_IN, "/auth/register"], [SIGN_UP, "/login"]]) {
      expect(tsxSyntaxErrors(files[file]), file).toEqual([]);
      expect(jsxElements(files[file]).filter((e) => e.tag === "Link").map((l) => l.attrs.href)).toEqual([`withCallback("${other}", callbackPath)`]);
    }
  });

  it("sign up with email and password only, sending the email's local part as the name Better Auth requires", () => {
    const page = plan(CUSTOM, {}, STYLINGS[variant]).files[SIGN_UP];
    const elements = jsxElements(page);
    expect(elements.filter((e) => e.tag === "label" || e.tag === "Label").map((e) => e.text)).toEqual(["Email", "Password"]);
    expect(elements.some((e) => e.attrs.id === "name" || e.attrs.name === "name")).toBe(false);
    expect(page).toContain('const email = String(form.get("email") ?? "");');
    expect(page).toMatch(/authClient\.signUp\.email\(\{\n\s+name: email\.split\("@"\)\[0\],\n\s+email,\n/);
    expect(page).not.toContain('form.get("name")');
  });

  it("bound the password input by the answered lengths", () => {
    const password = jsxElements(plan(CUSTOM, {}, STYLINGS[variant]).files[SIGN_UP]).find((e) => e.attrs.id === "password")!;
    expect(password.attrs).toMatchObject({ minLength: "12", maxLength: "64", autoComplete: "new-password" });
  });

  it("offer one button per provider on both pages, in the page's style, calling signIn.social with the callback", () => {
    const { files } = plan(CUSTOM, {}, STYLINGS[variant]);
    for (const file of [SIGN_IN, SIGN_UP]) {
      const buttons = jsxElements(files[file]).filter((e) => e.tag === button && e.text.startsWith("Continue with"));
      expect(buttons.map((b) => [b.text, b.attrs.onClick, b.attrs.type]), file).toEqual([
        ["Continue with Google", '() => signInWith("google")', "button"],
        ["Continue with GitHub", '() => signInWith("github")', "button"],
      ]);
      if (ui) expect(buttons.every((b) => b.attrs.variant === "outline")).toBe(true);
      else if (variant === "tailwind") expect(buttons.every((b) => typeof b.attrs.className === "string")).toBe(true);
      else expect(buttons.some((b) => b.attrs.className !== undefined)).toBe(false);
      expect(files[file]).toContain('async function signInWith(provider: "google" | "github") {');
      expect(files[file]).toContain("await authClient.signIn.social({ provider, callbackURL: callbackPath });");
    }
  });
});

describe("the other files the answers reach", () => {
  it("Better Auth's config: the lengths that differ from its defaults, and each provider's credentials from the environment", () => {
    const auth = plan(CUSTOM).files["web/lib/auth.ts"];
    expect(auth).toContain("  emailAndPassword: {\n    enabled: true,\n    minPasswordLength: 12,\n    maxPasswordLength: 64,\n  },\n");
    expect(auth).toContain(
      [
        "  socialProviders: {",
        "    google: {",
        "      clientId: process.env.GOOGLE_CLIENT_ID as string,",
        "      clientSecret: process.env.GOOGLE_CLIENT_SECRET as string,",
        "    },",
        "    github: {",
        "      clientId: process.env.GITHUB_CLIENT_ID as string,",
        "      clientSecret: process.env.GITHUB_CLIENT_SECRET as string,",
        "    },",
        "  },",
        "",
      ].join("\n"),
    );
    expect(auth).not.toContain("trustedOrigins");
    removeFixture(planned!.root);
    const onlyMax = plan({ passwordMaxLength: "72" }).files["web/lib/auth.ts"];
    expect(onlyMax).toContain("    enabled: true,\n    maxPasswordLength: 72,\n  },");
    expect(onlyMax).not.toContain("minPasswordLength");
    expect(planned!.files["web/app/(auth)/sign-up/page.tsx"]).toContain('minLength={8} maxLength={72} required');
  });

  it("the next steps: where to create each OAuth app, its redirect URI and env keys; Apple's client secret and https-only redirect", () => {
    const steps = socialSetupSteps(socialProviders({ socialProviders: "github,apple" }), "https://app.example.com/", "web/.env.local");
    expect(steps[0]).toBe(
      "Sign in with GitHub: create an OAuth app at https://github.com/settings/developers (OAuth Apps), register the redirect URI https://app.example.com/api/auth/callback/github, and set GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET in web/.env.local.",
    );
    expect(steps[1]).toContain("register the redirect URI https://app.example.com/api/auth/callback/apple");
    expect(steps[1]).toMatch(/APPLE_CLIENT_SECRET is a JWT you sign with the Sign in with Apple key .*6 months.*only https redirect URIs/);
    expect(socialProviders({ socialProviders: "none" })).toEqual([]);
    expect(userError(() => socialProviders({ socialProviders: "google,myspace" })).message).toMatch(/"myspace" is not one of google, github/);
  });

  it("Apple: also trusts the origin Apple posts its answer from", () => {
    const auth = plan({ socialProviders: "apple" }).files["web/lib/auth.ts"];
    expect(auth).toContain("    apple: {\n      clientId: process.env.APPLE_CLIENT_ID as string,\n      clientSecret: process.env.APPLE_CLIENT_SECRET as string,\n    },\n  },\n");
    expect(auth).toContain('  trustedOrigins: ["https://appleid.apple.com"],\n');
  });

  it("a Better Auth config of the project's own is not edited for them: a warning gives what it lacks", () => {
    const own = readFileSync(path.join(FIXTURES, "auth-social.ts"), "utf8");
    const { files, tree } = plan({ socialProviders: "google,github", passwordMinLength: "10" }, { "web/lib/auth.ts": own });
    expect(files["web/lib/auth.ts"]).not.toContain("GOOGLE");
    const warning = tree.warningList().find((w) => w.includes("password lengths or social providers"))!;
    expect(warning).toContain("// in emailAndPassword:\nminPasswordLength: 10,");
    expect(warning).toContain("socialProviders: {\n  google: {\n    clientId: process.env.GOOGLE_CLIENT_ID as string,");
    expect(warning).not.toContain("GITHUB");
    removeFixture(planned!.root);
    expect(plan({ socialProviders: "github" }, { "web/lib/auth.ts": own }).tree.warningList().filter((w) => w.includes("social providers"))).toEqual([]);
  });

  it("the proxy/middleware and the user menu go to the answered sign-in and sign-up paths", () => {
    const { files } = plan(CUSTOM, { "web/app/layout.tsx": 'export default function RootLayout({ children }: { children: React.ReactNode }) {\n  return (\n    <html lang="en">\n      <body>{children}</body>\n    </html>\n  );\n}\n' });
    const middleware = files["web/middleware.ts"];
    expect(middleware).toContain('new URL("/login", ');
    expect(middleware).toMatch(/matcher: \["\/\(\(\?!api\/\|login\|auth\/register\|/);
    const links = jsxElements(files["web/components/user-menu.tsx"]).filter((e) => e.tag === "Link");
    expect(links.map((l) => l.attrs.href)).toEqual(["/login", "/auth/register"]);
    expect(files["web/components/user-menu.tsx"]).toContain('router.push("/login");');
  });

  it("lib/auth-redirect.ts falls back to the answered landing page", () => {
    const redirect = plan(CUSTOM).files["web/lib/auth-redirect.ts"];
    expect(redirect).toContain('if (typeof value !== "string" || !value.startsWith("/")) return "/dashboard";');
    expect(redirect).toContain('return callbackPath === "/dashboard" ? page : ');
    expect(redirect).not.toMatch(/return "\/";/);
  });

  it("changes nothing on a second run with the same answers", () => {
    const first = plan(CUSTOM, {}, STYLINGS.shadcn);
    commit(first);
    const again = replan(first.root, CUSTOM, frontendInfo({ styling: STYLINGS.shadcn }));
    expect(again.tree.changes()).toEqual([]);
    expect(again.tree.skippedFiles()).toEqual([]);
    expect(again.tree.unchangedFiles()).toEqual(expect.arrayContaining([SIGN_IN, SIGN_UP, "web/lib/auth-redirect.ts", "web/lib/auth.ts"]));
  });
});

describe("the project's own pages and the answered paths", () => {
  const OWN = "export default function P() { return null; }\n";

  it("keeps the project's own sign-in page at another URL than the one asked for, and warns naming both", () => {
    const { files, tree } = plan({ signInPath: "/auth/signin" }, { "web/app/login/page.tsx": OWN });
    expect(files["web/app/(auth)/auth/signin/page.tsx"]).toBeUndefined();
    expect(tree.warningList().find((w) => w.startsWith("--sign-in-path /auth/signin"))).toMatch(/own sign-in page web\/app\/login\/page\.tsx serves \/login.*none is generated at \/auth\/signin/);
    expect(jsxElements(files["web/app/(auth)/sign-up/page.tsx"]).filter((e) => e.tag === "Link").map((l) => l.attrs.href)).toEqual(['withCallback("/login", callbackPath)']);
  });

  it("says nothing when the path asked for is the project's own page's", () => {
    expect(plan({ signInPath: "/login" }, { "web/app/login/page.tsx": OWN }).tree.warningList().filter((w) => w.includes("--sign-in-path"))).toEqual([]);
  });

  it("refuses a path a page of the project's already serves, and the same path for both pages", () => {
    const root = makeFixture({ "web/app/(app)/account/page.tsx": OWN });
    try {
      expect(userError(() => replan(root, { signInPath: "/account" })).message).toBe("--sign-in-path /account: the project's page web/app/(app)/account/page.tsx already serves that path; choose another one");
      expect(userError(() => replan(root, { signInPath: "/enter", signUpPath: "/enter" })).message).toBe("the sign-in and sign-up pages cannot both be at /enter");
      // Each goes into the generated code as a string: only a plain URL path.
      expect(userError(() => replan(root, { signUpPath: '/x");alert(1);("' })).message).toMatch(/--sign-up-path must be a URL path/);
      expect(userError(() => replan(root, { afterSignInPath: "https://evil.example" })).message).toMatch(/--after-sign-in-path must be a URL path/);
    } finally {
      removeFixture(root);
    }
  });

  it("refuses a shortest password longer than the longest, before planning anything", () => {
    const root = makeFixture({});
    try {
      expect(userError(() => replan(root, { passwordMinLength: "20", passwordMaxLength: "16" })).message).toMatch(/--password-min-length 20 is above --password-max-length 16/);
    } finally {
      removeFixture(root);
    }
  });

  it("detectedAuthPagePaths: the project's own page URLs, else the defaults", () => {
    const root = makeFixture({ "web/app/(auth)/login/page.tsx": OWN });
    try {
      expect(detectedAuthPagePaths(new PlanTree(root), frontendInfo())).toEqual({ signIn: "/login", signUp: "/sign-up" });
    } finally {
      removeFixture(root);
    }
  });
});
