/** One doctor check's outcome: passed, failed (with the fix), or not applicable / not checkable here (with why). */
export interface Check {
  /** Stable identifier, e.g. "secrets.better-auth-secret" (for --json consumers and tests). */
  id: string;
  /** The group it is printed under: "files", "secrets", "urls", "generated", "dependencies", "git", "cors", "live". */
  group: string;
  ok: boolean | "skip";
  /** What was checked, as one short line ("BETTER_AUTH_SECRET the same in frontend/.env.local and .env"). */
  title: string;
  /** What was found: the reason for a ✗ or a skip, or a note on a ✓ (never a secret's value). */
  detail?: string;
  /** What to do about a ✗. */
  fix?: string;
}

type Extra = { detail?: string; fix?: string };

const make = (ok: Check["ok"]) => (group: string, id: string, title: string, extra: Extra = {}): Check => ({
  id: `${group}.${id}`,
  group,
  ok,
  title,
  ...(extra.detail !== undefined ? { detail: extra.detail } : {}),
  ...(extra.fix !== undefined ? { fix: extra.fix } : {}),
});

export const pass = make(true);
export const fail = make(false);
export const skip = make("skip");

/** "a", "a and b", "a, b and c". */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
