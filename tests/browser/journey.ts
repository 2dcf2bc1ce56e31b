/**
 * The browser journey on the bundled example: generate auth into a copy, `next build` + `next start`
 * it, run the generated FastAPI under uvicorn, and drive Debian's Chromium through what a person does:
 * a protected page sends them to sign-in, alice signs up, adds two tasks, reloads, signs out; bob signs
 * up elsewhere and sees none of hers; alice signs in again and sees only hers; a token that expires
 * mid-session is renewed unnoticed. A screenshot of every step goes to `shotsDir`.
 *
 * Used by tests/browser/journey.test.ts and by `npm run demo -- --browser`.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page, Request } from "playwright-core";
import { REPO_ROOT, VENV_PYTHON } from "../helpers/python.js";
import { sleep, startProcess, waitForHttp, withoutTsxImport, type ChildHandle } from "../e2e/processes.js";
import { copyExample, readDotenv, removeScratch, runCommand, runGenerator } from "../e2e/scratch.js";

export const CHROMIUM = process.env.AUTH_INTEGRATOR_CHROMIUM ?? "/usr/bin/chromium";
export const CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const NEXT_BIN = path.join(REPO_ROOT, "node_modules", "next", "dist", "bin", "next");
const PASSWORD = "correct-horse-battery-staple";

export interface JourneyOptions {
  secretMode: "jwks" | "shared-secret";
  /** Token lifetime in seconds: short, so one expires during the journey. */
  tokenTtlSeconds?: number;
  /** Where the screenshots go (emptied first). */
  shotsDir: string;
  headed?: boolean;
  /** Each step as it happens. */
  log?: (line: string) => void;
  /** Keep the scratch copy (its path is in the result). */
  keep?: boolean;
}

export interface JourneyStep {
  name: string;
  screenshot: string;
  ms: number;
}

export interface JourneyResult {
  root: string;
  steps: JourneyStep[];
  /** GET /api/auth/token requests made while loading the task page signed in (target: at most 1). */
  tokenRequestsOnLoad: number;
  /** API requests (not preflights) sent without Authorization. */
  unauthenticatedApiCalls: string[];
  /** Token requests during the journey: more than one means a token was renewed. */
  tokenRequests: number;
  timings: { generateMs: number; buildMs: number; journeyMs: number };
}

/** A free loopback port (Next must know its origin before it starts: BETTER_AUTH_URL and the API's CORS use it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** The environment for the frontend's commands: no vitest NODE_ENV (Next sets its own), no tsx import. */
export function frontendEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...withoutTsxImport(process.env), NEXT_TELEMETRY_DISABLED: "1", ...extra };
  delete env.NODE_ENV;
  delete env.VITEST;
  return env;
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`journey: ${message}`);
}

export async function runJourney(options: JourneyOptions): Promise<JourneyResult> {
  const log = options.log ?? (() => {});
  const ttl = options.tokenTtlSeconds ?? 20;
  const started = Date.now();
  // Inside the repository (.tmp/ is ignored by git): Next's Turbopack only compiles files under the
  // workspace root, which it finds by this repository's lockfile, so the frontend resolves next,
  // react and better-auth from this package's node_modules without a copy or a symlink.
  const scratchParent = path.join(REPO_ROOT, ".tmp");
  mkdirSync(scratchParent, { recursive: true });
  const root = copyExample("browser-", scratchParent);
  const frontendDir = path.join(root, "frontend");
  const backendDir = path.join(root, "backend");
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "auth-integrator-journey-db-"));
  rmSync(options.shotsDir, { recursive: true, force: true });
  mkdirSync(options.shotsDir, { recursive: true });
  const children: ChildHandle[] = [];
  let browser: Browser | undefined;
  const steps: JourneyStep[] = [];
  const browserLog: string[] = [];
  const output = () => [...children.map((c) => `--- ${c.name} ---\n${c.output()}`), `--- the browser ---\n${browserLog.slice(-60).join("\n")}`].join("\n");
  try {
    // Both origins are fixed before the run, as a user answers them (--auth-url, --api-url): the API's
    // CORS policy gets the frontend's origin, and NEXT_PUBLIC_API_URL is inlined by `next build`.
    const webPort = await freePort();
    const apiPort = await freePort();
    const origin = `http://127.0.0.1:${webPort}`;
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const generated = await runGenerator(root, ["--yes", "--secret-mode", options.secretMode, "--token-ttl", `${ttl}s`, "--auth-url", origin, "--api-url", apiUrl]);
    check(generated.code === 0, `the generator exited ${generated.code}:\n${generated.stdout}\n${generated.stderr}`);
    const generateMs = Date.now() - started;
    log(`generated (${options.secretMode}, token lifetime ${ttl}s) into ${root}`);

    const python = process.env.AUTH_INTEGRATOR_PYTHON ?? VENV_PYTHON;
    const env = frontendEnv({ ...readDotenv(path.join(frontendDir, ".env.local")), BETTER_AUTH_URL: origin, NEXT_PUBLIC_API_URL: apiUrl });
    const migrate = await runCommand("npm", ["run", "auth:migrate"], { cwd: frontendDir, env, timeoutMs: 60_000 });
    check(migrate.code === 0, `auth:migrate failed:\n${migrate.stdout}\n${migrate.stderr}`);
    log("auth:migrate created Better Auth's tables");
    const buildStarted = Date.now();
    const build = await runCommand(process.execPath, [NEXT_BIN, "build"], { cwd: frontendDir, env, timeoutMs: 240_000 });
    check(build.code === 0, `next build failed:\n${build.stdout}\n${build.stderr}`);
    const buildMs = Date.now() - buildStarted;
    log(`next build: ${(buildMs / 1000).toFixed(1)} s`);
    const web = startProcess({ name: "next start", command: process.execPath, args: [NEXT_BIN, "start", "-H", "127.0.0.1", "-p", String(webPort)], cwd: frontendDir, env });
    children.push(web);
    await waitForHttp(`${origin}/api/auth/ok`, web, 30_000);
    log(`next start on ${origin}`);
    const api = startProcess({
      name: "FastAPI (uvicorn)",
      command: python,
      args: ["-m", "uvicorn", "main:app", "--host", "127.0.0.1", "--port", String(apiPort), "--no-access-log"],
      cwd: backendDir,
      env: {
        ...process.env,
        ...readDotenv(path.join(backendDir, ".env")),
        BETTER_AUTH_URL: origin,
        DATABASE_URL: `sqlite:///${path.join(dataDir, "tasks.db")}`,
        PYTHONDONTWRITEBYTECODE: "1",
        PYTHONUNBUFFERED: "1",
      },
    });
    children.push(api);
    await api.waitForLine(/Uvicorn running on http:\/\/127\.0\.0\.1:\d+/, 30_000);
    await waitForHttp(`${apiUrl}/openapi.json`, api, 10_000);
    log(`FastAPI on ${apiUrl}`);

    const { chromium } = await import("playwright-core");
    check(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: !options.headed });
    const journeyStarted = Date.now();
    const unauthenticated: string[] = [];
    let tokenRequests = 0;
    const watch = (context: BrowserContext) => {
      context.on("console", (message) => {
        if (message.type() === "error" || message.type() === "warning") browserLog.push(`console.${message.type()}: ${message.text()}`);
      });
      context.on("requestfailed", (request) => browserLog.push(`failed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ""}`));
      context.on("response", (response) => {
        const url = response.url();
        if (url.startsWith(apiUrl) || url.includes("/api/auth/")) browserLog.push(`${response.status()} ${response.request().method()} ${url}`);
      });
      context.on("request", (request: Request) => {
        const url = request.url();
        if (url.startsWith(`${origin}/api/auth/token`)) tokenRequests++;
        if (url.startsWith(apiUrl) && request.method() !== "OPTIONS") {
          void request.allHeaders().then((headers) => {
            if (!/^Bearer \S+/.test(headers.authorization ?? "")) unauthenticated.push(`${request.method()} ${url}`);
          });
        }
      });
    };
    const newPage = async () => {
      const context = await browser!.newContext({ viewport: { width: 900, height: 640 } });
      watch(context);
      return context.newPage();
    };
    let stepStarted = Date.now();
    const shot = async (page: Page, name: string) => {
      const file = path.join(options.shotsDir, `${String(steps.length + 1).padStart(2, "0")}-${name.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}.png`);
      await page.screenshot({ path: file });
      steps.push({ name, screenshot: file, ms: Date.now() - stepStarted });
      log(`  ✓ ${name}  (${file})`);
      stepStarted = Date.now();
    };
    const taskItems = (page: Page) => page.locator("main li");
    /** Resolves once the page's own GET of the task list has succeeded (start it before the action that loads). */
    const tasksLoaded = (page: Page) =>
      page.waitForResponse((r) => r.url() === `${apiUrl}/api/tasks` && r.request().method() === "GET" && r.status() === 200, { timeout: 20_000 });
    const expectTasks = async (page: Page, titles: string[]) => {
      for (const title of titles) await page.getByText(title, { exact: true }).waitFor({ timeout: 15_000 });
      await page.waitForFunction((n) => document.querySelectorAll("main li").length === n, titles.length, { timeout: 10_000 });
      const shown = await taskItems(page).allInnerTexts();
      check(shown.map((t) => t.trim()).sort().join("|") === [...titles].sort().join("|"), `the task list shows ${JSON.stringify(shown)}, expected ${JSON.stringify(titles)}`);
      await noErrorShown(page);
    };
    const noErrorShown = async (page: Page) => {
      const alerts = (await page.locator('[role="alert"]').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
      check(!alerts.some((t) => /could not|failed|error/i.test(t)), `the page shows an error: ${alerts.join(" / ")}`);
    };
    const addTask = async (page: Page, title: string) => {
      await page.getByPlaceholder("What needs doing?").fill(title);
      await page.getByRole("button", { name: "Add" }).click();
      await page.getByText(title, { exact: true }).waitFor({ timeout: 15_000 });
    };
    const signUp = async (page: Page, name: string, email: string) => {
      await page.getByLabel("Name").fill(name);
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Sign up" }).click();
    };
    const signIn = async (page: Page, email: string) => {
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
    };
    const atPath = (page: Page, pathname: string) => page.waitForURL((url) => url.pathname === pathname, { timeout: 15_000 });
    const hasProxy = ["proxy.ts", "middleware.ts"].some((file) => existsSync(path.join(frontendDir, file)));

    // alice: a protected page sends her to sign-in, then she signs up from there.
    const alice = await newPage();
    await alice.goto(`${origin}/`);
    if (hasProxy) {
      await atPath(alice, "/sign-in");
      check(new URL(alice.url()).searchParams.get("callbackUrl") === "/", `the redirect has no callbackUrl=/: ${alice.url()}`);
      await shot(alice, "signed out, the task page redirects to sign-in");
    } else {
      log("  (no proxy.ts or middleware.ts was generated: the redirect step is skipped)");
    }
    await alice.goto(`${origin}/sign-up?callbackUrl=%2F`);
    await alice.getByRole("button", { name: "Sign up" }).waitFor();
    await shot(alice, "sign-up page");
    let loaded = tasksLoaded(alice);
    await signUp(alice, "Alice", "alice@example.com");
    await atPath(alice, "/");
    await loaded;
    await alice.getByRole("button", { name: "Sign out" }).waitFor({ timeout: 15_000 });
    await expectTasks(alice, []);
    await shot(alice, "alice signed up, her empty task list");

    await addTask(alice, "Buy milk");
    await addTask(alice, "Walk the dog");
    await expectTasks(alice, ["Buy milk", "Walk the dog"]);
    await shot(alice, "alice added two tasks");

    const tokensBefore = tokenRequests;
    loaded = tasksLoaded(alice);
    await alice.reload();
    await loaded;
    await expectTasks(alice, ["Buy milk", "Walk the dog"]);
    const tokenRequestsOnLoad = tokenRequests - tokensBefore;
    check(await alice.getByText(/alice/i).first().isVisible(), "the user menu does not name alice after a reload");
    await shot(alice, "after a reload, still signed in with her tasks");

    await alice.getByRole("button", { name: "Sign out" }).click();
    await atPath(alice, "/sign-in");
    await shot(alice, "alice signed out, back at sign-in");
    if (hasProxy) {
      await alice.goto(`${origin}/`);
      await atPath(alice, "/sign-in");
    }

    // bob, in a browser context of his own.
    const bob = await newPage();
    await bob.goto(`${origin}/sign-up`);
    loaded = tasksLoaded(bob);
    await signUp(bob, "Bob", "bob@example.com");
    await atPath(bob, "/");
    await loaded;
    await bob.getByRole("button", { name: "Sign out" }).waitFor({ timeout: 15_000 });
    await expectTasks(bob, []);
    await addTask(bob, "Bob's own task");
    await expectTasks(bob, ["Bob's own task"]);
    await shot(bob, "bob signed up: none of alice's tasks, one of his own");

    // alice again: through the sign-in page, back to where she was going.
    await alice.goto(`${origin}/sign-in?callbackUrl=%2F`);
    loaded = tasksLoaded(alice);
    await signIn(alice, "alice@example.com");
    await atPath(alice, "/");
    await loaded;
    await expectTasks(alice, ["Buy milk", "Walk the dog"]);
    await shot(alice, "alice signed in again: only her tasks");

    // Her token expires while she stays on the page; her next action just works.
    const tokensBeforeExpiry = tokenRequests;
    await sleep((ttl + 2) * 1000);
    await addTask(alice, "Added after the token expired");
    await expectTasks(alice, ["Buy milk", "Walk the dog", "Added after the token expired"]);
    check(tokenRequests > tokensBeforeExpiry, "no new token was requested after the old one expired");
    await shot(alice, "token expired mid-session, renewed unnoticed");

    // The project's own error display still works through apiResponse: an API failure shows its status.
    await bob.route(`${apiUrl}/api/tasks`, (route) =>
      route.request().method() === "GET"
        ? route.fulfill({ status: 503, contentType: "application/json", body: '{"detail":"down"}', headers: { "access-control-allow-origin": origin, "access-control-allow-credentials": "true" } })
        : route.fallback(),
    );
    await bob.reload();
    await bob.getByText("Could not load tasks (503)").waitFor({ timeout: 15_000 });
    await shot(bob, "the page's own error message when the API fails");
    await bob.unroute(`${apiUrl}/api/tasks`);

    check(unauthenticated.length === 0, `API calls without Authorization: ${unauthenticated.join(", ")}`);
    return { root, steps, tokenRequestsOnLoad, unauthenticatedApiCalls: unauthenticated, tokenRequests, timings: { generateMs, buildMs, journeyMs: Date.now() - journeyStarted } };
  } catch (error) {
    // What the person saw when it went wrong.
    for (const [i, context] of (browser?.contexts() ?? []).entries()) {
      for (const page of context.pages()) {
        const file = path.join(options.shotsDir, `failure-${i + 1}.png`);
        await page.screenshot({ path: file }).catch(() => {});
        (error as Error).message += `\n(screenshot of ${page.url()}: ${file})`;
      }
    }
    (error as Error).message += `\n${output()}`;
    throw error;
  } finally {
    await browser?.close().catch(() => {});
    await Promise.allSettled(children.reverse().map((c) => c.stop()));
    rmSync(dataDir, { recursive: true, force: true });
    if (!options.keep) removeScratch(root);
  }
}
