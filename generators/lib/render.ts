import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";
import { COMPILE_OPTIONS, loadPrecompiled, sourceHash } from "./template-specs.js";

/** The package root (holds templates/), found from this file both in the sources and in dist/. */
export const PACKAGE_ROOT = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "templates")) && existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`auth-integrator: templates/ not found above ${start}`);
  }
}

const handlebars = Handlebars.create();
// `{{#eq a "b"}}` for the few places a template branches on a string answer.
handlebars.registerHelper("eq", function (this: unknown, a: unknown, b: unknown, options: Handlebars.HelperOptions) {
  return a === b ? options.fn(this) : options.inverse(this);
});
const compiled = new Map<string, Handlebars.TemplateDelegate>();
let precompiled: ReturnType<typeof loadPrecompiled> | undefined;

/** A template from its source: the build's precompiled spec when it was made from this very source, else compiled now. */
function templateOf(rel: string, source: string): Handlebars.TemplateDelegate {
  precompiled ??= loadPrecompiled(path.join(PACKAGE_ROOT, "dist"));
  const built = precompiled.get(rel);
  return built && built.hash === sourceHash(source) ? handlebars.template(built.spec) : handlebars.compile(source, COMPILE_OPTIONS);
}

/** Folder of the blocks several templates share, used as `{{> name}}` (templates/partials/<name>.hbs). */
const PARTIALS_DIR = path.join(PACKAGE_ROOT, "templates", "partials");
let partialsRegistered = false;

function registerPartials(): void {
  if (partialsRegistered) return;
  partialsRegistered = true;
  if (!existsSync(PARTIALS_DIR)) return;
  for (const file of readdirSync(PARTIALS_DIR).filter((name) => name.endsWith(".hbs"))) {
    handlebars.registerPartial(file.slice(0, -".hbs".length), templateOf(`partials/${file}`, readFileSync(path.join(PARTIALS_DIR, file), "utf8")));
  }
}

/**
 * Renders templates/<name> with Handlebars. Code templates are not HTML: no escaping;
 * `strict` makes a missing variable an error instead of an empty string in generated code. Blocks shared by
 * several templates are partials, in templates/partials/.
 */
export function renderTemplate(name: string, context: object): string {
  registerPartials();
  let template = compiled.get(name);
  if (!template) {
    template = templateOf(name, readFileSync(path.join(PACKAGE_ROOT, "templates", name), "utf8"));
    compiled.set(name, template);
  }
  return template(context);
}
