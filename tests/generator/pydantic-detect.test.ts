// Which pydantic major a backend declares, from every manifest spelling real projects use: pydantic itself,
// FastAPI before 0.100 and SQLModel before 0.0.14 (v1 only), in requirements*.txt, pyproject.toml (PEP 621,
// Poetry, uv) and lock files. Anything limiting the project to v1 makes it v1; nothing said → v2.
import { describe, expect, it } from "vitest";
import { declaredPydantic, onlyBefore, upperBound } from "../../generators/lib/detect/pydantic-version.js";
import { makeFixture } from "../helpers/fixture.js";
import { removedAfterEach } from "../helpers/temp-roots.js";

const temp = removedAfterEach();

/** The major declaredPydantic reads from a backend folder holding these files. */
const majorOf = (files: Record<string, string>, dir = "backend") =>
  declaredPydantic(temp(makeFixture(Object.fromEntries(Object.entries(files).map(([name, text]) => [name.startsWith("/") ? name.slice(1) : `${dir}/${name}`, text])))), dir);

describe("upperBound and onlyBefore", () => {
  it.each([
    ["<2", [2], false],
    ["<2.0", [2, 0], false],
    ["<=1.10.13", [1, 10, 13], true],
    ["==1.10.13", [1, 10, 13], true],
    ["===1.10.13", [1, 10, 13], true],
    ["==1.*", [2], false],
    ["==1.10.*", [1, 11], false],
    ["~=1.10", [2], false],
    ["~=1.10.2", [1, 11], false],
    ["^1.10", [2], false],
    ["^0.95.1", [0, 96], false],
    ["^0.0.8", [0, 0, 9], false],
    ["~1.10.2", [1, 11], false],
    ["~1", [2], false],
    ["1.10.13", [1, 10, 13], true],
    [">=1.8,<2.0", [2, 0], false],
    [">=1.8 <2.0", [2, 0], false],
    ["< 2 , >= 1.8", [2], false],
    ["<2.0.0rc1", [2, 0, 0], false],
  ])("%s admits up to %j (inclusive: %s)", (spec, release, inclusive) => {
    expect(upperBound(spec)).toEqual({ release, inclusive });
  });

  it.each([">=1.8", ">2", "!=2.0", "*", "", "~=2", "^1.10 || >=2", ">=1.8,!=1.9"])("%j has no ceiling", (spec) => {
    expect(upperBound(spec)).toBeNull();
  });

  it("takes the looser of Poetry alternatives and the tighter of clauses", () => {
    expect(upperBound("^1.8 || ~1.10.2")).toEqual({ release: [2], inclusive: false });
    expect(upperBound("^1.10 || ^2.0")).toEqual({ release: [3], inclusive: false });
    expect(upperBound("<3,<2")).toEqual({ release: [2], inclusive: false });
  });

  it.each([
    ["<2", [2], true],
    ["<2.0", [2], true],
    ["<=2.0", [2], false],
    ["<2.1", [2], false],
    ["==1.10.13", [2], true],
    ["==2.0b3", [2], false],
    ["<0.100", [0, 100], true],
    ["<=0.99.1", [0, 100], true],
    ["~=0.95.0", [0, 100], true],
    ["~=0.95", [0, 100], false],
    ["^0.95", [0, 100], true],
    ["<0.0.12", [0, 0, 14], true],
    ["==0.0.14", [0, 0, 14], false],
  ])("%s admits only versions before %j: %s", (spec, release, expected) => {
    expect(onlyBefore(spec, release)).toBe(expected);
  });
});

describe("declaredPydantic: requirements*.txt", () => {
  it.each([
    "pydantic<2",
    "pydantic<2.0",
    "pydantic==1.10.13",
    "pydantic == 1.10.13",
    "Pydantic~=1.10",
    "pydantic>=1.8,<2.0",
    "pydantic >= 1.8, < 2.0",
    "pydantic[email]<2",
    "pydantic (>=1.8,<2)",
    'pydantic==1.10.13 ; python_version >= "3.8"',
    "pydantic==1.10.13  # pinned for the old SDK",
    "pydantic==1.10.13 \\\n    --hash=sha256:0123456789abcdef",
    "pydantic==1.*",
    "fastapi<0.100",
    "fastapi==0.95.2",
    "fastapi[all]==0.99.1",
    "fastapi>=0.68,<0.100.0",
    "FastAPI~=0.95.0",
    "sqlmodel<0.0.12",
    "sqlmodel==0.0.8",
  ])("%j → v1", (line) => {
    const found = majorOf({ "requirements.txt": `uvicorn\n${line}\n` });
    expect(found.major).toBe(1);
    expect(found.evidence).toContain("backend/requirements.txt");
  });

  it.each([
    "pydantic",
    "pydantic>=2",
    "pydantic>=1.10",
    "pydantic~=2.5",
    "pydantic<3",
    "fastapi",
    "fastapi>=0.95",
    "fastapi==0.100.0",
    "fastapi~=0.95",
    "sqlmodel==0.0.14",
    "sqlmodel>=0.0.8",
    "pydantic-settings<2",
    "pydantic-extra-types==1.0.0",
    "# pydantic<2",
    "-e git+https://github.com/pydantic/pydantic.git@v1.10.13#egg=pydantic",
    "pydantic @ https://example.com/pydantic-1.10.13-py3-none-any.whl",
  ])("%j → v2", (line) => {
    expect(majorOf({ "requirements.txt": `fastapi\n${line}\n` })).toEqual({ major: 2, evidence: null });
  });

  it("reads every requirements*.txt and the files they include, naming the one that says v1", () => {
    expect(majorOf({ "requirements.txt": "fastapi\n-r requirements/base.txt\n", "requirements/base.txt": "-c ../constraints.txt\n", "constraints.txt": "pydantic<2\n" })).toEqual({
      major: 1,
      evidence: "pydantic<2 in backend/constraints.txt",
    });
    expect(majorOf({ "requirements.txt": "fastapi\n", "requirements-prod.txt": "fastapi==0.95.2\n" })).toEqual({
      major: 1,
      evidence: "fastapi==0.95.2 in backend/requirements-prod.txt (FastAPI before 0.100 runs on pydantic v1 only)",
    });
    expect(majorOf({ "requirements.txt": "-r requirements.txt\nfastapi\n" }).major).toBe(2); // an include loop ends
  });
});

describe("declaredPydantic: pyproject.toml, Pipfile and lock files", () => {
  const pep621 = (deps: string[]) => `[project]\nname = "api"\nversion = "0.1.0"\ndependencies = [${deps.map((d) => JSON.stringify(d)).join(", ")}]\n`;
  const poetry = (lines: string) => `[tool.poetry]\nname = "api"\nversion = "0.1.0"\n\n[tool.poetry.dependencies]\npython = "^3.11"\n${lines}\n`;

  it.each([
    ["PEP 621 pydantic<2", pep621(["fastapi", "pydantic<2"])],
    ["PEP 621 fastapi==0.99.1", pep621(["fastapi==0.99.1"])],
    ["Poetry caret", poetry('fastapi = "^0.95.0"')],
    ["Poetry pydantic caret", poetry('fastapi = "*"\npydantic = "^1.10"')],
    ["Poetry table", poetry('fastapi = "*"\npydantic = { version = "^1.10.13", extras = ["email"] }')],
    ["Poetry bare version", poetry('fastapi = "*"\npydantic = "1.10.13"')],
    ["Poetry tilde", poetry('fastapi = "*"\npydantic = "~1.10"')],
    ["Poetry range", poetry('fastapi = "*"\npydantic = ">=1.8,<2.0"')],
    ["Poetry per-Python list", poetry('fastapi = "*"\npydantic = [{ version = "^1.9", python = "<3.8" }, { version = "^1.10", python = ">=3.8" }]')],
    ["uv constraint", `${pep621(["fastapi"])}\n[tool.uv]\nconstraint-dependencies = ["pydantic<2"]\n`],
    ["uv override", `${pep621(["fastapi"])}\n[tool.uv]\noverride-dependencies = ["sqlmodel==0.0.11"]\n`],
  ])("%s → v1", (_, text) => {
    expect(majorOf({ "pyproject.toml": text }).major).toBe(1);
  });

  it.each([
    ["PEP 621 unpinned", pep621(["fastapi", "pydantic"])],
    ["PEP 621 v2", pep621(["fastapi>=0.110", "pydantic>=2.5"])],
    ["Poetry v2", poetry('fastapi = "^0.115"\npydantic = "^2.5"')],
    ["Poetry either", poetry('fastapi = "*"\npydantic = "^1.10 || ^2.0"')],
    ["Poetry git", poetry('fastapi = "*"\npydantic = { git = "https://github.com/pydantic/pydantic.git" }')],
    ["a v1 pin in an optional group only", `${pep621(["fastapi"])}\n[project.optional-dependencies]\nlegacy = ["pydantic<2"]\n`],
    ["malformed TOML", "[project\n"],
  ])("%s → v2", (_, text) => {
    expect(majorOf({ "pyproject.toml": text })).toEqual({ major: 2, evidence: null });
  });

  it("reads a Pipfile", () => {
    expect(majorOf({ Pipfile: '[packages]\nfastapi = "*"\npydantic = "<2"\n' }).major).toBe(1);
    expect(majorOf({ Pipfile: '[packages]\nfastapi = "*"\npydantic = {version = ">=2", extras = ["email"]}\n' }).major).toBe(2);
  });

  it("reads the pydantic a lock file pins, in the backend folder or at the root (workspaces)", () => {
    const lock = (version: string) => `version = 1\n\n[[package]]\nname = "fastapi"\nversion = "0.99.0"\n\n[[package]]\nname = "pydantic"\nversion = "${version}"\nsource = { registry = "https://pypi.org/simple" }\n`;
    expect(majorOf({ "pyproject.toml": pep621(["fastapi"]), "poetry.lock": lock("1.10.13") })).toEqual({ major: 1, evidence: "pydantic 1.10.13 in backend/poetry.lock" });
    expect(majorOf({ "pyproject.toml": pep621(["fastapi"]), "/uv.lock": lock("1.10.8") })).toEqual({ major: 1, evidence: "pydantic 1.10.8 in uv.lock" });
    expect(majorOf({ "pyproject.toml": pep621(["fastapi"]), "uv.lock": lock("2.9.2") }).major).toBe(2);
    expect(majorOf({ "pyproject.toml": pep621(["fastapi"]), "Pipfile.lock": '{"default": {"pydantic": {"hashes": [], "version": "==1.10.2"}}}' }).major).toBe(1);
  });

  it("says v1 when any manifest does, even if another allows v2 (v1 code also runs on v2)", () => {
    expect(majorOf({ "pyproject.toml": pep621(["fastapi", "pydantic>=2"]), "requirements.txt": "fastapi==0.95.2\n" }).major).toBe(1);
  });

  it("works for a backend at the repo root and with no manifest at all", () => {
    expect(declaredPydantic(temp(makeFixture({ "requirements.txt": "pydantic<2\n" })), ".").major).toBe(1);
    expect(declaredPydantic(temp(makeFixture({ "main.py": "" })), ".")).toEqual({ major: 2, evidence: null });
  });
});
