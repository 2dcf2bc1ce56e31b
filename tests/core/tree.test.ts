import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MANIFEST_PATH, PlanTree, contentHash } from "../../generators/lib/tree.js";
import { makeFixture, removeFixture } from "../helpers/fixture.js";

let root = "";
afterEach(() => removeFixture(root));

describe("PlanTree", () => {
  it("records writes in memory and re-applies each file's CRLF and BOM", () => {
    root = makeFixture({ "a.txt": "\uFEFFone\r\ntwo\r\n" });
    const tree = new PlanTree(root);
    expect(tree.read("a.txt")).toBe("one\ntwo\n");
    tree.write("a.txt", "one\ntwo\nthree\n");
    expect(readFileSync(path.join(root, "a.txt"), "utf8")).toBe("\uFEFFone\r\ntwo\r\n");
    expect(tree.changes()).toEqual([{ path: "a.txt", before: "\uFEFFone\r\ntwo\r\n", after: "\uFEFFone\r\ntwo\r\nthree\r\n", mode: undefined }]);
  });

  it("reports a write of identical text as unchanged, not as a change", () => {
    root = makeFixture({ "a.txt": "same\n" });
    const tree = new PlanTree(root);
    tree.write("a.txt", "same\n");
    expect(tree.changes()).toEqual([]);
    expect(tree.unchangedFiles()).toEqual(["a.txt"]);
  });

  it("creates generated files and records them in the manifest", () => {
    root = makeFixture({});
    const tree = new PlanTree(root);
    expect(tree.writeGenerated("lib/auth.ts", "export {};\n")).toBe("created");
    const manifest = tree.changes().find((c) => c.path === MANIFEST_PATH);
    expect(JSON.parse(manifest!.after).files).toEqual({ "lib/auth.ts": contentHash("export {};\n") });
  });

  it("replaces a generated file the user has not touched, keeps one the user edited", () => {
    const hash = contentHash("v1\n");
    root = makeFixture({ "gen.ts": "v1\n", "edited.ts": "mine\n", [MANIFEST_PATH]: JSON.stringify({ version: 1, files: { "gen.ts": hash, "edited.ts": hash } }) });
    const tree = new PlanTree(root);
    expect(tree.writeGenerated("gen.ts", "v2\n")).toBe("updated");
    expect(tree.writeGenerated("edited.ts", "v2\n")).toBe("kept");
    expect(tree.skippedFiles()[0]).toMatchObject({ path: "edited.ts", reason: expect.stringContaining("the new version is in edited.ts.new") });
    expect(tree.skippedFiles()[0].reason).toContain("--force");
    const byPath = Object.fromEntries(tree.changes().map((c) => [c.path, c.after]));
    expect(byPath["edited.ts"]).toBeUndefined();
    expect(byPath["edited.ts.new"]).toBe("v2\n");
  });

  it("skips a file of the user's own at a generated path", () => {
    root = makeFixture({ "mine.ts": "mine\n" });
    const tree = new PlanTree(root);
    expect(tree.writeGenerated("mine.ts", "generated\n")).toBe("skipped");
    expect(tree.skippedFiles()[0]).toMatchObject({ path: "mine.ts", reason: expect.stringContaining("was not created by auth-integrator") });
    expect(tree.changes().map((c) => c.path)).not.toContain("mine.ts");
  });

  it("with force, replaces an edited file and keeps the old content in a backup", () => {
    root = makeFixture({ "user.ts": "mine\n", "user.ts.bak": "older backup\n" });
    const tree = new PlanTree(root, { force: true });
    expect(tree.writeGenerated("user.ts", "generated\n")).toBe("updated");
    const byPath = Object.fromEntries(tree.changes().map((c) => [c.path, c.after]));
    expect(byPath["user.ts"]).toBe("generated\n");
    expect(byPath["user.ts.bak.2"]).toBe("mine\n");
  });

  it("counts a CRLF checkout of an untouched generated file as untouched", () => {
    root = makeFixture({ "gen.ts": "a\r\nb\r\n", [MANIFEST_PATH]: JSON.stringify({ version: 1, files: { "gen.ts": contentHash("a\nb\n") } }) });
    expect(new PlanTree(root).writeGenerated("gen.ts", "a\nb\nc\n")).toBe("updated");
  });

  it("names the manifest when it is not valid JSON", () => {
    root = makeFixture({ [MANIFEST_PATH]: "{ nope" });
    expect(() => new PlanTree(root).writeGenerated("x.ts", "x\n")).toThrow(/\.auth-integrator\.json/);
  });
});
