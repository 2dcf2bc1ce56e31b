import type { Statement } from "../statement.js";
import type { Match } from "./reader.js";

/** A URL, placeholders like https://<your-app>.vercel.app included. */
const URL_PATTERN = /\bhttps?:\/\/(?:<[^>\s]+>|\{[^}\s]+\}|[\w.-])+(?::\d+)?(?:\/[^\s'"`)\]>,]*)?/gi;
const BARE_LOCALHOST = /(?<![\w/.])localhost:\d+\b/gi;
const PLACEHOLDER_HOST =
  /<[^>]*>|\{[^}]*\}|\byour[-_]?[\w-]*|\bexample\.(?:com|org|net)\b|\b(?:my-?app|yourapp|placeholder|changeme|xxx+)\b|\bdomain\.(?:com|tld)\b|\.example\b/i;
const CORS = /\bcors\b|\borigins?\b|allow_origins|ALLOWED_ORIGINS|trustedOrigins|allowOrigins/i;

/** Whether a URL is a stand-in (your-domain.com, example.com, <your-app>.vercel.app), never a value. */
export function isPlaceholder(url: string): boolean {
  const host = /^https?:\/\/([^/]*)/i.exec(url)?.[1] ?? url;
  return PLACEHOLDER_HOST.test(host);
}

/** Every placeholder URL in a statement, with where it is. */
export function placeholderUrls(s: Statement): { value: string; index: number }[] {
  if (!/https?:/i.test(s.text)) return [];
  return [...s.text.matchAll(URL_PATTERN)].filter((m) => isPlaceholder(m[0])).map((m) => ({ value: m[0], index: m.index }));
}

/** corsOrigins: the origins a CORS statement allows (localhost included, placeholders left out), comma-separated. */
export function readCorsOrigins(s: Statement): Match[] {
  if (!/https?:|localhost/i.test(s.text)) return [];
  const words = (text: string) => text.replace(/_/g, " ");
  if (!CORS.test(words(s.text)) && !(s.kind === "code" && CORS.test(words(s.context))) && !CORS.test(s.section.split(" > ").pop() ?? "")) return [];
  const origins: string[] = [];
  let first = -1;
  const add = (origin: string, index: number) => {
    if (!origins.includes(origin)) origins.push(origin);
    if (first < 0) first = index;
  };
  for (const m of s.text.matchAll(URL_PATTERN)) {
    if (isPlaceholder(m[0])) continue;
    const origin = /^https?:\/\/[^/]+/i.exec(m[0])?.[0];
    if (origin) add(origin.replace(/\.+$/, "").toLowerCase(), m.index);
  }
  for (const m of s.text.matchAll(BARE_LOCALHOST)) add(`http://${m[0].toLowerCase()}`, m.index);
  return origins.length ? [{ key: "corsOrigins", value: origins.join(","), index: first }] : [];
}
