#!/usr/bin/env node
import { readFileSync } from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT } from "../generators/lib/render.js";
import { parseArgs } from "node:util";
import { runCli } from "../generators/cli/run-cli.js";

const HELP = `Usage: auth-integrator auth [options]
       auth-integrator routes [--cwd DIR] [--backend PATH] [--json]

Adds Better Auth + JWT authentication to a Next.js + FastAPI monorepo.

Commands:
  auth                          add authentication (the options below)
  routes                        list the FastAPI app's routes: method, full path, handler, and whether each is
                                public, protected, owned (reads or writes a table model) or other, with why;
                                --json prints { routes, unresolved } instead of the table

Options:
  --cwd DIR                     the monorepo root (default: the current folder)
  -y, --yes                     take every detected or default answer without prompting
  --frontend PATH               the Next.js app folder (detected)
  --backend PATH                the FastAPI app folder (detected)
  --secret-mode jwks|shared-secret   how FastAPI verifies tokens (default: jwks)
  --database sqlite|postgres    Better Auth's database (default: sqlite)
  --route-style flat|user-scoped     /api/tasks or /api/{user_id}/tasks (default: flat)
  --token-ttl DURATION          JWT lifetime (default: 15m)
  --auth-url URL                BETTER_AUTH_URL, the frontend origin (default: http://localhost:3000)
  --api-url URL                 NEXT_PUBLIC_API_URL (default: http://localhost:8000)
  --protect-pages PATHS         pages that need a signed-in user: path prefixes, comma-separated ("/,/tasks"), or none
  --protect ROUTERS             your routers whose resource routes become the signed-in user's own: router modules or
                                file stems, comma-separated ("tasks,todos"), all or none (default: all found)
                                (default: the pages that call the API, else "/")
  --dry-run                     print a unified diff of every change and write nothing
  --force                       replace generated files you have edited (a .bak copy is kept)
  -h, --help                    show this help
  -v, --version                 show the version

Exit status: 0 on success or nothing to do, 1 on an error, 2 on bad usage or missing answers.`;

const COMMANDS = ["auth", "routes"];
const ROUTES_OPTIONS = ["cwd", "backend", "json"];
const AUTH_OPTIONS = ["cwd", "yes", "frontend", "backend", "secret-mode", "database", "route-style", "token-ttl", "auth-url", "api-url", "protect-pages", "protect", "dry-run", "force"];

function version(): string {
  return (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        cwd: { type: "string" },
        yes: { type: "boolean", short: "y" },
        frontend: { type: "string" },
        backend: { type: "string" },
        "secret-mode": { type: "string" },
        database: { type: "string" },
        "route-style": { type: "string" },
        "token-ttl": { type: "string" },
        "auth-url": { type: "string" },
        "api-url": { type: "string" },
        "protect-pages": { type: "string" },
        protect: { type: "string" },
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
  const { values, positionals } = parsed;
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
    return runRoutesCommand({ root: path.resolve(values.cwd ?? process.cwd()), backend: values.backend, json: values.json === true });
  }
  return runCli({
    root: path.resolve(values.cwd ?? process.cwd()),
    yes: values.yes === true,
    dryRun: values["dry-run"] === true,
    force: values.force === true,
    given: {
      frontend: values.frontend,
      backend: values.backend,
      secretMode: values["secret-mode"],
      database: values.database,
      routeStyle: values["route-style"],
      tokenTtl: values["token-ttl"],
      authUrl: values["auth-url"],
      apiUrl: values["api-url"],
      protectPages: values["protect-pages"],
      protectRouters: values.protect,
    },
    interactive: process.stdin.isTTY === true && process.stdout.isTTY === true,
  });
}

process.exitCode = await main();
