import { joinRel } from "../../lib/detect/paths.js";
import { filterGitIgnored, filterGitTracked } from "../../lib/formats/gitignore.js";
import { fail, listText, pass, skip, type Check } from "./check.js";
import type { DoctorContext } from "./context.js";
import { backendPythonFiles } from "./python-files.js";

const GROUP = "git";

/** A relative SQLite file in a URL ("sqlite:///./todo.db", "sqlite+aiosqlite:///data/app.db"), or null (memory, absolute, other databases). */
function sqliteFile(url: string): string | null {
  const match = /^sqlite(?:\+\w+)?:\/\/\/([^?]+)/.exec(url.trim());
  if (!match || match[1] === ":memory:" || match[1].startsWith("/")) return null;
  return match[1];
}

/**
 * The files that must never be committed: the real env files (frontend, backend, the root .env compose reads) and the
 * databases (Better Auth's SQLite file, the backend's SQLite file from its DATABASE_URL or its code's default).
 */
export function localFiles(context: DoctorContext): string[] {
  const files = new Set<string>();
  for (const file of [...context.frontendEnvFiles(), ...(context.backendEnvFile ? [context.backendEnvFile] : []), ...(context.composeEnvFile() ? [".env"] : []), ".env.local"]) {
    if (context.exists(file)) files.add(file);
  }
  // The generator's own env file is wanted even before it exists.
  if (context.frontendEnvFiles()[0]) files.add(context.frontendEnvFiles()[0]);
  const frontend = context.frontendDir;
  if (frontend !== null) {
    for (const file of Object.keys(context.manifest?.files ?? {}).filter((f) => /(^|\/)lib\/auth\.ts$/.test(f))) {
      const database = /new Database\(\s*["']([^"':]+)["']\s*\)/.exec(context.text(file) ?? "")?.[1];
      if (database && !database.startsWith("/")) files.add(joinRel(frontend, database));
    }
  }
  const backend = context.backendDir;
  if (backend !== null) {
    const urls = [context.backendEnvFile ? context.env(context.backendEnvFile)?.get("DATABASE_URL") : undefined];
    for (const file of backendPythonFiles(context)) {
      for (const match of (context.text(file) ?? "").matchAll(/["'](sqlite(?:\+\w+)?:\/\/\/[^"']+)["']/g)) urls.push(match[1]);
    }
    for (const url of urls) {
      const file = url ? sqliteFile(url) : null;
      // uvicorn runs from the backend folder: a relative SQLite path is relative to it.
      if (file && !file.includes("{")) files.add(joinRel(backend, file));
    }
  }
  return [...files].filter((file) => !file.startsWith(".."));
}

/** Every env file and database is ignored by git (git check-ignore inside a work tree, else the .gitignore rules) and none is tracked. */
export function gitignoreCheck(context: DoctorContext): Check {
  const files = localFiles(context);
  const title = "the real env files and databases ignored by git";
  if (files.length === 0) return skip(GROUP, "ignored", title, { detail: "no env file or database found" });
  const ignored = new Set(filterGitIgnored(context.root, files));
  const notIgnored = files.filter((file) => !ignored.has(file));
  const tracked = filterGitTracked(context.root, files);
  if (notIgnored.length === 0 && tracked.length === 0) return pass(GROUP, "ignored", `${listText(files)} ignored by git`);
  const problems = [
    ...(notIgnored.length ? [`not ignored: ${listText(notIgnored)}`] : []),
    ...(tracked.length ? [`tracked (committed or staged): ${listText(tracked)}`] : []),
  ];
  const fixes = [
    ...(notIgnored.length ? [`add ${listText(notIgnored.map((file) => `/${file}`))} to .gitignore`] : []),
    ...(tracked.length ? [`git rm --cached ${tracked.join(" ")}, commit, and change the secrets they held`] : []),
  ];
  return fail(GROUP, "ignored", title, { detail: problems.join("; "), fix: fixes.join("; ") });
}
