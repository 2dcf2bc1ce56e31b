import { parseTree, printParseErrorCode, visit, type Node as JsonNode, type ParseError, type ParseErrorCode, type ParseOptions } from "jsonc-parser";
import { MalformedFileError } from "../errors.js";
import { lineOf } from "../text-offsets.js";

export type JsonObject = Record<string, unknown>;

/** Plain JSON (RFC 8259), as JSON.parse reads it: no comments, no trailing commas. */
const STRICT: ParseOptions = { disallowComments: true, allowTrailingComma: false };
/** JSON with comments and trailing commas, as tsconfig.json and jsconfig.json are read. */
const JSONC: ParseOptions = { disallowComments: false, allowTrailingComma: true };

/** What each jsonc-parser error code means, in the words of a message; `{close}` is the innermost open brace or bracket. */
const REASONS: Record<string, string> = {
  InvalidSymbol: "unexpected character",
  InvalidNumberFormat: "malformed number",
  PropertyNameExpected: "expected a double-quoted property name",
  ValueExpected: "expected a value",
  ColonExpected: "expected a colon after the property name",
  CommaExpected: "expected a comma or a closing {close}",
  CloseBraceExpected: "expected a comma or a closing brace",
  CloseBracketExpected: "expected a comma or a closing bracket",
  EndOfFileExpected: "unexpected text after the end of the JSON value",
  InvalidCommentToken: "comments are not allowed in JSON",
  UnexpectedEndOfComment: "unterminated comment",
  UnexpectedEndOfString: "unterminated string",
  UnexpectedEndOfNumber: "number ends too early",
  InvalidUnicode: "bad \\u escape in string",
  InvalidEscapeCharacter: "bad escape in string",
  InvalidCharacter: "control character in string",
};

/** Whether a parsed JSON value is an object (not null, not an array). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses strict JSON exactly as JSON.parse does; a syntax error is a MalformedFileError at its file:line. */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw syntaxError(text, file, STRICT, (error as Error).message);
  }
}

/** Parses JSON with comments and trailing commas (tsconfig.json); a syntax error is a MalformedFileError at its file:line. */
export function parseJsonc(text: string, file: string): unknown {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, JSONC);
  if (errors.length > 0) throw syntaxError(text, file, JSONC, "cannot parse");
  return tree === undefined ? undefined : valueOf(tree);
}

/**
 * A parse tree's value as JSON.parse builds it: each key an own property, `"__proto__"` too (jsonc-parser's own
 * values assign keys, which turns that one into the object's prototype); the last of duplicate keys wins.
 */
function valueOf(node: JsonNode): unknown {
  if (node.type === "array") return (node.children ?? []).map(valueOf);
  if (node.type !== "object") return node.value;
  const object: JsonObject = {};
  for (const [key, value] of (node.children ?? []).map((property) => property.children ?? [])) {
    if (key && value) Object.defineProperty(object, key.value as string, { value: valueOf(value), enumerable: true, writable: true, configurable: true });
  }
  return object;
}

/** Parses a JSON object (JSONC with `comments`); a syntax error or another value is a MalformedFileError. */
export function parseJsonObject(text: string, file: string, options: { comments?: boolean } = {}): JsonObject {
  const value = options.comments ? parseJsonc(text, file) : parseJson(text, file);
  if (!isObject(value)) throw new MalformedFileError("expected a JSON object", file, 1);
  return value;
}

/** The first syntax error jsonc-parser finds, as `invalid JSON: <reason>` at its line (`fallback` without a line if none is found). */
function syntaxError(text: string, file: string, options: ParseOptions, fallback: string): MalformedFileError {
  const open: string[] = [];
  let first: { offset: number; reason: string } | undefined;
  const onError = (code: ParseErrorCode, offset: number) => {
    const reason = (REASONS[printParseErrorCode(code)] ?? "cannot parse").replace("{close}", open.at(-1) ?? "brace");
    first ??= { offset, reason: offset >= text.length ? `unexpected end of file, ${reason}` : reason };
  };
  const push = (close: string) => () => void open.push(close);
  const pop = () => void open.pop();
  visit(text, { onError, onObjectBegin: push("brace"), onArrayBegin: push("bracket"), onObjectEnd: pop, onArrayEnd: pop }, options);
  if (!first) return new MalformedFileError(`invalid JSON: ${fallback}`, file);
  return new MalformedFileError(`invalid JSON: ${first.reason}`, file, lineOf(text, first.offset));
}
