import type { Statement } from "../statement.js";
import { negated, type Match } from "./reader.js";

const POSTGRES = /\bNeon\b|\bpostgres(?:ql)?\b|\bpostgresql?(?:\+\w+)?:\/\/|\basyncpg\b|\bpsycopg\d?\b/gi;
const SQLITE = /\bsqlite3?\b|\bsqlite(?:\+\w+)?:\/\//gi;
/** SQLite for tests or local play is not the project's database. */
const ON_THE_SIDE = /\btests?\b|\btesting\b|\bpytest\b|\bin-memory\b|\blocal(?:ly)?\b|\bdev(?:elopment)?\b|\bprototyp\w*/i;

/** database: Neon, PostgreSQL, Postgres, a postgresql:// URL → postgres; SQLite → sqlite (not one for tests or local use). */
export function readDatabase(s: Statement): Match[] {
  if (!/neon|postgres|sqlite|asyncpg|psycopg/i.test(s.text)) return [];
  const matches: Match[] = [];
  for (const [pattern, value] of [[POSTGRES, "postgres"], [SQLITE, "sqlite"]] as const) {
    for (const m of s.text.matchAll(pattern)) {
      if (pattern === POSTGRES && m[0] === "Neon" && !/\b(?:postgres|serverless|database|db|neon\.tech)\b/i.test(`${s.text} ${s.context} ${s.section}`)) continue;
      if (negated(s.text, m.index, m.index + m[0].length) || (value === "sqlite" && ON_THE_SIDE.test(clause(s.text, m.index)))) continue;
      matches.push({ key: "database", value, index: m.index });
    }
  }
  return matches;
}

function clause(text: string, index: number): string {
  const start = Math.max(text.lastIndexOf(";", index), text.lastIndexOf(",", index), text.lastIndexOf(".", index - 1)) + 1;
  const rest = text.slice(index);
  const end = rest.search(/[;,]|\.\s/);
  return text.slice(start, end < 0 ? text.length : index + end);
}
