/**
 * The browser journey on a second fixture, tests/browser/fixtures/next15-src-no-cors: a Next.js 15
 * frontend (`web/`, App Router in a `src/` layout, `@/*` → `./src/*`, a task page that calls the API with
 * plain fetch and NEXT_PUBLIC_API_URL) and a FastAPI backend (`api/`) with no CORS policy, no Task model
 * and no session. Generated, built with Next.js 15's own `next build` (webpack), served with `next start`,
 * the generated FastAPI under uvicorn, Chromium driven by playwright-core.
 *
 * Next.js 15 comes from this package's `next15` devDependency (`npm:next@^15`), hard-linked into the
 * copy as `web/node_modules/next`: a symlink is not enough, because Next requires its own files as
 * `next/dist/...`, which from the symlink's real path would find this package's Next.js 16.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { REPO_ROOT, VENV_PYTHON } from "../helpers/python.js";
import { startProcess, waitForHttp, type ChildHandle } from "../e2e/processes.js";
import { readDotenv, removeScratch, runCommand, runGenerator } from "../e2e/scratch.js";
import { CHROMIUM, CHROMIUM_FLAGS, freePort, frontendEnv } from "./journey.js";

export const FIXTURE_NAME = "next15-src-no-cors";
export const FIXTURE_DIR = path.join(REPO_ROOT, "tests", "browser", "fixtures", FIXTURE_NAME);
const NEXT15 = path.join(REPO_ROOT, "node_modules", "next15");
const PASSWORD = "correct-horse-battery-staple";

export interface Next15JourneyOptions {
  /** Where the screenshots go (emptied first). */
  shotsDir: string;
  log?: (line: string) => void;
  keep?: boolean;
}

export interface Next15JourneyResult {
  root: string;
  /** The Next.js version that built the app (read from the copy's web/node_modules/next). */
  nextVersion: string;
  /** The protection file the generator wrote, relative to the copy. */
  protectionFile: string;
  steps: { name: string; screenshot: string; ms: number }[];
  /** CORS preflights the API answered, from its access log ("OPTIONS /api/tasks 200"). */
  preflights: string[];
  timings: { setupMs: number; generateMs: number; buildMs: number; journeyMs: number; totalMs: number };
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`next15 journey: ${message}`);
}

/** The fixture in a new folder under <repo>/.tmp (see journey.ts: the repo's node_modules resolve from there). */
function copyFixture(): string {
  const parent = path.join(REPO_ROOT, ".tmp");
  mkdirSync(parent, { recursive: true });
  const root = mkdtempSync(path.join(parent, `${FIXTURE_NAME}-`));
  const leftovers = /(^|\/)(node_modules|\.next|__pycache__|\.pytest_cache)(\/|$)|\.db$|(^|\/)\.env(\.local)?$|next-env\.d\.ts$/;
  cpSync(FIXTURE_DIR, root, { recursive: true, filter: (source) => !leftovers.test(path.relative(FIXTURE_DIR, source).split(path.sep).join("/")) });
  return root;
}

/** Next.js 15 as the frontend's own `node_modules/next`: hard links (instant, no space), a copy where they fail. */
function installNext15(frontendDir: string): void {
  check(existsSync(path.join(NEXT15, "package.json")), `${NEXT15} is missing: npm ci installs the next15 devDependency`);
  const target = path.join(frontendDir, "node_modules", "next");
  mkdirSync(path.dirname(target), { recursive: true });
  try {
    execFileSync("cp", ["-al", NEXT15, target], { stdio: "pipe" });
  } catch {
    rmSync(target, { recursive: true, force: true });
    cpSync(NEXT15, target, { recursive: true, verbatimSymlinks: true });
  }
}

/** The Location of a GET sent with the given Host header (Node's fetch does not let a Host header through). */
function redirectFor(url: string, host: string): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { host } }, (res) => {
      res.resume();
      resolve(res.headers.location ?? null);
    });
    req.on("error", reject);
    req.end();
  });
}

export async function runNext15Journey(options: Next15JourneyOptions): Promise<Next15JourneyResult> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const root = copyFixture();
  const webDir = path.join(root, "web");
  const apiDir = path.join(root, "api");
  installNext15(webDir);
  const nextBin = path.join(webDir, "node_modules", "next", "dist", "bin", "next");
  const nextVersion = (JSON.parse(readFileSync(path.join(webDir, "node_modules", "next", "package.json"), "utf8")) as { version: string }).version;
  check(nextVersion.startsWith("15."), `the fixture's next is ${nextVersion}, not 15.x`);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "auth-integrator-next15-db-"));
  rmSync(options.shotsDir, { recursive: true, force: true });
  mkdirSync(options.shotsDir, { recursive: true });
  const children: ChildHandle[] = [];
  let browser: Browser | undefined;
  const steps: Next15JourneyResult["steps"] = [];
  const browserLog: string[] = [];
  const output = () => [...children.map((c) => `--- ${c.name} ---\n${c.output()}`), `--- the browser ---\n${browserLog.slice(-60).join("\n")}`].join("\n");
  try {
    const webPort = await freePort();
    const apiPort = await freePort();
    // The visitor's origin is localhost, the server is bound to 127.0.0.1 (as behind a local proxy): Next.js
    // 15 rewrites a middleware redirect to a loopback IP into one to localhost whatever the code does, so a
    // browser at http://127.0.0.1:<port> would be sent to another origin (its cookies and CORS then differ).
    const origin = `http://localhost:${webPort}`;
    const apiUrl = `http://127.0.0.1:${apiPort}`;
    const mainPy = path.join(apiDir, "main.py");
    check(!readFileSync(mainPy, "utf8").includes("CORSMiddleware"), "the fixture's api/main.py already has a CORS policy");
    const setupMs = Date.now() - started;

    const generated = await runGenerator(root, ["--yes", "--auth-url", origin, "--api-url", apiUrl]);
    check(generated.code === 0, `the generator exited ${generated.code}:\n${generated.stdout}\n${generated.stderr}`);
    const generateMs = Date.now() - started - setupMs;
    log(`generated into ${root} (Next.js ${nextVersion} in web/node_modules/next)`);

    // Next.js 15 in a src/ layout: middleware.ts beside src/app, and never a proxy.ts (16's name) or a second file.
    const protectionFile = "web/src/middleware.ts";
    check(existsSync(path.join(root, protectionFile)), `no ${protectionFile}:\n${generated.stdout}`);
    for (const wrong of ["web/src/proxy.ts", "web/proxy.ts", "web/middleware.ts"]) check(!existsSync(path.join(root, wrong)), `${wrong} was generated as well`);
    check(/export function middleware\(/.test(readFileSync(path.join(root, protectionFile), "utf8")), `${protectionFile} does not export middleware()`);
    for (const file of ["src/lib/auth.ts", "src/lib/api.ts", "src/app/api/auth/[...all]/route.ts", "src/app/(auth)/sign-in/page.tsx", "src/app/(auth)/sign-up/page.tsx"]) {
      check(existsSync(path.join(webDir, file)), `web/${file} was not generated in the src/ layout`);
    }
    // The backend had no CORS policy: it has one now, for the frontend's origin and the Authorization header.
    const main = readFileSync(mainPy, "utf8");
    check(/app\.add_middleware\(\s*CORSMiddleware/.test(main) && /allow_headers=\[[^\]]*"Authorization"/.test(main), `api/main.py has no CORS policy allowing Authorization:\n${main}`);
    log(`${protectionFile} (not proxy.ts), CORSMiddleware added to api/main.py`);

    const env = frontendEnv({ ...readDotenv(path.join(webDir, ".env.local")), BETTER_AUTH_URL: origin, NEXT_PUBLIC_API_URL: apiUrl });
    const migrate = await runCommand("npm", ["run", "auth:migrate"], { cwd: webDir, env, timeoutMs: 60_000 });
    check(migrate.code === 0, `auth:migrate failed:\n${migrate.stdout}\n${migrate.stderr}`);
    const buildStarted = Date.now();
    const build = await runCommand(process.execPath, [nextBin, "build"], { cwd: webDir, env, timeoutMs: 180_000 });
    check(build.code === 0, `next build failed:\n${build.stdout}\n${build.stderr}`);
    check(/Next\.js 15\./.test(build.stdout), `the build was not Next.js 15:\n${build.stdout.slice(0, 400)}`);
    check(/Middleware/.test(build.stdout), `next build did not compile the middleware:\n${build.stdout}`);
    const buildMs = Date.now() - buildStarted;
    log(`next build (Next.js ${nextVersion}, webpack): ${(buildMs / 1000).toFixed(1)} s`);

    const web = startProcess({ name: "next start", command: process.execPath, args: [nextBin, "start", "-H", "127.0.0.1", "-p", String(webPort)], cwd: webDir, env });
    children.push(web);
    await waitForHttp(`${origin}/api/auth/ok`, web, 30_000);
    // Behind a proxy for another host, the signed-out redirect stays on that host (the Host header), not on
    // the address Next.js 15 gives middleware in request.url (http://localhost:<port>).
    const proxied = await redirectFor(`http://127.0.0.1:${webPort}/tasks`, "planner.example");
    check(proxied === "http://planner.example/sign-in?callbackUrl=%2Ftasks", `a signed-out GET /tasks for Host planner.example redirects to ${proxied}`);
    const python = process.env.AUTH_INTEGRATOR_PYTHON ?? VENV_PYTHON;
    // With its access log: the preflights the browser sends show up there (Chromium makes them outside the page).
    const api = startProcess({
      name: "FastAPI (uvicorn)",
      command: python,
      args: ["-m", "uvicorn", "main:app", "--host", "127.0.0.1", "--port", String(apiPort)],
      cwd: apiDir,
      env: {
        ...process.env,
        ...readDotenv(path.join(apiDir, ".env")),
        BETTER_AUTH_URL: origin,
        DATABASE_URL: `sqlite:///${path.join(dataDir, "tasks.db")}`,
        PYTHONDONTWRITEBYTECODE: "1",
        PYTHONUNBUFFERED: "1",
      },
    });
    children.push(api);
    await api.waitForLine(/Uvicorn running on http:\/\/127\.0\.0\.1:\d+/, 30_000);
    await waitForHttp(`${apiUrl}/openapi.json`, api, 10_000);
    log(`next start on ${origin}, FastAPI on ${apiUrl}`);

    const { chromium } = await import("playwright-core");
    check(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
    const journeyStarted = Date.now();
    const corsProblems: string[] = [];
    const unauthenticated: string[] = [];
    const watch = (context: BrowserContext) => {
      context.on("console", (message) => {
        const text = message.text();
        if (message.type() === "error" || message.type() === "warning") browserLog.push(`console.${message.type()}: ${text}`);
        if (/CORS|Access-Control-Allow/i.test(text)) corsProblems.push(text);
      });
      context.on("requestfailed", (request) => {
        browserLog.push(`failed: ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ""}`);
        if (request.url().startsWith(apiUrl)) corsProblems.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText ?? "failed"}`);
      });
      context.on("response", (response) => {
        const url = response.url();
        if (url.startsWith(apiUrl) || (url.startsWith(origin) && !url.includes("/_next/static/"))) browserLog.push(`${response.status()} ${response.request().method()} ${url}`);
      });
      context.on("request", (request) => {
        if (!request.url().startsWith(apiUrl) || request.method() === "OPTIONS") return;
        void request.allHeaders().then((headers) => {
          if (!/^Bearer \S+/.test(headers.authorization ?? "")) unauthenticated.push(`${request.method()} ${request.url()}`);
        });
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
    const atPath = (page: Page, pathname: string) => page.waitForURL((url) => url.pathname === pathname, { timeout: 15_000 });
    /** Resolves once the page's own GET of the task list has succeeded (start it before the action that loads). */
    const tasksLoaded = (page: Page) => {
      const loaded = page.waitForResponse((r) => r.url() === `${apiUrl}/api/tasks` && r.request().method() === "GET" && r.status() === 200, { timeout: 20_000 });
      loaded.catch(() => {}); // awaited later; a failure before then is reported by the step that fails
      return loaded;
    };
    const shownTasks = async (page: Page) => (await page.locator("main ol li").allInnerTexts()).map((t) => t.trim());
    const noErrorShown = async (page: Page) => {
      const alerts = (await page.locator('main [role="alert"]').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
      check(alerts.length === 0, `the page shows: ${alerts.join(" / ")}`);
    };
    const signUp = async (page: Page, name: string, email: string) => {
      await page.getByLabel("Name").fill(name);
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(PASSWORD);
      await page.getByRole("button", { name: "Sign up" }).click();
    };

    // Signed out: the public home page stays open, the task page (the one calling the API) redirects.
    const alice = await newPage();
    await alice.goto(`${origin}/`);
    await alice.getByRole("heading", { name: "Planner" }).waitFor({ timeout: 15_000 });
    check(new URL(alice.url()).pathname === "/", `the public home page redirected to ${alice.url()}`);
    await alice.goto(`${origin}/tasks`);
    await atPath(alice, "/sign-in");
    check(new URL(alice.url()).searchParams.get("callbackUrl") === "/tasks", `the redirect has no callbackUrl=/tasks: ${alice.url()}`);
    await alice.getByRole("button", { name: "Sign in" }).waitFor();
    await shot(alice, "signed out, /tasks redirects to sign-in with callbackUrl");

    // alice follows the page's own "Sign up" link (it keeps the callback), signs up, and lands on /tasks.
    await alice.locator("main").getByRole("link", { name: "Sign up" }).click();
    await atPath(alice, "/sign-up");
    check(new URL(alice.url()).searchParams.get("callbackUrl") === "/tasks", `the sign-up link lost the callbackUrl: ${alice.url()}`);
    let loaded = tasksLoaded(alice);
    await signUp(alice, "Alice", "alice@example.com");
    await atPath(alice, "/tasks");
    await loaded;
    await alice.getByText("Nothing to do.").waitFor({ timeout: 15_000 });
    await alice.getByRole("button", { name: "Sign out" }).waitFor({ timeout: 15_000 });
    await noErrorShown(alice);
    await shot(alice, "alice signed up, back on tasks");

    // A POST with Authorization and a JSON body: the browser preflights it, and the generated policy lets it through.
    const saved = alice.waitForResponse((r) => r.url() === `${apiUrl}/api/tasks` && r.request().method() === "POST", { timeout: 15_000 });
    await alice.getByLabel("New task").fill("Water the plants");
    await alice.getByRole("button", { name: "Save task" }).click();
    const post = await saved;
    check(post.ok(), `POST /api/tasks answered ${post.status()}`);
    await alice.locator("main ol li", { hasText: "Water the plants" }).waitFor({ timeout: 15_000 });
    check(JSON.stringify(await shownTasks(alice)) === JSON.stringify(["Water the plants"]), `alice's list: ${JSON.stringify(await shownTasks(alice))}`);
    await noErrorShown(alice);
    await shot(alice, "alice added a task through the new CORS policy");

    // bob, in his own browser context: redirected too, signs up, sees none of alice's tasks.
    const bob = await newPage();
    await bob.goto(`${origin}/tasks`);
    await atPath(bob, "/sign-in");
    await bob.goto(`${origin}/sign-up?callbackUrl=%2Ftasks`);
    loaded = tasksLoaded(bob);
    await signUp(bob, "Bob", "bob@example.com");
    await atPath(bob, "/tasks");
    const bobsList = await (await loaded).json();
    check(Array.isArray(bobsList) && bobsList.length === 0, `the API gave bob ${JSON.stringify(bobsList)}`);
    await bob.getByText("Nothing to do.").waitFor({ timeout: 15_000 });
    check((await shownTasks(bob)).length === 0, `bob sees ${JSON.stringify(await shownTasks(bob))}`);
    check(!(await bob.getByText("Water the plants").isVisible()), "bob sees alice's task");
    await shot(bob, "bob signed up: none of alice's tasks");

    // alice signs out: back at sign-in, and /tasks redirects her again.
    await alice.getByRole("button", { name: "Sign out" }).click();
    await atPath(alice, "/sign-in");
    await shot(alice, "alice signed out, back at sign-in");
    await alice.goto(`${origin}/tasks`);
    await atPath(alice, "/sign-in");
    check(new URL(alice.url()).searchParams.get("callbackUrl") === "/tasks", `after sign-out, /tasks went to ${alice.url()}`);

    const preflights = api
      .output()
      .split("\n")
      .map((line) => /"OPTIONS (\S+) HTTP\/[\d.]+" (\d{3})/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => `OPTIONS ${m[1]} ${m[2]}`);
    check(preflights.some((p) => p === "OPTIONS /api/tasks 200"), `no allowed preflight of /api/tasks in the API's log: ${JSON.stringify(preflights)}\n${api.output()}`);
    check(preflights.every((p) => p.endsWith(" 200")), `a preflight was refused: ${preflights.join(", ")}`);
    check(corsProblems.length === 0, `CORS failures in the browser: ${corsProblems.join(" / ")}`);
    check(unauthenticated.length === 0, `API calls without Authorization: ${unauthenticated.join(", ")}`);
    const journeyMs = Date.now() - journeyStarted;
    return { root, nextVersion, protectionFile, steps, preflights, timings: { setupMs, generateMs, buildMs, journeyMs, totalMs: Date.now() - started } };
  } catch (error) {
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
