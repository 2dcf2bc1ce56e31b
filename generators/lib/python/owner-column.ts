import { applyEdits, linesAfter } from "../text-edits.js";
import { assignmentsIn, classesIn } from "./definitions.js";
import { importEdits, type ImportedName } from "./import-edits.js";
import { parsePython, syntaxErrors, textOf, type PySource } from "./syntax.js";

/** The column names that make a model owned, in the order they are looked for. */
export const OWNER_COLUMNS = ["user_id", "owner_id", "author_id", "created_by"];

/** How a model class declares its columns, which decides how the owner column is written. */
export type ModelStyle = "sqlmodel" | "mapped" | "column";

/** The style of a class body: `Mapped[...]` annotations, `Column(...)` assignments, or SQLModel fields. */
export function modelStyle(source: PySource, className: string): ModelStyle | null {
  const model = classesIn(source).find((found) => found.name === className);
  if (!model) return null;
  const fields = assignmentsIn(source, model.body);
  if (fields.some((field) => field.annotation && /^(?:[\w.]*\.)?Mapped\[/.test(textOf(source, field.annotation)))) return "mapped";
  if (fields.some((field) => field.value && /^(?:[\w.]*\.)?Column\(/.test(textOf(source, field.value)))) return "column";
  return "sqlmodel";
}

/** The owner column's declaration and its imports, in a style. Nullable: rows that exist before it have no owner. */
function ownerDeclaration(style: ModelStyle): { line: string; imports: ImportedName[] } {
  const optional = { module: "typing", name: "Optional" };
  if (style === "mapped") {
    return {
      line: "user_id: Mapped[Optional[str]] = mapped_column(String(255), index=True, nullable=True)",
      imports: [optional, { module: "sqlalchemy", name: "String" }, { module: "sqlalchemy.orm", name: "Mapped" }, { module: "sqlalchemy.orm", name: "mapped_column" }],
    };
  }
  if (style === "column") {
    return { line: "user_id = Column(String(255), index=True, nullable=True)", imports: [{ module: "sqlalchemy", name: "Column" }, { module: "sqlalchemy", name: "String" }] };
  }
  return { line: "user_id: Optional[str] = Field(default=None, index=True)", imports: [optional, { module: "sqlmodel", name: "Field" }] };
}

/**
 * Adds a `user_id` owner column (a string: Better Auth's ids are strings; indexed; nullable so existing rows
 * stay valid) after the last field of a model class, in the class's own style (text in → text out).
 * Returns null when the class is absent or already has an owner column.
 */
export function addOwnerColumn(text: string, className: string): string | null {
  const source = parsePython(text);
  const model = classesIn(source).find((found) => found.name === className);
  const style = modelStyle(source, className);
  if (!model || !style) return null;
  const fields = assignmentsIn(source, model.body);
  if (fields.some((field) => field.targets.some((target) => OWNER_COLUMNS.includes(target)))) return null;
  const last = fields.at(-1);
  if (!last) return null;
  const { line, imports } = ownerDeclaration(style);
  const column = linesAfter(text, last.node.from, last.node.to, [line]);
  const edited = applyEdits(text, [column, ...importEdits(source, imports)]);
  if (syntaxErrors(parsePython(edited)).length > syntaxErrors(source).length) throw new Error(`adding user_id to ${className} produced invalid Python`);
  return edited;
}
