import { isRequirementTail, REQUIREMENT_NAME, splitExtras } from "./pep508.js";

/**
 * The one reader of pip requirements files (requirements.txt, constraints, `-r` includes), as pip reads them:
 * a line ending in `\` continues on the next (unless it is a comment), `#` after white space starts a comment,
 * and each logical line is an option (`-r base.txt`, `-e .`, `--index-url …`), a URL or local path, or a
 * PEP 508 requirement followed by per-requirement options (`--hash=sha256:…`).
 */

/** A logical line: physical lines joined at trailing backslashes, its comment removed, trimmed. */
export interface RequirementsLine {
  /** 1-based number of its first physical line. */
  line: number;
  code: string;
}

/** An option and its value (`-r base.txt` → `-r`, `base.txt`; `--hash=sha256:abc` → `--hash`, `sha256:abc`; `--pre` → `--pre`, ``). */
export interface RequirementsOption {
  name: string;
  value: string;
}

/** A logical line read: an option, a URL or path installed directly, a requirement, or none of those. */
export type RequirementsEntry = RequirementsLine &
  (
    | ({ kind: "option"; egg: string | null } & RequirementsOption)
    | { kind: "direct"; egg: string | null }
    | { kind: "requirement"; name: string; extras: string[]; requirement: string; options: RequirementsOption[]; wellFormed: boolean }
    | { kind: "unknown" }
  );

/** A line that is only a comment: it never continues onto the next line. */
const COMMENT_LINE = /^\s*#/;
/** A comment: `#` at the start or after white space, to the end of the line. */
const COMMENT = /(^|\s)#.*$/;
/** An option's name, then its value after `=` or white space (short options may run into theirs: `-rbase.txt`). */
const OPTION = /^(-[A-Za-z]|--[A-Za-z][A-Za-z0-9-]*)(?:\s*=\s*|\s+)?(.*)$/;
/** A URL (`https://`, `git+ssh://`, `file://`) or a local path (`.`, `./pkg`, `../x.whl`, `/abs`, `C:\x`). */
const DIRECT = /^(?:\.|\/|[A-Za-z]:[\\/]|[A-Za-z][A-Za-z0-9+.-]*:\/\/)/;
/** Per-requirement options pip allows after a requirement (`--hash=sha256:...`, `--config-settings key=value`). */
const PER_REQUIREMENT_OPTION = /\s(--[a-z][a-z-]*)(?:=(\S*)|\s+(?!--)(\S+))?/g;

/** The logical lines of a requirements file, blank and comment-only ones left out. */
export function requirementsLines(text: string): RequirementsLine[] {
  const lines: RequirementsLine[] = [];
  let pending: RequirementsLine | null = null;
  for (const [i, physical] of text.split(/\r?\n/).entries()) {
    const comment = COMMENT_LINE.test(physical);
    const continues = physical.endsWith("\\") && !comment;
    const current: RequirementsLine = pending ?? { line: i + 1, code: "" };
    // A comment line ends a continuation; pip puts a space before it so that it still reads as a comment.
    current.code += continues ? physical.slice(0, -1) : pending && comment ? ` ${physical}` : physical;
    pending = continues ? current : null;
    if (!continues) lines.push(current);
  }
  if (pending) lines.push(pending);
  return lines.map(({ line, code }) => ({ line, code: code.replace(COMMENT, "").trim() })).filter(({ code }) => code !== "");
}

/** Every entry of a requirements file, in order. */
export function readRequirements(text: string): RequirementsEntry[] {
  return requirementsLines(text).map(readLine);
}

/** What one logical line is. */
function readLine({ line, code }: RequirementsLine): RequirementsEntry {
  if (code.startsWith("-")) {
    const [, name, value] = OPTION.exec(code) ?? [code, code, ""];
    return { kind: "option", line, code, name, value, egg: eggName(value) };
  }
  if (DIRECT.test(code)) return { kind: "direct", line, code, egg: eggName(code) };
  const match = REQUIREMENT_NAME.exec(code);
  if (!match) return { kind: "unknown", line, code };
  const rest = code.slice(match[0].length);
  const options = [...rest.matchAll(PER_REQUIREMENT_OPTION)].map(([, name, joined, separate]) => ({ name, value: joined ?? separate ?? "" }));
  const tail = rest.replace(PER_REQUIREMENT_OPTION, "");
  const requirement = `${match[0]}${tail}`.trim();
  return { kind: "requirement", line, code, name: match[1], extras: splitExtras(match[2] ?? ""), requirement, options, wellFormed: isRequirementTail(tail) };
}

/** The package an editable or URL line installs, from its `#egg=name` fragment (null when it names none). */
function eggName(target: string): string | null {
  return /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(target)?.[1] ?? null;
}

/** The file an entry includes with `-r`/`--requirement` (or `-c`/`--constraint` with `constraints`), as written; null for other entries. */
export function includedFile(entry: RequirementsEntry, options: { constraints?: boolean } = {}): string | null {
  if (entry.kind !== "option" || entry.value === "") return null;
  const includes = entry.name === "-r" || entry.name === "--requirement";
  const constrains = entry.name === "-c" || entry.name === "--constraint";
  return includes || (constrains && options.constraints) ? entry.value.split(/\s+/)[0] : null;
}

/** True when an entry pins with `--hash` (after a requirement, or on a line of its own). */
export function pinsWithHash(entry: RequirementsEntry): boolean {
  if (entry.kind === "option") return entry.name === "--hash";
  return entry.kind === "requirement" && entry.options.some((option) => option.name === "--hash");
}
