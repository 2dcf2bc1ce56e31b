import { plainInline, sentenceSpans } from "./inline.js";
import { sliceStatement, type Statement } from "./statement.js";
import { exampleSection, nonNormativeLead, nonNormativeSection } from "./strength.js";

/** The walk's state across a document's chunks: the open headings. */
export interface WalkState {
  headings: { depth: number; text: string }[];
}

/** Where one block sits: what leads into it, whether a lead or parent put it out of scope. */
interface Place {
  context: string;
  lead: string;
  offScope: boolean;
}

const TOP: Place = { context: "", lead: "", offScope: false };

/**
 * One block of the parsed document: 1-based first and last source line, the 0-based column its text starts at on
 * the first line, and what its type needs (heading depth, table row cells as written, code text and language).
 */
export interface Block {
  type: "heading" | "paragraph" | "list" | "item" | "quote" | "table" | "row" | "code" | "other";
  line: number;
  endLine: number;
  column: number;
  children: Block[];
  depth?: number;
  cells?: string[];
  value?: string;
  lang?: string;
}

/** One parsed chunk of the document: its source and the line number of its first line. */
export interface Chunk {
  source: string;
  firstLine: number;
}

/** Statements of a parsed Markdown chunk, in source order; `state` carries the heading path on to the next chunk. */
export function walkChunk(root: Block, chunk: Chunk, state: WalkState): Statement[] {
  const out: Statement[] = [];
  new Walker(chunk, state, out).blocks(root, TOP);
  return out;
}

/** The heading path a statement sits under, and what it says of the statements' strength. */
interface Section {
  headings: WalkState["headings"];
  text: string;
  nonNormative: boolean;
  example: boolean;
}

class Walker {
  private readonly lines: string[];
  private current: Section | undefined;

  constructor(
    private readonly chunk: Chunk,
    private readonly state: WalkState,
    private readonly out: Statement[],
  ) {
    this.lines = chunk.source.split("\n");
  }

  /** A container's children; a paragraph leads into the block after it. */
  blocks(parent: Block, place: Place): void {
    let lead = place.lead;
    let leadOff = false;
    for (const node of parent.children) {
      const here: Place = { context: [place.context, lead].filter(Boolean).join(" "), lead, offScope: place.offScope || leadOff };
      this.block(node, here);
      const text = node.type === "paragraph" ? this.blockText(node) : "";
      lead = text;
      leadOff = node.type === "paragraph" && nonNormativeLead(text) && /:\s*$/.test(text);
    }
  }

  private block(node: Block, place: Place): void {
    if (node.type === "heading") this.heading(node);
    else if (node.type === "paragraph") this.paragraph(node, "text", place);
    else if (node.type === "list") this.list(node, place);
    else if (node.type === "table") this.table(node, place);
    else if (node.type === "code") this.code(node, place);
    else if (node.type === "quote") this.blocks(node, place);
  }

  private heading(node: Block): void {
    const text = this.blockText(node).replace(/\s+#+\s*$/, "").trim();
    const depth = node.depth ?? 1;
    const headings = this.state.headings.filter((h) => h.depth < depth);
    headings.push({ depth, text });
    this.state.headings = headings;
    this.emit(this.statement(node, text, "heading", TOP));
  }

  private paragraph(node: Block, kind: "text" | "item", place: Place): void {
    const whole = this.statement(node, this.blockText(node), kind, place);
    for (const [from, to] of sentenceSpans(whole.text)) this.emit(sliceStatement(whole, from, to));
  }

  private list(node: Block, place: Place): void {
    const scenario: string[] = [];
    for (const item of node.children) {
      const first = item.children.find((child) => child.type === "paragraph");
      const text = first ? this.blockText(first) : "";
      if (/^(?:given|scenario)\b/i.test(text)) scenario.length = 0;
      const context = [place.context, ...(/^(?:when|then|and|but)\b/i.test(text) ? scenario : [])].filter(Boolean).join(" ");
      if (/^(?:given|when|then|and|but|scenario)\b/i.test(text)) scenario.push(text);
      this.item(item, { context, lead: "", offScope: place.offScope });
    }
  }

  private item(item: Block, place: Place): void {
    let parentText = "";
    for (const child of item.children) {
      if (child.type === "paragraph") {
        this.paragraph(child, "item", place);
        parentText ||= this.blockText(child);
      } else {
        const off = place.offScope || nonNormativeLead(parentText);
        this.block(child, { context: [place.context, parentText].filter(Boolean).join(" "), lead: "", offScope: off });
      }
    }
  }

  private table(node: Block, place: Place): void {
    const [header, ...rows] = node.children;
    const headerText = header ? this.cells(header) : "";
    for (const row of rows) {
      const text = this.cells(row);
      this.emit(this.statement(row, text, "row", { ...place, context: [place.context, headerText].filter(Boolean).join(" ") }));
    }
  }

  private code(node: Block, place: Place): void {
    const start = node.line;
    const fenced = /^\s*(?:```|~~~)/.test(this.lines[start - 1] ?? "");
    const codeLines = (node.value ?? "").split("\n");
    const comment = /^\s*(?:#|\/\/|--|;)/.test(codeLines[0] ?? "") ? codeLines[0] : "";
    const section = this.section();
    const base = section.nonNormative || place.offScope ? "non-normative" : section.example ? "example" : "code";
    codeLines.forEach((line, i) => {
      if (!line.trim()) return;
      this.emit({
        text: line,
        starts: [{ offset: 0, line: this.chunk.firstLine + start - 1 + i + (fenced ? 1 : 0) }],
        section: section.text,
        kind: "code",
        lang: (node.lang ?? "").toLowerCase(),
        context: [place.lead, codeLines[i - 1] ?? ""].filter(Boolean).join(" "),
        scope: [section.text, place.lead, node.lang ?? "", comment].join(" "),
        base,
      });
    });
  }

  /** A statement for a block: its plain text and line map. */
  private statement(node: Block, text: string, kind: Statement["kind"], place: Place): Statement {
    const section = this.section();
    const line = this.chunk.firstLine + node.line - 1;
    const starts = [{ offset: 0, line }];
    for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push({ offset: i + 1, line: line + starts.length });
    const offScope = place.offScope || section.nonNormative;
    return {
      text,
      starts,
      section: section.text,
      kind,
      lang: "",
      context: place.context,
      scope: [section.text, place.lead].join(" "),
      base: offScope ? "non-normative" : section.example ? "example" : "normal",
    };
  }

  /** The open headings as a section, worked out once per heading (every statement under it shares it). */
  private section(): Section {
    if (this.current?.headings === this.state.headings) return this.current;
    const path = this.state.headings.map((h) => h.text);
    this.current = { headings: this.state.headings, text: path.join(" > "), nonNormative: nonNormativeSection(path), example: exampleSection(path) };
    return this.current;
  }

  /** A block's plain text, one line per source line (the first from the block's column), without list, quote or checkbox markers. */
  private blockText(node: Block): string {
    const lines: string[] = [];
    for (let n = node.line; n <= node.endLine; n++) {
      const raw = this.lines[n - 1] ?? "";
      const line = n === node.line ? raw.slice(node.column) : raw.replace(/^\s*(?:>\s?)*\s*/, "");
      lines.push(plainInline(line.replace(/^#{1,6}\s+/, "").replace(/^\[[ xX]\]\s+/, "")).trimEnd());
    }
    return lines.join("\n");
  }

  /** A table row's plain text: its cells' text joined with " | ". */
  private cells(row: Block): string {
    return (row.cells ?? []).map((cell) => plainInline(cell).trim()).join(" | ");
  }

  private emit(statement: Statement): void {
    if (statement.text.trim()) this.out.push(statement);
  }
}
