/** Inline Markdown removed from one source line: emphasis, code ticks, escapes, link syntax (the URL kept). */
export function plainInline(line: string): string {
  return line
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]+)\]\(([^)\s]+)[^)]*\)/g, (_, label: string, url: string) => (label === url ? label : `${label} (${url})`))
    .replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, "$1")
    .replace(/\*\*|__|~~|`/g, "")
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/g, "$1$2")
    .replace(/(^|[^\w])_(?=\S)([^_\n]*?\S)_(?!\w)/g, "$1$2")
    .replace(/<br\s*\/?>/gi, " ");
}

const ABBREVIATION = /(?:\be\.g|\bi\.e|\betc|\bvs|\bapprox|\bmin|\bmax|\bno|\bDr|\bcf)\.$/i;

/** [start, end) of each sentence in a paragraph's text: split after . ! ? before a capital, not after "e.g.". */
export function sentenceSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  let start = 0;
  for (const match of text.matchAll(/[.!?](?=\s+["'(*[]?[A-Z0-9])/g)) {
    const end = match.index + 1;
    if (ABBREVIATION.test(text.slice(Math.max(start, end - 8), end))) continue;
    spans.push([start, end]);
    start = end + (/^\s+/.exec(text.slice(end))?.[0].length ?? 0);
  }
  if (start < text.length) spans.push([start, text.length]);
  return spans;
}
