import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { commitChanges } from "../../generators/lib/commit.js";
import { makeFixture, removeFixture, snapshotTree } from "../helpers/fixture.js";

let root = "";
afterEach(() => {
  chmodSync(root, 0o755);
  removeFixture(root);
});

const isRoot = process.getuid?.() === 0;

/** Makes a file unwritable even for root (immutable attribute); for other users a read-only mode does. */
function makeUnwritable(file: string): () => void {
  if (!isRoot) {
    chmodSync(file, 0o444);
    return () => chmodSync(file, 0o644);
  }
  execFileSync("chattr", ["+i", file]);
  return () => execFileSync("chattr", ["-i", file]);
}

describe("commitChanges", () => {
  it("writes new files (creating folders, with their mode) and replaces existing ones", () => {
    root = makeFixture({ "a.txt": "old\n" });
    commitChanges(root, [
      { path: "a.txt", before: "old\n", after: "new\n" },
      { path: "deep/dir/.env.local", before: null, after: "S=1\n", mode: 0o600 },
    ]);
    expect(readFileSync(path.join(root, "a.txt"), "utf8")).toBe("new\n");
    expect(statSync(path.join(root, "deep/dir/.env.local")).mode & 0o777).toBe(0o600);
  });

  it("creates a file without a mode of its own as any tool would: 666 less the umask, never world-writable under 022", () => {
    root = makeFixture({});
    const umask = process.umask(0o022);
    try {
      commitChanges(root, [{ path: "lib/auth.ts", before: null, after: "export {};\n" }]);
    } finally {
      process.umask(umask);
    }
    expect(statSync(path.join(root, "lib/auth.ts")).mode & 0o777).toBe(0o644);
  });

  it("writes nothing when a target is a folder, and names it", () => {
    root = makeFixture({ "a.txt": "old\n", "dir/x": "" });
    const before = snapshotTree(root);
    expect(() =>
      commitChanges(root, [
        { path: "a.txt", before: "old\n", after: "new\n" },
        { path: "dir", before: "", after: "x" },
      ]),
    ).toThrow(/dir: is a folder/);
    expect(snapshotTree(root)).toEqual(before);
  });

  it("rolls back every written file when a later write fails", () => {
    root = makeFixture({ "a.txt": "old\n", "blocker": "a file where a folder is needed\n" });
    const before = snapshotTree(root);
    expect(() =>
      commitChanges(root, [
        { path: "a.txt", before: "old\n", after: "new\n" },
        { path: "new/one.txt", before: null, after: "1\n" },
        { path: "blocker/inner.txt", before: null, after: "2\n" },
      ]),
    ).toThrow(/blocker/);
    expect(snapshotTree(root)).toEqual(before);
    expect(existsSync(path.join(root, "new"))).toBe(false);
  });

  it("refuses an unwritable file before writing anything", () => {
    root = makeFixture({ "a.txt": "old\n", "ro/b.txt": "b\n" });
    const restore = makeUnwritable(path.join(root, "ro/b.txt"));
    const before = snapshotTree(root);
    try {
      expect(() =>
        commitChanges(root, [
          { path: "a.txt", before: "old\n", after: "new\n" },
          { path: "ro/b.txt", before: "b\n", after: "c\n" },
        ]),
      ).toThrow(/ro\/b.txt: is not writable/);
      expect(snapshotTree(root)).toEqual(before);
    } finally {
      restore();
    }
  });
});
