import type { ApiCall, ApiResponse } from "./http.js";

/** Which task routes the generator wrote: `/api/tasks` or `/api/{user_id}/tasks`. */
export type RouteStyle = "flat" | "user-scoped";

/** The generated task routes' paths for one route style; `owner` is the user id a user-scoped path names. */
export function taskPaths(style: RouteStyle, owner: string) {
  const base = style === "flat" ? "/api/tasks" : `/api/${encodeURIComponent(owner)}/tasks`;
  return {
    list: base,
    one: (id: number | string) => `${base}/${id}`,
    complete: (id: number | string) => `${base}/${id}/complete`,
  };
}

/** The fields of a task the generated routes return. */
export interface TaskJson {
  id: number;
  title: string;
  description: string | null;
  completed: boolean;
  user_id: string;
}

/** Creates a task as `token`'s user and returns it; throws with the response when the API refuses. */
export async function createTask(call: ApiCall, style: RouteStyle, owner: string, token: string, title: string): Promise<TaskJson> {
  const response = await call("POST", taskPaths(style, owner).list, token, { title, description: `${title} (details)` });
  if (response.status !== 200 && response.status !== 201) throw new Error(`creating "${title}" answered ${showResponse(response)}`);
  return response.json as TaskJson;
}

/** Status and body of a response, short, for assertion messages. */
export function showResponse(response: ApiResponse): string {
  return `${response.status} ${response.text.slice(0, 300)}`;
}
