import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addPackageDependencies, addPackageScripts } from "../../generators/lib/editors/package-json.js";
import { keepsLines } from "../helpers/keeps-lines.js";
import { userError } from "../helpers/user-error.js";

const FILE = "frontend/package.json";

/** True when `candidate` is `line`, the line with a trailing comma, or its empty object `{}` opened up to hold new members. */
function sameLineOrOpened(line: string, candidate: string): boolean {
  return candidate === line || candidate === `${line},` || candidate === line.replace(/\{\},?$/, "{");
}

describe("addPackageDependencies", () => {
  it("inserts in sorted position when dependencies are sorted, keeping 4-space indentation", () => {
    const text = '{\n    "name": "web",\n    "dependencies": {\n        "next": "15",\n        "react": "19"\n    }\n}\n';
    expect(addPackageDependencies(text, { "better-auth": "^1.7.25", zod: "^3" }, { file: FILE })).toBe(
      '{\n    "name": "web",\n    "dependencies": {\n        "better-auth": "^1.7.25",\n        "next": "15",\n        "react": "19",\n        "zod": "^3"\n    }\n}\n',
    );
  });

  it("sorts scoped packages the way npm does", () => {
    const text = '{\n  "dependencies": {\n    "@types/node": "20",\n    "next": "15"\n  }\n}\n';
    expect(addPackageDependencies(text, { "@better-auth/x": "1", jose: "6" }, { file: FILE })).toBe(
      '{\n  "dependencies": {\n    "@better-auth/x": "1",\n    "@types/node": "20",\n    "jose": "6",\n    "next": "15"\n  }\n}\n',
    );
  });

  it("appends when dependencies are not sorted, and keeps tabs and no final newline", () => {
    const text = '{\n\t"dependencies": {\n\t\t"react": "19",\n\t\t"next": "15"\n\t}\n}';
    expect(addPackageDependencies(text, { "better-auth": "^1" }, { file: FILE })).toBe('{\n\t"dependencies": {\n\t\t"react": "19",\n\t\t"next": "15",\n\t\t"better-auth": "^1"\n\t}\n}');
  });

  it("keeps an existing range, wherever the package is declared", () => {
    const text = '{\n  "dependencies": { "better-auth": "1.2.0" },\n  "devDependencies": { "jose": "5" },\n  "peerDependencies": { "react": "*" }\n}\n';
    expect(addPackageDependencies(text, { "better-auth": "^1.7.25", jose: "^6", react: "19" }, { file: FILE })).toBe(text);
  });

  it("adds to a one-line object in its own spacing", () => {
    const text = '{\n  "dependencies": { "next": "15" }\n}\n';
    expect(addPackageDependencies(text, { react: "19" }, { file: FILE })).toBe('{\n  "dependencies": { "next": "15", "react": "19" }\n}\n');
    expect(addPackageDependencies('{"name":"x","dependencies":{}}', { b: "1", a: "2" }, { file: FILE })).toBe('{"name":"x","dependencies":{"a":"2","b":"1"}}');
  });

  it("fills an empty dependencies object", () => {
    expect(addPackageDependencies('{\n  "name": "x",\n  "dependencies": {}\n}\n', { m: "1" }, { file: FILE })).toBe('{\n  "name": "x",\n  "dependencies": {\n    "m": "1"\n  }\n}\n');
  });

  it("creates the field at the end of the object, keeping other keys and inline arrays untouched", () => {
    const text = '{\n  "name": "web",\n  "files": ["a", "b"]\n}\n';
    expect(addPackageDependencies(text, { tsx: "^4" }, { file: FILE, field: "devDependencies" })).toBe(
      '{\n  "name": "web",\n  "files": ["a", "b"],\n  "devDependencies": {\n    "tsx": "^4"\n  }\n}\n',
    );
  });

  it("creates devDependencies right after dependencies, and dependencies before devDependencies", () => {
    const text = '{\n  "name": "x",\n  "dependencies": {\n    "next": "15"\n  },\n  "eslintConfig": {}\n}\n';
    expect(addPackageDependencies(text, { tsx: "4", "@types/pg": "8" }, { file: FILE, field: "devDependencies" })).toBe(
      '{\n  "name": "x",\n  "dependencies": {\n    "next": "15"\n  },\n  "devDependencies": {\n    "@types/pg": "8",\n    "tsx": "4"\n  },\n  "eslintConfig": {}\n}\n',
    );
    expect(addPackageDependencies('{\n  "devDependencies": {}\n}\n', { jose: "6" }, { file: FILE })).toBe('{\n  "dependencies": {\n    "jose": "6"\n  },\n  "devDependencies": {}\n}\n');
  });

  it("creates the field in an empty or one-line file", () => {
    expect(addPackageDependencies("{}\n", { m: "1" }, { file: FILE })).toBe('{\n  "dependencies": {\n    "m": "1"\n  }\n}\n');
    expect(addPackageDependencies('{"name":"x"}', { b: "1", a: "2" }, { file: FILE, field: "devDependencies" })).toBe('{"name":"x","devDependencies":{"a":"2","b":"1"}}');
  });

  it("returns the text unchanged when nothing is missing", () => {
    const text = '{ "dependencies": {"a": "1"} }';
    expect(addPackageDependencies(text, { a: "2" }, { file: FILE })).toBe(text);
    expect(addPackageDependencies(text, {}, { file: FILE })).toBe(text);
  });

  it("names the file and line of malformed JSON", () => {
    const error = userError(() => addPackageDependencies('{\n  "name": "web",\n  "a": 1,\n}\n', {}, { file: FILE }));
    expect([error.file, error.line]).toEqual([FILE, 4]);
    expect(error.message).toMatch(/^frontend\/package\.json:4: invalid JSON/);
    expect(userError(() => addPackageDependencies('{\n  "name": "x"\n  "b": 2\n}', { a: "1" }, { file: FILE })).line).toBe(3);
    expect(userError(() => addPackageDependencies("", { a: "1" }, { file: FILE })).line).toBe(1);
  });

  it("refuses a root that is not an object, and a dependency field that is not one, at its line", () => {
    expect(userError(() => addPackageDependencies("[1]\n", { a: "1" }, { file: FILE })).reason).toBe("expected a JSON object");
    const error = userError(() => addPackageDependencies('{\n  "name": "x",\n  "devDependencies": ["x"]\n}\n', { a: "1" }, { file: FILE }));
    expect(error.message).toBe('frontend/package.json:3: "devDependencies" must be an object');
  });

  const name = fc.stringMatching(/^(@[a-z]{1,3}\/)?[a-z][a-z0-9-]{0,8}$/);
  const files = fc
    .record({
      deps: fc.dictionary(name, fc.constant("^1.0.0"), { maxKeys: 6 }),
      devDeps: fc.option(fc.dictionary(name, fc.constant("^3.0.0"), { maxKeys: 3 }), { nil: undefined }),
      sortDeps: fc.boolean(),
      indent: fc.constantFrom(2, 4, "\t"),
      finalNewline: fc.boolean(),
    })
    .map(({ deps, devDeps, sortDeps, indent, finalNewline }) => {
      const dependencies = sortDeps ? Object.fromEntries(Object.entries(deps).sort(([a], [b]) => a.localeCompare(b, "en"))) : deps;
      const json = JSON.stringify({ name: "web", private: true, dependencies, ...(devDeps ? { devDependencies: devDeps } : {}), files: ["x"] }, null, indent);
      return json + (finalNewline ? "\n" : "");
    });
  const wanted = fc.tuple(fc.dictionary(name, fc.constant("^2.0.0"), { maxKeys: 4 }), fc.constantFrom("dependencies" as const, "devDependencies" as const));

  it("keeps every original line, keeps existing ranges, keeps sorted order sorted, and is idempotent (property)", () => {
    fc.assert(
      fc.property(files, wanted, (text, [deps, field]) => {
        const once = addPackageDependencies(text, deps, { file: FILE, field });
        expect(keepsLines(text, once, sameLineOrOpened)).toBe(true);
        expect(once.endsWith("\n")).toBe(text.endsWith("\n"));
        expect(addPackageDependencies(once, deps, { file: FILE, field })).toBe(once);
        const before = JSON.parse(text);
        const after = JSON.parse(once);
        for (const [dep, range] of Object.entries(deps)) {
          const existing = before.dependencies[dep] ?? before.devDependencies?.[dep];
          expect(existing ?? after[field][dep]).toBe(existing ?? range);
        }
        const keys = Object.keys(before.dependencies);
        const wasSorted = keys.every((k, i) => i === 0 || keys[i - 1].localeCompare(k, "en") <= 0);
        const afterKeys = Object.keys(after.dependencies);
        if (wasSorted) expect(afterKeys).toEqual([...afterKeys].sort((a, b) => a.localeCompare(b, "en")));
        // Everything else keeps its value and order.
        const others = (pkg: Record<string, unknown>) => Object.keys(pkg).filter((k) => k !== field);
        expect(others(after)).toEqual(others(before));
      }),
    );
  });
});

describe("addPackageScripts", () => {
  it("adds a missing script and leaves a user's script of the same name alone", () => {
    const text = '{\n  "scripts": {\n    "dev": "next dev",\n    "build": "next build"\n  }\n}\n';
    const once = addPackageScripts(text, { "auth:migrate": "tsx scripts/auth-migrate.ts", dev: "other" }, { file: FILE });
    expect(once).toBe('{\n  "scripts": {\n    "dev": "next dev",\n    "build": "next build",\n    "auth:migrate": "tsx scripts/auth-migrate.ts"\n  }\n}\n');
    expect(addPackageScripts(once, { "auth:migrate": "x" }, { file: FILE })).toBe(once);
  });

  it("creates scripts before the dependencies", () => {
    expect(addPackageScripts('{\n  "name": "x",\n  "dependencies": {}\n}\n', { m: "tsx m.ts" }, { file: FILE })).toBe(
      '{\n  "name": "x",\n  "scripts": {\n    "m": "tsx m.ts"\n  },\n  "dependencies": {}\n}\n',
    );
  });

  it("refuses scripts that are not an object, at its line", () => {
    expect(userError(() => addPackageScripts('{\n  "scripts": "x"\n}\n', { m: "1" }, { file: FILE })).line).toBe(2);
  });

  it("keeps every original line and is idempotent (property)", () => {
    const scriptName = fc.stringMatching(/^[a-z][a-z:]{0,8}$/);
    const scripts = fc.dictionary(scriptName, fc.constant("run it"), { maxKeys: 4 });
    fc.assert(
      fc.property(fc.option(scripts, { nil: undefined }), scripts, (existing, wanted) => {
        const text = `${JSON.stringify({ name: "web", ...(existing ? { scripts: existing } : {}), dependencies: { next: "15" } }, null, 2)}\n`;
        const once = addPackageScripts(text, wanted, { file: FILE });
        expect(keepsLines(text, once, sameLineOrOpened)).toBe(true);
        expect(addPackageScripts(once, wanted, { file: FILE })).toBe(once);
        expect(JSON.parse(once).scripts ?? {}).toEqual({ ...wanted, ...existing });
      }),
    );
  });
});
