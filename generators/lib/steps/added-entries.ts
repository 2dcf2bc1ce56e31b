import type { AddedEntries, PlanTree } from "../tree.js";

/** One entry a step wants in a file of the user's: its key, its value, and whether the value is a secret (never recorded). */
export interface WantedEntry {
  key: string;
  value: string;
  secret?: boolean;
}

/** What a run does with the entries of one file, by comparing the answers with what an earlier run added. */
export interface EntryChanges {
  /** Entries an earlier run added that this run's answers no longer want: they go. */
  stale: string[];
  /** Entries this tool wrote and nobody has changed since, whose value the answers now change. */
  updates: WantedEntry[];
  /** Entries this tool wrote that the user has set to a value of their own: theirs stays. */
  kept: Array<{ key: string; value: string; wanted: string }>;
  /** The file's record once the run is done. */
  record: AddedEntries;
}

/**
 * Compares what a run wants in a file with what earlier runs added there (`recorded`) and what the file holds now
 * (`present`): an entry the tool added and no longer wants is stale; one it added and nobody changed follows the new
 * answer; one the user had before the tool came, or has set since, is the user's and stays as it is.
 */
export function compareEntries(wanted: WantedEntry[], recorded: AddedEntries, present: ReadonlyMap<string, string>): EntryChanges {
  const changes: EntryChanges = { stale: [], updates: [], kept: [], record: {} };
  const wantedKeys = new Set(wanted.map((entry) => entry.key));
  for (const entry of wanted) {
    const ours = Object.hasOwn(recorded, entry.key);
    const current = present.get(entry.key);
    // Present before this tool ever wrote it: the user's own entry, never recorded, never removed.
    if (!ours && current !== undefined) continue;
    const written = ours ? recorded[entry.key] : null;
    const edited = written !== null && current !== undefined && current !== written;
    // Said only when the answer changed: a value the user set deliberately is not worth a warning on every run.
    if (edited && written !== entry.value && current !== entry.value) changes.kept.push({ key: entry.key, value: current, wanted: entry.value });
    else if (written !== null && current === written && written !== entry.value) changes.updates.push(entry);
    changes.record[entry.key] = entry.secret ? null : edited ? written : entry.value;
  }
  for (const key of Object.keys(recorded)) {
    if (!wantedKeys.has(key) && present.has(key)) changes.stale.push(key);
  }
  return changes;
}

/** The part of a record whose entries the file holds now: an entry the tool could not write (left for the user to add) is not its. */
export function onlyPresent(record: AddedEntries, present: { has(key: string): boolean }): AddedEntries {
  return Object.fromEntries(Object.entries(record).filter(([key]) => present.has(key)));
}

/** Records the file's entries and warns about the ones the user has set to a value of their own. */
export function recordEntryChanges(tree: PlanTree, file: string, changes: EntryChanges, what = "has"): void {
  tree.recordAddedEntries(file, changes.record);
  for (const { key, value, wanted } of changes.kept) {
    tree.warn(`${file} ${what} ${key}=${value}, which you set; the answers give ${wanted}, so change it by hand if you want that`);
  }
}
