/** PEP 508 requirement strings ("pyjwt[crypto]>=2.8; python_version < '3.12'") and PEP 503 project names. */

/** A PEP 508 requirement split into the parts the editors need. */
export interface Requirement {
  name: string;
  extras: string[];
  /** Version specifiers ("", ">=2.8", "==1.0,<2"). */
  version: string;
  /** Environment marker after ";" ("" when none). */
  marker: string;
  /** Direct reference after "@" ("" when none). */
  url: string;
}

/** A requirement's name, then its extras in brackets when it has any. */
export const REQUIREMENT_NAME = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[([^\]]*)\])?/;

/** One version clause: `>=2.8`, `== 1.0.*`. */
const VERSION_CLAUSE = String.raw`\s*(?:===|~=|==|!=|<=|>=|<|>)\s*[A-Za-z0-9_.*+!-]+`;

/** What may follow a requirement's name and extras: version clauses (bare or in parentheses) or `@ url`, then an optional `; marker`. */
const REQUIREMENT_TAIL = new RegExp(
  String.raw`^\s*(?:@\s*\S+|\(${VERSION_CLAUSE}(?:\s*,${VERSION_CLAUSE})*\s*\)|${VERSION_CLAUSE}(?:\s*,${VERSION_CLAUSE})*)?\s*(?:;\s*\S.*)?$`,
);

/** PEP 503 normalised project name: "FastAPI" → "fastapi", "Typing_Extensions" → "typing-extensions". */
export function normalizeProjectName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

/** The project a PEP 508 requirement names ("fastapi[standard]>=0.110" → "fastapi"), normalised; null when none. */
export function requirementName(requirement: string): string | null {
  const match = REQUIREMENT_NAME.exec(requirement);
  return match ? normalizeProjectName(match[1]) : null;
}

/** Splits a requirement ("pyjwt[crypto]>=2.8; python_version < '3.12'") into name, extras, version, marker and url. */
export function parseRequirement(requirement: string): Requirement {
  const match = REQUIREMENT_NAME.exec(requirement);
  if (!match) throw new Error(`not a Python requirement: ${requirement}`);
  const extras = splitExtras(match[2] ?? "");
  let rest = requirement.slice(match[0].length);
  let marker = "";
  const semicolon = rest.indexOf(";");
  if (semicolon >= 0) {
    marker = rest.slice(semicolon + 1).trim();
    rest = rest.slice(0, semicolon);
  }
  rest = rest.trim();
  const url = rest.startsWith("@") ? rest.slice(1).trim() : "";
  const version = url ? "" : rest.replace(/^\((.*)\)$/, "$1").trim();
  return { name: match[1], extras, version, marker, url };
}

/** True when what follows a requirement's name and extras is well formed: versions or `@ url`, then an optional marker. */
export function isRequirementTail(tail: string): boolean {
  return REQUIREMENT_TAIL.test(tail);
}

/** The extras listed inside brackets ("crypto, dev" → ["crypto", "dev"]). */
export function splitExtras(inside: string): string[] {
  return inside.split(",").map((extra) => extra.trim()).filter(Boolean);
}

/** The extras a requirement asks for (`pyjwt[crypto]>=2` → ["crypto"]), normalised; none when it names no project. */
export function requirementExtras(requirement: string): string[] {
  return splitExtras(REQUIREMENT_NAME.exec(requirement)?.[2] ?? "").map(normalizeProjectName);
}

/** The extras of `wanted` that `present` lacks, compared by normalised name. */
export function missingExtras(present: string[], wanted: string[]): string[] {
  const have = new Set(present.map(normalizeProjectName));
  return wanted.filter((extra) => !have.has(normalizeProjectName(extra)));
}

/** Adds extras to the requirement text that starts at the package name (`PyJWT>=2` → `PyJWT[crypto]>=2`, `a[x]` → `a[x,crypto]`). */
export function addExtrasToRequirementText(text: string, extras: string[]): string {
  const match = REQUIREMENT_NAME.exec(text);
  if (!match || extras.length === 0) return text;
  if (match[2] === undefined) {
    const nameEnd = text.indexOf(match[1]) + match[1].length;
    return `${text.slice(0, nameEnd)}[${extras.join(",")}]${text.slice(nameEnd)}`;
  }
  const close = match[0].lastIndexOf("]");
  const separator = match[2].includes(", ") ? ", " : ",";
  const lead = match[2].trim() === "" ? "" : separator;
  return `${text.slice(0, close)}${lead}${extras.join(separator)}${text.slice(close)}`;
}
