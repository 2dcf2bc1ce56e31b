import { lineAt, parsePython, stringValue } from "../python/syntax.js";
import { readSmallText } from "./files.js";
import { joinRel } from "./paths.js";
import { PythonSources } from "./python-sources.js";

/** The database URL the project's backend is configured with, as far as its files say. */
export interface DatabaseUrlInfo {
  /** The URL's scheme with its driver: "postgresql+asyncpg", "sqlite". */
  scheme: string;
  /** True for a SQLAlchemy asyncio driver: the engine must then be create_async_engine. */
  async: boolean;
  /** Repo-relative file and 1-based line it was read from. */
  file: string;
  line: number;
}

/** SQLAlchemy's asyncio dialect drivers; psycopg (3) serves both and counts as sync here, as create_engine takes it. */
const ASYNC_DRIVERS = new Set(["asyncpg", "aiosqlite", "asyncmy", "aiomysql", "psycopg_async", "aioodbc"]);

const URL_SCHEME = /^(?:postgres|postgresql|sqlite|mysql|mariadb|mssql|oracle)(?:\+\w+)?(?=:\/\/)/i;
const ENV_ENTRY = /\b(?:DATABASE_URL|SQLALCHEMY_DATABASE_URI|SQLALCHEMY_DATABASE_URL|DB_URL)\b["']?\s*[:=]\s*["']?([a-z][\w+]*)(?=:\/\/)/gi;

function infoOf(scheme: string, file: string, line: number): DatabaseUrlInfo {
  const driver = scheme.split("+")[1]?.toLowerCase() ?? "";
  return { scheme, async: ASYNC_DRIVERS.has(driver), file, line };
}

/** The first DATABASE_URL-like entry of an env or compose file's text with a URL scheme (`KEY=url`, `KEY: url`, `- KEY=url`). */
export function databaseUrlInText(text: string, file: string): DatabaseUrlInfo | null {
  for (const match of text.matchAll(ENV_ENTRY)) {
    const lineStart = text.lastIndexOf("\n", match.index) + 1;
    if (/^\s*#/.test(text.slice(lineStart, match.index))) continue; // a commented-out entry
    if (URL_SCHEME.test(`${match[1]}://`)) return infoOf(match[1], file, lineAt(text, match.index));
  }
  return null;
}

/** The first string literal of the backend's own Python that is a database URL (a settings default, a create_engine argument). */
function databaseUrlInPython(sources: PythonSources): DatabaseUrlInfo | null {
  for (const file of sources.files) {
    const text = sources.text(file);
    if (!text || !text.includes("://")) continue;
    const source = parsePython(text);
    let found: DatabaseUrlInfo | null = null;
    source.tree.iterate({
      enter: (node) => {
        if (found !== null) return false;
        if (node.name !== "String" && node.name !== "FormatString") return undefined;
        const value = node.name === "String" ? stringValue(source, node.node) : text.slice(node.from, node.to).replace(/^[a-z]*["']+/i, "");
        const scheme = value === null ? null : URL_SCHEME.exec(value)?.[0];
        if (scheme) found = infoOf(scheme, sources.repoPath(file), lineAt(text, node.from));
        return false;
      },
    });
    if (found) return found;
  }
  return null;
}

/**
 * The database URL the backend in `backendDir` runs with: its .env first, then its example env files, the
 * repository's, the compose file, then a URL written in its own Python; null when none names one.
 */
export function detectDatabaseUrl(root: string, backendDir: string, composeFile: string | null): DatabaseUrlInfo | null {
  const envFiles = [".env", ".env.local", ".env.example", ".env.sample"];
  const candidates = [...envFiles.map((name) => joinRel(backendDir, name)), ...(backendDir === "." || backendDir === "" ? [] : envFiles), ...(composeFile ? [composeFile] : [])];
  for (const file of candidates) {
    const text = readSmallText(root, file);
    const found = text === null ? null : databaseUrlInText(text, file);
    if (found) return found;
  }
  return databaseUrlInPython(new PythonSources(root, backendDir));
}
