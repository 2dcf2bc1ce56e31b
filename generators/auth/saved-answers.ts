import { readJsonObject } from "../lib/detect/json-file.js";
import { isObject } from "../lib/formats/json.js";
import { MANIFEST_PATH } from "../lib/tree.js";
import { ANSWER_KEYS, answerValueProblem, type AnswerKey } from "./schema.js";

/** The answers the last run recorded in .auth-integrator.json, and what of them cannot be used. */
export interface SavedAnswers {
  file: string;
  answers: Partial<Record<AnswerKey, string>>;
  /** Recorded values the schema now refuses, or keys it no longer knows: named, not used. */
  warnings: string[];
}

/** The saved answers of the monorepo at root, or null before the first run (or a manifest without answers). */
export function readSavedAnswers(root: string): SavedAnswers | null {
  // A manifest that is not JSON is a MalformedFileError naming its line, as for any other JSON file.
  const manifest = readJsonObject(root, MANIFEST_PATH);
  if (!manifest || !isObject(manifest.answers)) return null;
  const answers: Partial<Record<AnswerKey, string>> = {};
  const warnings: string[] = [];
  for (const [key, value] of Object.entries(manifest.answers)) {
    const problem = !ANSWER_KEYS.includes(key as AnswerKey)
      ? "not an answer this version knows"
      : typeof value !== "string"
        ? "not a string"
        : answerValueProblem(key as AnswerKey, value);
    if (problem) warnings.push(`${MANIFEST_PATH}: saved answer ${key} not used (${problem})`);
    else answers[key as AnswerKey] = value as string;
  }
  return { file: MANIFEST_PATH, answers, warnings };
}
