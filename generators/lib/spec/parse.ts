// The package's self-contained build (its dependencies bundled in one file): the same parser, loaded in a third of
// the time of the default build's module graph, which the spec benchmark counts.
import markdownIt, { type MarkdownIt, type Token } from "markdown-it/browser";
import type { Statement } from "./statement.js";
import { walkChunk, type Block, type Chunk, type WalkState } from "./walk.js";

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
 * Every statement of a Markdown document, in source order, parsed with markdown-it (GFM tables) in one pass,
 * block structure only: sections with no word any reader looks for are blanked first (heading kept, lines kept),
 * so they cost the parser next to nothing and every line number stays the source's.
 */
export function documentStatements(text: string): Statement[] {
  const source = splitChunks(text).map(maskIrrelevant).join("\n");
  const lines = source.split("\n");
  const root = blockTree(parser().parse(source, {}), lines);
  const state: WalkState = { headings: [] };
  return walkChunk(root, { source, firstLine: 1 }, state);
}

let markdown: MarkdownIt | undefined;

/** The parser, made once: raw HTML recognised as blocks (as CommonMark does), no inline parsing (the walk reads the source). */
function parser(): MarkdownIt {
  if (markdown) return markdown;
  markdown = markdownIt({ html: true });
  markdown.core.ruler.disable(["inline", "linkify", "replacements", "smartquotes", "text_join"]);
  return markdown;
}

/** markdown-it's opening tokens of containers, and the block each opens. */
const CONTAINERS: Record<string, Block["type"]> = {
  bullet_list_open: "list",
  ordered_list_open: "list",
  list_item_open: "item",
  blockquote_open: "quote",
  table_open: "table",
};

const CLOSERS = new Set(Object.keys(CONTAINERS).map((open) => open.replace(/_open$/, "_close")));

/** markdown-it's flat token stream as a tree of blocks, each with its 1-based lines and first column. */
export function blockTree(tokens: Token[], lines: string[]): Block {
  const root: Block = { type: "quote", line: 1, endLine: 1, column: 0, children: [] };
  const stack = [root];
  tokens.forEach((token, i) => {
    if (token.nesting === -1) {
      if (CLOSERS.has(token.type)) stack.pop();
      return;
    }
    const block = toBlock(token, tokens[i + 1], lines);
    if (!block) return;
    stack[stack.length - 1].children.push(block);
    if (CONTAINERS[token.type]) stack.push(block);
  });
  return root;
}

/** The block a token opens or is, or undefined for tokens inside one (inline text, table sections and cells). */
function toBlock(token: Token, next: Token | undefined, lines: string[]): Block | undefined {
  if (!token.map || !token.block) return undefined;
  const [from, to] = token.map;
  const block: Block = { type: "other", line: from + 1, endLine: Math.max(from + 1, to), column: 0, children: [] };
  const container = CONTAINERS[token.type];
  if (container) return { ...block, type: container };
  if (token.type === "heading_open") return { ...block, type: "heading", depth: Number(token.tag.slice(1)), column: headingColumn(token, next, lines[from]) };
  if (token.type === "paragraph_open") return { ...block, type: "paragraph", column: contentColumn(lines[from], next?.content ?? "") };
  if (token.type === "tr_open") return { ...block, type: "row", cells: rowCells(lines[from]) };
  if (token.type === "fence" || token.type === "code_block") {
    return { ...block, type: "code", value: token.content.replace(/\n$/, ""), lang: token.info.trim().split(/\s/)[0] };
  }
  if (token.type === "html_block" || token.type === "hr") return block;
  return undefined;
}

/** Where an ATX heading's "#" starts (no container marker holds one), or a setext heading's text. */
function headingColumn(token: Token, next: Token | undefined, line = ""): number {
  return token.markup.startsWith("#") ? Math.max(0, line.indexOf("#")) : contentColumn(line, next?.content ?? "");
}

/** Where a block's text starts on its first source line: after quote and list markers (and a footnote label). */
function contentColumn(line = "", content: string): number {
  const raw = line.trimEnd();
  const first = content.split("\n", 1)[0].trimEnd();
  const column = first && raw.endsWith(first) ? raw.length - first.length : /^[\s>]*/.exec(raw)![0].length;
  return column + (/^\[\^[^\]\s]+\]:[ \t]*/.exec(raw.slice(column))?.[0].length ?? 0);
}

/** A table row's cells as written (trimmed, escapes kept), split at unescaped pipes, outer pipes dropped. */
function rowCells(line = ""): string[] {
  const body = line.replace(/^\s*(?:>\s?)*/, "").trim();
  const cells = body.split(/(?<!\\)\|/);
  if (body.startsWith("|")) cells.shift();
  if (cells.length > 1 && /(?<!\\)\|$/.test(body)) cells.pop();
  return cells.map((cell) => cell.trim());
}

/** A chunk as is when some reader may find something in it, else its heading line and blank lines. */
function maskIrrelevant(chunk: Chunk): string {
  const lines = chunk.source.split("\n");
  const heading = ATX.test(lines[0]) ? 1 : 0;
  if (RELEVANT.test(lines.slice(heading).join("\n"))) return chunk.source;
  return [...lines.slice(0, heading), ...lines.slice(heading).map(() => "")].join("\n");
}
