/** One rotation being planned: the tree it edits, the report it fills, the keys changed per file and the values to redact. */
import { mergeEnvContent, removeEnvKeys } from "../../lib/editors/env.js";
import type { PlanTree } from "../../lib/tree.js";
import type { EnvFile } from "./env-files.js";
import type { RotationReport } from "./report.js";

/** New env files keep their secrets from other users. */
const ENV_FILE_MODE = 0o600;

export class Rotation {
  readonly report: RotationReport;
  private readonly secrets: string[] = [];
  private readonly changedKeys = new Map<string, Set<string>>();

  constructor(
    readonly tree: PlanTree,
    dryRun: boolean,
    mode: RotationReport["mode"],
  ) {
    this.report = { dryRun, mode, rotated: [], files: [], restart: [], betterAuth: null, previous: null, effects: [], warnings: [] };
  }

  /** Values no diff may show. */
  redact(...values: string[]): void {
    this.secrets.push(...values);
  }

  /** Records which keys of `file` changed, for the report (names only). */
  touch(file: string, keys: string[]): void {
    const set = this.changedKeys.get(file) ?? new Set<string>();
    keys.forEach((k) => set.add(k));
    this.changedKeys.set(file, set);
  }

  /** Sets (in place or appended) and removes variables of one env file in the plan (mode 600, never printed). */
  editEnv(file: EnvFile, set: Array<{ key: string; value: string }>, remove: string[] = []): void {
    const removing = remove.filter((key) => file.vars.has(key));
    let text = removeEnvKeys(file.text, removing, { file: file.file });
    if (set.length > 0) text = mergeEnvContent(text, set, { file: file.file, overwrite: true });
    this.tree.write(file.file, text, { mode: ENV_FILE_MODE, secret: true });
    file.text = text;
    this.touch(file.file, [...set.map((e) => e.key), ...removing]);
  }

  /** The planned tree, the report with the files it changes, and the distinct values to redact. */
  result(): { tree: PlanTree; report: RotationReport; secrets: string[] } {
    this.report.files = this.tree.changes().map((c) => ({ path: c.path, status: "modified" as const, keys: [...(this.changedKeys.get(c.path) ?? [])] }));
    return { tree: this.tree, report: this.report, secrets: [...new Set(this.secrets.filter(Boolean))] };
  }
}
