import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { readSpec } from "../../generators/lib/spec/read-spec.js";
import type { SpecAnswerKey, SpecReport } from "../../generators/lib/spec/types.js";

export const SPEC_FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/specs");

/** The report for a fixture spec under tests/fixtures/specs. */
export function readFixture(name: string): SpecReport {
  return readSpec(readFileSync(path.join(SPEC_FIXTURES, name), "utf8"), `specs/${name}`);
}

/** Asserts a report's decisions exactly: each key's value and line, and no other key decided. */
export function expectDecisions(report: SpecReport, expected: Partial<Record<SpecAnswerKey, [string, number]>>): void {
  const actual = Object.fromEntries(Object.entries(report.decisions).map(([key, f]) => [key, [f!.value, f!.line]]));
  expect(actual).toEqual(expected);
}

/** The (value, line, strength) of every finding for a key. */
export function findingsOf(report: SpecReport, key: SpecAnswerKey): [string, number, string][] {
  return report.findings.filter((f) => f.key === key).map((f) => [f.value, f.line, f.strength]);
}
