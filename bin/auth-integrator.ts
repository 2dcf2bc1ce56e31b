#!/usr/bin/env node
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { PACKAGE_ROOT } from "../generators/lib/render.js";
import { COMMANDS, helpText, type CommandValues, type OptionSpec } from "../generators/cli/commands.js";

function version(): string {
  return (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;
}

/** Every command's options at once: parseArgs needs one table; each command then refuses the others' options. */
function allOptions(): Record<string, OptionSpec> {
  const options: Record<string, OptionSpec> = { help: { type: "boolean", short: "h" }, version: { type: "boolean", short: "v" } };
  for (const command of COMMANDS) Object.assign(options, command.options);
  return options;
}

async function main(): Promise<number> {
  const usageError = (message: string) => (process.stderr.write(`auth-integrator: ${message}\n\n${helpText()}\n`), 2);
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: allOptions() });
  } catch (error) {
    return usageError((error as Error).message);
  }
  const { positionals } = parsed;
  const values = parsed.values as CommandValues;
  if (values.help) return process.stdout.write(`${helpText()}\n`), 0;
  if (values.version) return process.stdout.write(`${version()}\n`), 0;
  const command = COMMANDS.find((candidate) => candidate.name === positionals[0]);
  if (!command || positionals.length > 1) {
    const names = COMMANDS.map((candidate) => `"${candidate.name}"`).join(", ");
    return usageError(`expected one of the commands ${names}${positionals.length ? `, got "${positionals.join(" ")}"` : ""}`);
  }
  const foreign = Object.keys(values).filter((name) => !(name in command.options));
  if (foreign.length > 0) return usageError(`${foreign.map((name) => `--${name}`).join(", ")} is not an option of "${command.name}"`);
  return command.run(values);
}

process.exitCode = await main();
