import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { filterGitIgnored, gitignoreRulesFrom, matchGitignoreFiles } from "../../generators/lib/formats/gitignore.js";
import { makeFixture } from "../helpers/fixture.js";
import { removedAfterEach } from "../helpers/temp-roots.js";

const removed = removedAfterEach();

/** What real `git check-ignore` says of `rels` in a fresh git repository holding `files` (and the folders `dirs`). */
function gitSays(files: Record<string, string>, rels: string[], dirs: string[] = []): string[] {
  const root = removed(makeFixture(files));
  for (const dir of dirs) mkdirSync(path.join(root, dir), { recursive: true });
  execFileSync("git", ["init", "-q"], { cwd: root });
  return filterGitIgnored(root, rels);
}

/** What the fallback (no git) says of `rels` for the same files and folders. */
function fallbackSays(files: Record<string, string>, rels: string[], dirs: string[] = []): string[] {
  const root = removed(makeFixture(files));
  for (const dir of dirs) mkdirSync(path.join(root, dir), { recursive: true });
  return matchGitignoreFiles(root, rels);
}

interface Case {
  name: string;
  files: Record<string, string>;
  paths: string[];
  /** Folders that exist (a path naming one is matched as a folder). */
  dirs?: string[];
  /** What git says, written out so that a change in git or in the fallback shows. */
  ignored: string[];
}

const CASES: Case[] = [
  {
    name: "nested .gitignore files apply relative to their folder",
    files: { ".gitignore": "*.log\n", "a/.gitignore": "/local.txt\nsub/x.txt\nname\n", "a/b/.gitignore": "!keep.log\n" },
    paths: ["x.log", "a/x.log", "a/b/keep.log", "keep.log", "a/local.txt", "local.txt", "a/b/local.txt", "a/sub/x.txt", "a/c/sub/x.txt", "a/name", "a/q/name", "name", "b/name"],
    ignored: ["x.log", "a/x.log", "keep.log", "a/local.txt", "a/sub/x.txt", "a/name", "a/q/name"],
  },
  {
    name: "a deeper .gitignore overrides an outer one, either way",
    files: { ".gitignore": "secret\n!public\n", "a/.gitignore": "!secret\npublic\n" },
    paths: ["secret", "public", "a/secret", "a/public", "a/b/secret", "a/b/public", "c/secret"],
    ignored: ["secret", "a/public", "a/b/public", "c/secret"],
  },
  {
    name: "a nested negation re-includes a folder an outer file ignores",
    files: { ".gitignore": "a/x/\n", "a/.gitignore": "!x/\n" },
    paths: ["a/x/y", "a/x/z/w"],
    ignored: [],
  },
  {
    name: "negation: the last matching rule wins, but nothing inside an ignored folder comes back",
    files: { ".gitignore": "*.log\n!important.log\nbuild/\n!build/keep.txt\nlogs/*\n!logs/keep\n" },
    paths: ["a.log", "important.log", "x/important.log", "build/keep.txt", "build/a/b", "logs/a", "logs/keep", "logs/keep/inner"],
    ignored: ["a.log", "build/keep.txt", "build/a/b", "logs/a"],
  },
  {
    name: "folder patterns dir/ match folders only (every path on the way down is a folder)",
    files: { ".gitignore": "lib/\nout/\n" },
    paths: ["lib", "lib/x.ts", "frontend/lib", "frontend/lib/auth.ts", "out", "out/", "a/out/b"],
    dirs: ["out"],
    ignored: ["lib/x.ts", "frontend/lib/auth.ts", "out", "out/", "a/out/b"],
  },
  {
    name: "anchored /x matches from the .gitignore's folder only",
    files: { ".gitignore": "/only-root\n/dir/file\n", "f/.gitignore": "/out\n" },
    paths: ["only-root", "sub/only-root", "dir/file", "x/dir/file", "f/out", "f/out/i.html", "f/app/out", "out"],
    ignored: ["only-root", "dir/file", "f/out", "f/out/i.html"],
  },
  {
    name: "** leading, trailing and in the middle",
    files: { ".gitignore": "**/cache\nlogs/**\ndocs/**/*.tmp\na/**/b\n", "n/.gitignore": "**/deep\nx/**\n" },
    paths: ["cache", "p/q/cache", "cache/x", "logs", "logs/a/b", "docs/a.tmp", "docs/x/y/b.tmp", "src/a.tmp", "a/b", "a/x/y/b", "xa/b", "n/deep", "n/m/deep", "deep", "n/x/1", "x/1"],
    ignored: ["cache", "p/q/cache", "cache/x", "logs/a/b", "docs/a.tmp", "docs/x/y/b.tmp", "a/b", "a/x/y/b", "n/deep", "n/m/deep", "n/x/1"],
  },
  {
    name: "globs: * ? character classes and ranges stay within one segment",
    files: { ".gitignore": "*.py[cod]\nx?\nb[!0-9]\nfile-[a-c].txt\n*.DB\nsrc/*.gen\n" },
    paths: ["m.pyc", "a/m.pyo", "m.pyx", "x1", "x12", "bz", "b7", "file-b.txt", "file-d.txt", "a.DB", "a.db", "src/a.gen", "src/x/a.gen", "src/.gen"],
    ignored: ["m.pyc", "a/m.pyo", "x1", "bz", "file-b.txt", "a.DB", "src/a.gen", "src/.gen"],
  },
  {
    name: "comments, escapes, trailing spaces and CRLF line ends",
    files: { ".gitignore": "# comment\n\\#hash\n\\!bang\ntrail   \nspace\\ \r\ncrlf\r\n   \n", "a/.gitignore": "#x\n   \n\\#n\n" },
    paths: ["# comment", "#hash", "!bang", "trail", "trail   ", "space ", "space", "crlf", "a/#x", "a/#n", "a/b", "a"],
    ignored: ["#hash", "!bang", "trail", "space ", "crlf", "a/#n"],
  },
  {
    name: "folder names with glob characters in them",
    files: { "[x]/.gitignore": "y\n", "x/.gitignore": "z\n", "!b/.gitignore": "c\n" },
    paths: ["[x]/y", "x/y", "x/z", "[x]/z", "!b/c", "b/c"],
    ignored: ["[x]/y", "x/z", "!b/c"],
  },
];

describe("the .gitignore fallback agrees with git check-ignore", () => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s", (_name, { files, paths, dirs, ignored }) => {
    expect(gitSays(files, paths, dirs)).toEqual(ignored);
    expect(fallbackSays(files, paths, dirs)).toEqual(ignored);
  });

  it("matches git for random rules in the root and two nested folders (property)", () => {
    const segment = fc.constantFrom("lib", "a", "b", "*.db", "*.py[cod]", "x?", "**", "b[!0-9]", "*");
    const pattern = fc
      .tuple(fc.boolean(), fc.array(segment, { minLength: 1, maxLength: 3 }), fc.boolean(), fc.boolean())
      .map(([leadingSlash, parts, trailingSlash, negated]) => `${negated ? "!" : ""}${leadingSlash ? "/" : ""}${parts.join("/")}${trailingSlash ? "/" : ""}`);
    const name = fc.constantFrom("lib", "a", "b", "c.db", "m.pyc", "x1", "bz", "b7");
    const filePath = fc.array(name, { minLength: 1, maxLength: 4 }).map((parts) => parts.join("/"));
    const rules = (max: number) => fc.array(pattern, { maxLength: max }).map((lines) => `${lines.join("\n")}\n`);
    fc.assert(
      fc.property(rules(5), rules(3), rules(3), fc.uniqueArray(filePath, { minLength: 1, maxLength: 8 }), (rootRules, aRules, abRules, paths) => {
        const files = { ".gitignore": rootRules, "a/.gitignore": aRules, "a/b/.gitignore": abRules };
        expect(fallbackSays(files, paths)).toEqual(gitSays(files, paths));
      }),
      { numRuns: 80 },
    );
  });
});

describe("gitignoreRulesFrom", () => {
  it("keeps the root's lines and rebases a nested folder's onto it", () => {
    expect(gitignoreRulesFrom("", "a\n/b\n")).toEqual(["a", "/b", ""]);
    expect(gitignoreRulesFrom("f/g", "# c\n\nname\n/anchored\nx/y\ndir/\n!neg\n!/neg\n**/deep\n")).toEqual([
      "f/g/**/name",
      "f/g/anchored",
      "f/g/x/y",
      "f/g/**/dir/",
      "!f/g/**/neg",
      "!f/g/neg",
      "f/g/**/deep",
    ]);
  });
});
