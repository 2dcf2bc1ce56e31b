import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { planFrontend, type FrontendPlan } from "../../generators/lib/frontend/index.js";
import { PlanTree } from "../../generators/lib/tree.js";
import type { Answers, FrontendInfo, FrontendStyling } from "../../generators/lib/types.js";
import { DEFAULT_ANSWERS } from "../helpers/answers.js";
import { makeFixture, removeFixture } from "../helpers/fixture.js";
import { projectFiles, typecheckConfig } from "../helpers/typescript.js";


export const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");

/** The default answers for a repo whose frontend is at web/ and backend at api/. */
export const ANSWERS: Answers = { ...DEFAULT_ANSWERS, frontend: "web", backend: "api" };

/** A frontend at web/ (or web/src with a src layout), with or without the "@/" alias; plain styling unless given. */
export function frontendInfo(options: { src?: boolean; alias?: boolean; styling?: FrontendStyling } = {}): FrontendInfo {
  return {
    dir: "web",
    srcLayout: options.src === true,
    codeDir: options.src ? "web/src" : "web",
    importAlias: options.alias === false ? null : "@/",
    packageManager: "npm",
    nextVersion: "^15.5.0",
    styling: options.styling ?? { tailwind: false, shadcnUi: null },
  };
}

export interface PlannedFrontend {
  root: string;
  tree: PlanTree;
  plan: FrontendPlan;
  /** Path → text of every file the plan creates or changes. */
  files: Record<string, string>;
}

/** Plans the frontend on a temp repo holding `existing` files; nothing is written yet. */
export function planOn(existing: Record<string, string>, answers: Partial<Answers> = {}, frontend: FrontendInfo = frontendInfo()): PlannedFrontend {
  const root = makeFixture(existing, "auth-integrator-frontend-");
  try {
    return replan(root, answers, frontend);
  } catch (error) {
    removeFixture(root);
    throw error;
  }
}

/** Plans again on an existing temp repo (e.g. after commit, for a second run). */
export function replan(root: string, answers: Partial<Answers> = {}, frontend: FrontendInfo = frontendInfo()): PlannedFrontend {
  const tree = new PlanTree(root);
  const plan = planFrontend(tree, { ...ANSWERS, ...answers }, frontend);
  const files = Object.fromEntries(tree.changes().map((c) => [c.path, c.after]));
  return { root, tree, plan, files };
}

/** Writes the plan's changes to disk, as the commit step would. */
export function commit({ root, tree }: PlannedFrontend): void {
  for (const change of tree.changes()) {
    const file = path.join(root, change.path);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, change.after);
  }
}

/**
 * Generates the frontend into a temp repo (its root is pushed onto `roots`, for the caller to remove)
 * with this package's node_modules, and imports its lib/api.ts with its real auth-client import.
 */
export async function loadGeneratedApi<T>(roots: string[], answers: Partial<Answers> = {}): Promise<T> {
  const planned = planOn({}, answers);
  commit(planned);
  roots.push(planned.root);
  symlinkSync(path.join(REPO, "node_modules"), path.join(planned.root, "web/node_modules"), "dir");
  return (await import(path.join(planned.root, "web/lib/api.ts"))) as T;
}

/** A Next.js-like tsconfig (strict, bundler resolution, jsx preserve) in `dir`, "@/*" mapped to `aliasTarget`, and node_modules from this repo. */
export function makeTypecheckable(dir: string, aliasTarget: string): void {
  const tsconfig = {
    compilerOptions: {
      target: "ES2017",
      lib: ["dom", "dom.iterable", "esnext"],
      strict: true,
      noEmit: true,
      esModuleInterop: true,
      module: "esnext",
      moduleResolution: "bundler",
      resolveJsonModule: true,
      isolatedModules: true,
      jsx: "preserve",
      skipLibCheck: true,
      paths: { "@/*": [`./${path.relative(dir, aliasTarget) || "."}/*`] },
    },
    include: ["**/*.ts", "**/*.tsx"],
    exclude: ["node_modules"],
  };
  writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir");
}

/** Type-checks a folder's tsconfig as `tsc --noEmit -p tsconfig.json` does (in this process): exit code and output. */
export async function typecheck(dir: string): Promise<{ code: number; output: string }> {
  return typecheckConfig(path.join(dir, "tsconfig.json"));
}

/** The files tsc would check for a folder's tsconfig (without checking them), node_modules and TypeScript's libs left out. */
export async function programFiles(dir: string): Promise<string[]> {
  return projectFiles(path.join(dir, "tsconfig.json"));
}
