import type { Statement } from "../statement.js";
import { negated } from "./reader.js";

/** Features a spec may ask for that the tool does not generate. */
const FEATURES: [string, RegExp][] = [
  ["password reset", /\bpassword resets?\b|\breset(?:ting)? (?:their |your |the |a )?passwords?\b|\bforgot(?:ten)? password\b/i],
  ["email verification", /\bemail verification\b|\bverif(?:y|ies|ied) (?:their |your |the |an? )?email\b|\bverification emails?\b|\bconfirm (?:their |your |the )?email\b|\bemail confirmation\b/i],
  ["roles", /\brole-based\b|\brbac\b|\buser roles\b|\badmin roles?\b|\broles? and permissions\b|\broles\b/i],
  ["two-factor", /\btwo[- ]factor\b|\b2fa\b|\bmfa\b|\bmulti[- ]factor\b|\btotp\b/i],
  ["rate limiting", /\brate[- ]limit\w*|\bthrottl\w*|\blimited to \d+ (?:attempts|requests|tries)\b/i],
  ["account lockout", /\baccount lockout\b|\block(?:s|ed)? out\b|\blocks? the account\b|\baccount is locked\b|\blockout\b/i],
  ["magic link", /\bmagic[- ]links?\b|\bpasswordless\b/i],
  ["refresh tokens", /\brefresh[- ]tokens?\b/i],
  ["passkeys", /\bpasskeys?\b|\bwebauthn\b/i],
];

/** A word every pattern above starts from: most statements fail this one test and skip the nine. */
const ANY_FEATURE = /reset|forgot|verif|confirm|role|rbac|factor|2fa|mfa|totp|rate[- ]limit|throttl|limited to|lock|magic|passwordless|refresh|passkey|webauthn/i;

/** The features a statement asks for (not denied) that the tool does not generate. */
export function featuresAskedFor(s: Statement): { feature: string; index: number }[] {
  const asked: { feature: string; index: number }[] = [];
  if (!ANY_FEATURE.test(s.text)) return asked;
  for (const [feature, pattern] of FEATURES) {
    const m = pattern.exec(s.text);
    if (m && !negated(s.text, m.index, m.index + m[0].length) && !/\b(?:optional|not required|not needed)\b/i.test(s.text)) {
      asked.push({ feature, index: m.index });
    }
  }
  return asked;
}
