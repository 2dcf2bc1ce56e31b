import path from "node:path";
import { ANSWER_SCHEMA, answerHelpLines } from "../auth/schema.js";

/** The bin's parsed flags: strings and booleans by option name. */
export type CommandValues = Record<string, string | boolean | undefined>;

/** One parseArgs option: a string or a boolean flag, optionally with a one-letter alias. */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
}

/** One subcommand of the bin: its options, its help, and how it runs (modules loaded inside run, lazily). */
export interface CommandSpec {
  name: string;
  /** The usage line after "auth-integrator ". */
  usage: string;
  /** What the command does, for the Commands section of --help (first line short; more lines indented). */
  summary: string[];
  /** The options this command accepts (besides --help and --version). */
  options: Record<string, OptionSpec>;
  /** Runs the command; returns the exit status. */
  run: (values: CommandValues) => Promise<number>;
}

/** A string flag's value, or undefined. */
export const text = (values: CommandValues, name: string): string | undefined => (typeof values[name] === "string" ? (values[name] as string) : undefined);

/** The monorepo root from --cwd (default: the current folder). */
export const rootOf = (values: CommandValues): string => path.resolve(text(values, "cwd") ?? process.cwd());

const AUTH: CommandSpec = {
  name: "auth",
  usage: "auth [options]",
  summary: ["add authentication (the options below)"],
  options: {
    ...Object.fromEntries(ANSWER_SCHEMA.map((option) => [option.flag, { type: "string" as const }])),
    cwd: { type: "string" },
    yes: { type: "boolean", short: "y" },
    spec: { type: "string" },
    "no-spec": { type: "boolean" },
    "strict-spec": { type: "boolean" },
    json: { type: "boolean" },
    "dry-run": { type: "boolean" },
    force: { type: "boolean" },
    install: { type: "boolean" },
  },
  run: async (values) => {
    const { runCli } = await import("./run-cli.js");
    return runCli({
      root: rootOf(values),
      yes: values.yes === true,
      dryRun: values["dry-run"] === true,
      force: values.force === true,
      install: values.install === true,
      json: values.json === true,
      spec: text(values, "spec"),
      noSpec: values["no-spec"] === true,
      strictSpec: values["strict-spec"] === true,
      given: Object.fromEntries(ANSWER_SCHEMA.map((option) => [option.key, text(values, option.flag)])),
      interactive: process.stdin.isTTY === true && process.stdout.isTTY === true,
    });
  },
};

const ROUTES: CommandSpec = {
  name: "routes",
  usage: "routes [--cwd DIR] [--backend PATH] [--json]",
  summary: [
    "list the FastAPI app's routes: method, full path, handler, and whether each is",
    "public, protected, owned (reads or writes a table model) or other, with why;",
    "--json prints { routes, unresolved } instead of the table",
  ],
  options: { cwd: { type: "string" }, backend: { type: "string" }, json: { type: "boolean" } },
  run: async (values) => {
    const { runRoutesCommand } = await import("./routes-command.js");
    return runRoutesCommand({ root: rootOf(values), backend: text(values, "backend"), json: values.json === true });
  },
};

const ROTATE_SECRET: CommandSpec = {
  name: "rotate-secret",
  usage: "rotate-secret [--cwd DIR] [--key BETTER_AUTH_SECRET|API_JWT_SECRET|all] [--keep-previous DURATION] [--dry-run] [--json]",
  summary: [
    "new secrets in every env file at once, never printed: a new version of BETTER_AUTH_SECRETS and,",
    "in shared-secret mode, a new API_JWT_SECRET, the old one accepted as API_JWT_SECRET_PREVIOUS for",
    "--keep-previous (default: the token lifetime; 0: none); says what to restart; --frontend/--backend PATH",
  ],
  options: {
    cwd: { type: "string" },
    key: { type: "string" },
    "keep-previous": { type: "string" },
    frontend: { type: "string" },
    backend: { type: "string" },
    "dry-run": { type: "boolean" },
    json: { type: "boolean" },
  },
  run: async (values) => {
    const { runRotateSecretCommand } = await import("./rotate-secret/index.js");
    return runRotateSecretCommand({
      root: rootOf(values),
      key: text(values, "key"),
      keepPrevious: text(values, "keep-previous"),
      frontend: text(values, "frontend"),
      backend: text(values, "backend"),
      dryRun: values["dry-run"] === true,
      json: values.json === true,
    });
  },
};

const DOCTOR: CommandSpec = {
  name: "doctor",
  usage: "doctor [--cwd DIR] [--json] [--live] [--token TOKEN] [--api-url URL]",
  summary: [
    "check a repo auth ran on: secrets and BETTER_AUTH_URL consistent, generated files present,",
    "dependencies declared, env files and databases git-ignored, CORS, better-auth's version;",
    "--live also asks the running apps (JWKS, a forged token refused, a real one accepted:",
    "--token or AUTH_INTEGRATOR_TOKEN); one line per check, exit 1 on any ✗; --json { ok, checks }",
  ],
  options: { cwd: { type: "string" }, json: { type: "boolean" }, live: { type: "boolean" }, token: { type: "string" }, "api-url": { type: "string" } },
  run: async (values) => {
    const { runDoctor } = await import("./doctor/index.js");
    const token = text(values, "token") ?? (process.env.AUTH_INTEGRATOR_TOKEN || undefined);
    return runDoctor({ root: rootOf(values), json: values.json === true, live: values.live === true || token !== undefined, token, apiUrl: text(values, "api-url") });
  },
};

/** Every subcommand, in the order --help lists them. A new command is one entry here and its own module. */
export const COMMANDS: CommandSpec[] = [AUTH, ROUTES, ROTATE_SECRET, DOCTOR];

/** The Commands and auth Options sections of --help. */
export function helpText(): string {
  const usage = COMMANDS.map((command, i) => `${i === 0 ? "Usage: " : "       "}auth-integrator ${command.usage}`).join("\n");
  const commands = COMMANDS.flatMap((command) => command.summary.map((line, i) => `  ${(i === 0 ? command.name : "").padEnd(30)}${line}`)).join("\n");
  return `${usage}

Adds Better Auth + JWT authentication to a Next.js + FastAPI monorepo.

Commands:
${commands}

Answers of auth (a flag beats the spec, which beats the answers saved in .auth-integrator.json, which beat detection, which beats the default):
${answerHelpLines().join("\n")}

Options of auth:
  --cwd DIR                     the monorepo root (default: the current folder)
  -y, --yes                     take every detected or default answer without prompting
  --spec PATH                   the authentication spec to read answers from (default: specs/features/authentication.md,
                                else a Markdown file about authentication under specs/ or docs/)
  --no-spec                     read no spec
  --strict-spec                 a spec that contradicts itself is an error (exit 2) instead of leaving the answer to the default
  --json                        print one JSON object (answers and their sources, files, warnings, the spec) and nothing else
  --dry-run                     print a unified diff of every change and write nothing
  --force                       replace generated files you have edited (a .bak copy is kept)
  --install                     then install the dependencies (the frontend's package manager, the backend's uv, poetry
                                or pip in its virtual environment) and run auth:migrate; without it, a terminal run asks
  -h, --help                    show this help
  -v, --version                 show the version

Exit status: 0 on success or nothing to do, 1 on an error, 2 on bad usage or missing answers.`;
}
