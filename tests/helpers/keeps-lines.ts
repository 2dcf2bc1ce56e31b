/** How an edited line may differ from the original line it stands for; the default is not at all. */
export type LineMatch = (line: string, candidate: string) => boolean;

/** True when `original`'s lines (text or list of lines) appear, in order, among `edited`'s, each found by `matches`. */
export function keepsLines(original: string | string[], edited: string, matches: LineMatch = (line, candidate) => line === candidate): boolean {
  const out = edited.split("\n");
  let j = 0;
  return (typeof original === "string" ? original.split("\n") : original).every((line) => {
    while (j < out.length && !matches(line, out[j])) j++;
    return j++ < out.length;
  });
}

/** True when `candidate` is `line` with at most one contiguous piece inserted (a comma, an `[extra]`, a new item). */
export function sameLineOrInserted(line: string, candidate: string): boolean {
  if (candidate.length < line.length) return false;
  for (let k = 0; k <= line.length; k++) {
    if (candidate.startsWith(line.slice(0, k)) && candidate.endsWith(line.slice(k))) return true;
  }
  return false;
}
