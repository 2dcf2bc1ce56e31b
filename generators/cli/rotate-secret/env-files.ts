/** The env files a rotation reads: which ones, their variables, and the one value a key has across them. */
import path from "node:path";
import { SEPARATE_AUTH_ENV_FILE } from "../../lib/backend/env-file.js";
import { envKeyLine, parseEnv } from "../../lib/editors/env.js";
import { secretCandidateFiles } from "../../lib/steps/secret.js";
import type { PlanTree } from "../../lib/tree.js";
import { RotateError } from "./options.js";

/** One env file the command looked at: its text (kept current as the plan edits it) and its variables as read. */
export interface EnvFile {
  file: string;
  text: string;
  vars: Map<string, string>;
}

/** The Next.js and FastAPI folders of the repo (repo-relative, POSIX). */
export interface AppDirs {
  frontend: string;
  backend: string | null;
}

/** Where a secret may live (the generator's candidates and the backend's separate auth env file), and those of them that exist, parsed. */
export function readEnvFiles(tree: PlanTree, dirs: AppDirs): { candidates: string[]; files: EnvFile[] } {
  const candidates = [...secretCandidateFiles(dirs.frontend, dirs.backend ?? dirs.frontend)];
  if (dirs.backend !== null) candidates.push(path.posix.normalize(path.posix.join(dirs.backend, SEPARATE_AUTH_ENV_FILE)));
  const files: EnvFile[] = [];
  for (const file of [...new Set(candidates)]) {
    const text = tree.read(file);
    if (text !== null) files.push({ file, text, vars: parseEnv(text, file) });
  }
  return { candidates, files };
}

/** `file:line` of the assignment of `key` in one env file. */
export function keyAt(file: EnvFile, key: string): string {
  return `${file.file}:${envKeyLine(file.text, key, file.file)}`;
}

/** The one value `key` has across `files`, or null when none holds it; two different values are an error naming both. */
export function agreedValue(files: EnvFile[], key: string): { value: string; holders: EnvFile[] } | null {
  const holders = files.filter((f) => f.vars.has(key) && f.vars.get(key) !== "");
  if (holders.length === 0) return null;
  const [first] = holders;
  const other = holders.find((f) => f.vars.get(key) !== first.vars.get(key));
  if (other) throw new RotateError(`${keyAt(other, key)}: ${key} differs from ${keyAt(first, key)}; make them equal and run again (nothing was written)`, 1);
  return { value: first.vars.get(key)!, holders };
}

/** True for a file of the backend's own folder (not also the frontend's): Better Auth's secret does not belong there. */
export function isBackendOnly(dirs: AppDirs, file: string): boolean {
  return dirs.backend !== null && dirs.backend !== "." && file.startsWith(`${dirs.backend}/`) && !file.startsWith(`${dirs.frontend}/`);
}
