import { parseJsonObject, type JsonObject } from "../formats/json.js";
import { readSmallText } from "./files.js";

/** A small JSON file's object (JSONC with `comments`), or null when the file is absent. */
export function readJsonObject(root: string, rel: string, options: { comments?: boolean } = {}): JsonObject | null {
  const text = readSmallText(root, rel);
  return text === null ? null : parseJsonObject(text, rel, options);
}
