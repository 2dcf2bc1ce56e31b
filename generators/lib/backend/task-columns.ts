import type { SyntaxNode } from "@lezer/common";
import { columnTypeNames, simplifyAnnotation } from "../detect/task-model.js";
import { assignmentsIn, classesIn, type ClassInfo } from "../python/definitions.js";
import { bindingsOf, fromClause } from "../python/imports.js";
import { callParts, descendants, dottedName, lastName, parsePython, stringValue, textOf, type PySource } from "../python/syntax.js";
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
  return taskColumnsPlan(text, model.className, model.file).problem;
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

/** Python types the generated routes can take from a request body as they are (pydantic parses them on v1 and v2 alike). */
export type RequestType = "str" | "int" | "float" | "bool" | "datetime" | "date" | "UUID";
const REQUEST_TYPES: readonly string[] = ["str", "int", "float", "bool", "datetime", "date", "UUID"];

/** SQLAlchemy column types (`Column(String(20))`, `mapped_column(Integer)`) and the Python type they hold. */
const SQL_TYPES: [RegExp, RequestType][] = [
  [/^(?:Big|Small)?Integer$|^(?:BIG|SMALL)?INT(?:EGER)?$/, "int"],
  [/^(?:String|Text|Unicode|UnicodeText|VARCHAR|NVARCHAR|CHAR|NCHAR|TEXT|AutoString)$/, "str"],
  [/^(?:Boolean|BOOLEAN)$/, "bool"],
  [/^(?:Float|Double|REAL|FLOAT|DOUBLE|DOUBLE_PRECISION)$/, "float"],
  [/^(?:DateTime|DATETIME|TIMESTAMP)$/, "datetime"],
  [/^(?:Date|DATE)$/, "date"],
  [/^(?:Uuid|UUID|GUID)$/, "UUID"],
];

/** Values of a class body that are not columns: relationships and other mapper constructs. */
const NOT_COLUMNS = /^(?:Relationship|relationship|backref|association_proxy|column_property|synonym|composite|query_expression|dynamic_loader|hybrid_property)$/;

/** What the task routes need to know of one column of the project's model. */
export interface ModelColumn {
  name: string;
  /** 1-based line of its declaration. */
  line: number;
  /** The one Python type it holds ("str", "UUID", "TaskStatus", "list[str]"); null when the declaration names none. */
  type: string | null;
  nullable: boolean;
  /** Something fills it when an insert gives no value: a default, default_factory, server_default, an autoincrement key... */
  hasDefault: boolean;
  primaryKey: boolean;
  /** The target a foreign key names ("projects.id"); null for none. */
  foreignKey: string | null;
  /** The longest string it holds (`String(20)`, `Field(max_length=20)`); null when unlimited or unknown. */
  maxLength: number | null;
}

/** A Python literal's truth: "True" → true, "False" → false, anything else → null. */
function literalBool(source: PySource, node: SyntaxNode | undefined): boolean | null {
  const text = node ? textOf(source, node) : "";
  return text === "True" ? true : text === "False" ? false : null;
}

/** A keyword that gives a column a value on insert: present and not `None`. */
function givesValue(source: PySource, node: SyntaxNode | undefined): boolean {
  return node !== undefined && textOf(source, node) !== "None";
}

function integerValue(source: PySource, node: SyntaxNode | undefined): number | null {
  const text = node ? textOf(source, node) : "";
  return /^\d+$/.test(text) ? Number(text) : null;
}

/** One annotation's type: wrappers and None dropped, module prefixes removed ("Mapped[Optional[uuid.UUID]]" → "UUID"); null for a union of types. */
function annotationType(annotation: string): { type: string | null; optional: boolean } {
  const members = annotationMembers(annotation);
  const types = members.filter((member) => member !== "None");
  const type = types.length === 1 ? types[0].replace(/^["']|["']$/g, "") : null;
  return { type: type && /^[\w.]+$/.test(type) ? (type.split(".").pop() ?? type) : type, optional: types.length < members.length };
}

interface ColumnCall {
  type: string | null;
  maxLength: number | null;
  foreignKey: string | null;
  nullable: boolean | null;
  primaryKey: boolean;
  hasDefault: boolean;
  autoincrement: boolean | null;
}

/** The parts of a `Column(...)` or `mapped_column(...)` call that decide whether an insert must give it a value. */
function columnCall(source: PySource, call: NonNullable<ReturnType<typeof callParts>>): ColumnCall {
  const parts: ColumnCall = { type: null, maxLength: null, foreignKey: null, nullable: null, primaryKey: false, hasDefault: false, autoincrement: null };
  const typeArg = (arg: SyntaxNode) => {
    const inner = callParts(source, arg);
    const name = lastName(dottedName(source, arg) ?? inner?.callee ?? null);
    if (name === null) return;
    if (name === "ForeignKey") {
      parts.foreignKey = stringValue(source, inner?.positional[0]) ?? (inner?.positional[0] ? textOf(source, inner.positional[0]) : null);
    } else if (/^(?:Computed|Identity|Sequence|FetchedValue|DefaultClause)$/.test(name)) {
      parts.hasDefault = true;
    } else {
      parts.type = SQL_TYPES.find(([pattern]) => pattern.test(name))?.[1] ?? name;
      parts.maxLength = inner ? (integerValue(source, inner.positional[0]) ?? integerValue(source, inner.keywords.get("length"))) : null;
    }
  };
  for (const arg of call.positional) if (stringValue(source, arg) === null) typeArg(arg);
  const keyword = (name: string) => call.keywords.get(name);
  if (keyword("type_")) typeArg(keyword("type_")!);
  parts.nullable = literalBool(source, keyword("nullable"));
  parts.primaryKey = literalBool(source, keyword("primary_key")) === true;
  parts.autoincrement = literalBool(source, keyword("autoincrement"));
  if (["default", "server_default", "insert_default", "default_factory"].some((name) => givesValue(source, keyword(name)))) parts.hasDefault = true;
  return parts;
}

/** A column of a class body statement; null when the statement declares no column. */
function columnOf(source: PySource, target: string, annotation: string | null, value: SyntaxNode | null, line: number): ModelColumn | null {
  if (/^__\w+__$/.test(target) || target === "model_config" || (annotation !== null && /^(?:[\w.]*\.)?ClassVar\b/.test(annotation))) return null;
  const call = callParts(source, value);
  const callee = lastName(call?.callee ?? null);
  if (callee !== null && NOT_COLUMNS.test(callee)) return null;
  const declared = annotation === null ? { type: null, optional: false } : annotationType(annotation);
  let column: ColumnCall = { type: null, maxLength: null, foreignKey: null, nullable: null, primaryKey: false, hasDefault: false, autoincrement: null };
  // A Column(...) has nullable=True by default; mapped_column(...) and SQLModel fields take it from the annotation.
  let nullableByDefault = declared.optional;
  if (call && (callee === "Column" || callee === "mapped_column")) {
    column = columnCall(source, call);
    if (callee === "Column" || annotation === null) nullableByDefault = true;
  } else if (call && callee === "Field") {
    const keyword = (name: string) => call.keywords.get(name);
    const sa = callParts(source, keyword("sa_column"));
    if (sa && lastName(sa.callee) === "Column") {
      column = columnCall(source, sa); // SQLModel uses the sa_column as it is
      nullableByDefault = true;
    } else {
      const first = call.positional[0];
      const positionalDefault = first !== undefined && first.name !== "Ellipsis";
      const serverDefault = keyword("sa_column_kwargs") && /["'](?:server_default|default|insert_default)["']/.test(textOf(source, keyword("sa_column_kwargs")!));
      column = {
        type: null,
        maxLength: integerValue(source, keyword("max_length")),
        foreignKey: stringValue(source, keyword("foreign_key")),
        nullable: literalBool(source, keyword("nullable")),
        primaryKey: literalBool(source, keyword("primary_key")) === true,
        hasDefault: (positionalDefault && givesValue(source, first)) || givesValue(source, keyword("default")) || keyword("default_factory") !== undefined || Boolean(serverDefault),
        autoincrement: null,
      };
      const saType = keyword("sa_type");
      if (saType) column.maxLength ??= callParts(source, saType) ? integerValue(source, callParts(source, saType)!.positional[0]) : null;
    }
  } else if (annotation === null) {
    return null; // an un-annotated value that is no Column is not a column
  } else if (value !== null) {
    column.hasDefault = textOf(source, value) !== "None"; // `completed: bool = False`
  }
  const type = declared.type ?? column.type;
  const primaryKey = column.primaryKey;
  const nullable = column.nullable ?? (!primaryKey && nullableByDefault);
  const autoincrement = primaryKey && type === "int" && column.autoincrement !== false;
  return { name: target, line, type, nullable, hasDefault: column.hasDefault || autoincrement, primaryKey, foreignKey: column.foreignKey, maxLength: column.maxLength };
}

/**
 * The columns of a model class in a module's text with what an insert needs to know of each (nullable,
 * filled by a default, foreign key), its own and those of base classes defined in the same module (a
 * subclass's declaration wins). Null when the class is absent.
 */
export function modelColumnDetails(text: string, className: string): ModelColumn[] | null {
  const source = parsePython(text);
  const columns = new Map<string, ModelColumn>();
  const seen = new Set<string>();
  const visit = (name: string): boolean => {
    const found = seen.has(name) ? null : classIn(source, name);
    if (!found) return false;
    seen.add(name);
    for (const base of found.bases) visit(base);
    for (const field of assignmentsIn(source, found.body)) {
      const annotation = field.annotation ? textOf(source, field.annotation) : null;
      for (const target of annotation ? field.targets.slice(0, 1) : field.targets) {
        const column = columnOf(source, target, annotation, field.value, field.line);
        if (column) columns.set(target, column);
      }
    }
    return true;
  };
  return visit(className) ? [...columns.values()] : null;
}

/**
 * The type of the column a foreign key names ("projects.id"), from the model of that table in the same module
 * (`__tablename__ = "projects"`, or SQLModel's default: the class name in lower case); null when not found there.
 */
function referencedType(text: string, foreignKey: string): string | null {
  const [table, column] = foreignKey.split(".");
  if (!table || !column) return null;
  const source = parsePython(text);
  for (const model of classesIn(source)) {
    const tablename = assignmentsIn(source, model.body).find((field) => field.targets.includes("__tablename__"));
    const name = tablename ? stringValue(source, tablename.value) : model.name.toLowerCase();
    if (name === table) return modelColumnDetails(text, model.name)?.find((found) => found.name === column)?.type ?? null;
  }
  return null;
}

/** A column the task routes take from the request body because the model gives it no value of its own. */
export interface RequestColumn {
  name: string;
  type: RequestType;
  maxLength: number | null;
  foreignKey: string | null;
  line: number;
}

/** How the task routes fill a column the model requires and they own: completed, the timestamps, another owner column, a str or UUID key. */
export interface FilledColumn {
  name: string;
  value: "False" | "now" | "user.id" | "uuid4()" | "str(uuid4())";
}

/** How the task routes fit the project's model's constraints: what they take from the request, what they fill, or why they cannot. */
export interface TaskColumnsPlan {
  request: RequestColumn[];
  fill: FilledColumn[];
  /** description is NOT NULL without a default: the routes store "" for a missing one and never set it to null. */
  descriptionRequired: boolean;
  /** The model's own limits on title and description when they are below the routes' (200 and 1000). */
  titleMaxLength: number;
  descriptionMaxLength: number;
  /** The model declares updated_at (the routes stamp it on every change). */
  hasUpdatedAt: boolean;
  /** Why the routes cannot insert into the model; null when they can. */
  problem: string | null;
}

/** Columns the task routes write themselves, whatever the model says of them. */
const ROUTE_FILLED = new Set(["id", "title", "description", "user_id"]);
/** The other columns that name a task's owner: filled with the caller's id, never taken from the request. */
const OTHER_OWNER_COLUMNS = new Set(["owner_id", "author_id", "created_by"]);
/** Names a pydantic model cannot have as fields: its own attributes and methods (v1 and v2). */
const PYDANTIC_RESERVED = /^(?:_.*|model_.*|dict|json|copy|schema|schema_json|construct|validate|fields|parse_obj|parse_raw|parse_file|from_orm|update_forward_refs|Config)$/;

export const TITLE_MAX_LENGTH = 200;
export const DESCRIPTION_MAX_LENGTH = 1000;

/** `Task.priority (backend/models.py:14)`: a column as messages name it. */
function columnRef(className: string, file: string, column: ModelColumn): string {
  return `${className}.${column.name} (${file}:${column.line})`;
}

/**
 * How the generated task routes insert into the project's model without breaking its constraints. A column that
 * is NOT NULL and gets no value of its own (no default, server_default or autoincrement) makes every insert that
 * leaves it out fail, so: completed gets False, created_at/updated_at the current time, another owner column the
 * caller's id, and every other such column is taken from the request (required in TaskCreate, optional in
 * TaskUpdate) when its type is one pydantic parses as it is; otherwise `problem` says which column stops the
 * routes and what to change. `text` is the model module's text (null: nothing is known, nothing is needed).
 */
export function taskColumnsPlan(text: string | null, className: string, file: string): TaskColumnsPlan {
  const plan: TaskColumnsPlan = { request: [], fill: [], descriptionRequired: false, titleMaxLength: TITLE_MAX_LENGTH, descriptionMaxLength: DESCRIPTION_MAX_LENGTH, hasUpdatedAt: false, problem: null };
  const columns = text === null ? null : modelColumnDetails(text, className);
  if (!columns) return plan;
  plan.hasUpdatedAt = columns.some((column) => column.name === "updated_at");
  const problems: string[] = [];
  for (const column of columns) if (column.type === null && column.foreignKey) column.type = referencedType(text!, column.foreignKey);
  const fix = "give it a default (a default=, default_factory= or server_default=) or make it nullable, then rerun to get the task routes";
  for (const column of columns) {
    const required = !column.nullable && !column.hasDefault;
    if (column.name === "title" && column.maxLength !== null) plan.titleMaxLength = Math.min(plan.titleMaxLength, column.maxLength);
    if (column.name === "description") {
      if (column.maxLength !== null) plan.descriptionMaxLength = Math.min(plan.descriptionMaxLength, column.maxLength);
      plan.descriptionRequired = required;
    }
    if (!required) continue;
    if (column.primaryKey) {
      // An int key autoincrements (it counts as having a default); a str or UUID key without one gets a fresh UUID.
      if (column.type === "UUID" || column.type === "str") plan.fill.push({ name: column.name, value: column.type === "UUID" ? "uuid4()" : "str(uuid4())" });
      else problems.push(`${columnRef(className, file, column)} is the primary key, without a default, of a type (${column.type ?? "unknown"}) the task routes cannot make a value of: ${fix}`);
      continue;
    }
    if (ROUTE_FILLED.has(column.name)) continue;
    if (column.name === "completed") {
      plan.fill.push({ name: column.name, value: "False" });
    } else if ((column.name === "created_at" || column.name === "updated_at") && (column.type === "datetime" || column.type === null)) {
      plan.fill.push({ name: column.name, value: "now" });
    } else if (OTHER_OWNER_COLUMNS.has(column.name)) {
      if (column.type === "str") plan.fill.push({ name: column.name, value: "user.id" });
      else problems.push(`${columnRef(className, file, column)} is NOT NULL without a default and names the owner, but it is ${column.type ?? "not a str"} while Better Auth's user ids are strings: ${fix}`);
    } else if (column.type === null || !REQUEST_TYPES.includes(column.type)) {
      problems.push(
        `${columnRef(className, file, column)} is NOT NULL without a default, and its type (${column.type ?? "unknown"}) is not one the generated routes can take ` +
          `from a request as it is (str, int, float, bool, datetime, date, UUID): ${fix}`,
      );
    } else if (PYDANTIC_RESERVED.test(column.name)) {
      problems.push(`${columnRef(className, file, column)} is NOT NULL without a default, but ${column.name} cannot be a field of a pydantic request model: ${fix}`);
    } else {
      plan.request.push({ name: column.name, type: column.type as RequestType, maxLength: column.maxLength, foreignKey: column.foreignKey, line: column.line });
    }
  }
  if (problems.length > 0) plan.problem = problems.join("; ");
  return plan;
}

/**
 * What the summary says of the columns the task routes take from the request: which POST requires, and that a
 * foreign key is checked to name an existing row but not to belong to the caller. Empty when there are none.
 */
export function requestColumnNotes(plan: TaskColumnsPlan, className: string, modelFile: string, routesFile: string): string[] {
  if (plan.request.length === 0) return [];
  const listed = plan.request.map((column) => `${column.name} (${column.type}${column.foreignKey ? `, references ${column.foreignKey}` : ""}, line ${column.line})`);
  const notes = [
    `${modelFile}: ${className} has NOT NULL columns without a default, so the task routes in ${routesFile} take them from the request ` +
      `(required when creating a task, optional when updating one; 422 when missing): ${listed.join(", ")}; send them from your frontend when creating tasks`,
  ];
  for (const column of plan.request.filter((found) => found.foreignKey !== null)) {
    notes.push(
      `${routesFile}: ${className}.${column.name} (${modelFile}:${column.line}) is a foreign key to ${column.foreignKey}: the task routes refuse (422) an id that names no row, ` +
        `but do not check that the row belongs to the caller; if those rows are per user, check their owner in ${routesFile} before relying on it`,
    );
  }
  return notes;
}
