import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addGitignoreEntries } from "../../generators/lib/editors/gitignore.js";
import { filterGitIgnored, isGitIgnored } from "../../generators/lib/formats/gitignore.js";
import { makeFixture } from "../helpers/fixture.js";
import { removedAfterEach } from "../helpers/temp-roots.js";

const removed = removedAfterEach();

/** A temp folder holding `files`; a git work tree when `git` is set. */
function folder(files: Record<string, string>, git: boolean): string {
  const root = removed(makeFixture(files));
  if (git) execFileSync("git", ["init", "-q"], { cwd: root });
  return root;
}

const PYTHON_STYLE = "__pycache__/\n*.py[cod]\nbuild/\nlib/\n.env\n*.db\n!keep.db\n/only-root.txt\n";

describe.each([
  ["outside git (own matcher)", false],
  ["inside a git work tree (git check-ignore)", true],
])("isGitIgnored %s", (_name, useGit) => {
  it("sees that a Python-style lib/ rule hides frontend/lib/auth.ts (which does not exist yet)", () => {
    const root = folder({ ".gitignore": PYTHON_STYLE }, useGit);
    expect(isGitIgnored(root, "frontend/lib/auth.ts")).toBe(true);
    expect(isGitIgnored(root, "frontend/lib")).toBe(false); // a file named lib: `lib/` only matches folders
    expect(isGitIgnored(root, "frontend/app/page.tsx")).toBe(false);
  });

  it("handles globs, character classes, negation, anchoring and nested .gitignore files", () => {
    const root = folder({ ".gitignore": PYTHON_STYLE, "frontend/.gitignore": ".env.local\n/out\n" }, useGit);
    const paths = [
      "backend/.env",
      "x/auth.db",
      "keep.db",
      "only-root.txt",
      "sub/only-root.txt",
      "frontend/.env.local",
      "backend/.env.local",
      "a/__pycache__/m.pyc",
      "app/m.pyo",
      "app/m.pyx",
      "frontend/out/index.html",
      "frontend/app/out",
    ];
    expect(filterGitIgnored(root, paths)).toEqual([
      "backend/.env",
      "x/auth.db",
      "only-root.txt",
      "frontend/.env.local",
      "a/__pycache__/m.pyc",
      "app/m.pyo",
      "frontend/out/index.html",
    ]);
  });

  it("handles ** patterns and escaped characters", () => {
    const root = folder({ ".gitignore": "docs/**/*.tmp\n**/cache\nlogs/**\n\\#hash\n\\!bang\n" }, useGit);
    const paths = ["docs/a.tmp", "docs/x/y/b.tmp", "src/a.tmp", "a/b/cache", "cache", "logs/x/y.log", "logs", "#hash", "!bang"];
    expect(filterGitIgnored(root, paths)).toEqual(["docs/a.tmp", "docs/x/y/b.tmp", "a/b/cache", "cache", "logs/x/y.log", "#hash", "!bang"]);
  });

  it("cannot re-include a file inside an ignored folder, but can re-include one matched by a file pattern", () => {
    const root = folder({ ".gitignore": "lib/\n!lib/keep.ts\n*.log\n!important.log\n" }, useGit);
    expect(filterGitIgnored(root, ["lib/keep.ts", "a.log", "important.log"])).toEqual(["lib/keep.ts", "a.log"]);
  });

  it("ignores nothing without .gitignore files", () => {
    const root = folder({}, useGit);
    expect(filterGitIgnored(root, ["frontend/.env.local", "lib/x.ts"])).toEqual([]);
  });
});

describe("isGitIgnored fallback agrees with git (property)", () => {
  const segment = fc.constantFrom("lib", "build", "a", "*.db", "*.py[cod]", "x?", "**", "b[!0-9]");
  const pattern = fc
    .tuple(fc.boolean(), fc.array(segment, { minLength: 1, maxLength: 3 }), fc.boolean(), fc.boolean())
    .map(([leadingSlash, parts, trailingSlash, negated]) => `${negated ? "!" : ""}${leadingSlash ? "/" : ""}${parts.join("/")}${trailingSlash ? "/" : ""}`);
  const name = fc.constantFrom("lib", "build", "a", "b.db", "m.pyc", "x1", "bz", "b7");
  const filePath = fc.array(name, { minLength: 1, maxLength: 4 }).map((parts) => parts.join("/"));

  it("matches git check-ignore for random rules and paths", () => {
    fc.assert(
      fc.property(fc.array(pattern, { maxLength: 5 }), fc.array(pattern, { maxLength: 3 }), fc.uniqueArray(filePath, { minLength: 1, maxLength: 8 }), (rootRules, nestedRules, paths) => {
        const files = { ".gitignore": `${rootRules.join("\n")}\n`, "a/.gitignore": `${nestedRules.join("\n")}\n` };
        const plain = folder(files, false);
        const git = folder(files, true);
        expect(filterGitIgnored(plain, paths)).toEqual(filterGitIgnored(git, paths));
      }),
      { numRuns: 60 },
    );
  });
});

describe("addGitignoreEntries", () => {
  it("appends missing patterns once, keeping the file", () => {
    expect(addGitignoreEntries("node_modules\n", ["/frontend/.env.local", "node_modules"])).toBe("node_modules\n/frontend/.env.local\n");
    expect(addGitignoreEntries("", ["/x", "/y", "/x"])).toBe("/x\n/y\n");
  });

  it("keeps a missing final newline missing", () => {
    expect(addGitignoreEntries("a", ["b"])).toBe("a\nb");
  });

  it("counts a line with trailing spaces as the same pattern (git drops them)", () => {
    expect(addGitignoreEntries("/x  \n", ["/x"])).toBe("/x  \n");
  });

  it("keeps every line, adds each pattern as a line, and is idempotent (property)", () => {
    const line = fc.stringMatching(/^[a-z/*.!# ]{0,10}$/);
    const files = fc.tuple(fc.array(line, { maxLength: 8 }), fc.boolean()).map(([lines, nl]) => lines.join("\n") + (nl && lines.length > 0 ? "\n" : ""));
    const patterns = fc.array(fc.stringMatching(/^\/?[a-z.]{1,8}\/?$/), { maxLength: 4 });
    fc.assert(
      fc.property(files, patterns, (text, wanted) => {
        const once = addGitignoreEntries(text, wanted);
        expect(once.startsWith(text)).toBe(true);
        const lines = once.split("\n").map((l) => l.trim());
        for (const pattern of wanted) expect(lines).toContain(pattern);
        if (text !== "") expect(once.endsWith("\n")).toBe(text.endsWith("\n"));
        expect(addGitignoreEntries(once, wanted)).toBe(once);
      }),
    );
  });
});
