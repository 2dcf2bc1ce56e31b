import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** Writes a tree of files (path → content) into a new temp folder and returns its path. */
export function makeFixture(files: Record<string, string>, prefix = "auth-integrator-"): string {
  const root = mkdtempSync(path.join(os.tmpdir(), prefix));
  writeFiles(root, files);
  return root;
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
}

/** Every file under root (path → content), skipping node_modules: for "nothing changed" assertions. */
export function snapshotTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === "node_modules" || name === ".git") continue;
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) walk(file);
      else out[path.relative(root, file).split(path.sep).join("/")] = readFileSync(file, "utf8");
    }
  };
  walk(root);
  return out;
}

export function removeFixture(root: string): void {
  rmSync(root, { recursive: true, force: true });
}
