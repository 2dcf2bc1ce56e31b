/** What a rotation did, as --json prints it and as the human summary (keys and files, never values). */

export interface RotationReport {
  dryRun: boolean;
  mode: "jwks" | "shared-secret";
  rotated: string[];
  files: Array<{ path: string; status: "modified"; keys: string[] }>;
  restart: Array<{ app: string; where: string; why: string }>;
  betterAuth: { secretsVersion: number; versions: number[]; legacyKept: boolean } | null;
  previous: { key: string; expiresAt: string; acceptedFor: string; tokenLifetime: string; tokenLifetimeFrom: string } | null;
  effects: string[];
  warnings: string[];
}

/** One restart line: compose's is the command itself, an app's is numbered with its folder. */
function restartLine(restart: RotationReport["restart"][number], index: number): string {
  if (restart.app === "compose") return `  ${restart.why}`;
  return `  ${index + 1}. the ${restart.app} (${restart.where === "." ? "the repo root" : `${restart.where}/`}): ${restart.why}`;
}

/** The human summary: what changed (keys, never values), what to restart and in which order, what users notice. */
export function formatReport(report: RotationReport): string {
  const lines: string[] = [];
  const verb = report.dryRun ? "Would rotate" : "Rotated";
  lines.push(`${verb} ${report.rotated.join(" and ")} (${report.mode} mode); no value is printed.`);
  lines.push(`${report.dryRun ? "would change" : "changed"} (${report.files.length})`);
  for (const f of report.files) lines.push(`  ${f.path}  ${f.keys.join(", ")}`);
  lines.push("", "Restart, in this order", ...report.restart.map(restartLine));
  lines.push("", "What changes");
  for (const effect of report.effects) lines.push(`  - ${effect}`);
  if (report.warnings.length) lines.push("", "Warnings", ...report.warnings.map((warning) => `  ${warning}`));
  if (report.dryRun) lines.push("", "Dry run: nothing was written.");
  return `${lines.join("\n")}\n`;
}

/** The report as --json prints it: one object, nothing else. */
export function formatJsonReport(report: RotationReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
