// PEP 503 project names and the name a PEP 508 requirement string names: the one home of both (formats/pep508.ts).
import { describe, expect, it } from "vitest";
import { normalizeProjectName, requirementName } from "../../generators/lib/formats/pep508.js";

describe("normalizeProjectName", () => {
  it("folds case and runs of - _ . like PEP 503", () => {
    expect(normalizeProjectName("PyJWT")).toBe("pyjwt");
    expect(normalizeProjectName("py_jwt")).toBe("py-jwt");
    expect(normalizeProjectName("Foo.__-Bar")).toBe("foo-bar");
    expect(normalizeProjectName("FastAPI")).toBe("fastapi");
    expect(normalizeProjectName("Typing__Extensions.x")).toBe("typing-extensions-x");
  });
});

describe("requirementName", () => {
  it("reads the name in front of extras, versions, markers and URLs", () => {
    expect(requirementName("fastapi[standard]>=0.110")).toBe("fastapi");
    expect(requirementName("FastAPI ; python_version >= '3.9'")).toBe("fastapi");
    expect(requirementName("fastapi @ https://example.com/fastapi.whl")).toBe("fastapi");
    expect(requirementName("fastapi-users==13")).toBe("fastapi-users");
    expect(requirementName("  ")).toBeNull();
  });
});
