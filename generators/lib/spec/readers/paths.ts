import type { Statement } from "../statement.js";
import type { Match } from "./reader.js";

/** A page path: "/signin", "/auth/sign-in", '"/dashboard"'; or a Next.js page file, app/(auth)/login/page.tsx. */
const PAGE_PATH = /(?:^|[\s`'"(\[=:])(\/[a-z][\w\-/[\]()]*)|\b(?:src\/)?app((?:\/[\w\-()[\]]+)*)\/page\.[jt]sx?\b/gi;
const SIGN_IN = /^(?:sign-?in|log-?in)$/i;
const SIGN_UP = /^(?:sign-?up|register|registration)$/i;
const REDIRECT = /\bredirect\w*|\bsen[dt]s? (?:them |the user |users )?to\b|\blands? on\b|\btaken to\b|\bgoes? to\b|\bcallbackURL\b|\bcallbackUrl\b|\bredirectTo\b|\bnavigat\w* to\b/i;
const AFTER_SIGN_IN = /\b(?:after|upon|on|once|following)\b[^.;]{0,30}\b(?:sign(?:ing|ed)?[- ]?in|log(?:ging|ged)?[- ]?in|login|authenticat\w*)|\bsuccessful(?:ly)?\b|\bcallbackURL\b|\bcallbackUrl\b|\bsignIn\.\w+\(/i;
const OTHER_EVENT = /\bsign(?:ing|ed)?[- ]?(?:out|up)\b|\blog(?:ging|ged)?[- ]?out\b|\bsignUp\b|\bsignOut\b|\bregist\w*/i;

/** signInPath / signUpPath from page paths (/signin, /login, /auth/sign-in; /signup, /register); afterSignInPath from where sign-in redirects to. */
export function readPaths(s: Statement): Match[] {
  if (!s.text.includes("/")) return [];
  const matches: Match[] = [];
  for (const m of s.text.matchAll(PAGE_PATH)) {
    const raw = m[1] ?? (m[2] || "/");
    const route = raw.replace(/\/\([\w-]+\)/g, "").replace(/[/.]+$/, "") || "/";
    if (/^\/api\b/.test(route) || /\/\//.test(route)) continue;
    const index = m.index + m[0].indexOf(m[1] ?? "app");
    const last = route.split("/").pop() ?? "";
    if (SIGN_IN.test(last)) matches.push({ key: "signInPath", value: route, index });
    else if (SIGN_UP.test(last)) matches.push({ key: "signUpPath", value: route, index });
    else if (route !== "/" && m[1] && afterSignIn(s.text, index)) matches.push({ key: "afterSignInPath", value: route, index });
  }
  return matches;
}

/** Whether a path is where a successful sign-in sends the user: a redirect, about signing in, not about signing up or out. */
function afterSignIn(text: string, index: number): boolean {
  const before = text.slice(0, index);
  return REDIRECT.test(text) && AFTER_SIGN_IN.test(text) && !OTHER_EVENT.test(before.slice(-60));
}
