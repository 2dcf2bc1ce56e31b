import type { SyntaxNode } from "@lezer/common";
import { assignmentsIn, classesIn, type ClassInfo } from "../python/definitions.js";
import { callParts, dottedName, lastName, parsePython, textOf, type PySource } from "../python/syntax.js";
import type { TaskModelInfo } from "../types.js";
import { PythonSources, preferFiles } from "./python-sources.js";

/** Where the Task model usually lives, best first. */
const PREFERRED_MODEL_FILES = ["models.py", "models/task.py", "app/models.py", "app/models/task.py", "app/models/__init__.py", "models/__init__.py"];

/** The top-level `class Task(...)` of a parsed module; null when absent. */
export function findTaskClass(source: PySource): ClassInfo | null {
  return classesIn(source).find((found) => found.name === "Task") ?? null;
}

/** SQLAlchemy column types and the Python type they hold. */
const COLUMN_TYPES: Record<string, string> = {
  Integer: "int",
  BigInteger: "int",
  SmallInteger: "int",
  String: "str",
  Text: "str",
  Unicode: "str",
  UnicodeText: "str",
  UUID: "UUID",
  Uuid: "UUID",
  GUID: "UUID",
};

/**
 * A type annotation reduced to the type itself: wrappers and None dropped, module prefixes removed.
 * "Mapped[Optional[int]]" → "int", "int | None" → "int", "uuid.UUID" → "UUID", "Optional[str]" → "str".
 */
export function simplifyAnnotation(annotation: string): string {
  let type = annotation.trim().replace(/^["']|["']$/g, "");
  for (;;) {
    const wrapped = /^(?:[\w.]*\.)?(Mapped|Optional|Union)\[(.*)\]$/.exec(type);
    if (!wrapped) break;
    type = wrapped[2].trim();
  }
  const parts = type.split(/\s*[|,]\s*/).filter((p) => p && p !== "None");
  return (parts[0] ?? type).split(".").pop() ?? type;
}

/** The names of the types a `Column(...)`/`mapped_column(...)` call is given ("String" for `Column(String(36), ...)`); null for other values. */
export function columnTypeNames(source: PySource, value: SyntaxNode | null): string[] | null {
  const call = callParts(source, value);
  if (lastName(call?.callee ?? null) !== "Column" && lastName(call?.callee ?? null) !== "mapped_column") return null;
  const typeArgs = [...call!.positional, ...(call!.keywords.has("type_") ? [call!.keywords.get("type_")!] : [])];
  return typeArgs.flatMap((arg) => lastName(dottedName(source, arg) ?? callParts(source, arg)?.callee ?? null) ?? []);
}

/**
 * The Python type of `user_id` in a class body: from its annotation (`user_id: int | None = Field(...)`) or, for
 * classic SQLAlchemy, its column type (`user_id = Column(Integer, ...)` → "int"); "Any" when a column names no known
 * type; null when the class has no user_id.
 */
export function userIdType(source: PySource, model: ClassInfo): string | null {
  const fields = assignmentsIn(source, model.body).filter((field) => field.targets.includes("user_id"));
  const annotated = fields.find((field) => field.annotation !== null);
  if (annotated) return simplifyAnnotation(textOf(source, annotated.annotation!));
  const types = fields.map((field) => columnTypeNames(source, field.value)).find((names) => names !== null);
  if (!types) return null;
  const known = types.find((name) => name in COLUMN_TYPES);
  return known ? COLUMN_TYPES[known] : "Any";
}

/** 0 for a database model (`table=True`, a `Base`/`DeclarativeBase` subclass...), 1 for anything else but plain pydantic, null for `BaseModel` or no bases. */
function modelRank(source: PySource, model: ClassInfo): number | null {
  const { bases, keywords } = model;
  if (bases.length === 0 && keywords.size === 0) return null;
  if (keywords.size === 0 && bases.length === 1 && /^(?:pydantic\.)?BaseModel$/.test(bases[0])) return null;
  const table = keywords.get("table");
  if (table && textOf(source, table) === "True") return 0;
  return bases.some((base) => /(?:^|\.)Base$|DeclarativeBase|^db\.Model$/.test(base)) ? 0 : 1;
}

/** The module defining the Task model (a database model preferred over other Task classes); null when none. */
export function findTaskModel(sources: PythonSources): TaskModelInfo | null {
  let best: { rank: number; info: TaskModelInfo } | null = null;
  for (const file of preferFiles(sources.files, PREFERRED_MODEL_FILES)) {
    const text = sources.text(file);
    const source = text?.includes("class Task") ? parsePython(text) : null;
    const found = source ? findTaskClass(source) : null;
    const rank = source && found ? modelRank(source, found) : null;
    if (!source || !found || rank === null || (best && best.rank <= rank)) continue;
    best = { rank, info: { module: sources.moduleOf(file), file: sources.repoPath(file), className: "Task", userIdType: userIdType(source, found) } };
    if (rank === 0) break;
  }
  return best?.info ?? null;
}
