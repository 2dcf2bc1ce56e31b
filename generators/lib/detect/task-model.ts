import type { TaskModelInfo } from "../types.js";
import { PythonSources, preferFiles } from "./python-sources.js";

/** Where the Task model usually lives, best first. */
const PREFERRED_MODEL_FILES = ["models.py", "models/task.py", "app/models.py", "app/models/task.py", "app/models/__init__.py", "models/__init__.py"];

/** `class Task(...):` at top level. */
const TASK_CLASS = /^class\s+Task\s*\(([^)]*)\)\s*:/m;

/** A Task class found in a module: its base list and its body (the indented lines under it). */
export interface TaskClass {
  bases: string;
  body: string;
}

/** The top-level `class Task(...)` of a module's text; null when absent. */
export function findTaskClass(text: string): TaskClass | null {
  const match = TASK_CLASS.exec(text);
  if (!match) return null;
  const rest = text.slice(match.index + match[0].length).split("\n").slice(1);
  // The body ends at the next line that starts in column 0 and is not a comment.
  const end = rest.findIndex((line) => /^[^\s#]/.test(line));
  return { bases: match[1], body: (end === -1 ? rest : rest.slice(0, end)).join("\n") };
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

/**
 * The Python type of `user_id` in a class body: from its annotation (`user_id: int | None = Field(...)`) or, for
 * classic SQLAlchemy, its column type (`user_id = Column(Integer, ...)` → "int"); "Any" when a column names no known
 * type; null when the class has no user_id.
 */
export function userIdType(body: string): string | null {
  const annotated = /^[ \t]+user_id\s*:\s*([^=\n]+?)\s*(?:=.*)?$/m.exec(body);
  if (annotated) return simplifyAnnotation(annotated[1]);
  const column = /^[ \t]+user_id\s*=\s*(?:[\w.]*\.)?(?:Column|mapped_column)\((.*)$/m.exec(body);
  if (!column) return null;
  const typeName = Object.keys(COLUMN_TYPES).find((name) => new RegExp(`(^|[^\\w"'])(?:[\\w]+\\.)?${name}\\b`).test(column[1]));
  return typeName ? COLUMN_TYPES[typeName] : "Any";
}

/** 0 for a database model (`table=True`, a `Base`/`DeclarativeBase` subclass...), 1 for anything else but plain pydantic, null for `BaseModel`. */
function modelRank(bases: string): number | null {
  if (/^\s*(?:pydantic\.)?BaseModel\s*$/.test(bases)) return null;
  return /table\s*=\s*True|\bBase\b|DeclarativeBase|\bdb\.Model\b/.test(bases) ? 0 : 1;
}

/** The module defining the Task model (a database model preferred over other Task classes); null when none. */
export function findTaskModel(sources: PythonSources): TaskModelInfo | null {
  let best: { rank: number; info: TaskModelInfo } | null = null;
  for (const file of preferFiles(sources.files, PREFERRED_MODEL_FILES)) {
    const text = sources.text(file);
    const found = text?.includes("class Task") ? findTaskClass(text) : null;
    const rank = found ? modelRank(found.bases) : null;
    if (!found || rank === null || (best && best.rank <= rank)) continue;
    best = { rank, info: { module: sources.moduleOf(file), file: sources.repoPath(file), className: "Task", userIdType: userIdType(found.body) } };
    if (rank === 0) break;
  }
  return best?.info ?? null;
}
