import type { RunResult } from "./run.js";

type Paint = (code: number, text: string) => string;

/** ANSI colour only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !("NO_COLOR" in env && env.NO_COLOR !== "");
}

function painter(color: boolean): Paint {
  return color ? (code, text) => `\u001b[${code}m${text}\u001b[0m` : (_code, text) => text;
}

/** A titled list; `count` is the number of items when an item spans several lines. */
function section(paint: Paint, title: string, code: number, lines: string[], count = lines.length): string[] {
  return lines.length === 0 ? [] : [paint(code, `${title} (${count})`), ...lines.map((l) => `  ${l}`)];
}

/** The end-of-run report: created, modified, unchanged and skipped files, warnings, next steps. */
export function formatSummary(result: RunResult, color: boolean): string {
  const paint = painter(color);
  const changed = result.created.length + result.modified.length;
  const verb = result.dryRun ? "would be " : "";
  const lines = [
    ...section(paint, `${verb}created`, 32, result.created),
    ...section(paint, `${verb}modified`, 33, result.modified),
    ...section(paint, "unchanged", 2, result.unchanged),
    ...section(paint, "skipped", 35, result.skipped.flatMap((s) => [`${s.path}: ${s.reason}`, ...(s.snippet ? indent(s.snippet) : [])]), result.skipped.length),
    // Indented lines are the helper functions scoped for those routes: counted under their routes.
    ...section(paint, `routes ${verb}secured`, 36, result.routes, result.routes.filter((line) => !line.startsWith(" ")).length),
    ...section(paint, "warnings", 33, result.warnings),
  ];
  lines.push(secretLine("BETTER_AUTH_SECRET", result.secretSource, result.dryRun));
  if (result.apiTokenSecretSource !== undefined) lines.push(secretLine("API_JWT_SECRET", result.apiTokenSecretSource, result.dryRun));
  if (changed === 0) lines.push(paint(32, "Nothing to do: every file is already up to date."));
  else if (result.dryRun) lines.push(paint(36, "Dry run: no file was written."));
  if (result.nextSteps.length > 0 && !result.dryRun) lines.push("", paint(1, "Next steps"), ...result.nextSteps.map((s, i) => `  ${i + 1}. ${s}`));
  return `${lines.join("\n")}\n`;
}

/** Where a secret came from, never its value. */
function secretLine(key: string, source: string | null, dryRun: boolean): string {
  return source ? `${key}: reused the value from ${source} (not printed).` : `${key}: ${dryRun ? "would generate" : "generated"} a new random value (32 bytes, not printed).`;
}

function indent(snippet: string): string[] {
  return snippet.split("\n").map((l) => `    ${l}`);
}
