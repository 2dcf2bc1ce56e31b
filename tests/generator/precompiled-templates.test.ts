// The build's precompiled templates render exactly what compiling the template source renders, and carry the hash
// of the source they came from (render.ts compiles a template afresh when its source no longer has that hash).
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Handlebars from "handlebars";
import { expect, it } from "vitest";
import { COMPILE_OPTIONS, loadPrecompiled, PRECOMPILED_FILE, precompiledModule, sourceHash } from "../../generators/lib/template-specs.js";
import { removedAfterEach } from "../helpers/temp-roots.js";

const temp = removedAfterEach();

it("round-trips a template through the precompiled module: same output, the source's hash", () => {
  const root = temp(mkdtempSync(path.join(os.tmpdir(), "precompiled-")));
  const source = '{{#if jwks}}keys at {{url}}{{else}}secret{{/if}}\n{{#each names}}- {{this}}\n{{/each}}';
  mkdirSync(path.join(root, "templates/backend"), { recursive: true });
  mkdirSync(path.join(root, "dist"));
  writeFileSync(path.join(root, "templates/backend/x.py.hbs"), source);
  writeFileSync(path.join(root, "dist", PRECOMPILED_FILE), precompiledModule(path.join(root, "templates"), (text) => Handlebars.precompile(text, COMPILE_OPTIONS) as string));
  const built = loadPrecompiled(path.join(root, "dist")).get("backend/x.py.hbs")!;
  expect(built.hash).toBe(sourceHash(source));
  const context = { jwks: true, url: "http://a/<b>", names: ["a", "b"] };
  const fresh = Handlebars.create().compile(source, COMPILE_OPTIONS)(context);
  expect(Handlebars.create().template(built.spec)(context)).toBe(fresh);
  expect(fresh).toBe("keys at http://a/<b>\n- a\n- b\n");
  // strict, as compiled templates: a missing variable is an error, not "" in generated code.
  expect(() => Handlebars.create().template(built.spec)({ jwks: true, names: [] })).toThrow(/url/);
});

it("finds no precompiled templates where the build wrote none", () => {
  expect(loadPrecompiled(temp(mkdtempSync(path.join(os.tmpdir(), "precompiled-none-")))).size).toBe(0);
});
