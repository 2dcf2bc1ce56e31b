import { lineAt, parsePython, stringValue, type PySource } from "../python/syntax.js";
import { PythonSources } from "./python-sources.js";

/** A place in the backend's own code that names an environment variable. */
export interface EnvReader {
  file: string;
  line: number;
}

/** The offset of the first name or string literal in the code that is `key` in any letter case; null when none is (comments and docstrings do not count). */
function firstMention(source: PySource, key: string): number | null {
  const wanted = key.toLowerCase();
  let found: number | null = null;
  source.tree.iterate({
    enter: (node) => {
      if (found !== null) return false;
      const isName = node.name === "VariableName" || node.name === "PropertyName";
      const text = isName ? source.text.slice(node.from, node.to) : node.name === "String" ? stringValue(source, node.node) : null;
      if (text?.toLowerCase() === wanted) found = node.from;
      return undefined;
    },
  });
  return found;
}

/**
 * Where the backend's own Python (not the files this tool generated, not tests) names `key`,
 * in any letter case: `os.environ["KEY"]`, `getenv("KEY")` or a pydantic-settings field `key: str`.
 * Removing such a variable from the backend's environment would stop that code at start-up.
 */
export function findEnvReaders(root: string, backendDir: string, key: string): EnvReader[] {
  const sources = new PythonSources(root, backendDir);
  const readers: EnvReader[] = [];
  for (const file of sources.files) {
    const text = sources.text(file);
    if (!text || !text.toLowerCase().includes(key.toLowerCase())) continue;
    const at = firstMention(parsePython(text), key);
    if (at !== null) readers.push({ file: sources.repoPath(file), line: lineAt(text, at) });
  }
  return readers;
}
