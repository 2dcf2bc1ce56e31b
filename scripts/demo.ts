/**
 * `npm run demo`: the whole story on a scratch copy of examples/todo-monorepo. Runs the compiled
 * generator without prompts, starts the generated Better Auth and FastAPI for real, signs up alice and
 * bob, and shows that each sees only their own tasks and that a request without a token gets 401.
 * Exit 0 when every check passes; everything it started is stopped on success, failure and Ctrl-C.
 *
 * Options (after `npm run demo --`): --secret-mode jwks|shared-secret, --keep (keep the scratch folder),
 * --browser (the same story as a person lives it: `next build`, `next start` and Chromium, a screenshot
 * per step; tests/browser/journey.ts), --headed (with --browser: a visible browser window to watch).
 * AUTH_INTEGRATOR_BIN runs another build of the command; AUTH_INTEGRATOR_PYTHON another Python.
 */
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { useColor } from "../generators/lib/summary.js";
import { ensureVenv } from "../tests/helpers/python.js";
import { decodeToken } from "../tests/e2e/forge.js";
import { apiClient, request, signUp, type ApiCall, type SignedInUser } from "../tests/e2e/http.js";
import { createTask, taskPaths, type TaskJson } from "../tests/e2e/routes.js";
import { copyExample, linkNodeModules, removeScratch, runGenerator } from "../tests/e2e/scratch.js";
import { startStack, type Stack } from "../tests/e2e/stack.js";

const color = useColor(process.stdout);
const paint = (code: number) => (text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
const [green, red, bold, dim] = [paint(32), paint(31), paint(1), paint(2)];

let failures = 0;
let checks = 0;
const say = (line = ""): void => void process.stdout.write(`${line}\n`);
const step = (n: number, title: string) => say(`\n${bold(`${n}. ${title}`)}`);
/** Prints a ✓ or ✗ line and counts it. */
function check(ok: boolean, label: string, detail = ""): boolean {
  checks += 1;
  if (!ok) failures += 1;
  say(`   ${ok ? green("✓") : red("✗")} ${label}${!ok && detail ? `\n       ${red(detail)}` : ""}`);
  return ok;
}

/** Everything to undo, newest first; run once, on success, failure or a signal. */
const cleanups: (() => Promise<void> | void)[] = [];
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const undo of cleanups.reverse()) {
      try {
        await undo();
      } catch (error) {
        say(red(`   cleanup: ${(error as Error).message}`));
      }
    }
  })();
  return cleaning;
}
/** Aborted on Ctrl-C: a stack still starting then stops what it started and rejects. */
const interrupted = new AbortController();
let starting: Promise<unknown> | undefined;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted.signal.aborted) return say(`${signal}: still stopping...`);
    say(`\n${signal}: stopping everything the demo started...`);
    interrupted.abort();
    void (async () => {
      await starting?.catch(() => undefined);
      await cleanup();
      say("Stopped.");
      process.exit(130);
    })();
  });
}

const USAGE = "usage: npm run demo [-- --secret-mode jwks|shared-secret] [--keep] [--browser [--headed]]";

/** The demo's options; exits with 2 and the usage on anything else. */
function demoOptions(): { mode: "jwks" | "shared-secret"; keep: boolean; browser: boolean; headed: boolean } {
  try {
    const { values } = parseArgs({
      options: {
        "secret-mode": { type: "string", default: "jwks" },
        keep: { type: "boolean", default: false },
        browser: { type: "boolean", default: false },
        headed: { type: "boolean", default: false },
      },
    });
    const mode = values["secret-mode"];
    if (mode !== "jwks" && mode !== "shared-secret") throw new Error(`--secret-mode must be jwks or shared-secret, not "${mode}"`);
    if (values.headed && !values.browser) throw new Error("--headed goes with --browser");
    return { mode, keep: values.keep === true, browser: values.browser === true, headed: values.headed === true };
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
}

/** --browser: the journey in Chromium, each step printed with its screenshot. */
async function browserJourney({ mode, keep, headed }: { mode: "jwks" | "shared-secret"; keep: boolean; headed: boolean }): Promise<void> {
  say(bold("auth-integrator demo in a browser: sign-up, sign-in, own tasks, sign-out, token renewal"));
  const shotsDir = path.join(os.tmpdir(), "auth-integrator-demo-screenshots", mode);
  say(dim(`   screenshots: ${shotsDir}`));
  const { runJourney } = await import("../tests/browser/journey.js");
  ensureVenv();
  const result = await runJourney({ secretMode: mode, shotsDir, headed, keep, log: (line) => say(line.startsWith("  ✓") ? `   ${green("✓")}${line.slice(3)}` : dim(`   ${line}`)) });
  checks += result.steps.length;
  check(result.unauthenticatedApiCalls.length === 0, "every API call carried Authorization: Bearer", result.unauthenticatedApiCalls.join(", "));
  check(result.tokenRequestsOnLoad <= 1, `a signed-in page load asked for ${result.tokenRequestsOnLoad} token(s) (at most 1)`);
  if (keep) say(dim(`   kept the scratch copy: ${result.root}`));
  say(dim(`   screenshots of every step: ${shotsDir}`));
}

async function main({ mode, keep, browser, headed }: { mode: "jwks" | "shared-secret"; keep: boolean; browser: boolean; headed: boolean }): Promise<void> {
  if (browser) return browserJourney({ mode, keep, headed });

  say(bold("auth-integrator demo: Better Auth + JWT for a Next.js + FastAPI todo app"));
  const root = copyExample("auth-integrator-demo-");
  if (keep) cleanups.push(() => say(dim(`   kept the scratch copy: ${root}`)));
  else cleanups.push(() => removeScratch(root));
  say(dim(`   scratch copy of examples/todo-monorepo: ${root}`));

  step(1, `Run the generator: auth-integrator auth --cwd <scratch> --yes --secret-mode ${mode}`);
  const generated = await runGenerator(root, ["--yes", "--secret-mode", mode]);
  const summary = `${generated.stdout}${generated.stderr}`.trimEnd();
  say(summary.split("\n").map((line) => dim(`   │ ${line}`)).join("\n"));
  if (!check(generated.code === 0, "the generator finished without prompts", `exit code ${generated.code}`)) return;

  step(2, "Start the generated servers");
  linkNodeModules(path.join(root, "frontend"));
  const python = process.env.AUTH_INTEGRATOR_PYTHON ?? ensureVenv();
  starting = startStack({ root, python, signal: interrupted.signal });
  const stack = (await starting) as Stack;
  cleanups.push(() => stack.stop());
  check(true, `Better Auth (frontend/lib/auth.ts) on ${stack.authUrl}`);
  check(true, `FastAPI (backend/main.py, uvicorn) on ${stack.apiUrl}`);

  step(3, "Sign up two users, get their JWTs from GET /api/auth/token, ask FastAPI who they are");
  const alice = await signUp(stack.authUrl, { name: "Alice", email: "alice@example.com", password: "alice-demo-password" });
  const bob = await signUp(stack.authUrl, { name: "Bob", email: "bob@example.com", password: "bob-demo-password" });
  for (const user of [alice, bob]) {
    const { header, payload } = decodeToken(user.token);
    const minutes = Math.round(((payload.exp ?? 0) - (payload.iat ?? 0)) / 60);
    check(payload.sub === user.id, `${user.email} signed up; JWT ${String(header.alg)}, sub = ${user.id}, valid ${minutes} min`);
  }

  const call = apiClient(stack.apiUrl);
  const me = await call("GET", "/api/me", alice.token);
  const who = me.json as { id?: string; email?: string } | null;
  check(me.status === 200 && who?.id === alice.id, `alice: GET /api/me → ${me.status} ${me.text}`, "expected 200 with alice's id");
  step(4, "Each user creates tasks with their token");
  await createAs(call, alice, ["Buy milk", "Write the report"]);
  await createAs(call, bob, ["Fix the bike"]);

  step(5, "Each user lists only their own tasks (GET /api/tasks)");
  const aliceTitles = await listTitles(call, alice);
  const bobTitles = await listTitles(call, bob);
  check(sameSet(aliceTitles, ["Buy milk", "Write the report"]), `alice sees: ${aliceTitles.join(", ")}`, "expected only alice's two tasks");
  check(sameSet(bobTitles, ["Fix the bike"]), `bob sees: ${bobTitles.join(", ")}`, "expected only bob's task");

  step(6, "Nobody gets at another user's task");
  const aliceTask = ((await call("GET", taskPaths("flat", "").list, alice.token)).json as TaskJson[])[0];
  const peek = await call("GET", taskPaths("flat", "").one(aliceTask.id), bob.token);
  check(peek.status === 404, `bob: GET /api/tasks/${aliceTask.id} (alice's) → ${peek.status}`, "expected 404");
  const erase = await call("DELETE", taskPaths("flat", "").one(aliceTask.id), bob.token);
  check(erase.status === 404, `bob: DELETE /api/tasks/${aliceTask.id} (alice's) → ${erase.status}`, "expected 404");

  step(7, "Requests without a valid token are refused");
  const anonymous = await request(`${stack.apiUrl}/api/tasks`);
  const challenge = anonymous.headers.get("www-authenticate") ?? "none";
  check(anonymous.status === 401, `GET /api/tasks without a token → ${anonymous.status} (WWW-Authenticate: ${challenge})`, "expected 401");
  const forged = await call("GET", "/api/tasks", `${alice.token.slice(0, -4)}AAAA`);
  check(forged.status === 401, `GET /api/tasks with a tampered signature → ${forged.status}`, "expected 401");
}

async function createAs(call: ApiCall, user: SignedInUser, titles: string[]): Promise<void> {
  for (const title of titles) {
    const task = await createTask(call, "flat", user.id, user.token, title);
    check(task.user_id === user.id, `${user.name.toLowerCase()}: POST /api/tasks "${title}" → task #${task.id}, owner ${task.user_id}`);
  }
}

async function listTitles(call: ApiCall, user: SignedInUser): Promise<string[]> {
  const response = await call("GET", taskPaths("flat", "").list, user.token);
  if (response.status !== 200) throw new Error(`GET /api/tasks as ${user.email} answered ${response.status}: ${response.text}`);
  return (response.json as TaskJson[]).map((task) => task.title);
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join("\n") === [...b].sort().join("\n");

try {
  await main(demoOptions());
} catch (error) {
  if (!interrupted.signal.aborted) {
    failures += 1;
    say(`\n   ${red("✗")} ${red((error as Error).message)}`);
  }
}
// After Ctrl-C the signal handler cleans up and exits with 130.
if (!interrupted.signal.aborted) {
  say(`\n${dim("Stopping the servers and removing the scratch copy...")}`);
  await cleanup();
  if (failures === 0) say(green(bold(`\nAll ${checks} checks passed.`)));
  else say(red(bold(`\n${failures} of ${checks} checks failed.`)));
  process.exitCode = failures === 0 ? 0 : 1;
}
