import { createRequire } from "node:module";

const requireModule = createRequire(import.meta.url);

/**
 * A package loaded on first use, not at start-up: the CLI's start-up is benchmarked against plop's,
 * and most runs never need a YAML, TOML, diff or TypeScript parser. Node 20.19+ can require() ES modules.
 */
export function lazyModule<T>(name: string): () => T {
  let loaded: T | null = null;
  return () => (loaded ??= requireModule(name) as T);
}
