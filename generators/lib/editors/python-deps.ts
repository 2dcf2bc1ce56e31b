import { parseRequirement } from "../formats/pep508.js";
import { parseTomlDocument } from "../formats/toml.js";
import { addToPep621, addToPoetry } from "./pyproject.js";
import { addToRequirementsFile } from "./requirements-txt.js";

export type PythonDepsKind = "pep621" | "poetry" | "requirements";

export interface AddPythonRequirementOptions {
  /** The edited file's repo-relative path, for error messages. */
  file: string;
  kind: PythonDepsKind;
}

/**
 * Adds a requirement to pyproject.toml ([project].dependencies or [tool.poetry.dependencies]) or a
 * requirements file, by editing the text; a package already listed under any spelling is kept, gaining missing extras.
 */
export function addPythonRequirement(text: string, requirement: string, opts: AddPythonRequirementOptions): string {
  const wanted = parseRequirement(requirement);
  if (opts.kind === "requirements") return addToRequirementsFile(text, requirement, wanted, opts.file);
  const data = parseTomlDocument(text, opts.file);
  const edited = opts.kind === "pep621" ? addToPep621(text, data, requirement, wanted, opts.file) : addToPoetry(text, data, wanted, opts.file);
  if (edited !== text) parseTomlDocument(edited, opts.file);
  return edited;
}
