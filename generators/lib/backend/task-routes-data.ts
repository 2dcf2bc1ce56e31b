import type { BackendLayout, TaskModelLocation } from "./layout.js";
import type { RequestColumn } from "./task-columns.js";

/** `priority: str = Field(max_length=20)`: a request column as a required field of TaskCreate. */
function createField(column: RequestColumn): string {
  const comment = column.foreignKey ? `  # references ${column.foreignKey}` : "";
  return column.maxLength === null ? `${column.name}: ${column.type}${comment}` : `${column.name}: ${column.type} = Field(max_length=${column.maxLength})${comment}`;
}

/** `priority: str | None = None`: a request column as an optional field of TaskUpdate (null changes nothing). */
function updateField(column: RequestColumn): string {
  return column.maxLength === null ? `${column.name}: ${column.type} | None = None` : `${column.name}: ${column.type} | None = Field(default=None, max_length=${column.maxLength})`;
}

/**
 * What routes/tasks.py's template needs of the project's pydantic and Task model, besides what templates.ts
 * computes: the pydantic import line and the v1/v2 spellings (`class Config: orm_mode = True` and `.dict()` on
 * v1), the columns TaskCreate/TaskUpdate/TaskRead gain and the constructor fills, the foreign keys checked, and
 * the stdlib names those columns' types need (`date`, `UUID`).
 */
export function taskRoutesModelData(layout: BackendLayout, model: TaskModelLocation) {
  const v1 = layout.pydantic.major === 1;
  const { request, fill, descriptionRequired, titleMaxLength, descriptionMaxLength } = model.columns;
  const createArgs = [...request.map((column) => `${column.name}=body.${column.name}`), ...fill.map((column) => `${column.name}=${column.value}`)];
  const types = new Set(request.map((column) => column.type));
  return {
    pydanticImport: v1 ? "from pydantic import BaseModel, Field" : "from pydantic import BaseModel, ConfigDict, Field",
    pydanticV1: v1,
    dumpMethod: v1 ? "dict" : "model_dump",
    titleMaxLength,
    descriptionMaxLength,
    descriptionRequired,
    createFields: request.map(createField),
    updateFields: request.map(updateField),
    readFields: request.map((column) => `${column.name}: ${column.type} | None = None`),
    createArgs,
    touchesUpdatedAt: model.columns.hasUpdatedAt,
    stampsNow: fill.some((column) => column.value === "now"),
    referenceColumns: request.filter((column) => column.foreignKey !== null).map((column) => column.name),
    /** The names tasks.py imports from datetime. */
    datetimeNames: types.has("date") ? "date, datetime, timezone" : "datetime, timezone",
    /** What tasks.py imports from uuid: UUID for a UUID id or request column, uuid4 for a key the routes make; "" for nothing. */
    uuidNames: [
      ...(model.idType === "UUID" || types.has("UUID") ? ["UUID"] : []),
      ...(fill.some((column) => column.value.includes("uuid4")) ? ["uuid4"] : []),
    ].join(", "),
  };
}

/** A value of each request type that pydantic accepts in a JSON body, for the generated tests. */
const EXAMPLE_VALUES: Record<RequestColumn["type"], string> = {
  str: '"test"',
  int: "1",
  float: "1.0",
  bool: "False",
  datetime: '"2024-01-01T00:00:00+00:00"',
  date: '"2024-01-01"',
  UUID: '"00000000-0000-4000-8000-000000000000"',
};

/**
 * What the generated tests need to create tasks on a model with request columns: `"name": value` entries (Python
 * dict items) for the columns without a foreign key, and the foreign key columns, which need an existing row of
 * the table they reference (the tests cannot make one without knowing that table).
 */
export function taskTestsModelData(model: TaskModelLocation): { testValues: string[]; referenceColumns: string[] } {
  const plain = model.columns.request.filter((column) => column.foreignKey === null);
  const example = (column: RequestColumn) => (column.type === "str" && column.maxLength !== null && column.maxLength < 4 ? '"t"' : EXAMPLE_VALUES[column.type]);
  return {
    testValues: plain.map((column) => `"${column.name}": ${example(column)}`),
    referenceColumns: model.columns.request.filter((column) => column.foreignKey !== null).map((column) => column.name),
  };
}
