import { PythonSources } from "./python-sources.js";

/** A pydantic-settings class that reads the backend's .env and refuses keys it does not declare. */
export interface StrictEnvSettings {
  /** Repo-relative file and 1-based line of the `class ...(BaseSettings)` statement. */
  file: string;
  line: number;
  className: string;
  /** Its field names, lower-cased (pydantic-settings matches env keys case-insensitively by default). */
  fields: Set<string>;
}

const CLASS_LINE = /^class\s+(\w+)\s*\(([^)]*)\)\s*:/;
/** `env_file=".env"`, `env_file = ".env"` (class Config), or a tuple/list holding ".env". */
const READS_DOT_ENV = /\benv_file\s*[=:]\s*[([]?[^)\]\n]*["']\.env["']/;
/** `extra="ignore"`/`"allow"` (or Extra.ignore / Extra.allow): undeclared keys are then harmless. */
const TOLERATES_EXTRA = /\bextra\s*[=:]\s*(?:["'](?:ignore|allow)["']|Extra\.(?:ignore|allow))/;

/** The class body: the lines after `class` that are indented deeper, blank lines included. */
function classBody(lines: string[], start: number): string[] {
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() !== "" && !/^\s/.test(line)) break;
    body.push(line);
  }
  return body;
}

/** The annotated field names at the body's own indentation (`name: type` or `name: type = default`). */
function fieldNames(body: string[]): Set<string> {
  const indent = body.find((line) => line.trim() !== "")?.match(/^\s*/)?.[0] ?? "    ";
  const names = new Set<string>();
  for (const line of body) {
    const field = new RegExp(`^${indent}([A-Za-z_]\\w*)\\s*:(?!=)`).exec(line);
    if (field && field[1] !== "model_config") names.add(field[1].toLowerCase());
  }
  return names;
}

/**
 * The top-level BaseSettings subclasses of the backend's own modules that read `.env` and forbid
 * undeclared keys (pydantic-settings' default, `extra="forbid"`): a key this tool adds to that .env
 * would stop the app at import ("Extra inputs are not permitted", printing the value).
 */
export function findStrictEnvSettings(root: string, backendDir: string): StrictEnvSettings[] {
  const sources = new PythonSources(root, backendDir);
  const found: StrictEnvSettings[] = [];
  for (const file of sources.files) {
    const text = sources.text(file);
    if (!text || !text.includes("BaseSettings")) continue;
    const lines = text.split("\n");
    lines.forEach((line, index) => {
      const head = CLASS_LINE.exec(line);
      if (!head || !/\bBaseSettings\b/.test(head[2])) return;
      const body = classBody(lines, index).join("\n");
      if (!READS_DOT_ENV.test(body) || TOLERATES_EXTRA.test(body)) return;
      found.push({ file: sources.repoPath(file), line: index + 1, className: head[1], fields: fieldNames(classBody(lines, index)) });
    });
  }
  return found;
}
