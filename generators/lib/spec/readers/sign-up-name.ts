import type { Statement } from "../statement.js";
import type { Match } from "./reader.js";

const SIGN_UP = /\bsign[- ]?up\b|\bsignUp\b|\bregist\w*|\bcreate (?:an |their |a new )?accounts?\b|\bnew accounts?\b/i;
const NAME = String.raw`(?<![\w-]|user )(?:full |display |first |last )?name`;
const ASKS_NAME = [
  new RegExp(String.raw`${NAME}\b\s*[,:]?[^.\n]{0,40}\bemail\b[^.\n]{0,40}\bpassword\b`, "i"),
  new RegExp(String.raw`\bemail\b[^.\n]{0,30}\bpassword\b[^.\n]{0,20}${NAME}\b`, "i"),
  new RegExp(String.raw`${NAME} (?:field|input|box)\b`, "i"),
  new RegExp(String.raw`\b(?:asks?|prompts?|collects?|requires?|enters?) (?:for )?(?:a |the |their |your )?${NAME}\b`, "i"),
];
const NO_NAME =
  /\bonly (?:asks? for |takes |needs |requires |collects |uses )?(?:an? |their |the )?email (?:address )?and (?:a )?password\b|\bemail and password only\b|\bjust (?:an? |their )?email and password\b|\b(?:no|without an?) name (?:field|input)\b|\bdoes(?: not|n'?t) ask for (?:a |the |their )?name\b|\bname is not (?:required|asked for|collected)\b/i;

/** signUpName: "yes" when sign-up asks for a name (name, email and password; a Name field), "no" only when it says email and password only. */
export function readSignUpName(s: Statement): Match[] {
  if (!/name|email/i.test(s.text)) return [];
  const signUp = SIGN_UP.test(s.text) || SIGN_UP.test(s.context) || SIGN_UP.test(s.section);
  if (!signUp) return [];
  const no = NO_NAME.exec(s.text);
  if (no) return [{ key: "signUpName", value: "no", index: no.index }];
  for (const pattern of ASKS_NAME) {
    const yes = pattern.exec(s.text);
    if (yes) return [{ key: "signUpName", value: "yes", index: yes.index }];
  }
  const row = s.kind === "row" && new RegExp(String.raw`^${NAME}\b`, "i").exec(s.text);
  return row ? [{ key: "signUpName", value: "yes", index: 0 }] : [];
}
