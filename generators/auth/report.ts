import type { RunResult } from "../lib/run.js";
import type { SpecReport } from "../lib/spec/types.js";
import { describeSource, type SourcedAnswers } from "./resolve.js";
import { ANSWER_KEYS } from "./schema.js";

/** What the run decided besides the files: every answer with its source, and the spec it read. */
export interface AnswerContext {
  answers: SourcedAnswers;
  spec: SpecReport | null;
  /** Why a found spec was not read, or spec values that were not used. */
  specNotices: string[];
  /** Saved answers (.auth-integrator.json) that were not used, and why. */
  savedNotices?: string[];
}

/** The summary's lines on answers and the spec: the answers that did not come from a fixed default, then the spec's findings. */
export function formatAnswerLines(context: AnswerContext): string[] {
  const entries = ANSWER_KEYS.flatMap((key) => {
    const answer = context.answers[key];
    return answer && answer.source !== "default" ? [`  ${key}: ${answer.value || '""'} (${describeSource(answer)})`] : [];
  });
  const defaults = ANSWER_KEYS.filter((key) => context.answers[key]?.source === "default");
  const lines = entries.length > 0 ? [`answers (${entries.length}${defaults.length ? `; ${defaults.length} more at their defaults` : ""})`, ...entries] : [];
  const saved = (context.savedNotices ?? []).map((notice) => `  ${notice}`);
  return [...lines, ...saved, ...formatSpecLines(context)];
}

/** The spec used, what it decided, its conflicts, what it asks for that is not generated, and what it is silent on. */
function formatSpecLines({ spec, specNotices }: AnswerContext): string[] {
  const notices = specNotices.map((notice) => `  ${notice}`);
  if (!spec) return notices.length > 0 ? ["spec", ...notices] : [];
  if (!spec.aboutAuth) return [`spec ${spec.file}: not about authentication; it set nothing`, ...notices];
  const decided = Object.keys(spec.decisions).length;
  return [
    `spec ${spec.file}: decided ${decided} answer(s)`,
    ...spec.conflicts.map((c) => `  conflict on ${c.key} (neither used): ${c.findings.map((f) => `line ${f.line}: ${f.value}`).join(" vs ")}`),
    ...spec.notGenerated.map((n) => `  not generated: ${n.feature} (line ${n.line})`),
    ...spec.placeholders.map((p) => `  placeholder not used: ${p.value} (line ${p.line})`),
    ...(spec.silentOn.length > 0 ? [`  silent on: ${spec.silentOn.join(", ")}`] : []),
    ...notices,
  ];
}

/** The --json document: answers with their sources, each file's fate, warnings and the spec; secrets never appear. */
export function jsonReport(result: RunResult, context: AnswerContext): object {
  const files = [
    ...result.created.map((path) => ({ path, status: "created" })),
    ...result.modified.map((path) => ({ path, status: "modified" })),
    ...result.unchanged.map((path) => ({ path, status: "unchanged" })),
    ...result.skipped.map((s) => ({ path: s.path, status: "skipped", reason: s.reason, ...(s.snippet ? { snippet: s.snippet } : {}) })),
  ];
  return {
    dryRun: result.dryRun,
    answers: Object.fromEntries(ANSWER_KEYS.filter((key) => context.answers[key]).map((key) => [key, context.answers[key]])),
    files,
    routes: result.routes,
    warnings: [...result.warnings, ...(context.savedNotices ?? []), ...context.specNotices],
    secrets: { BETTER_AUTH_SECRET: result.secretSource ?? "generated", ...(result.apiTokenSecretSource !== undefined ? { API_JWT_SECRET: result.apiTokenSecretSource ?? "generated" } : {}) },
    spec: context.spec,
    nextSteps: result.nextSteps,
    ...(result.dryRun ? { diff: result.diff } : {}),
  };
}
