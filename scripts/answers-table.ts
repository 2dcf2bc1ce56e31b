/** `npm run docs`: writes the README's answer table from the answer schema (a test fails when it is out of date). */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { answerTableMarkdown } from "../generators/auth/schema.js";

export const README = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "README.md");
const START = "<!-- answers:start -->";
const END = "<!-- answers:end -->";

/** The README with the text between the answer markers replaced by the schema's table. */
export function withAnswerTable(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md: the markers ${START} and ${END} are missing`);
  return `${readme.slice(0, start + START.length)}\n${answerTableMarkdown()}\n${readme.slice(end)}`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(README, withAnswerTable(readFileSync(README, "utf8")));
}
