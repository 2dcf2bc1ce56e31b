import { assignmentsIn } from "../python/definitions.js";
import { moduleBindings } from "../python/imports.js";
import { callParts, lastName, parsePython } from "../python/syntax.js";

/** The name of the SQLAlchemy engine a db module exposes at top level (created, assigned or imported); null when none is seen. */
export function engineName(text: string): string | null {
  const source = parsePython(text);
  const assignments = assignmentsIn(source);
  const created = assignments.find((assignment) => /^create(?:_async)?_engine$/.test(lastName(callParts(source, assignment.value)?.callee ?? null) ?? ""));
  if (created?.targets[0]) return created.targets[0];
  if (assignments.some((assignment) => assignment.targets.includes("engine"))) return "engine";
  return moduleBindings(source).get("engine")?.target.endsWith(".engine") ? "engine" : null;
}
