/** PEP 503 normalised project name: "FastAPI" → "fastapi", "Typing_Extensions" → "typing-extensions". */
export function normalizeProjectName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/** The project a PEP 508 requirement names ("fastapi[standard]>=0.110" → "fastapi"), normalised; null when none. */
export function requirementName(requirement: string): string | null {
  const match = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/.exec(requirement);
  return match ? normalizeProjectName(match[1]) : null;
}

/**
 * Normalised project names a requirements file lists. Comments, blank lines and pip options
 * (-r, -c, --index-url...) are skipped; an editable or URL line counts through its `#egg=` name.
 */
export function requirementsTxtNames(text: string): string[] {
  const names: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const egg = /[#&]egg=([A-Za-z0-9._-]+)/.exec(raw);
    const line = raw.replace(/(^|\s)#.*$/, "").trim();
    if (line.startsWith("-") || /^[a-z+]+:\/\//i.test(line)) {
      if (egg) names.push(normalizeProjectName(egg[1]));
      continue;
    }
    const name = line ? requirementName(line) : null;
    if (name) names.push(name);
  }
  return names;
}

/** True when a list of requirement strings names `project` (PEP 503 comparison). */
export function namesProject(requirements: readonly string[], project: string): boolean {
  const wanted = normalizeProjectName(project);
  return requirements.some((req) => requirementName(req) === wanted);
}
