/**
 * An error caused by the user's files or answers. Its message leads with the file and line,
 * like a compiler ("frontend/package.json:3: Unexpected token"), and is printed without a stack.
 */
export class UserInputError extends Error {
  constructor(
    /** The problem alone, without the file prefix. */
    readonly reason: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(file ? `${file}${line ? `:${line}` : ""}: ${reason}` : reason);
    this.name = "UserInputError";
  }
}

/** A file of the user's that does not parse (JSON, TOML, YAML, dotenv, requirements): the CLI exits 1, not 2. */
export class MalformedFileError extends UserInputError {
  constructor(reason: string, file: string, line?: number) {
    super(reason, file, line);
    this.name = "MalformedFileError";
  }
}
