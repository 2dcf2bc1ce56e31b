import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addPackageDependencies, addPackageScripts } from "../../generators/lib/editors/packageJson.js";

const FILE = "frontend/package.json";

describe("addPackageDependencies", () => {
  it("inserts in sorted position when dependencies are sorted, keeping 4-space indentation", () => {
    const text = '{\n    "name": "web",\n    "dependencies": {\n        "next": "15",\n        "react": "19"\n    }\n}\n';
    expect(addPackageDependencies(text, { "better-auth": "^1.7.25", zod: "^3" }, { file: FILE })).toBe(
      '{\n    "name": "web",\n    "dependencies": {\n        "better-auth": "^1.7.25",\n        "next": "15",\n        "react": "19",\n        "zod": "^3"\n    }\n}\n',
    );
  });

  it("appends when dependencies are not sorted, and keeps tabs and no final newline", () => {
    const text = '{\n\t"dependencies": {\n\t\t"react": "19",\n\t\t"next": "15"\n\t}\n}';
    expect(addPackageDependencies(text, { "better-auth": "^1" }, { file: FILE })).toBe('{\n\t"dependencies": {\n\t\t"react": "19",\n\t\t"next": "15",\n\t\t"better-auth": "^1"\n\t}\n}');
  });

  it("keeps an existing range, wherever the package is declared", () => {
    const text = '{\n  "dependencies": { "better-auth": "1.2.0" },\n  "devDependencies": { "jose": "5" }\n}\n';
    expect(addPackageDependencies(text, { "better-auth": "^1.7.25", jose: "^6" }, { file: FILE })).toBe(text);
  });

  it("creates the field at the end of the object, keeping other keys and inline arrays untouched", () => {
    const text = '{\n  "name": "web",\n  "files": ["a", "b"]\n}\n';
    expect(addPackageDependencies(text, { tsx: "^4" }, { file: FILE, field: "devDependencies" })).toBe(
      '{\n  "name": "web",\n  "files": ["a", "b"],\n  "devDependencies": {\n    "tsx": "^4"\n  }\n}\n',
    );
  });

  it("names the file and line of malformed JSON", () => {
    expect(() => addPackageDependencies('{\n  "name": "web",\n  "dependencies": { "next": "15" \n}\n', {}, { file: FILE })).toThrow(/^frontend\/package\.json:\d+: invalid JSON/);
  });

  it("keeps every original line and is idempotent (property)", () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/);
    fc.assert(
      fc.property(fc.dictionary(name, fc.constant("^1.0.0"), { minKeys: 1, maxKeys: 6 }), fc.dictionary(name, fc.constant("^2.0.0"), { maxKeys: 4 }), (existing, wanted) => {
        const text = `${JSON.stringify({ name: "web", private: true, dependencies: existing }, null, 2)}\n`;
        const once = addPackageDependencies(text, wanted, { file: FILE });
        const out = once.split("\n");
        let j = 0;
        // Every original line survives in order (a line may only gain a trailing comma).
        for (const line of text.split("\n")) {
          while (j < out.length && out[j] !== line && out[j] !== `${line},`) j++;
          expect(j).toBeLessThan(out.length);
          j++;
        }
        expect(addPackageDependencies(once, wanted, { file: FILE })).toBe(once);
        const deps = JSON.parse(once).dependencies;
        for (const [k, v] of Object.entries(wanted)) expect(deps[k]).toBe(existing[k] ?? v);
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
});
