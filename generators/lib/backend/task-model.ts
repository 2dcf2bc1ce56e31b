import { simplifyAnnotation } from "../detect/task-model.js";
import type { TaskModelInfo } from "../types.js";

/** The member types of an annotation, unwrapping Mapped[...], Optional[...] and Union[...]: "Mapped[str | None]" → ["str", "None"]. */
function annotationMembers(annotation: string): string[] {
  let bare = annotation.replace(/\s+/g, "").replace(/^["']|["']$/g, "");
  for (let previous = ""; previous !== bare; ) {
    previous = bare;
    bare = bare
      .replace(/^(?:(?:sqlalchemy\.)?orm\.)?Mapped\[(.*)\]$/, "$1")
      .replace(/^(?:typing\.)?Optional\[(.*)\]$/, "$1|None")
      .replace(/^(?:typing\.)?Union\[(.*)\]$/, (_, inner: string) => inner.split(",").join("|"));
  }
  return bare.split("|");
}

/** True for a plain string annotation, optional or not: "str", "str | None", "Optional[str]", "Mapped[str]". */
export function isStringAnnotation(annotation: string): boolean {
  const members = annotationMembers(annotation).filter((member) => member !== "None");
  return members.length === 1 && members[0] === "str";
}

/** The columns the task routes read and write besides user_id. */
const ROUTE_COLUMNS = ["id", "title", "description", "completed"];

/** Bases, when not defined in the model's module, that declare no columns (a model's columns are then all seen). */
const COLUMNLESS_BASE = /^(?:[\w.]*\.)?(?:SQLModel|Base|DeclarativeBase|Model|BaseModel|AsyncAttrs|MappedAsDataclass|object)$/;

/** SQLAlchemy column types of an un-annotated `name = Column(Type, ...)`, as the Python type they hold. */
const COLUMN_TYPES: [RegExp, string][] = [
  [/\b(?:Big|Small)?Integer\b/, "int"],
  [/\b(?:String|Text|Unicode|UnicodeText)\b/, "str"],
  [/\bBoolean\b/, "bool"],
];

/** A top-level class's base names (keyword arguments left out) and body lines; null when the text has no such class. */
function classIn(text: string, name: string): { bases: string[]; body: string[] } | null {
  if (!/^\w+$/.test(name)) return null; // a dotted or subscripted base is defined elsewhere
  const header = new RegExp(`^class\\s+${name}\\s*(?:\\(([^)]*)\\))?\\s*:`, "m").exec(text);
  if (!header) return null;
  const bases = (header[1] ?? "").split(",").map((base) => base.trim()).filter((base) => base && !base.includes("="));
  const rest = text.slice(header.index + header[0].length).split("\n").slice(1);
  const end = rest.findIndex((line) => /^[^\s#]/.test(line));
  return { bases, body: end === -1 ? rest : rest.slice(0, end) };
}

/** Column name → Python type ("Any" when unknown) of the statements at a class body's own indentation. */
function bodyColumns(body: string[]): Map<string, string> {
  const columns = new Map<string, string>();
  const indent = body.find((line) => /^\s+[^\s#]/.test(line))?.match(/^\s+/)?.[0];
  if (indent === undefined) return columns;
  for (const line of body) {
    if (!line.startsWith(indent) || /^\s/.test(line.slice(indent.length))) continue;
    const annotated = /^(\w+)\s*:\s*([^=]+?)\s*(?:=.*)?$/.exec(line.slice(indent.length));
    if (annotated) {
      columns.set(annotated[1], simplifyAnnotation(annotated[2]));
      continue;
    }
    const assigned = /^(\w+)\s*=\s*(?:[\w.]*\.)?(?:Column|mapped_column)\((.*)$/.exec(line.slice(indent.length));
    if (assigned) columns.set(assigned[1], COLUMN_TYPES.find(([type]) => type.test(assigned[2]))?.[1] ?? "Any");
  }
  return columns;
}

/**
 * The columns of a model class in a module's text, its own and those of base classes defined in the same
 * module; `complete` is false when a base lies elsewhere (its columns are unknown). Null when the class is absent.
 */
export function modelColumns(text: string, className: string): { columns: Map<string, string>; complete: boolean } | null {
  const columns = new Map<string, string>();
  let complete = true;
  const seen = new Set<string>();
  const visit = (name: string): boolean => {
    const found = seen.has(name) ? null : classIn(text, name);
    if (!found) return false;
    seen.add(name);
    for (const base of found.bases) {
      if (!visit(base) && !COLUMNLESS_BASE.test(base)) complete = false;
    }
    for (const [column, type] of bodyColumns(found.body)) columns.set(column, type); // a subclass's own annotation wins
    return true;
  };
  return visit(className) ? { columns, complete } : null;
}

/** Why the project's Task model cannot back the task routes, or null when it can; `text` is its module's text. */
export function taskModelProblem(model: TaskModelInfo, text: string | null): string | null {
  const found = text === null ? null : modelColumns(text, model.className);
  const userIdType = model.userIdType ?? found?.columns.get("user_id") ?? null;
  if (userIdType === null) {
    return `${model.className} in ${model.file} has no user_id column; the task routes need a str user_id holding Better Auth's user ids`;
  }
  if (!isStringAnnotation(userIdType)) {
    return (
      `${model.className}.user_id in ${model.file} is ${userIdType}, but Better Auth's user ids are strings ` +
      `(the token's sub); make it a str column (user_id: str = Field(index=True)) and rerun to get the task routes`
    );
  }
  if (!found) return null;
  const idType = found.columns.get("id");
  if (idType !== undefined && idType !== "int" && idType !== "Any") {
    return (
      `${model.className}.id in ${model.file} is ${idType}, but the task routes look tasks up by an int id ` +
      `(/tasks/{task_id}); give ${model.className} an int primary key and rerun to get the task routes`
    );
  }
  const missing = ROUTE_COLUMNS.filter((column) => !found.columns.has(column));
  if (found.complete && missing.length > 0) {
    return (
      `${model.className} in ${model.file} has no ${missing.join(", ")} column${missing.length > 1 ? "s" : ""}; the task routes ` +
      `read and write ${ROUTE_COLUMNS.join(", ")} and user_id: add ${missing.length > 1 ? "them" : "it"} and rerun to get the task routes`
    );
  }
  return null;
}

/** True when a module imports sqlmodel: its models then take sqlmodel's typed `select` and `col`. */
export function importsSqlModel(text: string): boolean {
  return /^\s*(?:from\s+sqlmodel[\s.]|import\s+sqlmodel\b)/m.test(text);
}
