/**
 * Precompiles every Handlebars template into dist/templates.precompiled.cjs, so a run does not parse and compile
 * templates (about a third of a full run's time): render.ts uses a spec only while its source's hash matches.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import Handlebars from "handlebars";
import { COMPILE_OPTIONS, PRECOMPILED_FILE, precompiledModule } from "../generators/lib/template-specs.js";
import { PACKAGE_ROOT } from "../generators/lib/render.js";

const out = path.join(PACKAGE_ROOT, "dist", PRECOMPILED_FILE);
writeFileSync(out, precompiledModule(path.join(PACKAGE_ROOT, "templates"), (source) => Handlebars.precompile(source, COMPILE_OPTIONS) as string));
console.log(`precompiled templates → ${path.relative(PACKAGE_ROOT, out)}`);
