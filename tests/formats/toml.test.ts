import { describe, expect, it } from "vitest";
import { addPythonRequirement } from "../../generators/lib/editors/python-deps.js";
import {
  findEntry,
  findTable,
  isTomlString,
  keyPath,
  parseTomlDocument,
  parseTomlSyntax,
  quoteOf,
  stringContents,
  tableEnd,
  tableQuote,
} from "../../generators/lib/formats/toml.js";
import { userError } from "../helpers/user-error.js";

const FILE = "backend/pyproject.toml";
const pep621 = (text: string, requirement: string) => addPythonRequirement(text, requirement, { file: FILE, kind: "pep621" });
const poetry = (text: string, requirement: string) => addPythonRequirement(text, requirement, { file: FILE, kind: "poetry" });

/** True when `before`'s characters all appear, in order, in `after`: the edit only inserted text. */
function onlyInserted(before: string, after: string): boolean {
  let j = 0;
  for (const ch of before) {
    while (j < after.length && after[j] !== ch) j++;
    if (j++ >= after.length) return false;
  }
  return true;
}

/** The text `after` holds in place of `before`'s middle: both are split at their longest common prefix and suffix. */
function replacedSpan(before: string, after: string): { removed: string; added: string } {
  let start = 0;
  while (start < before.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && before.at(-1 - end) === after.at(-1 - end)) end++;
  return { removed: before.slice(start, before.length - end), added: after.slice(start, after.length - end) };
}

describe("parseTomlDocument and parseTomlSyntax", () => {
  it("name the file and line of a syntax error", () => {
    const text = '[project]\nname = "api"\ndependencies = [\n  "a",\n  !!\n]\n';
    for (const parse of [parseTomlDocument, parseTomlSyntax]) {
      const error = userError(() => parse(text, FILE));
      expect(error.message).toMatch(/^backend\/pyproject\.toml:5: invalid TOML: /);
    }
  });

  it("finds tables by unquoted key path, their entries and their quote style", () => {
    const text = "[project]\nname = 'api'\n\n[tool.\"poetry\".dependencies]  # deps\npython = \"^3.11\"\n'quoted.key' = 1\n";
    const syntax = parseTomlSyntax(text, FILE);
    const poetryTable = findTable(syntax, ["tool", "poetry", "dependencies"])!;
    expect(keyPath(poetryTable.key)).toEqual(["tool", "poetry", "dependencies"]);
    expect(findEntry(poetryTable.body, "quoted.key")?.value).toMatchObject({ value: 1 });
    expect(findEntry(poetryTable.body, "quoted")).toBeUndefined();
    expect(tableQuote(findTable(syntax, ["project"])!.body)).toBe("'");
    expect(tableQuote(poetryTable.body)).toBe('"');
    expect(text.slice(tableEnd(text, findTable(syntax, ["project"])!))).toMatch(/^\n\n\[tool/);
    expect(findTable(syntax, ["tool", "poetry"])).toBeNull();
  });

  it("gives a string's contents between its quotes, multi-line ones included", () => {
    const text = "a = '''x'''\nb = \"y\"\n";
    const strings = parseTomlSyntax(text, FILE).body[0].body.flatMap((node) => (node.type === "TOMLKeyValue" && isTomlString(node.value) ? [node.value] : []));
    expect(strings.map((node) => [quoteOf(node), text.slice(...stringContents(node))])).toEqual([
      ["'", "x"],
      ['"', "y"],
    ]);
  });
});

describe("pyproject edits keep every other byte", () => {
  const pyproject = [
    "# Backend of the demo app",
    "[build-system]",
    "requires = ['hatchling']  # build",
    "",
    "[project]",
    "name = 'api'",
    "description = '''",
    "An API. [not a table] # not a comment",
    "'''",
    "authors = [{ name = 'Ada', email = 'ada@example.com' }]",
    "dependencies = [",
    "    # web",
    "    'fastapi[standard]>=0.110',  # server",
    "    'uvicorn',",
    "    \"PyJWT>=2.0\",",
    "]",
    "",
    "[tool.poetry.dependencies]",
    "python = '^3.11'",
    "httpx = { version = '^0.27', optional = true }  # client",
    "sqlmodel = { version = '^0.0.22', extras = [] }",
    "",
    "[tool.ruff]",
    "line-length = 100",
    "",
  ].join("\n");

  it("appends a literal string after the last item, with its comma and indentation", () => {
    const out = pep621(pyproject, "python-dotenv>=1.0");
    expect(replacedSpan(pyproject, out)).toEqual({ removed: "", added: "    'python-dotenv>=1.0',\n" });
    expect(onlyInserted(pyproject, out)).toBe(true);
    expect((parseTomlDocument(out, FILE).project as { dependencies: string[] }).dependencies.at(-1)).toBe("python-dotenv>=1.0");
  });

  it("adds a missing extra inside the existing string, and nothing else", () => {
    const out = pep621(pyproject, "pyjwt[crypto]>=2.8");
    expect(replacedSpan(pyproject, out)).toEqual({ removed: "", added: "[crypto]" });
    expect(out).toContain('    "PyJWT[crypto]>=2.0",\n');
  });

  it("extends a Poetry inline table or its empty extras list in place, and adds a key after the table's last", () => {
    expect(replacedSpan(pyproject, poetry(pyproject, "httpx[http2]"))).toEqual({ removed: "", added: ", extras = ['http2']" });
    expect(replacedSpan(pyproject, poetry(pyproject, "sqlmodel[asyncio]"))).toEqual({ removed: "", added: "'asyncio'" });
    const added = poetry(pyproject, "pyjwt[crypto]>=2.8");
    expect(added).toBe(pyproject.replace("extras = [] }\n", "extras = [] }\npyjwt = { version = '>=2.8', extras = ['crypto'] }\n"));
  });

  it("is idempotent, and each result parses", () => {
    for (const [edit, requirement] of [
      [pep621, "python-dotenv>=1.0"],
      [pep621, "pyjwt[crypto]>=2.8"],
      [poetry, "httpx[http2]"],
      [poetry, "sqlmodel[asyncio]"],
      [poetry, "pyjwt[crypto]>=2.8"],
    ] as const) {
      const once = edit(pyproject, requirement);
      expect(once).not.toBe(pyproject);
      expect(edit(once, requirement)).toBe(once);
      expect(() => parseTomlDocument(once, FILE)).not.toThrow();
    }
  });

  it("adds the extra inside a multi-line string item, between its triple quotes", () => {
    const text = '[project]\ndependencies = [\n  """pyjwt>=2""",\n]\n';
    expect(pep621(text, "pyjwt[crypto]")).toBe('[project]\ndependencies = [\n  """pyjwt[crypto]>=2""",\n]\n');
  });
});
