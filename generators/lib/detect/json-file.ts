import { MalformedFileError } from "../errors.js";
import { readSmallText } from "./files.js";
import { findJsonSyntaxError } from "./json-error.js";
import { stripJsonComments } from "./jsonc.js";

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses a JSON object; a syntax error becomes a UserInputError at the file and line it is on. */
export function parseJsonObject(text: string, file: string, options: { comments?: boolean } = {}): JsonObject {
  const source = options.comments ? stripJsonComments(text) : text;
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch {
    const found = findJsonSyntaxError(source);
    throw new MalformedFileError(`invalid JSON: ${found?.problem ?? "cannot parse"}`, file, found?.line);
  }
  if (!isObject(value)) throw new MalformedFileError("expected a JSON object", file, 1);
  return value;
}

/** A small JSON file's object, or null when the file is absent. */
export function readJsonObject(root: string, rel: string, options: { comments?: boolean } = {}): JsonObject | null {
  const text = readSmallText(root, rel);
  return text === null ? null : parseJsonObject(text, rel, options);
}
