import { execFileSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { addGitignoreEntries, filterGitIgnored, isGitIgnored } from "../../generators/lib/editors/gitignore.js";
import { makeFixture, removeFixture } from "../helpers/fixture.js";

let root = "";
afterEach(() => removeFixture(root));

const PYTHON_STYLE = "__pycache__/\n*.py[cod]\nbuild/\nlib/\n.env\n*.db\n!keep.db\n/only-root.txt\n";

describe.each([
  ["outside git (own matcher)", false],
  ["inside a git work tree (git check-ignore)", true],
])("isGitIgnored %s", (_name, useGit) => {
  const setup = (files: Record<string, string>) => {
    root = makeFixture(files);
    if (useGit) execFileSync("git", ["init", "-q"], { cwd: root });
  };

  it("sees that a Python-style lib/ rule hides frontend/lib/auth.ts (which does not exist yet)", () => {
    setup({ ".gitignore": PYTHON_STYLE });
    expect(isGitIgnored(root, "frontend/lib/auth.ts")).toBe(true);
    expect(isGitIgnored(root, "frontend/app/page.tsx")).toBe(false);
  });

  it("handles globs, negation, anchoring and nested .gitignore files", () => {
    setup({ ".gitignore": PYTHON_STYLE, "frontend/.gitignore": ".env.local\n" });
    expect(filterGitIgnored(root, ["backend/.env", "x/auth.db", "keep.db", "only-root.txt", "sub/only-root.txt", "frontend/.env.local", "backend/.env.local", "a/__pycache__/m.pyc"])).toEqual([
      "backend/.env",
      "x/auth.db",
      "only-root.txt",
      "frontend/.env.local",
      "a/__pycache__/m.pyc",
    ]);
  });
});

describe("addGitignoreEntries", () => {
  it("appends missing patterns once, keeping the file", () => {
    expect(addGitignoreEntries("node_modules\n", ["/frontend/.env.local", "node_modules"])).toBe("node_modules\n/frontend/.env.local\n");
    expect(addGitignoreEntries("a", ["b"])).toBe("a\nb\n");
    const once = addGitignoreEntries("", ["/x", "/y"]);
    expect(addGitignoreEntries(once, ["/x", "/y"])).toBe(once);
  });
});
