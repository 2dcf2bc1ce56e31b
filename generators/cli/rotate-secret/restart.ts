/** What to restart after a rotation, in order: the backend first (it then accepts both keys), then the frontend, or compose's command. */
import { AUTH_SECRETS_KEY } from "../../lib/secret-versions.js";
import type { AppDirs } from "./env-files.js";
import { API_SECRET } from "./options.js";
import type { RotationReport } from "./report.js";

/** The report's restart steps for what was rotated; `composeServices` are the services compose must recreate. */
export function restartSteps(report: RotationReport, dirs: AppDirs, rotated: { auth: boolean; api: boolean }, compose: { file: string; services: string[] } | null): RotationReport["restart"] {
  const steps: RotationReport["restart"] = [];
  if (rotated.api) {
    const until = report.previous ? ` and, until ${report.previous.expiresAt}, with the old one` : "";
    steps.push({ app: "backend", where: dirs.backend ?? ".", why: `first: from then on it accepts tokens signed with the new ${API_SECRET}${until}` });
  }
  steps.push({
    app: "frontend",
    where: dirs.frontend,
    why: [rotated.auth && `Better Auth reads ${AUTH_SECRETS_KEY} as it starts`, rotated.api && `it signs API tokens with the new ${API_SECRET} from then on`].filter(Boolean).join("; "),
  });
  if (compose && compose.services.length) {
    steps.push({
      app: "compose",
      where: compose.file,
      why: `when the apps run in docker compose instead: docker compose up -d ${compose.services.join(" ")} (recreates them with the new values from .env; \`docker compose restart\` would keep the old ones)`,
    });
  }
  return steps;
}
