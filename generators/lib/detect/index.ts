import { MalformedFileError, UserInputError } from "../errors.js";
import type { Detected } from "../types.js";
import { detectBackend, findBackendCandidates } from "./backend.js";
import { detectComposeFile } from "./compose-file.js";
import { detectFrontend, findFrontendCandidates } from "./frontend.js";
import { walkDirs } from "./walk.js";

export { detectBackend, findBackendCandidates } from "./backend.js";
export { detectComposeFile } from "./compose-file.js";
export { detectFrontend, findFrontendCandidates } from "./frontend.js";

/**
 * The first candidate that detects cleanly; a candidate with a user-side problem is passed over,
 * and a malformed file among them is kept in `problems` so the CLI can name it instead of "nothing found".
 */
function firstDetected<T>(candidates: string[], detect: (dir: string) => T, problems: MalformedFileError[]): T | null {
  for (const dir of candidates) {
    try {
      return detect(dir);
    } catch (error) {
      if (error instanceof MalformedFileError) problems.push(error);
      else if (!(error instanceof UserInputError)) throw error;
    }
  }
  return null;
}

/**
 * The repo's defaults: its Next.js app, FastAPI app and compose file. One bounded walk (depth ≤ 4, dependency and
 * build folders skipped) serves both searches; it runs on every CLI start, so only small manifests are read.
 */
export function detectRepo(root: string): Detected {
  const dirs = walkDirs(root);
  const problems: MalformedFileError[] = [];
  return {
    root,
    frontend: firstDetected(findFrontendCandidates(root, dirs), (dir) => detectFrontend(root, dir), problems),
    backend: firstDetected(findBackendCandidates(root, dirs), (dir) => detectBackend(root, dir), problems),
    composeFile: detectComposeFile(root),
    problems,
  };
}
