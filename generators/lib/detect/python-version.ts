import { parseTomlDocument } from "../formats/toml.js";
import { readSmallText } from "./files.js";
import { joinRel } from "./paths.js";

/** A Python version as [major, minor]. */
export type PythonVersion = [number, number];

/** Where a backend states the Python it runs on, and how to read the version out of each. */
const VERSION_SOURCES: { file: string; read: (text: string, file: string) => string | null }[] = [
  { file: "pyproject.toml", read: pyprojectPython },
  { file: ".python-version", read: (text) => text.trim().split("\n")[0] ?? null },
  { file: "runtime.txt", read: (text) => /python-(\d+\.\d+)/.exec(text)?.[1] ?? null },
  { file: "Dockerfile", read: (text) => /^\s*FROM\s+(?:[\w.\-/]+\/)?python:(\d+\.\d+)/im.exec(text)?.[1] ?? null },
];

/** `requires-python` (PEP 621) or Poetry's `python` dependency; null when neither is set. */
function pyprojectPython(text: string, file: string): string | null {
  let doc: Record<string, unknown>;
  try {
    doc = parseTomlDocument(text, file);
  } catch {
    return null; // detection reports a malformed pyproject.toml elsewhere
  }
  const project = doc.project as { "requires-python"?: unknown } | undefined;
  const poetry = (doc.tool as { poetry?: { dependencies?: { python?: unknown } } } | undefined)?.poetry;
  const spec = project?.["requires-python"] ?? poetry?.dependencies?.python;
  return typeof spec === "string" ? spec : null;
}

/** The lowest Python version a specifier admits ("\>=3.9,<4" → 3.9, "^3.8" → 3.8, "3.12.1" → 3.12); null when it names none. */
export function lowestPython(spec: string): PythonVersion | null {
  const versions = [...spec.matchAll(/(?:^|[\s,|]|>=|==|~=|\^|~|>)\s*(\d+)\.(\d+)/g)].filter((match) => !/<\s*$/.test(spec.slice(0, match.index + 1)));
  const lows = versions.map((match) => [Number(match[1]), Number(match[2])] as PythonVersion);
  return lows.reduce<PythonVersion | null>((low, version) => (low === null || compare(version, low) < 0 ? version : low), null);
}

function compare(a: PythonVersion, b: PythonVersion): number {
  return a[0] - b[0] || a[1] - b[1];
}

/**
 * The lowest Python the backend says it runs on, from pyproject.toml, .python-version, runtime.txt and its
 * Dockerfile's base image; null when none says. The generated code must run on it (no `X | None` before 3.10).
 */
export function backendPythonVersion(root: string, backendDir: string): PythonVersion | null {
  let lowest: PythonVersion | null = null;
  for (const source of VERSION_SOURCES) {
    const file = joinRel(backendDir, source.file);
    const text = readSmallText(root, file);
    const spec = text === null ? null : source.read(text, file);
    const version = spec === null ? null : lowestPython(spec);
    if (version && (lowest === null || compare(version, lowest) < 0)) lowest = version;
  }
  return lowest;
}
