import type { SyntaxNode } from "@lezer/common";
import { columnTypeNames, simplifyAnnotation } from "../detect/task-model.js";
import { assignmentsIn, classesIn, type ClassInfo } from "../python/definitions.js";
import { bindingsOf, fromClause } from "../python/imports.js";
import { descendants, parsePython, textOf, type PySource } from "../python/syntax.js";
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
  [/^(?:Big|Small)?Integer$/, "int"],
  [/^(?:String|Text|Unicode|UnicodeText)$/, "str"],
  [/^Boolean$/, "bool"],
];

/** A top-level class of a parsed module by name; null when absent or when the name is dotted (defined elsewhere). */
function classIn(source: PySource, name: string): ClassInfo | null {
  return /^\w+$/.test(name) ? (classesIn(source).find((found) => found.name === name) ?? null) : null;
}

/** The Python type ("Any" when unknown) of a `Column(...)`/`mapped_column(...)` value; null for other values. */
function columnType(source: PySource, value: SyntaxNode | null): string | null {
  const names = columnTypeNames(source, value);
  if (names === null) return null;
  for (const name of names) {
    const found = COLUMN_TYPES.find(([type]) => type.test(name));
    if (found) return found[1];
  }
  return "Any";
}

/** Column name → Python type ("Any" when unknown) of the statements directly in a class body. */
function bodyColumns(source: PySource, model: ClassInfo): Map<string, string> {
  const columns = new Map<string, string>();
  for (const field of assignmentsIn(source, model.body)) {
    const type = field.annotation ? simplifyAnnotation(textOf(source, field.annotation)) : columnType(source, field.value);
    if (type !== null) for (const target of field.annotation ? field.targets.slice(0, 1) : field.targets) columns.set(target, type);
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
  const source = parsePython(text);
  const visit = (name: string): boolean => {
    const found = seen.has(name) ? null : classIn(source, name);
    if (!found) return false;
    seen.add(name);
    for (const base of found.bases) {
      if (!visit(base) && !COLUMNLESS_BASE.test(base)) complete = false;
    }
    for (const [column, type] of bodyColumns(source, found)) columns.set(column, type); // a subclass's own annotation wins
    return true;
  };
  return visit(className) ? { columns, complete } : null;
}

/** Primary key types the task routes take in their paths. */
const ROUTE_ID_TYPES = ["int", "UUID", "str", "Any"];

/** The type the task routes take `{task_id}` as: the model's id type ("int", "UUID" or "str"); "int" when unknown. */
export function taskIdType(text: string | null, className: string): "int" | "UUID" | "str" {
  const type = text === null ? undefined : modelColumns(text, className)?.columns.get("id");
  return type === "UUID" || type === "str" ? type : "int";
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
  if (idType !== undefined && !ROUTE_ID_TYPES.includes(idType)) {
    return (
      `${model.className}.id in ${model.file} is ${idType}, but the task routes look tasks up by an int, UUID or str id ` +
      `(/tasks/{task_id}); give ${model.className} such a primary key and rerun to get the task routes`
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
  const source = parsePython(text);
  return descendants(source.top, "ImportStatement").some((statement) => importedModules(source, statement).some((module) => /^sqlmodel(?:\.|$)/.test(module)));
}

/** The modules an import statement reads: `from a.b import c` → ["a.b"], `import a, b.c as d` → ["a", "b.c"] (relative ones keep their dots). */
function importedModules(source: PySource, statement: SyntaxNode): string[] {
  const from = fromClause(source, statement);
  if (from) return [`${".".repeat(from.dots)}${from.module}`];
  return bindingsOf(source, statement).map((binding) => binding.target);
}
