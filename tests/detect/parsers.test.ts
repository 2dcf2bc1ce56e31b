import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MalformedFileError } from "../../generators/lib/errors.js";
import { parseJson, parseJsonc } from "../../generators/lib/formats/json.js";
import { packageManagerFromField } from "../../generators/lib/detect/package-manager.js";
import { dottedModule } from "../../generators/lib/detect/python-sources.js";
import { requirementsTxtNames } from "../../generators/lib/detect/python-requirements.js";
import { fastapiAppVariable } from "../../generators/lib/detect/fastapi-app.js";
import { sessionDependencies } from "../../generators/lib/detect/db-module.js";
import { findTaskClass, simplifyAnnotation, userIdType } from "../../generators/lib/detect/task-model.js";
import { parsePython } from "../../generators/lib/python/syntax.js";

describe("parseJsonc", () => {
  it("reads comments and trailing commas but keeps strings that look like them", () => {
    const text = '{\n  // line\n  "a": "http://x/*y*/", /* block\n spanning */ "b": [1, 2,],\n  "c": "quote \\" // still string",\n}\n';
    expect(parseJsonc(text, "tsconfig.json")).toEqual({ a: "http://x/*y*/", b: [1, 2], c: 'quote " // still string' });
  });

  it("reads plain JSON as JSON.parse does", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value, null, 2);
        expect(parseJsonc(text, "tsconfig.json")).toEqual(JSON.parse(text));
      }),
    );
  });

  it("keeps a \"__proto__\" key as a key, as JSON.parse does", () => {
    const text = '{ "__proto__": { "a": 1 }, "b": 2, // c\n }';
    const value = parseJsonc(text, "tsconfig.json") as Record<string, unknown>;
    expect(Object.keys(value)).toEqual(["__proto__", "b"]);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
  });

  it("names the line of an error", () => {
    expect(() => parseJsonc('{\n  "a": 1, // ok\n  /* open', "tsconfig.json")).toThrow("tsconfig.json:3: invalid JSON: unterminated comment");
    expect(() => parseJsonc('{\n  "a": 1\n  "b": 2\n}', "tsconfig.json")).toThrow("tsconfig.json:3: invalid JSON: expected a comma or a closing brace");
  });
});

describe("parseJson", () => {
  /** The error parseJson throws for text, or undefined when it reads it. */
  const refusal = (text: string): MalformedFileError | undefined => {
    try {
      parseJson(text, "f.json");
    } catch (error) {
      return error as MalformedFileError;
    }
  };

  it("agrees with JSON.parse on which texts are valid, and names a line and a reason for every text it refuses", () => {
    const mutated = fc
      .tuple(fc.jsonValue().map((v) => JSON.stringify(v, null, 1) ?? "null"), fc.nat(), fc.constantFrom("", ",", "}", "]", '"', ":", "x", "\n", "//"))
      .map(([text, at, insert]) => {
        const i = at % (text.length + 1);
        return text.slice(0, i) + insert + text.slice(i + (insert === "" ? 1 : 0));
      });
    fc.assert(
      fc.property(mutated, (text) => {
        let expected: unknown;
        try {
          expected = JSON.parse(text);
        } catch {
          const error = refusal(text);
          expect(error).toBeInstanceOf(MalformedFileError);
          expect(error!.line).toBeGreaterThanOrEqual(1);
          expect(error!.line).toBeLessThanOrEqual(text.split("\n").length);
          expect(error!.message).toMatch(/^f\.json:\d+: invalid JSON: [a-z]/);
          return;
        }
        expect(parseJson(text, "f.json")).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it("points at the line of the error", () => {
    const problem = (text: string) => {
      const error = refusal(text);
      return error && { line: error.line, reason: error.reason };
    };
    expect(problem('{\n  "a": 1,\n  "b": 2,\n}')).toEqual({ line: 4, reason: "invalid JSON: expected a double-quoted property name" });
    expect(problem('{\n  "a": 1\n  "b": 2\n}')).toEqual({ line: 3, reason: "invalid JSON: expected a comma or a closing brace" });
    expect(problem('[\n  1\n  2\n]')).toEqual({ line: 3, reason: "invalid JSON: expected a comma or a closing bracket" });
    expect(problem('{ "a": "open\n}')).toEqual({ line: 1, reason: "invalid JSON: unterminated string" });
    expect(problem('{\n  // note\n  "a": 1\n}')).toEqual({ line: 2, reason: "invalid JSON: comments are not allowed in JSON" });
    expect(problem('{\n  "a": [1,\n')).toEqual({ line: 3, reason: "invalid JSON: unexpected end of file, expected a value" });
    expect(problem("")).toEqual({ line: 1, reason: "invalid JSON: unexpected end of file, expected a value" });
  });
});

describe("Python requirement names in requirements files", () => {
  it("lists requirements.txt names, skipping comments and pip options, reading #egg= names", () => {
    const text = "# base\n-r base.txt\n--index-url https://pypi.org/simple\nuvicorn[standard]  # server\n\n-e git+https://github.com/x/y.git#egg=Fast_API_Extra\nhttps://host/pkg.whl\nFastAPI>=0.100\\\n";
    expect(requirementsTxtNames(text)).toEqual(["uvicorn", "fast-api-extra", "fastapi"]);
  });
});

describe("Python module facts", () => {
  it("dottedModule: the backend folder is the import root, or src/ without __init__.py", () => {
    expect(dottedModule("app/main.py", false)).toBe("app.main");
    expect(dottedModule("app/routers", false)).toBe("app.routers");
    expect(dottedModule("app/models/__init__.py", false)).toBe("app.models");
    expect(dottedModule("src/main.py", false)).toBe("src.main");
    expect(dottedModule("src/main.py", true)).toBe("main");
    expect(dottedModule("src/pkg/api/deps.py", true)).toBe("pkg.api.deps");
    expect(dottedModule("srcx/main.py", true)).toBe("srcx.main");
  });

  it("fastapiAppVariable: top-level assignments only", () => {
    expect(fastapiAppVariable("from fastapi import FastAPI\napp = FastAPI()\n")).toBe("app");
    expect(fastapiAppVariable("api: FastAPI = fastapi.FastAPI(\n  title='x')\n")).toBe("api");
    expect(fastapiAppVariable("# app = FastAPI()\nif DEBUG:\n    app = FastAPI()\nrouter = APIRouter()\napp = create_app()\n")).toBeNull();
  });

  it("sessionDependencies: aliases first (SessionDep preferred), then the function", () => {
    const text = "DbDep = Annotated[Session, Depends(get_db)]\nUserDep = Annotated[User, Depends(me)]\nSessionDep = Annotated[ Session , Depends(get_db)]\n\ndef get_db():\n    ...\n";
    expect(sessionDependencies(text)).toEqual([
      { name: "SessionDep", kind: "annotated", async: false },
      { name: "DbDep", kind: "annotated", async: false },
      { name: "get_db", kind: "function", async: false },
    ]);
    expect(sessionDependencies("type SessionDep = Annotated[AsyncSession, Depends(get_session)]\n")).toEqual([{ name: "SessionDep", kind: "annotated", async: true }]);
    expect(sessionDependencies("async def get_session() -> AsyncIterator[AsyncSession]:\n    ...\n")).toEqual([{ name: "get_session", kind: "function", async: true }]);
    expect(sessionDependencies("class X:\n    def get_db(self): ...\n")).toEqual([]);
  });

  it("simplifyAnnotation and userIdType reduce annotations to the type", () => {
    expect(simplifyAnnotation("Mapped[Optional[uuid.UUID]]")).toBe("UUID");
    expect(simplifyAnnotation("None | int")).toBe("int");
    expect(simplifyAnnotation("typing.Union[str, None]")).toBe("str");
    expect(simplifyAnnotation("'UUID'")).toBe("UUID");
    const userIdOf = (body: string) => {
      const source = parsePython(`class Task(Base):\n${body}`);
      return userIdType(source, findTaskClass(source)!);
    };
    expect(userIdOf("    title: str\n    user_id: int | None = Field(default=None)\n")).toBe("int");
    expect(userIdOf("    user_id = Column('user_id', BigInteger)\n")).toBe("int");
    expect(userIdOf("    user_id = Column(UUID(as_uuid=True))\n")).toBe("UUID");
    expect(userIdOf("    user_id = sa.Column(sa.ForeignKey('users.id'), nullable=False)\n")).toBe("Any");
    expect(userIdOf("    owner_id: int\n")).toBeNull();
  });

  it("packageManagerFromField reads the name before the version", () => {
    expect(packageManagerFromField("pnpm@9.12.0+sha512.abc")).toBe("pnpm");
    expect(packageManagerFromField("yarn@4")).toBe("yarn");
    expect(packageManagerFromField("deno@2")).toBeNull();
    expect(packageManagerFromField(3)).toBeNull();
  });
});
