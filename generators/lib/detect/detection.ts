import type { BackendInfo, Detected, FrontendInfo } from "../types.js";
import { detectBackend, detectFrontend, detectRepo } from "./index.js";

/**
 * Detection for one run, each part computed once and handed on: the defaults, the validation of
 * each answer and the plan all read the same results instead of walking the repo again.
 */
export interface Detection {
  root: string;
  /** The whole repo's detection (candidates, compose file, malformed files met). */
  repo(): Detected;
  /** The Next.js app in `dir`; throws a UserInputError when it is none. */
  frontend(dir: string): FrontendInfo;
  /** The FastAPI app in `dir`; throws a UserInputError when it is none. */
  backend(dir: string): BackendInfo;
}

/** A Detection that computes each part on first use and remembers it (errors included). */
export function createDetection(root: string): Detection {
  let repo: Detected | null = null;
  const frontends = new Map<string, () => FrontendInfo>();
  const backends = new Map<string, () => BackendInfo>();
  const remembered = <T>(cache: Map<string, () => T>, dir: string, compute: () => T): T => {
    if (!cache.has(dir)) {
      try {
        const value = compute();
        cache.set(dir, () => value);
      } catch (error) {
        cache.set(dir, () => {
          throw error;
        });
      }
    }
    return cache.get(dir)!();
  };
  const detection: Detection = {
    root,
    repo() {
      if (!repo) {
        repo = detectRepo(root);
        if (repo.frontend) frontends.set(repo.frontend.dir, () => repo!.frontend!);
        if (repo.backend) backends.set(repo.backend.dir, () => repo!.backend!);
      }
      return repo;
    },
    frontend: (dir) => remembered(frontends, dir, () => detectFrontend(root, dir)),
    backend: (dir) => remembered(backends, dir, () => detectBackend(root, dir)),
  };
  return detection;
}
