import fc from "fast-check";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { addPythonRequirement } from "../../generators/lib/editors/python-deps.js";
import { normalizeProjectName } from "../../generators/lib/formats/pep508.js";
import { keepsLines, sameLineOrInserted } from "../helpers/keeps-lines.js";
import { userError } from "../helpers/user-error.js";

const pep621 = (text: string, requirement = "pyjwt[crypto]>=2.8") => addPythonRequirement(text, requirement, { file: "backend/pyproject.toml", kind: "pep621" });
const poetry = (text: string, requirement = "pyjwt[crypto]>=2.8") => addPythonRequirement(text, requirement, { file: "backend/pyproject.toml", kind: "poetry" });
const reqs = (text: string, requirement = "pyjwt[crypto]>=2.8") => addPythonRequirement(text, requirement, { file: "backend/requirements.txt", kind: "requirements" });

describe("addPythonRequirement: PEP 621", () => {
  it("appends to a multi-line array with the items' indentation, keeping a trailing comma style", () => {
    const text = '[project]\nname = "api"\ndependencies = [\n    "fastapi>=0.110",\n    "uvicorn",\n]\n\n[tool.ruff]\nline-length = 100\n';
    expect(pep621(text)).toBe(
      '[project]\nname = "api"\ndependencies = [\n    "fastapi>=0.110",\n    "uvicorn",\n    "pyjwt[crypto]>=2.8",\n]\n\n[tool.ruff]\nline-length = 100\n',
    );
  });

  it("adds a comma to the last item when the array has no trailing comma, before its comment", () => {
    const text = '[project]\ndependencies = [\n  "fastapi",\n  "uvicorn"  # server\n]\n';
    expect(pep621(text)).toBe('[project]\ndependencies = [\n  "fastapi",\n  "uvicorn",  # server\n  "pyjwt[crypto]>=2.8"\n]\n');
  });

  it("handles a closing bracket on the last item's line", () => {
    expect(pep621('[project]\ndependencies = [\n  "fastapi",\n  "uvicorn"]\n')).toBe('[project]\ndependencies = [\n  "fastapi",\n  "uvicorn",\n  "pyjwt[crypto]>=2.8"]\n');
  });

  it("appends to single-line and empty arrays", () => {
    expect(pep621('[project]\ndependencies = ["fastapi"]\n')).toBe('[project]\ndependencies = ["fastapi", "pyjwt[crypto]>=2.8"]\n');
    expect(pep621("[project]\ndependencies = []\n")).toBe('[project]\ndependencies = ["pyjwt[crypto]>=2.8"]\n');
    expect(pep621("[project]\ndependencies = [\n]\n")).toBe('[project]\ndependencies = [\n    "pyjwt[crypto]>=2.8",\n]\n');
  });

  it("keeps the file's single-quote style", () => {
    expect(pep621("[project]\nname = 'api'\ndependencies = ['fastapi']\n")).toBe("[project]\nname = 'api'\ndependencies = ['fastapi', 'pyjwt[crypto]>=2.8']\n");
    expect(pep621("[project]\nname = 'api'\n", "sqlmodel>=0.0.22")).toBe("[project]\nname = 'api'\ndependencies = ['sqlmodel>=0.0.22']\n");
  });

  it("creates dependencies after the last key of [project], before the next table", () => {
    const text = '[project]\nname = "api"\nversion = "0.1.0"\n\n[project.urls]\nhome = "x"\n';
    expect(pep621(text)).toBe('[project]\nname = "api"\nversion = "0.1.0"\ndependencies = ["pyjwt[crypto]>=2.8"]\n\n[project.urls]\nhome = "x"\n');
  });

  it("keeps a missing final newline", () => {
    expect(pep621('[project]\ndependencies = ["fastapi"]')).toBe('[project]\ndependencies = ["fastapi", "pyjwt[crypto]>=2.8"]');
    expect(pep621('[project]\nname = "api"')).toBe('[project]\nname = "api"\ndependencies = ["pyjwt[crypto]>=2.8"]');
  });

  it("does not add a package present under another spelling, but adds a missing extra in place", () => {
    expect(pep621('[project]\ndependencies = ["PyJWT>=2.0"]\n')).toBe('[project]\ndependencies = ["PyJWT[crypto]>=2.0"]\n');
    expect(pep621('[project]\ndependencies = ["Py.JWT[crypto]"]\n', "py-jwt")).toBe('[project]\ndependencies = ["Py.JWT[crypto]"]\n');
    expect(pep621('[project]\ndependencies = ["pyjwt[dev]"]\n')).toBe('[project]\ndependencies = ["pyjwt[dev,crypto]"]\n');
    expect(pep621('[project]\ndependencies = ["PyJWT>=2.0"]\n', "pyjwt>=2.8")).toBe('[project]\ndependencies = ["PyJWT>=2.0"]\n');
  });

  it("does not mistake brackets and '#' inside strings or multi-line strings for structure", () => {
    const text = '[project]\ndescription = """\n[not a table]\n"""\ndependencies = [\n    "a # b",  # real comment ]\n    \'c[x]\',\n]\n';
    expect(pep621(text, "sqlmodel")).toBe('[project]\ndescription = """\n[not a table]\n"""\ndependencies = [\n    "a # b",  # real comment ]\n    \'c[x]\',\n    "sqlmodel",\n]\n');
  });

  it("throws UserInputError with the line for malformed TOML, and without [project]", () => {
    const error = userError(() => pep621('[project]\nname = "api"\ndependencies = [\n  "a",\n  !!\n]\n'));
    expect(error.file).toBe("backend/pyproject.toml");
    expect(error.line).toBe(5);
    expect(userError(() => pep621('[tool.poetry]\nname = "x"\n')).reason).toBe("no [project] table");
    expect(userError(() => pep621('[project]\ndynamic = ["dependencies"]\n')).reason).toMatch(/dynamic/);
  });

  it("indents into an empty multi-line array like the comment inside it", () => {
    expect(pep621("[project]\ndependencies = [ # deps\n  # none yet\n]\n", "x")).toBe('[project]\ndependencies = [ # deps\n  # none yet\n  "x",\n]\n');
  });

  it("keeps an indented table's indentation and items sharing a line", () => {
    expect(pep621('[project]\n  name = "x"\n  dependencies = [\n      "a", "b",\n  ]\n', "x")).toBe('[project]\n  name = "x"\n  dependencies = [\n      "a", "b",\n      "x",\n  ]\n');
  });

  it("writes a requirement with a marker as a valid TOML string", () => {
    const out = pep621('[project]\ndependencies = [\n  "a",\n]\n', 'tomli; python_version < "3.11"');
    expect(out).toBe('[project]\ndependencies = [\n  "a",\n  "tomli; python_version < \\"3.11\\"",\n]\n');
    expect((parse(out) as { project: { dependencies: string[] } }).project.dependencies[1]).toBe('tomli; python_version < "3.11"');
  });

  it("refuses dependencies that are not an array", () => {
    expect(userError(() => pep621('[project]\ndependencies = "x"\n')).reason).toBe("[project].dependencies is not an array");
  });

  it("produces valid TOML holding the requirement", () => {
    const out = pep621('[project]\ndependencies = [\n  "fastapi"\n]\n');
    expect((parse(out) as { project: { dependencies: string[] } }).project.dependencies).toEqual(["fastapi", "pyjwt[crypto]>=2.8"]);
  });
});

describe("addPythonRequirement: Poetry", () => {
  const base = '[tool.poetry]\nname = "api"\n\n[tool.poetry.dependencies]\npython = "^3.11"\nfastapi = "^0.110"\n\n[build-system]\nrequires = ["poetry-core"]\n';

  it("appends after the table's last key, before the blank line and next table", () => {
    expect(poetry(base)).toBe(
      '[tool.poetry]\nname = "api"\n\n[tool.poetry.dependencies]\npython = "^3.11"\nfastapi = "^0.110"\npyjwt = { version = ">=2.8", extras = ["crypto"] }\n\n[build-system]\nrequires = ["poetry-core"]\n',
    );
    expect(poetry(base, "sqlmodel>=0.0.22")).toContain('fastapi = "^0.110"\nsqlmodel = ">=0.0.22"\n\n');
    expect(poetry(base, "httpx")).toContain('httpx = "*"\n');
  });

  it("turns an existing version string into an inline table with the extra", () => {
    expect(poetry('[tool.poetry.dependencies]\nPyJWT = "^2.8"  # auth\n')).toBe('[tool.poetry.dependencies]\nPyJWT = { version = "^2.8", extras = ["crypto"] }  # auth\n');
  });

  it("appends to an existing extras list or adds extras to an inline table", () => {
    expect(poetry('[tool.poetry.dependencies]\npyjwt = { version = "^2.8", extras = ["dev"] }\n')).toBe(
      '[tool.poetry.dependencies]\npyjwt = { version = "^2.8", extras = ["dev", "crypto"] }\n',
    );
    expect(poetry('[tool.poetry.dependencies]\nPyJWT = { version = "^2.8", optional = true }\n')).toBe(
      '[tool.poetry.dependencies]\nPyJWT = { version = "^2.8", optional = true, extras = ["crypto"] }\n',
    );
    const done = '[tool.poetry.dependencies]\npyjwt = { version = "^2.8", extras = ["crypto"] }\n';
    expect(poetry(done)).toBe(done);
  });

  it("inserts after a last entry whose value spans lines, before trailing comments", () => {
    const text = '[tool.poetry.dependencies]\npython = "^3.11"\nfoo = [\n  { version = "1", python = "<3.9" },\n  { version = "2", python = ">=3.9" },\n]\n# end\n';
    expect(poetry(text, "httpx")).toBe(text.replace("]\n# end", ']\nhttpx = "*"\n# end'));
  });

  it("writes markers into an inline table", () => {
    expect(poetry('[tool.poetry.dependencies]\npython = "^3.11"\n', 'tomli; python_version < "3.11"')).toBe(
      '[tool.poetry.dependencies]\npython = "^3.11"\ntomli = { version = "*", markers = "python_version < \\"3.11\\"" }\n',
    );
  });

  it("throws UserInputError with the line for malformed TOML", () => {
    const error = userError(() => poetry('[tool.poetry.dependencies]\npython = "^3.11"\nx = = 1\n'));
    expect([error.file, error.line]).toEqual(["backend/pyproject.toml", 3]);
  });

  it("throws without a [tool.poetry.dependencies] table", () => {
    expect(userError(() => poetry('[project]\nname = "x"\n')).reason).toBe("no [tool.poetry.dependencies] table");
  });
});

describe("addPythonRequirement: requirements.txt", () => {
  it("appends a line, adding a newline first when the file lacks one (and keeping that state)", () => {
    expect(reqs("fastapi\nuvicorn\n")).toBe("fastapi\nuvicorn\npyjwt[crypto]>=2.8\n");
    expect(reqs("fastapi")).toBe("fastapi\npyjwt[crypto]>=2.8");
    expect(reqs("")).toBe("pyjwt[crypto]>=2.8\n");
  });

  it("keeps options, comments, markers, URLs and continuations", () => {
    const text = [
      "-r base.txt",
      "-e .",
      "--index-url https://pypi.example/simple",
      "# comment",
      "",
      'tomli; python_version < "3.11"',
      "mylib @ https://example.com/mylib-1.0.tar.gz#egg=mylib",
      "requests==2.31.0 \\",
      "    --hash=sha256:abc",
      "./local/pkg",
      "",
    ].join("\n");
    expect(reqs(text)).toBe(`${text}pyjwt[crypto]>=2.8\n`);
  });

  it("adds a missing extra to the existing line in place and keeps its comment", () => {
    expect(reqs("fastapi\npyjwt==2.8.0  # pinned\n")).toBe("fastapi\npyjwt[crypto]==2.8.0  # pinned\n");
    expect(reqs("PyJWT[crypto]\n")).toBe("PyJWT[crypto]\n");
  });

  it("edits the name on the first line of a continued requirement", () => {
    expect(reqs("requests==2.31.0 \\\n    --hash=sha256:abc\npyjwt \\\n  ==2.8\n", "pyjwt[crypto]")).toBe("requests==2.31.0 \\\n    --hash=sha256:abc\npyjwt[crypto] \\\n  ==2.8\n");
  });

  it("adds the extra before a marker or a direct reference", () => {
    expect(reqs('pyjwt>=2 ; python_version > "3"\n')).toBe('pyjwt[crypto]>=2 ; python_version > "3"\n');
    expect(reqs("pyjwt @ https://x/pyjwt.whl\n")).toBe("pyjwt[crypto] @ https://x/pyjwt.whl\n");
  });

  it("counts an editable or URL line naming the package with #egg= as present", () => {
    expect(reqs("-e git+https://x/pyjwt.git#egg=PyJWT\n")).toBe("-e git+https://x/pyjwt.git#egg=PyJWT\n");
    expect(reqs("-e git+https://x/other.git#egg=other\n")).toBe("-e git+https://x/other.git#egg=other\npyjwt[crypto]>=2.8\n");
  });

  it("refuses incomplete versions, a single =, unclosed extras and stray words", () => {
    for (const [text, line] of [["a\npyjwt ==\n", 2], ["pyjwt=2\n", 1], ["fastapi[all\n", 1], ["# x\n\nfastapi uvicorn\n", 3]] as const) {
      const error = userError(() => reqs(text));
      expect([error.file, error.line]).toEqual(["backend/requirements.txt", line]);
    }
  });

  it("throws UserInputError with the 1-based line for a malformed line", () => {
    const error = userError(() => reqs("fastapi\n# ok\n!!! not a requirement\n"));
    expect(error.file).toBe("backend/requirements.txt");
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/^backend\/requirements\.txt:3: /);
  });
});

describe("addPythonRequirement properties", () => {
  const names = fc.constantFrom("fastapi", "uvicorn", "PyJWT", "py_jwt", "sqlmodel", "httpx", "pydantic-settings");
  const specs = fc.constantFrom("", ">=1.0", "==2.8.0", "[dev]", "[crypto]>=2");
  const dep = fc.tuple(names, specs).map(([name, spec]) => `${name}${spec}`);
  const wanted = fc.constantFrom("pyjwt[crypto]>=2.8", "pyjwt>=2.8", "sqlmodel>=0.0.22", "PyJWT");

  it("pep621: keeps every line and is idempotent", () => {
    const arrays = fc.tuple(fc.array(dep, { maxLength: 4 }), fc.constantFrom("single", "multi", "multi-trailing"), fc.constantFrom('"', "'")).map(([deps, style, q]) => {
      const items = deps.map((d) => `${q}${d}${q}`);
      if (style === "single") return `[${items.join(", ")}]`;
      if (items.length === 0) return "[\n]";
      return `[\n    ${items.join(",\n    ")}${style === "multi-trailing" ? "," : ""}\n]`;
    });
    const files = fc.tuple(arrays, fc.boolean(), fc.boolean()).map(
      ([array, withDeps, finalNewline]) => `# top\n[project]\nname = "api"  # name\n${withDeps ? `dependencies = ${array}\n` : ""}\n[tool.x]\na = 1${finalNewline ? "\n" : ""}`,
    );
    fc.assert(
      fc.property(files, wanted, (text, requirement) => {
        const once = pep621(text, requirement);
        expect(keepsLines(text, once, sameLineOrInserted)).toBe(true);
        expect(once.endsWith("\n")).toBe(text.endsWith("\n"));
        expect(pep621(once, requirement)).toBe(once);
      }),
    );
  });

  it("poetry: keeps every line and is idempotent", () => {
    const entries = fc.array(fc.tuple(names, fc.constantFrom('"^1.0"', '"*"', '{ version = "^2", extras = ["dev"] }')), { maxLength: 4 });
    const files = entries.map((list) => {
      const seen = new Set<string>();
      const lines = list.filter(([n]) => !seen.has(normalizeProjectName(n)) && seen.add(normalizeProjectName(n))).map(([n, v]) => `${n} = ${v}`);
      return `[tool.poetry.dependencies]\npython = "^3.11"\n${lines.join("\n")}\n\n[build-system]\nrequires = []\n`;
    });
    fc.assert(
      fc.property(files, wanted, (text, requirement) => {
        const once = poetry(text, requirement);
        const kept = text.split("\n").filter((line) => !/^(pyjwt|py_jwt|PyJWT)\b/i.test(line)).join("\n");
        expect(keepsLines(kept, once, sameLineOrInserted)).toBe(true);
        expect(poetry(once, requirement)).toBe(once);
      }),
    );
  });

  it("requirements: keeps every line and is idempotent", () => {
    const line = fc.oneof(dep, fc.constant("# comment"), fc.constant(""), fc.constant("-r base.txt"), fc.constant("--index-url https://x/simple"), dep.map((d) => `${d}  # note`));
    const files = fc.tuple(fc.array(line, { maxLength: 6 }), fc.boolean()).map(([lines, nl]) => lines.join("\n") + (nl && lines.length > 0 ? "\n" : ""));
    fc.assert(
      fc.property(files, wanted, (text, requirement) => {
        const once = reqs(text, requirement);
        expect(keepsLines(text, once, sameLineOrInserted)).toBe(true);
        if (text !== "") expect(once.endsWith("\n")).toBe(text.endsWith("\n"));
        expect(reqs(once, requirement)).toBe(once);
      }),
    );
  });
});
