import type { Statement } from "../statement.js";
import { negated, type Match } from "./reader.js";

/** The providers the tool can add, in the order their value lists them. */
export const PROVIDERS = ["google", "github", "discord", "microsoft", "apple", "gitlab", "facebook", "linkedin", "twitter"];

const PROVIDER = new RegExp(`\\b(${PROVIDERS.join("|")})\\b(?!\\s*(?:actions|repo\\w*|pages|fonts|analytics|cloud|maps|docs|sheets|drive|workspace|issues|pull|pr|ci|container|teams|azure|store|pay|wallet|sans))`, "gi");
const JOIN = /^\s*(?:,|\/|and|or|&|\+|,\s*and|,\s*or)\s*$/i;
const CUE = /\blog ?in\b|\blogin\b|\bsign[- ]?(?:in|up)\b|\boauth\b|\bsocial\b|\bproviders?\b|\bsso\b|\bauth\w*|\baccounts?\b|socialProviders/i;
const NO_SOCIAL = /\b(?:no|without|not)\b[^.;]{0,20}\b(?:social|oauth|third[- ]party)\b/i;

/** socialProviders: providers named for sign-in ("Google and GitHub login" → "google,github"), not denied ones. */
export function readSocialProviders(s: Statement): Match[] {
  if (s.text.search(PROVIDER) < 0) return [];
  if (!(CUE.test(s.text) || CUE.test(s.context) || CUE.test(s.section)) || NO_SOCIAL.test(s.text)) return [];
  const found = new Set<string>();
  let first = -1;
  let runDenied = false;
  let last = -1;
  for (const m of s.text.matchAll(PROVIDER)) {
    const joined = last >= 0 && JOIN.test(s.text.slice(last, m.index));
    if (!joined) runDenied = negated(s.text, m.index, m.index + m[0].length);
    last = m.index + m[0].length;
    if (runDenied) continue;
    found.add(m[1].toLowerCase());
    if (first < 0) first = m.index;
  }
  if (!found.size) return [];
  return [{ key: "socialProviders", value: PROVIDERS.filter((p) => found.has(p)).join(","), index: first }];
}
