import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { gfm } from "micromark-extension-gfm";
import type { Statement } from "./statement.js";
import { walkChunk, type Chunk, type WalkState } from "./walk.js";

/**
 * Words some reader looks for. A section with none of them is blanked before parsing (its heading kept for the
 * path): the Markdown parser is the slow part, and long specs are mostly about other features.
 */
const RELEVANT =
  /auth|passw|token|jwt|jwks|secret|hs256|eddsa|rs256|es256|public key|session|expir|ttl|lifetime|\/api|40[34]|forbidden|not found|sign|log ?in|regist|redirect|google|github|discord|microsoft|apple|gitlab|facebook|linkedin|twitter|oauth|social|cors|origin|https?:|localhost|neon|postgres|sqlite|database|reset|verif|role|rbac|factor|2fa|mfa|rate|throttl|lock|magic|refresh|passkey|webauthn|name|account|scope|future|example|default|user_?id/i;

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** The document cut before each top-level ATX heading outside fenced code: headings end any open block, so each cut parses alone. */
export function splitChunks(text: string): Chunk[] {
  const lines = text.split("\n");
  const chunks: Chunk[] = [];
  let fence = "";
  let from = 0;
  lines.forEach((line, i) => {
    const open = FENCE.exec(line)?.[1];
    if (open && (!fence || (open[0] === fence[0] && open.length >= fence.length))) fence = fence ? "" : open;
    else if (!fence && i > from && ATX.test(line)) {
      chunks.push({ source: lines.slice(from, i).join("\n"), firstLine: from + 1 });
      from = i;
    }
  });
  chunks.push({ source: lines.slice(from).join("\n"), firstLine: from + 1 });
  return chunks;
}

/**
 * Every statement of a Markdown document, in source order, parsed with mdast (GFM tables and task lists) in one
 * pass: sections with no word any reader looks for are blanked first (heading kept, lines kept), so they cost
 * the parser next to nothing and every line number stays the source's.
 */
export function documentStatements(text: string): Statement[] {
  const source = splitChunks(text).map(maskIrrelevant).join("\n");
  const root = fromMarkdown(source, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const state: WalkState = { headings: [] };
  return walkChunk(root, { source, firstLine: 1 }, state);
}

/** A chunk as is when some reader may find something in it, else its heading line and blank lines. */
function maskIrrelevant(chunk: Chunk): string {
  const lines = chunk.source.split("\n");
  const heading = ATX.test(lines[0]) ? 1 : 0;
  if (RELEVANT.test(lines.slice(heading).join("\n"))) return chunk.source;
  return [...lines.slice(0, heading), ...lines.slice(heading).map(() => "")].join("\n");
}
