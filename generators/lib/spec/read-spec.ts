import { aboutAuth } from "./about-auth.js";
import { decide, settleFindings, type DraftFinding } from "./decide.js";
import { documentStatements } from "./parse.js";
import { placeholderUrls, readCorsOrigins } from "./readers/cors.js";
import { readDatabase } from "./readers/database.js";
import { featuresAskedFor } from "./readers/not-generated.js";
import { readPasswordLength } from "./readers/password.js";
import { readPaths } from "./readers/paths.js";
import type { Reader } from "./readers/reader.js";
import { readMismatchStatus, readRouteStyle } from "./readers/routes.js";
import { readSecretMode } from "./readers/secret-mode.js";
import { readSignUpName } from "./readers/sign-up-name.js";
import { readSocialProviders } from "./readers/social.js";
import { readTokenTtl } from "./readers/token-ttl.js";
import { lineAt, type Statement } from "./statement.js";
import { strengthAt } from "./strength.js";
import type { SpecAnswerKey, SpecReport } from "./types.js";

/** Every answer key, in the order silentOn lists them. */
export const SPEC_ANSWER_KEYS: SpecAnswerKey[] = [
  "secretMode", "tokenTtl", "routeStyle", "mismatchStatus", "passwordMinLength", "passwordMaxLength", "signUpName",
  "socialProviders", "signInPath", "signUpPath", "afterSignInPath", "corsOrigins", "database",
];

const READERS: Reader[] = [
  readSecretMode, readTokenTtl, readRouteStyle, readMismatchStatus, readPasswordLength, readSignUpName,
  readSocialProviders, readPaths, readCorsOrigins, readDatabase,
];

/**
 * What a project's authentication spec (Markdown) says about the tool's answers: every finding with its line,
 * section and strength, the decision per key, conflicts, features asked for that the tool does not generate, keys
 * it is silent on, and placeholder values. Pure and synchronous; `file` is only named in the report.
 */
export function readSpec(text: string, file: string): SpecReport {
  const source = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  if (!aboutAuth(source)) return { file, aboutAuth: false, findings: [], decisions: {}, conflicts: [], notGenerated: [], silentOn: [...SPEC_ANSWER_KEYS], placeholders: [] };
  const lines = source.split("\n");
  const quote = (line: number) => truncate(lines[line - 1]?.trim() ?? "");
  const statements = documentStatements(source);
  const findings = settleFindings(statements.flatMap((s) => drafts(s, quote)).sort((a, b) => a.line - b.line));
  const keys = new Set(findings.map((f) => f.key));
  return {
    file,
    aboutAuth: true,
    findings,
    ...decide(findings),
    notGenerated: notGenerated(statements, quote),
    silentOn: SPEC_ANSWER_KEYS.filter((key) => !keys.has(key)),
    placeholders: placeholders(statements, quote),
  };
}

/** A statement's findings: one per key, value and line. */
function drafts(s: Statement, quote: (line: number) => string): DraftFinding[] {
  const out: DraftFinding[] = [];
  for (const match of READERS.flatMap((read) => read(s))) {
    const line = lineAt(s, match.index);
    if (out.some((d) => d.key === match.key && d.value === match.value && d.line === line)) continue;
    const strength = strengthAt(s, match.index);
    out.push({ key: match.key, value: match.value, line, section: s.section, strength, text: quote(line), fromCode: s.base === "code", weak: match.weak ?? false });
  }
  return out;
}

/** The first line asking for each feature the tool does not generate, outside non-normative text. */
function notGenerated(statements: Statement[], quote: (line: number) => string): SpecReport["notGenerated"] {
  const seen = new Map<string, SpecReport["notGenerated"][number]>();
  for (const s of statements) {
    for (const { feature, index } of featuresAskedFor(s)) {
      if (seen.has(feature) || strengthAt(s, index) === "non-normative") continue;
      seen.set(feature, { feature, line: lineAt(s, index), text: quote(lineAt(s, index)) });
    }
  }
  return [...seen.values()].sort((a, b) => a.line - b.line);
}

function placeholders(statements: Statement[], quote: (line: number) => string): SpecReport["placeholders"] {
  const out: SpecReport["placeholders"] = [];
  for (const s of statements) {
    for (const { value, index } of placeholderUrls(s)) {
      const line = lineAt(s, index);
      if (!out.some((p) => p.value === value && p.line === line)) out.push({ value, line, text: quote(line) });
    }
  }
  return out;
}

function truncate(text: string): string {
  return text.length <= 160 ? text : `${text.slice(0, 159)}…`;
}
