import { createRequire } from "node:module";
import type * as SmolToml from "smol-toml";
import { UserInputError } from "../errors.js";

let loaded: typeof SmolToml | null = null;

/** smol-toml is loaded on first use only: most CLI starts never parse a pyproject.toml. */
function toml(): typeof SmolToml {
  loaded ??= createRequire(import.meta.url)("smol-toml") as typeof SmolToml;
  return loaded;
}

/** Parses TOML; a syntax error becomes a UserInputError at the file and line it is on. */
export function parseTomlDocument(text: string, file: string): Record<string, unknown> {
  const { parse, TomlError } = toml();
  try {
    return parse(text) as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const problem = error.message.split("\n")[0].replace(/^Invalid TOML document:\s*/, "");
    throw new UserInputError(`invalid TOML: ${problem}`, file, error.line);
  }
}
