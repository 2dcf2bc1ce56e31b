/** Where the Next.js and FastAPI apps are: given, saved by `auth`, or the first detected. */
import path from "node:path";
import { findBackendCandidates } from "../../lib/detect/backend.js";
import { findFrontendCandidates } from "../../lib/detect/frontend.js";
import { walkDirs } from "../../lib/detect/walk.js";
import type { AppDirs } from "./env-files.js";

/** The Next.js and FastAPI folders: given, saved by `auth`, or the first detected (the folder walk only when needed). */
export function appDirs(root: string, given: { frontend?: string; backend?: string }, saved: Record<string, string>): AppDirs {
  let dirs: ReturnType<typeof walkDirs> | null = null;
  const walked = () => (dirs ??= walkDirs(root));
  const frontend = given.frontend ?? saved.frontend ?? findFrontendCandidates(root, walked())[0] ?? ".";
  const backend = given.backend ?? saved.backend ?? findBackendCandidates(root, walked())[0] ?? null;
  return { frontend: path.posix.normalize(frontend), backend: backend === null ? null : path.posix.normalize(backend) };
}
