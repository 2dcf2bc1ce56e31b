/** The answers a spec can decide. */
export type SpecAnswerKey =
  | "secretMode"
  | "tokenTtl"
  | "routeStyle"
  | "mismatchStatus"
  | "passwordMinLength"
  | "passwordMaxLength"
  | "signUpName"
  | "socialProviders"
  | "signInPath"
  | "signUpPath"
  | "afterSignInPath"
  | "corsOrigins"
  | "database";

/** How strongly a line states its value: only requirements, defaults and examples decide, in that order. */
export type SpecStrength = "requirement" | "default" | "example" | "non-normative";

/** One value the spec states for an answer, where and how strongly. */
export interface SpecFinding {
  key: SpecAnswerKey;
  value: string;
  line: number;
  section: string;
  strength: SpecStrength;
  /** The source line, trimmed, at most 160 characters. */
  text: string;
}

/** Findings of the deciding strength that disagree: none of them is used. */
export interface SpecConflict {
  key: SpecAnswerKey;
  findings: SpecFinding[];
}

/** What a spec says about the answers. */
export interface SpecReport {
  file: string;
  /** False when the file is not about Better Auth, JWTs or signing in: it then sets nothing. */
  aboutAuth: boolean;
  findings: SpecFinding[];
  decisions: Partial<Record<SpecAnswerKey, SpecFinding>>;
  conflicts: SpecConflict[];
  /** Features the spec asks for that the tool does not generate (password reset, email verification, roles...). */
  notGenerated: { feature: string; line: number; text: string }[];
  silentOn: SpecAnswerKey[];
  /** Placeholder values (your-domain.com) flagged and never used. */
  placeholders: { value: string; line: number; text: string }[];
}
