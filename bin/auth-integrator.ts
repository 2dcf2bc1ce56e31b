#!/usr/bin/env node
import { readFileSync } from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT } from "../generators/lib/render.js";
import { parseArgs } from "node:util";
import { ANSWER_SCHEMA, answerHelpLines } from "../generators/auth/schema.js";
import { runCli } from "../generators/cli/run-cli.js";

const HELP = `Usage: auth-integrator auth [options]
       auth-integrator routes [--cwd DIR] [--backend PATH] [--json]

Adds Better Auth + JWT authentication to a Next.js + FastAPI monorepo.

Commands:
  auth                          add authentication (the options below)
  routes                        list the FastAPI app's routes: method, full path, handler, and whether each is
                                public, protected, owned (reads or writes a table model) or other, with why;
                                --json prints { routes, unresolved } instead of the table

Answers (a flag beats the spec, which beats detection, which beats the default):
${answerHelpLines().join("\n")}

Options:
  --cwd DIR                     the monorepo root (default: the current folder)
  -y, --yes                     take every detected or default answer without prompting
  --spec PATH                   the authentication spec to read answers from (default: specs/features/authentication.md,
                                else a Markdown file about authentication under specs/ or docs/)
  --no-spec                     read no spec
  --strict-spec                 a spec that contradicts itself is an error (exit 2) instead of leaving the answer to the default
  --json                        print one JSON object (answers and their sources, files, warnings, the spec) and nothing else
  --dry-run                     print a unified diff of every change and write nothing
  --force                       replace generated files you have edited (a .bak copy is kept)
  -h, --help                    show this help
  -v, --version                 show the version

Exit status: 0 on success or nothing to do, 1 on an error, 2 on bad usage or missing answers.`;

const COMMANDS = ["auth", "routes"];
const ROUTES_OPTIONS = ["cwd", "backend", "json"];
const RUN_OPTIONS = ["cwd", "yes", "spec", "no-spec", "strict-spec", "json", "dry-run", "force"];
const AUTH_OPTIONS = [...RUN_OPTIONS, ...ANSWER_SCHEMA.map((option) => option.flag)];

/** parseArgs options: every answer's flag takes a string. */
const ANSWER_ARGS = Object.fromEntries(ANSWER_SCHEMA.map((option) => [option.flag, { type: "string" as const }]));

function version(): string {
  return (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        ...ANSWER_ARGS,
        cwd: { type: "string" },
        yes: { type: "boolean", short: "y" },
        spec: { type: "string" },
        "no-spec": { type: "boolean" },
        "strict-spec": { type: "boolean" },
        json: { type: "boolean" },
        "dry-run": { type: "boolean" },
        force: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    });
  } catch (error) {
    process.stderr.write(`auth-integrator: ${(error as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  const { positionals } = parsed;
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const text = (name: string) => (typeof values[name] === "string" ? (values[name] as string) : undefined);
  if (values.help) return process.stdout.write(`${HELP}\n`), 0;
  if (values.version) return process.stdout.write(`${version()}\n`), 0;
  if (!COMMANDS.includes(positionals[0]) || positionals.length > 1) {
    process.stderr.write(`auth-integrator: expected the command "auth" or "routes"${positionals.length ? `, got "${positionals.join(" ")}"` : ""}\n\n${HELP}\n`);
    return 2;
  }
  const command = positionals[0];
  const foreign = Object.keys(values).filter((name) => !(command === "routes" ? ROUTES_OPTIONS : AUTH_OPTIONS).includes(name));
  if (foreign.length > 0) {
    process.stderr.write(`auth-integrator: ${foreign.map((name) => `--${name}`).join(", ")} is not an option of "${command}"\n\n${HELP}\n`);
    return 2;
  }
  if (command === "routes") {
    // Loaded only for this command: the auth command's start-up is benchmarked.
    const { runRoutesCommand } = await import("../generators/cli/routes-command.js");
    return runRoutesCommand({ root: path.resolve(text("cwd") ?? process.cwd()), backend: text("backend"), json: values.json === true });
  }
  return runCli({
    root: path.resolve(text("cwd") ?? process.cwd()),
    yes: values.yes === true,
    dryRun: values["dry-run"] === true,
    force: values.force === true,
    json: values.json === true,
    spec: text("spec"),
    noSpec: values["no-spec"] === true,
    strictSpec: values["strict-spec"] === true,
    given: Object.fromEntries(ANSWER_SCHEMA.map((option) => [option.key, text(option.flag)])),
    interactive: process.stdin.isTTY === true && process.stdout.isTTY === true,
  });
}

process.exitCode = await main();
