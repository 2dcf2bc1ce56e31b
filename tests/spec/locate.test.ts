import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { locateSpec, readSpecFile } from "../../generators/lib/spec/locate.js";

const roots: string[] = [];
function repo(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "spec-locate-"));
  roots.push(root);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
  return root;
}
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

describe("locateSpec", () => {
  it("prefers specs/features/authentication.md", () => {
    const root = repo({ "specs/features/authentication.md": "# Auth\n", "docs/auth.md": "# Auth\n" });
    expect(locateSpec(root)).toBe("specs/features/authentication.md");
  });

  it("finds a Markdown file named for auth under specs/ or docs/, shortest path first", () => {
    const root = repo({ "docs/guides/deep/login.md": "# Login\n", "docs/jwt.md": "# Tokens\n", "specs/tasks.md": "# Tasks\n" });
    expect(locateSpec(root)).toBe("docs/jwt.md");
  });

  it("finds a file by its first heading", () => {
    const root = repo({ "specs/002-feature.md": "Intro\n\n# Sign-in and security\n", "specs/001-feature.md": "# Task board\n" });
    expect(locateSpec(root)).toBe("specs/002-feature.md");
  });

  it("skips node_modules, files deeper than 4 levels and non-Markdown files, and returns null when nothing fits", () => {
    const root = repo({
      "docs/node_modules/pkg/auth.md": "# Auth\n",
      "docs/a/b/c/d/auth.md": "# Auth\n",
      "specs/auth.txt": "auth\n",
      "specs/author.md": "# Authors\n",
      "README.md": "# Authentication\n",
    });
    expect(locateSpec(root)).toBeNull();
    expect(locateSpec(repo({ "docs/a/b/c/auth.md": "# Auth\n" }))).toBe("docs/a/b/c/auth.md");
  });
});

describe("readSpecFile", () => {
  it("strips a byte-order mark", () => {
    const root = repo({ "specs/auth.md": Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("# Auth\n")]) });
    expect(readSpecFile(root, "specs/auth.md")).toEqual({ text: "# Auth\n" });
  });

  it("names a file that is not UTF-8", () => {
    const root = repo({ "specs/auth.md": Buffer.from([0x23, 0x20, 0xe9, 0x74, 0xe9, 0x0a]) });
    const read = readSpecFile(root, "specs/auth.md");
    expect(read).toEqual({ error: "specs/auth.md: not UTF-8 text" });
  });

  it("names a file that cannot be read, without throwing", () => {
    const root = repo({ "specs/dir/x.md": "x" });
    expect(readSpecFile(root, "specs/missing.md")).toEqual({ error: "specs/missing.md: cannot be read (ENOENT)" });
    expect(readSpecFile(root, "specs/dir")).toEqual({ error: "specs/dir: cannot be read (EISDIR)" });
  });
});
