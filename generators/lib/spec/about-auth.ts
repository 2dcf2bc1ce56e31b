const STRONG: RegExp[] = [
  /\bbetter[- ]auth\b/i,
  /\bjwts?\b|\bjwks\b/i,
  /\bsign(?:ing|ed|s)?[- ]?in\b|\bsign(?:ing|ed|s)?[- ]?up\b/i,
  /\blog(?:ging|ged|s)?[- ]?in\b|\blogin\b/i,
  /\bauthenticat\w*/i,
  /\bpasswords?\b/i,
  /\boauth\b|\bbearer\b/i,
];
const WEAK: RegExp[] = [/\btokens?\b/i, /\bsessions?\b/i, /\bauth\b/i, /\bunauthori[sz]ed\b|\b401\b/i];
const AUTH_TITLE = /\bauth\w*|\blog ?in\b|\bsign[- ]?(?:in|up)\b|\bjwt\b|\bsecurity\b/i;

/**
 * Whether a Markdown text is about authentication at all: two kinds of auth words (Better Auth, JWT, sign in,
 * login, authentication, password, OAuth; tokens and sessions count half), or a first heading about it and one.
 */
export function aboutAuth(text: string): boolean {
  const strong = STRONG.filter((pattern) => pattern.test(text)).length;
  const score = strong + WEAK.filter((pattern) => pattern.test(text)).length / 2;
  const title = /^ {0,3}#{1,6}\s+(.*)$/m.exec(text)?.[1] ?? "";
  return score >= 2 || (AUTH_TITLE.test(title) && score >= 1);
}
