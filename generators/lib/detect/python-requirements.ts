import { normalizeProjectName, requirementName } from "../formats/pep508.js";
import { readRequirements } from "../formats/requirements.js";

/**
 * Normalised project names a requirements file lists, read by the one requirements reader (continuations joined,
 * comments, options and paths skipped); an editable or URL line counts through its `#egg=` name.
 */
export function requirementsTxtNames(text: string): string[] {
  return readRequirements(text).flatMap((entry) => {
    const name = entry.kind === "requirement" ? entry.name : entry.kind === "unknown" ? null : entry.egg;
    return name === null ? [] : [normalizeProjectName(name)];
  });
}

/** True when a list of requirement strings names `project` (PEP 503 comparison). */
export function namesProject(requirements: readonly string[], project: string): boolean {
  const wanted = normalizeProjectName(project);
  return requirements.some((req) => requirementName(req) === wanted);
}
