import type * as SmolToml from "smol-toml";
import { MalformedFileError } from "../errors.js";
import { lazyModule } from "../lazy-module.js";

/** smol-toml is loaded on first use only: most CLI starts never parse a pyproject.toml. */
export const toml = lazyModule<typeof SmolToml>("smol-toml");

/** Parses TOML; a syntax error becomes a UserInputError at the file and line it is on. */
export function parseTomlDocument(text: string, file: string): Record<string, unknown> {
  const { parse, TomlError } = toml();
  try {
    return parse(text) as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const problem = error.message.split("\n")[0].replace(/^Invalid TOML document:\s*/, "");
    throw new MalformedFileError(`invalid TOML: ${problem}`, file, error.line);
  }
}
