import type { SpecReport } from "../lib/spec/types.js";
import { ANSWER_SCHEMA, answerValueProblem, type AnswerKey } from "./schema.js";

/** Where an answer's value came from, in the order one overrides the next. */
export type AnswerSource = "flag" | "prompt" | "spec" | "saved" | "detected" | "default";

/** An answer's value and its provenance (a spec answer names its file and line). */
export interface SourcedAnswer {
  value: string;
  source: AnswerSource;
  file?: string;
  line?: number;
}

export type SourcedAnswers = Partial<Record<AnswerKey, SourcedAnswer>>;

export interface AnswerInputs {
  /** Values given as flags; undefined where not given. */
  given: Partial<Record<AnswerKey, string>>;
  spec: SpecReport | null;
  /** The answers the last run recorded (.auth-integrator.json), null before the first run. */
  saved?: { file: string; answers: Partial<Record<AnswerKey, string>> } | null;
  /** A detected default per answer, null where nothing was found (see detectedDefaults). */
  detectedValue: (key: AnswerKey) => string | null;
}

/** What resolving found besides the answers: spec values the schema refuses are reported, not used. */
export interface ResolvedAnswers {
  answers: SourcedAnswers;
  warnings: string[];
}

/** Every answer from the strongest source that has one: flag > spec > saved > detected > default. */
export function resolveAnswers(inputs: AnswerInputs): ResolvedAnswers {
  const answers: SourcedAnswers = {};
  const warnings: string[] = [];
  const known = () => Object.fromEntries(Object.entries(answers).map(([key, answer]) => [key, answer.value]));
  for (const option of ANSWER_SCHEMA) {
    const flag = inputs.given[option.key];
    if (flag !== undefined) {
      answers[option.key] = { value: flag, source: "flag" };
      continue;
    }
    const decided = specAnswer(inputs.spec, option.key, warnings) ?? savedAnswer(inputs.saved, option.key);
    const fallback = decided ? null : option.default({ detectedValue: inputs.detectedValue, answers: known() });
    const answer = decided ?? (fallback && { value: fallback.value, source: fallback.source });
    if (answer) answers[option.key] = answer;
  }
  return { answers, warnings };
}

/** The spec's decision for an answer, when the schema accepts its value. */
function specAnswer(spec: SpecReport | null, key: AnswerKey, warnings: string[]): SourcedAnswer | null {
  const finding = spec?.decisions[key as keyof SpecReport["decisions"]];
  if (!spec || !finding) return null;
  const problem = answerValueProblem(key, finding.value);
  if (problem) {
    warnings.push(`${spec.file}:${finding.line}: not used (${problem}): ${finding.text}`);
    return null;
  }
  return { value: finding.value, source: "spec", file: spec.file, line: finding.line };
}

/** The last run's answer, already checked against the schema when read. */
function savedAnswer(saved: AnswerInputs["saved"], key: AnswerKey): SourcedAnswer | null {
  const value = saved?.answers[key];
  return saved && value !== undefined ? { value, source: "saved", file: saved.file } : null;
}

/** "from specs/features/authentication.md:37", "detected", "default": an answer's provenance in a few words. */
export function describeSource(answer: SourcedAnswer): string {
  if (answer.source === "spec") return `from ${answer.file}:${answer.line}`;
  if (answer.source === "saved") return `saved in ${answer.file}`;
  if (answer.source === "flag") return "from the flag";
  if (answer.source === "prompt") return "answered";
  return answer.source;
}

/** The plain values of sourced answers. */
export function answerValues(answers: SourcedAnswers): Partial<Record<AnswerKey, string>> {
  return Object.fromEntries(Object.entries(answers).map(([key, answer]) => [key, answer.value]));
}
