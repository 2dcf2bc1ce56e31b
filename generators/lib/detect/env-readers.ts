import { PythonSources } from "./python-sources.js";

/** A place in the backend's own code that names an environment variable. */
export interface EnvReader {
  file: string;
  line: number;
}

/**
 * Where the backend's own Python (not the files this tool generated, not tests) names `key`,
 * in any letter case: `os.environ["KEY"]`, `getenv("KEY")` or a pydantic-settings field `key: str`.
 * Removing such a variable from the backend's environment would stop that code at start-up.
 */
export function findEnvReaders(root: string, backendDir: string, key: string): EnvReader[] {
  const sources = new PythonSources(root, backendDir);
  const name = new RegExp(`\\b${key}\\b`, "i");
  const readers: EnvReader[] = [];
  for (const file of sources.files) {
    const lines = sources.text(file)?.split("\n") ?? [];
    const index = lines.findIndex((line) => name.test(line.replace(/#.*$/, "")));
    if (index >= 0) readers.push({ file: sources.repoPath(file), line: index + 1 });
  }
  return readers;
}
