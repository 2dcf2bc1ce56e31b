import path from "node:path";
import { backendSources } from "../detect/python-sources.js";
import { routeInventory, type RouteInfo } from "../python/routes.js";
import type { BackendInfo } from "../types.js";

/** One name of the --protect list: a router module ("app.routers.tasks"), its stem ("tasks") or its file. */
const ROUTER_NAME = /^[A-Za-z_][\w./-]*$/;

/** The names in a --protect answer; null for "all" (or empty: the default), [] for "none". */
export function parseRouterSelection(answer: string): string[] | null {
  const trimmed = answer.trim();
  if (trimmed === "" || trimmed === "all") return null;
  if (trimmed === "none") return [];
  return trimmed.split(",").map((name) => name.trim()).filter(Boolean);
}

/** What is wrong with a --protect answer, or null. */
export function protectRoutersProblem(answer: string): string | null {
  const bad = (parseRouterSelection(answer) ?? []).find((name) => !ROUTER_NAME.test(name));
  return bad === undefined ? null : `--protect takes router modules, file stems or files, comma-separated, or "all" or "none"; "${bad}" is none of these`;
}

/** The short name of a route's router: its module's last segment ("tasks"), or the file stem for routes on the app. */
export function routerName(route: RouteInfo): string {
  return route.router.module.split(".").pop() || path.posix.basename(route.file, ".py");
}

/** True when a route's router is one of the names (module, stem, repo-relative file or file name). */
export function isSelected(route: RouteInfo, names: string[] | null): boolean {
  if (names === null) return true;
  const aliases = new Set([route.router.module, routerName(route), route.file, path.posix.basename(route.file), path.posix.basename(route.file, ".py")]);
  return names.some((name) => aliases.has(name) || route.file.endsWith(`/${name}`));
}

/** The owned-resource routers of a backend, by short name: what `--protect all` secures. */
export function ownedRouterNames(root: string, backend: BackendInfo): string[] {
  const inventory = routeInventory(backendSources(root, backend), backend.app);
  return [...new Set(inventory.routes.filter((route) => route.routeClass === "owned").map(routerName))];
}
