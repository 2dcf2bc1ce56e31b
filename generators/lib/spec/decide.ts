import { PROVIDERS } from "./readers/social.js";
import type { SpecAnswerKey, SpecConflict, SpecFinding, SpecReport, SpecStrength } from "./types.js";

/** A finding as read, before the weak and code-only rules: from fenced code, or weak (a session lifetime). */
export interface DraftFinding extends SpecFinding {
  fromCode: boolean;
  weak: boolean;
}

const RANK: SpecStrength[] = ["requirement", "default", "example"];
/** Keys whose values add up (providers, origins listed one per line) rather than disagree. */
const UNION = new Set<SpecAnswerKey>(["socialProviders", "corsOrigins"]);

/**
 * The findings as reported: weak ones dropped where the key has a strong one; fenced code that alone states a
 * key's value becomes a default (code beside prose stays an example).
 */
export function settleFindings(drafts: DraftFinding[]): SpecFinding[] {
  const kept = drafts.filter((d) => !d.weak || !drafts.some((o) => o.key === d.key && !o.weak));
  return kept.map(({ fromCode, weak: _weak, ...finding }) => {
    const prose = kept.some((o) => o.key === finding.key && !o.fromCode && o.strength !== "non-normative");
    return fromCode && !prose && finding.strength === "example" ? { ...finding, strength: "default" } : finding;
  });
}

/**
 * Each key's decision: the strongest strength that has findings decides; disagreeing findings at that strength
 * are a conflict and decide nothing; non-normative findings never decide. Providers and origins are unioned.
 */
export function decide(findings: SpecFinding[]): Pick<SpecReport, "decisions" | "conflicts"> {
  const decisions: SpecReport["decisions"] = {};
  const conflicts: SpecConflict[] = [];
  for (const key of new Set(findings.map((f) => f.key))) {
    const level = RANK.find((strength) => findings.some((f) => f.key === key && f.strength === strength));
    if (!level) continue;
    const top = findings.filter((f) => f.key === key && f.strength === level);
    if (UNION.has(key)) decisions[key] = { ...top[0], value: union(key, top) };
    else if (new Set(top.map((f) => f.value)).size === 1) decisions[key] = top[0];
    else conflicts.push({ key, findings: top });
  }
  return { decisions, conflicts };
}

function union(key: SpecAnswerKey, findings: SpecFinding[]): string {
  const values = [...new Set(findings.flatMap((f) => f.value.split(",")))];
  return (key === "socialProviders" ? PROVIDERS.filter((p) => values.includes(p)) : values).join(",");
}
