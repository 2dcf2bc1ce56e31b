import { PythonSources } from "../detect/python-sources.js";
import { addCorsMiddleware, configuresCors, corsMiddlewareLines, fixCorsPolicies, literalCorsOrigins, removeCorsOrigins } from "../editors/fastapi-cors.js";
import { compareEntries, onlyPresent } from "../steps/added-entries.js";
import { UserInputError } from "../errors.js";
import type { PlanTree } from "../tree.js";
import type { Answers } from "../types.js";
import type { BackendLayout } from "./layout.js";

/** The lines to add by hand when the app module's shape is not recognised. */
function corsSnippet(variable: string, origin: string, extraOrigins: string[]): string {
  return ["import os", "from fastapi.middleware.cors import CORSMiddleware", "", ...corsMiddlewareLines(variable, "os.environ", origin, extraOrigins).slice(1)].join("\n");
}

const ORIGIN = /^https?:\/\/[A-Za-z0-9.-]+(:\d+)?$/;

/**
 * The origins the corsOrigins answer adds to the frontend's (authUrl), in its order, once each, without a trailing
 * slash ("" for none). Each goes into Python source, so anything but a plain http(s) origin is refused.
 */
export function extraCorsOrigins(answers: Pick<Answers, "authUrl" | "corsOrigins">): string[] {
  const frontend = answers.authUrl.replace(/\/+$/, "").toLowerCase();
  const origins = (answers.corsOrigins ?? "").split(",").map((o) => o.trim().replace(/\/+$/, "")).filter(Boolean);
  const bad = origins.filter((o) => !ORIGIN.test(o));
  if (bad.length > 0) throw new UserInputError(`--cors-origins takes http(s) origins like https://app.example.com; not an origin: ${bad.join(", ")}`);
  return [...new Set(origins)].filter((o) => o.toLowerCase() !== frontend);
}

/**
 * Makes the API's CORS policy let the frontend (its origin, BETTER_AUTH_URL) and the other corsOrigins call it with Authorization:
 * a backend that configures no CORSMiddleware anywhere gets one after `app = FastAPI(...)`; each existing
 * one is fixed in place where its settings are literals, and reported with the fix where they are not.
 */
export function planCors(tree: PlanTree, layout: BackendLayout, answers: Answers): void {
  const origin = answers.authUrl.replace(/\/+$/, "");
  const extraOrigins = extraCorsOrigins(answers);
  const sources = new PythonSources(tree.root, layout.backendDir);
  // The project's own modules only: a generated one (its text is null here) never configures CORS.
  const configured = sources.files.filter((file) => sources.text(file) !== null).map((file) => sources.repoPath(file));
  const files = [layout.app.file, ...configured.filter((file) => file !== layout.app.file)].filter((file) => configuresCors(tree.read(file) ?? ""));
  for (const file of files) {
    updateOrigins(tree, file, [origin, ...extraOrigins], (text) => {
      const fixed = fixCorsPolicies(text, { file, appVariable: layout.app.variable, origin, extraOrigins });
      for (const warning of fixed.warnings) tree.warn(warning);
      return fixed.text;
    });
  }
  if (files.length > 0) return;
  const file = layout.app.file;
  const added = addCorsMiddleware(tree.read(file) ?? "", { file, appVariable: layout.app.variable, origin, extraOrigins });
  if (added === null) {
    tree.warn(`${file}: no CORS policy was added (no top-level \`${layout.app.variable} = ...\`); without one the browser blocks the frontend's API calls. Add:\n${corsSnippet(layout.app.variable, origin, extraOrigins)}`);
    return;
  }
  updateOrigins(tree, file, [origin, ...extraOrigins], () => added);
}

/** How the manifest names an origin this tool put into a module's allow_origins. */
const originKey = (origin: string) => `allow_origins ${origin}`;

/**
 * Edits a module's CORS policy: the origins an earlier run added that the answers no longer ask for (a changed
 * authUrl) go first, then `edit` runs; the wanted origins the module lists afterwards and did not before are recorded as ours.
 */
function updateOrigins(tree: PlanTree, file: string, wanted: string[], edit: (text: string) => string): void {
  const before = tree.read(file) ?? "";
  const present = new Map(literalCorsOrigins(before).map((o) => [originKey(o), o]));
  const changes = compareEntries(wanted.map((o) => ({ key: originKey(o), value: o })), tree.addedEntries(file), present);
  const text = edit(removeCorsOrigins(before, changes.stale.map((key) => present.get(key)!)));
  tree.write(file, text);
  tree.recordAddedEntries(file, onlyPresent(changes.record, new Set(literalCorsOrigins(text).map(originKey))));
}
