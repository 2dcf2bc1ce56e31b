import { isFile } from "./paths.js";

/** Compose file names, in the order the plan's compose step checks them (the first present wins). */
const COMPOSE_FILES = ["docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml"];

/** The compose file at the repo root, if any. */
export function detectComposeFile(root: string): string | null {
  return COMPOSE_FILES.find((name) => isFile(root, name)) ?? null;
}
