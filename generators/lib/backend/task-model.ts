import type { TaskModelInfo } from "../types.js";

/** The member types of an annotation, unwrapping Mapped[...], Optional[...] and Union[...]: "Mapped[str | None]" → ["str", "None"]. */
function annotationMembers(annotation: string): string[] {
  let bare = annotation.replace(/\s+/g, "").replace(/^["']|["']$/g, "");
  for (let previous = ""; previous !== bare; ) {
    previous = bare;
    bare = bare
      .replace(/^(?:(?:sqlalchemy\.)?orm\.)?Mapped\[(.*)\]$/, "$1")
      .replace(/^(?:typing\.)?Optional\[(.*)\]$/, "$1|None")
      .replace(/^(?:typing\.)?Union\[(.*)\]$/, (_, inner: string) => inner.split(",").join("|"));
  }
  return bare.split("|");
}

/** True for a plain string annotation, optional or not: "str", "str | None", "Optional[str]", "Mapped[str]". */
export function isStringAnnotation(annotation: string): boolean {
  const members = annotationMembers(annotation).filter((member) => member !== "None");
  return members.length === 1 && members[0] === "str";
}

/** Why the project's Task model cannot back the task routes (Better Auth ids are strings), or null when it can. */
export function taskModelProblem(model: TaskModelInfo): string | null {
  if (model.userIdType === null) {
    return `${model.className} in ${model.file} has no user_id column; the task routes need a str user_id holding Better Auth's user ids`;
  }
  if (!isStringAnnotation(model.userIdType)) {
    return (
      `${model.className}.user_id in ${model.file} is ${model.userIdType}, but Better Auth's user ids are strings ` +
      `(the token's sub); make it a str column (user_id: str = Field(index=True)) and rerun to get the task routes`
    );
  }
  return null;
}

/** True when a module imports sqlmodel: its models then take sqlmodel's typed `select` and `col`. */
export function importsSqlModel(text: string): boolean {
  return /^\s*(?:from\s+sqlmodel[\s.]|import\s+sqlmodel\b)/m.test(text);
}
