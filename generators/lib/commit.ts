import { accessSync, constants, existsSync, mkdirSync, renameSync, rmdirSync, statSync, unlinkSync, writeFileSync, chmodSync } from "node:fs";
import path from "node:path";
import { UserInputError } from "./errors.js";
import { encodeFile, type FileEncoding } from "./text-style.js";
import type { FileChange } from "./tree.js";

/** Nearest folder of `file` that already exists on disk. */
function nearestExistingDir(file: string): string {
  let dir = path.dirname(file);
  while (!existsSync(dir)) dir = path.dirname(dir);
  return dir;
}

/** Fails before anything is written when any target cannot be written, naming the file. */
export function assertWritable(root: string, changes: FileChange[]): void {
  for (const change of changes) {
    const file = path.join(root, change.path);
    const target = existsSync(file) ? file : nearestExistingDir(file);
    if (existsSync(file) && statSync(file).isDirectory()) throw new UserInputError("is a folder, expected a file", change.path);
    if (!existsSync(file) && !statSync(target).isDirectory()) {
      throw new UserInputError(`cannot create it: ${path.relative(root, target) || "."} is a file, not a folder`, change.path);
    }
    try {
      accessSync(target, constants.W_OK);
      // Atomic writes create a temporary file beside the target, so its folder must be writable too.
      if (existsSync(file)) accessSync(path.dirname(file), constants.W_OK);
    } catch {
      throw new UserInputError("is not writable (permission denied)", change.path);
    }
  }
}

/** Writes text through a temporary file in the same folder and a rename, so a reader never sees half a file. */
function writeAtomic(file: string, text: string, mode: number | undefined, encoding?: FileEncoding): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  // The temporary file takes the target's mode from the start: an env file at 600 never sits at 644, even briefly.
  // A new file without a mode of its own gets the default, less the umask, as any tool's would (no chmod: it would undo the umask).
  const finalMode = existsSync(file) ? statSync(file).mode & 0o7777 : mode;
  try {
    writeFileSync(temp, encodeFile(text, encoding), { mode: finalMode === undefined ? 0o666 : finalMode & 0o600 });
    if (finalMode !== undefined) chmodSync(temp, finalMode);
    renameSync(temp, file);
  } catch (error) {
    if (existsSync(temp)) unlinkSync(temp);
    throw error;
  }
}

/** Creates the missing folders of `file`, returning those it created (deepest last). */
function ensureDirs(file: string): string[] {
  const missing: string[] = [];
  for (let dir = path.dirname(file); !existsSync(dir); dir = path.dirname(dir)) missing.unshift(dir);
  for (const dir of missing) mkdirSync(dir);
  return missing;
}

/**
 * Writes every change or none: files go in one by one (atomically each); when one fails,
 * the files already written get their old content back and new files and folders are removed.
 */
export function commitChanges(root: string, changes: FileChange[]): void {
  assertWritable(root, changes);
  const done: Array<{ change: FileChange; createdDirs: string[] }> = [];
  try {
    for (const change of changes) {
      const file = path.join(root, change.path);
      const createdDirs = ensureDirs(file);
      done.push({ change, createdDirs });
      writeAtomic(file, change.after, change.mode, change.encoding);
    }
  } catch (error) {
    rollback(root, done);
    const code = (error as NodeJS.ErrnoException).code;
    const failed = done.at(-1)?.change.path;
    throw new UserInputError(`write failed (${code ?? (error as Error).message}); every file was restored, nothing was changed`, failed);
  }
}

function rollback(root: string, done: Array<{ change: FileChange; createdDirs: string[] }>): void {
  for (const { change, createdDirs } of done.reverse()) {
    const file = path.join(root, change.path);
    try {
      if (change.before === null) {
        if (existsSync(file)) unlinkSync(file);
      } else {
        writeAtomic(file, change.before, undefined, change.encoding);
      }
      for (const dir of createdDirs.reverse()) rmdirSync(dir);
    } catch {
      // Best effort: keep restoring the other files.
    }
  }
}
