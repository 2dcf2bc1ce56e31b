import { UserInputError } from "../errors.js";
import { addExtrasToRequirementText, missingExtras, normalizeProjectName, type Requirement } from "../formats/pep508.js";
import { readRequirements } from "../formats/requirements.js";

/** Where a requirements file already names the wanted package: the line listing it, or a URL/editable line installing it. */
type Listing = { kind: "requirement"; index: number; extras: string[] } | { kind: "installed" } | null;

/** Appends a requirement to a requirements file, or adds missing extras to the line already naming the package. */
export function addToRequirementsFile(text: string, requirement: string, wanted: Requirement, file: string): string {
  const listing = findListing(text, wanted.name, file);
  if (listing?.kind === "installed") return text;
  if (listing) return addExtrasOnLine(text, listing.index, missingExtras(listing.extras, wanted.extras));
  if (text === "") return `${requirement}\n`;
  return text.endsWith("\n") ? `${text}${requirement}\n` : `${text}\n${requirement}`;
}

/** The first line naming `name` (else an `#egg=` line installing it); a line that is no requirement, option or comment throws. */
function findListing(text: string, name: string, file: string): Listing {
  const target = normalizeProjectName(name);
  let listing: Listing = null;
  for (const entry of readRequirements(text)) {
    if (entry.kind === "unknown" || (entry.kind === "requirement" && !entry.wellFormed)) {
      throw new UserInputError(`not a requirement, option or comment: ${entry.code}`, file, entry.line);
    }
    if (entry.kind === "requirement" && listing?.kind !== "requirement" && normalizeProjectName(entry.name) === target) {
      listing = { kind: "requirement", index: entry.line - 1, extras: entry.extras };
    } else if (entry.kind !== "requirement" && !listing && entry.egg !== null && normalizeProjectName(entry.egg) === target) {
      // `-e git+https://...#egg=pyjwt` already installs the package: leave it to the user.
      listing = { kind: "installed" };
    }
  }
  return listing;
}

/** Adds extras to the requirement on physical line `index` (the first line of a continued requirement names the package). */
function addExtrasOnLine(text: string, index: number, extras: string[]): string {
  if (extras.length === 0) return text;
  const lines = text.split("\n");
  lines[index] = addExtrasToRequirementText(lines[index], extras);
  return lines.join("\n");
}
