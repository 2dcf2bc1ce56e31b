import type { FrontendInfo } from "../types.js";

/** Which whole-file template variant fits the project: shadcn/ui components, Tailwind classes, or plain HTML. */
export type MarkupVariant = "shadcn" | "tailwind" | "plain";

export function markupVariant(frontend: FrontendInfo): MarkupVariant {
  if (frontend.styling.shadcnUi) return "shadcn";
  return frontend.styling.tailwind ? "tailwind" : "plain";
}

/** templates/frontend/<dir>/<name>.<variant>.tsx.hbs */
export function variantTemplate(dirAndName: string, frontend: FrontendInfo): string {
  return `frontend/${dirAndName}.${markupVariant(frontend)}.tsx.hbs`;
}
