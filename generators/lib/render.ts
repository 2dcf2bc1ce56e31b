import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";

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

/**
 * Renders templates/<name> with Handlebars. Code templates are not HTML: no escaping;
 * `strict` makes a missing variable an error instead of an empty string in generated code.
 */
export function renderTemplate(name: string, context: object): string {
  let template = compiled.get(name);
  if (!template) {
    const source = readFileSync(path.join(PACKAGE_ROOT, "templates", name), "utf8");
    template = handlebars.compile(source, { noEscape: true, strict: true });
    compiled.set(name, template);
  }
  return template(context);
}
