import { assignmentsIn, classesIn, type ClassInfo } from "../python/definitions.js";
import { descendants, parsePython, stringValue, textOf, type PySource } from "../python/syntax.js";
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

/** The string literals passed as `env_file` anywhere in the class (model_config = SettingsConfigDict(...), class Config). */
function envFiles(source: PySource, model: ClassInfo): string[] {
  const values: string[] = [];
  for (const node of [...descendants(model.body, "ArgList"), ...descendants(model.body, "AssignStatement")]) {
    const text = textOf(source, node);
    if (!/\benv_file\b/.test(text)) continue;
    for (const literal of descendants(node, "String")) {
      const value = stringValue(source, literal);
      if (value !== null) values.push(value);
    }
  }
  return values;
}

/** True when the class lets undeclared keys through: `extra="ignore"`/`"allow"`, or Extra.ignore / Extra.allow. */
function toleratesExtra(source: PySource, model: ClassInfo): boolean {
  return /\bextra\s*[=:]\s*(?:["'](?:ignore|allow)["']|(?:[\w.]*\.)?Extra\.(?:ignore|allow))/.test(textOf(source, model.body));
}

/** The annotated field names of the class body (`name: type` or `name: type = default`), lower-cased. */
function fieldNames(source: PySource, model: ClassInfo): Set<string> {
  const names = assignmentsIn(source, model.body)
    .filter((field) => field.annotation !== null)
    .flatMap((field) => field.targets)
    .filter((name) => name !== "model_config");
  return new Set(names.map((name) => name.toLowerCase()));
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
    const source = parsePython(text);
    for (const model of classesIn(source)) {
      if (!model.bases.some((base) => base.split(".").pop() === "BaseSettings")) continue;
      if (!envFiles(source, model).includes(".env") || toleratesExtra(source, model)) continue;
      found.push({ file: sources.repoPath(file), line: model.line, className: model.name, fields: fieldNames(source, model) });
    }
  }
  return found;
}
