import type { PythonVersion } from "../detect/python-version.js";
import { addImports } from "../python/import-edits.js";
import { parsePython } from "../python/syntax.js";
import { applyEdits, type TextEdit } from "../text-edits.js";

/** True when a project's Python evaluates `X | None` annotations (3.10+), or says nothing of its version. */
export function hasUnionSyntax(version: PythonVersion | null): boolean {
  return version === null || version[0] > 3 || (version[0] === 3 && version[1] >= 10);
}

/** `name`, `a.b` or `name[...]` (one level of brackets inside) followed by ` | None`. */
const OPTIONAL_UNION = /([A-Za-z_][\w.]*(?:\[(?:[^[\]]|\[[^[\]]*\])*\])?) \| None\b/g;

/**
 * Generated Python for a project on Python 3.9 or older (text in → text out): each `X | None` of the
 * templates becomes `Optional[X]`, imported from typing, because pydantic and FastAPI evaluate
 * annotations at run time. Text for 3.10+ is returned as it is.
 */
export function fitPythonVersion(text: string, version: PythonVersion | null): string {
  if (hasUnionSyntax(version)) return text;
  const source = parsePython(text);
  // Only code is rewritten: strings and comments (the docs in docstrings) keep their wording.
  const edits: TextEdit[] = [];
  source.tree.iterate({
    enter: (node) => {
      if (node.name === "String" || node.name === "Comment" || node.name === "FormatString") return false;
      if (node.name !== "BinaryExpression") return undefined;
      const code = text.slice(node.from, node.to);
      const rewritten = code.replace(OPTIONAL_UNION, "Optional[$1]");
      if (rewritten !== code) edits.push({ start: node.from, end: node.to, text: rewritten });
      return false;
    },
  });
  if (edits.length === 0) return text;
  const converted = applyEdits(text, edits);
  return addImports(parsePython(converted), [{ module: "typing", name: "Optional" }]);
}
