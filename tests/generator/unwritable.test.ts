import { execFileSync } from "node:child_process";
import { chmodSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeFixture, removeFixture, snapshotTree } from "../helpers/fixture.js";
import { runGenerator } from "../helpers/generator.js";
import { SMALL_MONOREPO } from "../helpers/monorepo.js";

let root = "";
let restore = () => {};
afterEach(() => {
  restore();
  removeFixture(root);
});

/** Makes a file unwritable even for root (CI runs as root): the immutable attribute; otherwise a read-only mode. */
function makeUnwritable(file: string): () => void {
  if (process.getuid?.() !== 0) {
    chmodSync(file, 0o444);
    return () => chmodSync(file, 0o644);
  }
  execFileSync("chattr", ["+i", file]);
  return () => execFileSync("chattr", ["-i", file]);
}

describe("an unwritable file", () => {
  it("stops the run before anything is written, naming the file", async () => {
    root = makeFixture(SMALL_MONOREPO);
    restore = makeUnwritable(path.join(root, "backend/main.py"));
    const before = snapshotTree(root);
    const { failures } = await runGenerator(root);
    expect(failures.join("\n")).toMatch(/backend\/main\.py: is not writable/);
    expect(failures.join("\n")).toContain("nothing was written");
    expect(snapshotTree(root)).toEqual(before);
  });
});
