import { describe, expect, it } from "vitest";
import { moduleSpecifier, relativeSpecifier } from "../../generators/lib/frontend/paths.js";
import { detectCodeStyle, restyleExpression } from "../../generators/lib/frontend/source/code-style.js";
import { parseSource } from "../../generators/lib/frontend/source/parse.js";
import { expirationTime } from "../../generators/lib/frontend/token-ttl.js";
import { frontendInfo } from "./generated-project.js";

describe("code style detection", () => {
  it("reads quotes, semicolons and the indent unit from the file", () => {
    expect(detectCodeStyle(parseSource('import a from "a";\nfunction f() {\n    if (a) {\n        a();\n    }\n}\n'))).toEqual({ indent: "    ", quote: '"', semicolons: true });
    expect(detectCodeStyle(parseSource("import a from 'a'\nconst x = {\n\ty: 1,\n}\n"))).toEqual({ indent: "\t", quote: "'", semicolons: false });
  });

  it("falls back to two spaces, double quotes and semicolons", () => {
    expect(detectCodeStyle(parseSource(""))).toEqual({ indent: "  ", quote: '"', semicolons: true });
  });
});

describe("restyling inserted code", () => {
  const code = 'f({\n  a: "it\'s",\n  b: async () => {\n    const c = "x";\n    return c;\n  },\n})';

  it("re-quotes strings (escaping what needs it), drops statement semicolons and re-indents", () => {
    expect(restyleExpression(code, { indent: "\t", quote: "'", semicolons: false })).toBe("f({\n\ta: 'it\\'s',\n\tb: async () => {\n\t\tconst c = 'x'\n\t\treturn c\n\t},\n})");
  });

  it("leaves code in the default style as it is", () => {
    expect(restyleExpression(code, { indent: "  ", quote: '"', semicolons: true })).toBe(code);
  });
});

describe("import paths between frontend files", () => {
  it("uses the alias for code under codeDir, else a relative path", () => {
    expect(moduleSpecifier(frontendInfo({ src: true }), "web/src/app/api/auth/[...all]/route.ts", "web/src/lib/auth.ts")).toBe("@/lib/auth");
    expect(moduleSpecifier(frontendInfo({ src: true, alias: false }), "web/src/app/api/auth/[...all]/route.ts", "web/src/lib/auth.ts")).toBe("../../../../lib/auth");
    expect(relativeSpecifier("web/lib/api.ts", "web/lib/auth-client.ts")).toBe("./auth-client");
    expect(relativeSpecifier("web/scripts/auth-migrate.ts", "web/src/lib/auth.ts")).toBe("../src/lib/auth");
  });
});

describe("the token lifetime", () => {
  it("becomes a duration string for the jwt plugin", () => {
    expect(["15m", "900", "1 h", "2d", "30s"].map(expirationTime)).toEqual(["15m", "900s", "1h", "2d", "30s"]);
  });

  it("rejects what is not a duration", () => {
    for (const bad of ["", "soon", "-5m", "15 minutes ago", "1e3"]) expect(() => expirationTime(bad), bad).toThrow(/not a duration/);
  });
});
