/** An error caused by the user's files or answers: printed as "file:line: message", never with a stack. */
export class UserInputError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = "UserInputError";
  }

  /** "frontend/package.json:3: Unexpected token" — file and line first, like a compiler. */
  format(): string {
    if (!this.file) return this.message;
    return `${this.file}${this.line ? `:${this.line}` : ""}: ${this.message}`;
  }
}
