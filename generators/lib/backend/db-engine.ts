/** A top-level `name = create_engine(...)` or `create_async_engine(...)`, optionally annotated. */
const ENGINE_CREATED = /^([A-Za-z_]\w*)\s*(?::[^=\n]+)?=\s*(?:[\w.]+\.)?create(?:_async)?_engine\(/m;
/** A top-level `engine = ...` or `engine: AsyncEngine = ...`. */
const ENGINE_ASSIGNED = /^(engine)\s*(?::[^=\n]+)?=(?!=)/m;
/** `from x import ..., engine, ...` at top level (one line, not renamed). */
const ENGINE_IMPORTED = /^from\s+[\w.]+\s+import\s+(?:[^#\n]*,\s*)?(engine)\s*(?:,|#|$)/m;

/** The name of the SQLAlchemy engine a db module exposes at top level; null when none is seen. */
export function engineName(text: string): string | null {
  return (ENGINE_CREATED.exec(text) ?? ENGINE_ASSIGNED.exec(text) ?? ENGINE_IMPORTED.exec(text))?.[1] ?? null;
}
