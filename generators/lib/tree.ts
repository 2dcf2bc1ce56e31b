import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { UserInputError } from "./errors.js";
import { unifiedDiff } from "./diff.js";
import { parseJson } from "./formats/json.js";
import { basePath, BASE_DIR, committedVersion, mergeThreeWay } from "./upgrade.js";
import { applyTextStyle, decodeFile, normalizeText, type FileEncoding, type TextStyle, DEFAULT_STYLE } from "./text-style.js";

/** One file the plan creates or modifies; `after` is the exact text to write (style already applied). */
export interface FileChange {
  path: string;
  before: string | null;
  after: string;
  /** File mode for a created file (0o600 for env files). */
  mode?: number;
  /** The file's encoding when it is not UTF-8: `before` and `after` are written back in it. */
  encoding?: FileEncoding;
}

export interface SkippedFile {
  path: string;
  reason: string;
  /** What the user should add by hand, printed in the summary. */
  snippet?: string;
}

export interface WriteOptions {
  mode?: number;
  /** Content that must never be printed (env files with the secret): the diff shows it redacted. */
  secret?: boolean;
}

/**
 * What writeGenerated did: "kept" is a generated file the user has edited, left as it is (its new version, if any,
 * beside it as .new); "merged" one whose new version merged cleanly into the user's edits; "skipped" a file of the user's own.
 */
export type GeneratedStatus = "created" | "updated" | "unchanged" | "merged" | "kept" | "skipped";

/** The manifest of files this tool created, so a later run can tell whether the user edited them. */
export const MANIFEST_PATH = ".auth-integrator.json";

/**
 * What this tool added to one file of the user's (an env file, compose, package.json), by entry: the value it wrote,
 * or null for a secret (never recorded). A later run whose answers no longer want an entry removes it.
 */
export type AddedEntries = Record<string, string | null>;

interface Manifest {
  version: 1;
  /** The run's answers, offered as defaults by the next run (source "saved"). */
  answers?: Record<string, string>;
  /** Entries this tool added to files it does not own, by file. */
  added?: Record<string, AddedEntries>;
  files: Record<string, string>;
}

/** sha256 of LF-normalised text: a CRLF checkout of an untouched file still counts as untouched. */
export function contentHash(text: string): string {
  return createHash("sha256").update(normalizeText(text).text).digest("hex").slice(0, 16);
}

/**
 * An in-memory view of the repo: reads come from disk (or from earlier writes of this plan),
 * writes only record new content. Nothing touches the disk until commit.
 * Paths are POSIX, relative to the root. Editors see LF-only text without BOM; the tree
 * puts each file's own line endings, BOM and final-newline state back on write.
 */
export class PlanTree {
  private readonly pending = new Map<string, { text: string; opts: WriteOptions }>();
  /** changes() reads every pending file from disk: computed once, again only after a write or manifest entry. */
  private cachedChanges: FileChange[] | null = null;
  private readonly skipped: SkippedFile[] = [];
  private readonly warnings: string[] = [];
  private readonly styles = new Map<string, TextStyle>();
  private readonly encodings = new Map<string, FileEncoding>();
  /** Every path a step wrote or considered, changed or not: the summary's "unchanged" comes from it. */
  private readonly touched = new Set<string>();
  private manifest: Manifest | null = null;
  /** The manifest's added entries as the run found them: what this run's records are compared with. */
  private addedBefore: Record<string, AddedEntries> = {};
  private readonly manifestBefore: string | null;

  constructor(
    readonly root: string,
    readonly options: { force?: boolean } = {},
  ) {
    this.manifestBefore = this.readDisk(MANIFEST_PATH);
  }

  abs(rel: string): string {
    return path.join(this.root, rel);
  }

  /** Raw text on disk, or null when absent. A folder or unreadable file is a user error. */
  private readDisk(rel: string): string | null {
    const file = this.abs(rel);
    if (!existsSync(file)) return null;
    try {
      const { raw, encoding } = decodeFile(readFileSync(file));
      if (encoding !== "utf8") this.encodings.set(rel, encoding);
      return raw;
    } catch (error) {
      throw new UserInputError(`cannot read: ${(error as NodeJS.ErrnoException).code ?? error}`, rel);
    }
  }

  /** Current LF-only text of a file (this plan's pending write if any), or null when absent. */
  read(rel: string): string | null {
    const pending = this.pending.get(rel);
    if (pending) return pending.text;
    const raw = this.readDisk(rel);
    if (raw === null) return null;
    const { text, style } = normalizeText(raw);
    this.styles.set(rel, style);
    return text;
  }

  exists(rel: string): boolean {
    return this.pending.has(rel) || existsSync(this.abs(rel));
  }

  isDir(rel: string): boolean {
    try {
      return statSync(this.abs(rel)).isDirectory();
    } catch {
      return false;
    }
  }

  /** Names in a folder on disk (not pending ones); empty when it does not exist. */
  list(relDir: string): string[] {
    try {
      return readdirSync(this.abs(relDir));
    } catch {
      return [];
    }
  }

  /** Records that a step considered a file and leaves it as it is: the summary lists it as unchanged. */
  keep(rel: string): void {
    this.touched.add(rel);
  }

  /** Records new LF-only content for a file; a no-op write (same text) records nothing. */
  write(rel: string, text: string, opts: WriteOptions = {}): void {
    this.touched.add(rel);
    const current = this.read(rel);
    if (current === text && !this.pending.has(rel)) return;
    this.pending.set(rel, { text, opts });
    this.cachedChanges = null;
  }

  /**
   * Writes a file this tool owns (generated from a template). A file the user has edited since
   * this tool created it, or a file of the user's own, is kept unless --force; with --force the
   * old content goes to a backup first.
   */
  writeGenerated(rel: string, text: string, opts: WriteOptions = {}): GeneratedStatus {
    const current = this.read(rel);
    const recorded = this.loadManifest().files[rel];
    this.touched.add(rel);
    if (current === text) {
      this.recordGenerated(rel, text);
      return "unchanged";
    }
    const untouched = current === null || this.isUntouchedGenerated(rel);
    if (!untouched && !this.options.force && recorded !== undefined) return this.upgradeEdited(rel, current!, recorded, text, opts);
    if (!untouched && !this.options.force) {
      this.skip(rel, "exists and was not created by auth-integrator; rerun with --force to replace it (the old file is kept as a .bak)");
      return "skipped";
    }
    if (!untouched && current !== null) this.write(this.backupPath(rel), current, opts);
    this.write(rel, text, opts);
    this.recordGenerated(rel, text);
    return current === null ? "created" : "updated";
  }

  /**
   * True when this tool created the file and nobody has edited it since (its hash is in the manifest):
   * such a file may be re-rendered from its template instead of being edited in place.
   */
  isUntouchedGenerated(rel: string): boolean {
    const current = this.read(rel);
    const recorded = this.loadManifest().files[rel];
    return current !== null && recorded !== undefined && recorded === contentHash(current);
  }

  /**
   * A generated file the user has edited since: kept as it is while this version renders what the last run did;
   * otherwise the new rendering is merged into it when a three-way merge against the last run's text is clean, or
   * else written beside it as `<file>.new`, with the diff in the summary. Either way the new rendering becomes the
   * base the next upgrade merges against (kept under BASE_DIR: the manifest holds only hashes).
   */
  private upgradeEdited(rel: string, current: string, recorded: string, text: string, opts: WriteOptions): GeneratedStatus {
    if (contentHash(text) === recorded) return "kept";
    const base = this.baseText(rel, recorded);
    const merged = base === null ? null : mergeThreeWay(current, base, text);
    this.write(basePath(rel), text);
    this.recordGenerated(rel, text);
    if (merged !== null) {
      this.write(rel, merged, opts);
      this.warn(`${rel}: you had edited it; this version's changes were merged into your edits (git merge-file, no conflicts) — review them in the diff`);
      return "merged";
    }
    this.write(`${rel}.new`, text, opts);
    const why = base === null ? "the text it was generated from is not in git history or in " + BASE_DIR : "merging it into your edits conflicts";
    this.skip(rel, `edited since auth-integrator created it, and this version generates it differently (${why}): the new version is in ${rel}.new — merge what you want from it and delete it, or rerun with --force to replace yours (kept as a .bak)`, unifiedDiff(rel, `${rel}.new`, current, text));
    return "kept";
  }

  /** The text this tool last wrote to `rel`, by its recorded hash: the kept base copy, else the committed version; null when lost. */
  private baseText(rel: string, recorded: string): string | null {
    const kept = this.read(basePath(rel));
    if (kept !== null && contentHash(kept) === recorded) return kept;
    const committed = committedVersion(this.root, rel, recorded, contentHash);
    return committed === null ? null : normalizeText(committed).text;
  }

  private backupPath(rel: string): string {
    let candidate = `${rel}.bak`;
    for (let n = 2; this.exists(candidate); n++) candidate = `${rel}.bak.${n}`;
    return candidate;
  }

  private loadManifest(): Manifest {
    if (this.manifest) return this.manifest;
    const raw = this.manifestBefore;
    if (raw === null) return (this.manifest = { version: 1, files: {} });
    const parsed = parseJson(raw, MANIFEST_PATH) as Manifest;
    try {
      if (typeof parsed !== "object" || parsed === null || typeof parsed.files !== "object") throw new Error("no \"files\" object");
      const answers = typeof parsed.answers === "object" && parsed.answers !== null ? { answers: { ...parsed.answers } } : {};
      const added = typeof parsed.added === "object" && parsed.added !== null ? { added: { ...parsed.added } } : {};
      this.addedBefore = { ...added.added };
      return (this.manifest = { version: 1, ...answers, ...added, files: { ...parsed.files } });
    } catch (error) {
      throw new UserInputError(`not a valid auth-integrator manifest: ${(error as Error).message}`, MANIFEST_PATH);
    }
  }

  private recordGenerated(rel: string, text: string): void {
    const manifest = this.loadManifest();
    manifest.files[rel] = contentHash(text);
    this.cachedChanges = null;
  }

  /** Records the run's answers in the manifest (sorted by key), so the next run can offer them. */
  recordAnswers(answers: Record<string, string>): void {
    const manifest = this.loadManifest();
    manifest.answers = Object.fromEntries(Object.entries(answers).sort(([a], [b]) => a.localeCompare(b)));
    this.cachedChanges = null;
  }

  /** The entries an earlier run added to `rel` (see AddedEntries); empty when none are recorded. */
  addedEntries(rel: string): AddedEntries {
    this.loadManifest();
    const recorded = this.addedBefore[rel];
    return typeof recorded === "object" && recorded !== null ? { ...recorded } : {};
  }

  /** Records the entries this tool has added to `rel` by the end of this run (an empty record forgets the file). */
  recordAddedEntries(rel: string, entries: AddedEntries): void {
    const manifest = this.loadManifest();
    const added = { ...manifest.added };
    if (Object.keys(entries).length === 0) delete added[rel];
    else added[rel] = Object.fromEntries(Object.entries(entries).sort(([a], [b]) => a.localeCompare(b)));
    manifest.added = Object.keys(added).length > 0 ? added : undefined;
    this.cachedChanges = null;
  }

  skip(rel: string, reason: string, snippet?: string): void {
    this.skipped.push({ path: rel, reason, snippet });
  }

  warn(message: string): void {
    if (!this.warnings.includes(message)) this.warnings.push(message);
  }

  /** Files this plan would create or modify, with each file's original style re-applied, manifest last. */
  changes(): FileChange[] {
    if (this.cachedChanges) return this.cachedChanges;
    this.flushManifest();
    const out: FileChange[] = [];
    for (const [rel, { text, opts }] of this.pending) {
      const before = this.readDisk(rel);
      const style = before === null ? DEFAULT_STYLE : (this.styles.get(rel) ?? normalizeText(before).style);
      const after = applyTextStyle(text, style);
      if (after === before) continue;
      const encoding = this.encodings.get(rel);
      out.push({ path: rel, before, after, mode: before === null ? opts.mode : undefined, ...(encoding ? { encoding } : {}) });
    }
    return (this.cachedChanges = out);
  }

  /** Paths whose content must never be printed. */
  secretPaths(): Set<string> {
    return new Set([...this.pending].filter(([, p]) => p.opts.secret).map(([rel]) => rel));
  }

  /** Every file this tool generated, by the manifest (including this run's). */
  generatedFiles(): string[] {
    return Object.keys(this.loadManifest().files);
  }

  /** Paths a step wrote or considered that end up with no change and were not skipped. */
  unchangedFiles(): string[] {
    const changed = new Set(this.changes().map((c) => c.path));
    const skipped = new Set(this.skipped.map((s) => s.path));
    return [...this.touched].filter((rel) => !changed.has(rel) && !skipped.has(rel) && rel !== MANIFEST_PATH);
  }

  skippedFiles(): SkippedFile[] {
    return [...this.skipped];
  }

  warningList(): string[] {
    return [...this.warnings];
  }

  private flushManifest(): void {
    if (!this.manifest) return;
    const sorted = Object.fromEntries(Object.entries(this.manifest.files).sort(([a], [b]) => a.localeCompare(b)));
    const answers = this.manifest.answers ? { answers: this.manifest.answers } : {};
    const added = this.manifest.added ? { added: Object.fromEntries(Object.entries(this.manifest.added).sort(([a], [b]) => a.localeCompare(b))) } : {};
    const text = `${JSON.stringify({ version: 1, ...answers, ...added, files: sorted }, null, 2)}\n`;
    if (text !== (this.manifestBefore === null ? null : normalizeText(this.manifestBefore).text)) this.pending.set(MANIFEST_PATH, { text, opts: {} });
  }
}
