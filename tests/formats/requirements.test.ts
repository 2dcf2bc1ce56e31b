import { describe, expect, it } from "vitest";
import { requirementsTxtNames } from "../../generators/lib/detect/python-requirements.js";
import { addPythonRequirement } from "../../generators/lib/editors/python-deps.js";
import { normalizeProjectName } from "../../generators/lib/formats/pep508.js";
import { includedFile, pinsWithHash, readRequirements, requirementsLines } from "../../generators/lib/formats/requirements.js";

const reqs = (text: string, requirement: string) => addPythonRequirement(text, requirement, { file: "backend/requirements.txt", kind: "requirements" });

describe("requirementsLines", () => {
  it("joins a line ending in a backslash to the next, numbered by its first line, and drops comments and blanks", () => {
    expect(requirementsLines("# top\nrequests==2.31.0 \\\n    --hash=sha256:abc\n\nuvicorn  # server\n")).toEqual([
      { line: 2, code: "requests==2.31.0     --hash=sha256:abc" },
      { line: 5, code: "uvicorn" },
    ]);
  });

  it("reads CRLF files like LF ones, continuations included", () => {
    expect(requirementsLines("pyjwt \\\r\n  ==2.8\r\nfastapi\r\n")).toEqual([
      { line: 1, code: "pyjwt   ==2.8" },
      { line: 3, code: "fastapi" },
    ]);
  });

  it("never continues a comment line, and a comment line ends a continuation (as pip reads them)", () => {
    expect(requirementsLines("# pinned below \\\nuvicorn\n")).toEqual([{ line: 2, code: "uvicorn" }]);
    expect(requirementsLines("fastapi \\\n# the server\nuvicorn\n")).toEqual([
      { line: 1, code: "fastapi" },
      { line: 3, code: "uvicorn" },
    ]);
  });

  it("keeps a backslash-ended last line", () => {
    expect(requirementsLines("FastAPI>=0.100\\")).toEqual([{ line: 1, code: "FastAPI>=0.100" }]);
  });
});

describe("readRequirements", () => {
  it("reads options with their values in every spelling, and #egg= names", () => {
    const entries = readRequirements("-r base.txt\n-rdev.txt\n--requirement=more.txt\n-c constraints.txt\n--pre\n-e git+https://x/y.git#egg=Fast_API\n");
    expect(entries.map((e) => (e.kind === "option" ? [e.name, e.value, e.egg] : e.kind))).toEqual([
      ["-r", "base.txt", null],
      ["-r", "dev.txt", null],
      ["--requirement", "more.txt", null],
      ["-c", "constraints.txt", null],
      ["--pre", "", null],
      ["-e", "git+https://x/y.git#egg=Fast_API", "Fast_API"],
    ]);
    expect(entries.map((e) => includedFile(e))).toEqual(["base.txt", "dev.txt", "more.txt", null, null, null]);
    expect(includedFile(entries[3], { constraints: true })).toBe("constraints.txt");
  });

  it("reads URLs and local paths as direct installs", () => {
    const entries = readRequirements(".\n./pkg\n../x.whl\nhttps://host/pkg.whl#egg=pkg\nC:\\wheels\\a.whl\n");
    expect(entries.map((e) => [e.kind, e.code, e.kind === "direct" ? e.egg : undefined])).toEqual([
      ["direct", ".", null],
      ["direct", "./pkg", null],
      ["direct", "../x.whl", null],
      ["direct", "https://host/pkg.whl#egg=pkg", "pkg"],
      ["direct", "C:\\wheels\\a.whl", null],
    ]);
  });

  it("splits a requirement from its per-requirement options, hashes on continuation lines included", () => {
    const [entry] = readRequirements("PyJWT[crypto]==2.8.0 \\\n    --hash=sha256:abc \\\n    --hash=sha256:def\n");
    expect(entry).toMatchObject({
      kind: "requirement",
      line: 1,
      name: "PyJWT",
      extras: ["crypto"],
      requirement: "PyJWT[crypto]==2.8.0",
      options: [
        { name: "--hash", value: "sha256:abc" },
        { name: "--hash", value: "sha256:def" },
      ],
      wellFormed: true,
    });
    expect(pinsWithHash(entry)).toBe(true);
    expect(readRequirements("--hash=sha256:abc\n").map(pinsWithHash)).toEqual([true]);
    expect(readRequirements("pyjwt  # not --hash=sha256:abc\n").map(pinsWithHash)).toEqual([false]);
  });

  it("marks malformed requirements and lines that are nothing", () => {
    expect(readRequirements("pyjwt=2\nfastapi uvicorn\n!!!\n").map((e) => (e.kind === "requirement" ? e.wellFormed : e.kind))).toEqual([false, false, "unknown"]);
  });
});

describe("one reader for detection and editing", () => {
  const texts = [
    "# pinned below \\\nuvicorn\n",
    "pyjwt \\\r\n  ==2.8\r\n",
    "--find-links \\\n  fastapi\n",
    "requests==2.31.0 \\\n    --hash=sha256:abc \\\n    --hash=sha256:def\nuvicorn\n",
    "fastapi \\\n# the server\nuvicorn\n",
    "-e \\\n  git+https://x/y.git#egg=fastapi\n",
  ];

  it("detection lists a package exactly when the editor finds it present", () => {
    for (const text of texts) {
      for (const name of ["uvicorn", "pyjwt", "fastapi", "requests"]) {
        const listed = requirementsTxtNames(text).includes(normalizeProjectName(name));
        expect([text, name, reqs(text, name) === text]).toEqual([text, name, listed]);
      }
    }
  });

  it("the editor finds a requirement after a comment that ends in a backslash, and edits a CRLF continuation", () => {
    expect(reqs("# pinned below \\\nuvicorn\n", "uvicorn")).toBe("# pinned below \\\nuvicorn\n");
    expect(reqs("pyjwt \\\r\n  ==2.8\r\n", "pyjwt[crypto]")).toBe("pyjwt[crypto] \\\r\n  ==2.8\r\n");
  });

  it("the editor accepts a line installing the folder itself", () => {
    expect(reqs(".\n", "pyjwt")).toBe(".\npyjwt\n");
  });
});
