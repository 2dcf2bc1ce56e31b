import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/** The usual place of a project's authentication spec. */
export const DEFAULT_SPEC = "specs/features/authentication.md";

const AUTH_NAME = /(?:^|[^a-z])(?:auth|authentication|login|sign-?in|jwt|security)(?:[^a-z]|$)/i;
const MAX_DEPTH = 4;

/**
 * The repo-relative path of the spec to read: specs/features/authentication.md when it exists, else the
 * shortest-pathed Markdown file under specs/ or docs/ (depth ≤ 4, node_modules skipped) whose name or first
 * heading is about authentication (auth, login, sign-in, JWT, security); null when there is none.
 */
export function locateSpec(root: string): string | null {
  if (isFile(path.join(root, DEFAULT_SPEC))) return DEFAULT_SPEC;
  const candidates = ["specs", "docs"].flatMap((dir) => markdownFiles(root, dir, 1)).filter((rel) => aboutAuthByName(root, rel));
  candidates.sort((a, b) => a.split("/").length - b.split("/").length || a.length - b.length || a.localeCompare(b));
  return candidates[0] ?? null;
}

/**
 * A spec file's text, decoded as strict UTF-8 with a byte-order mark dropped, or an error naming the file when it
 * cannot be read or is not UTF-8. Never throws.
 */
export function readSpecFile(root: string, rel: string): { text: string } | { error: string } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path.resolve(root, rel));
  } catch (error) {
    return { error: `${rel}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "") };
  } catch {
    return { error: `${rel}: not UTF-8 text` };
  }
}

/** Markdown files under a repo-relative directory, repo-relative with "/", at most MAX_DEPTH levels down. */
function markdownFiles(root: string, dir: string, depth: number): string[] {
  let entries;
  try {
    entries = readdirSync(path.join(root, dir), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return depth < MAX_DEPTH && entry.name !== "node_modules" && !entry.name.startsWith(".") ? markdownFiles(root, rel, depth + 1) : [];
    return entry.isFile() && /\.(?:md|markdown|mdx)$/i.test(entry.name) ? [rel] : [];
  });
}

/** Whether a file's name or its first heading is about authentication. */
function aboutAuthByName(root: string, rel: string): boolean {
  if (AUTH_NAME.test(path.basename(rel).replace(/\.[^.]+$/, ""))) return true;
  try {
    const head = readFileSync(path.join(root, rel), "utf8").slice(0, 4096);
    return AUTH_NAME.test(/^ {0,3}#{1,6}\s+(.*)$/m.exec(head)?.[1] ?? "");
  } catch {
    return false;
  }
}

function isFile(file: string): boolean {
  return existsSync(file) && statSync(file).isFile();
}
