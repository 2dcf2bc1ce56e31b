import { PythonSources } from "../detect/python-sources.js";
import { addCorsMiddleware, configuresCors, corsMiddlewareLines, fixCorsPolicies } from "../editors/fastapiCors.js";
import type { PlanTree } from "../tree.js";
import type { Answers } from "../types.js";
import type { BackendLayout } from "./layout.js";

/** The lines to add by hand when the app module's shape is not recognised. */
function corsSnippet(variable: string, origin: string): string {
  return ["import os", "from fastapi.middleware.cors import CORSMiddleware", "", ...corsMiddlewareLines(variable, "os.environ", origin).slice(1)].join("\n");
}

/**
 * Makes the API's CORS policy let the frontend (its origin, BETTER_AUTH_URL) call it with Authorization:
 * a backend that configures no CORSMiddleware anywhere gets one after `app = FastAPI(...)`; each existing
 * one is fixed in place where its settings are literals, and reported with the fix where they are not.
 */
export function planCors(tree: PlanTree, layout: BackendLayout, answers: Answers): void {
  const origin = answers.authUrl.replace(/\/+$/, "");
  const sources = new PythonSources(tree.root, layout.backendDir);
  // The project's own modules only: a generated one (its text is null here) never configures CORS.
  const configured = sources.files.filter((file) => sources.text(file) !== null).map((file) => sources.repoPath(file));
  const files = [layout.app.file, ...configured.filter((file) => file !== layout.app.file)].filter((file) => configuresCors(tree.read(file) ?? ""));
  for (const file of files) {
    const text = tree.read(file) ?? "";
    const fixed = fixCorsPolicies(text, { file, appVariable: layout.app.variable, origin });
    tree.write(file, fixed.text);
    for (const warning of fixed.warnings) tree.warn(warning);
  }
  if (files.length > 0) return;
  const file = layout.app.file;
  const added = addCorsMiddleware(tree.read(file) ?? "", { file, appVariable: layout.app.variable, origin });
  if (added === null) {
    tree.warn(`${file}: no CORS policy was added (no top-level \`${layout.app.variable} = ...\`); without one the browser blocks the frontend's API calls. Add:\n${corsSnippet(layout.app.variable, origin)}`);
    return;
  }
  tree.write(file, added);
}
