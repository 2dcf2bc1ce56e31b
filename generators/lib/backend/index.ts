import path from "node:path";
import { registerRouters, type RouterRef } from "../editors/fastapi-app.js";
import { UserInputError } from "../errors.js";
import type { PlanTree } from "../tree.js";
import type { Answers, BackendInfo } from "../types.js";
import { planCors } from "./cors.js";
import { isGeneratedText } from "./generated-marker.js";
import { planBackendEnvFile } from "./env-file.js";
import { planBackendLayout, type BackendLayout } from "./layout.js";
import { backendPythonVersion } from "../detect/python-version.js";
import { planProjectRoutes } from "./project-routes.js";
import { fitPythonVersion } from "./python-compat.js";
import { BACKEND_TEST_REQUIREMENTS, backendRequirements } from "./requirements.js";
import {
  renderAuthRoutes,
  renderAuthTests,
  renderDb,
  renderRoutesInit,
  renderTestConftest,
  renderTaskModel,
  renderTaskRoutes,
  renderVerifier,
  renderVerifyScript,
} from "./templates.js";

export interface BackendPlan {
  /** PEP 508 requirements the generated code imports. */
  pythonDeps: string[];
  /** What the generated tests/test_auth.py needs on top (development only). */
  pythonDevDeps: string[];
  /** The env file the generated verifier reads, repo-relative: `<backend>/.env` or `<backend>/.env.auth`. */
  envFile: string;
  /** The project's own routes whose access changed, one line each, for the summary. */
  routeChanges: string[];
}

/** Writes one generated Python module, in the syntax the project's Python version runs. */
type WritePython = (file: string, text: string) => ReturnType<PlanTree["writeGenerated"]>;

/** Writes the generated modules of the task routes (model, db, routes); returns the router to include, if written. */
function planTaskRoutes(tree: PlanTree, writePython: WritePython, layout: BackendLayout, answers: Answers): RouterRef | null {
  const tasks = layout.tasks;
  if (!tasks) return null;
  if (tasks.model.generated) writePython(tasks.model.file, renderTaskModel());
  if (tasks.session.generated) writePython(tasks.session.file, renderDb(layout, tasks));
  if (layout.tasksNameTakenBy) {
    tree.warn(
      `${layout.tasksNameTakenBy} is your own module, so the authenticated task routes went to ${tasks.routes.file}; ` +
        "remove or protect any unauthenticated task routes of yours that serve the same paths",
    );
  }
  const written = writePython(tasks.routes.file, renderTaskRoutes(layout, tasks, answers));
  if (written !== "skipped") for (const note of tasks.notes) tree.warn(note);
  return written === "skipped" ? null : { module: tasks.routes.module, name: "router" };
}

/**
 * conftest.py at the backend root, so the generated tests import the app under plain `pytest` (see the template);
 * never over a conftest.py of the project's, whose folder pytest already puts on sys.path.
 */
function planTestConftest(writePython: WritePython, tree: PlanTree, layout: BackendLayout): void {
  const file = path.posix.join(layout.backendDir, "conftest.py");
  const current = tree.read(file);
  if (current === null || isGeneratedText(current)) writePython(file, renderTestConftest(layout));
}

/** Explains, in the summary, why there are no task routes: the project's Task model cannot hold Better Auth's ids. */
function skipTaskRoutes(tree: PlanTree, layout: BackendLayout): void {
  const reason = layout.tasksSkipReason ?? "";
  tree.skip(path.posix.join(layout.routes.dir, "tasks.py"), `task routes not generated: ${reason}`);
  tree.warn(`No task routes were generated: ${reason}.`);
}

/** The lines to add to the app module by hand when its shape was not recognised. */
function registrationSnippet(layout: BackendLayout, routers: RouterRef[]): string {
  const imports = routers.map((r) => `from ${r.module} import ${r.name} as ${r.module.split(".").pop()}_router`);
  const includes = routers.map((r) => `${layout.app.variable}.include_router(${r.module.split(".").pop()}_router)`);
  return [...imports, "", ...includes].join("\n");
}

/** Adds the routers to the app module; an app module whose shape is not recognised is skipped with the lines to add. */
function planRouterRegistration(tree: PlanTree, layout: BackendLayout, routers: RouterRef[]): void {
  const { file, variable, module } = layout.app;
  const text = tree.read(file);
  if (text === null) throw new UserInputError("the FastAPI app module does not exist", file);
  try {
    tree.write(file, registerRouters(text, { file, appVariable: variable, appModule: module, routers }));
  } catch (error) {
    if (!(error instanceof UserInputError)) throw error;
    tree.skip(file, error.reason, registrationSnippet(layout, routers));
    tree.warn(`${file}: the routers were not registered (${error.reason}); add the lines shown to it by hand.`);
  }
}

/**
 * Plans every backend file: the verifier module and auth routes (get_current_user, CurrentUser,
 * GET /api/me), the project's own resource routes scoped to the signed-in user in place, the task
 * routes only when the project has none (with a generated model and session when it has neither),
 * jwt-verify-test.py, tests/test_auth.py (with a conftest.py when the backend has none), and the routers'
 * registration in the app module.
 * Returns the Python requirements the generated code needs and the route changes.
 */
export function planBackend(tree: PlanTree, answers: Answers, backend: BackendInfo): BackendPlan {
  const planned = planBackendLayout(tree, backend);
  const envFile = planBackendEnvFile(tree, answers, backend);
  const projectRoutes = planProjectRoutes(tree, backend, planned, answers);
  // The project's own task routes are secured in place: generating ours too would serve the same paths twice.
  const layout: BackendLayout = projectRoutes.ownTaskRoutes ? { ...planned, tasks: null, tasksSkipReason: null } : planned;
  const pythonVersion = backendPythonVersion(tree.root, backend.dir);
  const writePython: WritePython = (file, text) => tree.writeGenerated(file, fitPythonVersion(text, pythonVersion));
  if (!layout.routes.exists) writePython(path.posix.join(layout.routes.dir, "__init__.py"), renderRoutesInit());
  writePython(layout.verifier.file, renderVerifier(layout, answers, path.posix.basename(envFile)));
  const routers: RouterRef[] = [];
  if (writePython(layout.authRoutes.file, renderAuthRoutes(layout, answers)) !== "skipped") {
    routers.push({ module: layout.authRoutes.module, name: "router" });
  }
  if (layout.tasks) {
    const taskRouter = planTaskRoutes(tree, writePython, layout, answers);
    if (taskRouter) routers.push(taskRouter);
  } else if (!projectRoutes.ownTaskRoutes) skipTaskRoutes(tree, layout);
  if (routers.length > 0) planRouterRegistration(tree, layout, routers);
  planCors(tree, layout, answers);
  writePython(layout.verifyScript, renderVerifyScript(layout, answers));
  writePython(layout.testFile, renderAuthTests(layout, answers, projectRoutes.tokenRoutes));
  planTestConftest(writePython, tree, layout);
  const generatesSqlModel = layout.tasks !== null && (layout.tasks.model.generated || layout.tasks.session.generated);
  return {
    pythonDeps: backendRequirements(answers.secretMode, generatesSqlModel, layout.tasks?.session.generated === true && layout.tasks.session.async),
    pythonDevDeps: [...BACKEND_TEST_REQUIREMENTS],
    envFile,
    routeChanges: projectRoutes.changes,
  };
}
