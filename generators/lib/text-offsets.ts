/** 1-based line number of offset `at` in text: for error messages that name the line. */
export function lineOf(text: string, at: number): number {
  return text.slice(0, at).split("\n").length;
}

/** The leading white space of the line that holds offset `at`: new lines copy their neighbours' indentation. */
export function lineIndent(text: string, at: number): string {
  const lineStart = text.lastIndexOf("\n", at - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}
