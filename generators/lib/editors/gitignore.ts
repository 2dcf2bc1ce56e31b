/** Appends the patterns that are not already lines of the .gitignore text (text in → text out), keeping its final-newline state. */
export function addGitignoreEntries(text: string, patterns: string[]): string {
  const present = new Set(text.split("\n").map((line) => line.trim()));
  const missing = patterns.filter((pattern, i) => !present.has(pattern.trim()) && patterns.indexOf(pattern) === i);
  if (missing.length === 0) return text;
  if (text === "") return `${missing.join("\n")}\n`;
  return text.endsWith("\n") ? `${text}${missing.join("\n")}\n` : `${text}\n${missing.join("\n")}`;
}
