import type { MismatchStatus } from "../types.js";

/** How a `{user_id}` path parameter that is not the caller is answered. */
export interface MismatchResponse {
  status: MismatchStatus;
  /** fastapi.status's constant for it. */
  constant: "HTTP_403_FORBIDDEN" | "HTTP_404_NOT_FOUND";
  detail: string;
}

/** The detail of a 404 for another user's path: worded like a missing row ("Task not found"). */
export const USER_NOT_FOUND = "User not found";

/**
 * The answer to a path naming another user: 403 "This path belongs to another user" (the default), or 404
 * "User not found", worded like a missing row, so a caller cannot tell another user's path from one that does not exist.
 */
export function mismatchResponse(status: MismatchStatus | undefined): MismatchResponse {
  return status === "404"
    ? { status: "404", constant: "HTTP_404_NOT_FOUND", detail: USER_NOT_FOUND }
    : { status: "403", constant: "HTTP_403_FORBIDDEN", detail: "This path belongs to another user" };
}
