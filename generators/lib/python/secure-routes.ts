import type { SyntaxNode } from "@lezer/common";
import { functionsIn, type FunctionInfo } from "./definitions.js";
import { importEdits } from "./import-edits.js";
import { applyEdits, indentationAt, insertAt, lineEnding, linesAfter, type TextEdit } from "../text-edits.js";
import { callParts, descendants, lineAt, parsePython, statementsOf, stringValue, syntaxErrors, textOf, type PySource } from "./syntax.js";

/** A handler of the project to scope to the signed-in user: its route and the model it reads or writes. */
export interface OwnedHandler {
  handler: string;
  /** Its full path: a `{user_id}` in it must be the caller. */
  path: string;
  model: { className: string; ownerColumn: string };
}

export interface SecureRoutesOptions {
  /** The module's repo-relative path, for messages. */
  file: string;
  handlers: OwnedHandler[];
  /** Where the `CurrentUser` dependency comes from: `from <module> import CurrentUser`. */
  currentUserModule: string;
}

/** A handler that could not be secured in full: why, and the lines to add by hand. */
export interface ManualStep {
  handler: string;
  line: number;
  reason: string;
  snippet: string;
}

export interface SecureRoutesResult {
  text: string;
  /** Handlers edited, with what was done to each. */
  secured: { handler: string; line: number; changes: string[] }[];
  /** Handlers that already take the signed-in user: left alone. */
  alreadySecured: string[];
  manual: ManualStep[];
}

const USER_PARAM = "current_user";
const USER_TYPE = "CurrentUser";

/** True when a handler already takes the signed-in user (a `CurrentUser` parameter, or a parameter named current_user). */
function takesCurrentUser(source: PySource, fn: FunctionInfo): boolean {
  return fn.params.some((param) => param.name === USER_PARAM || (param.annotation !== null && textOf(source, param.annotation) === USER_TYPE));
}

/** The edit adding `current_user: CurrentUser` as the handler's first parameter, on its own line when parameters are. */
function userParamEdit(source: PySource, fn: FunctionInfo): TextEdit {
  const first = fn.params[0];
  const declaration = `${USER_PARAM}: ${USER_TYPE}`;
  if (!first) return insertAt(fn.paramList.from + 1, declaration);
  const between = source.text.slice(fn.paramList.from + 1, first.from);
  const separator = between.includes("\n") ? `,${lineEnding(source.text)}${between.slice(between.lastIndexOf("\n") + 1)}` : ", ";
  return insertAt(first.from, `${declaration}${separator}`);
}

/** The enclosing statement of a node that is a direct child of a Body or the module (the line to insert after). */
function statementAround(node: SyntaxNode): SyntaxNode {
  let current = node;
  while (current.parent && current.parent.name !== "Body" && current.parent.name !== "Script") current = current.parent;
  return current;
}

/** Lines inserted after a statement, at its indentation. */
function linesAfterStatement(source: PySource, statement: SyntaxNode, lines: string[]): TextEdit {
  return linesAfter(source.text, statement.from, statement.to, lines);
}

/** `name = <node>` or `name = await <node>`: the variable a statement assigns the node's value to; null for other shapes. */
function assignedName(source: PySource, node: SyntaxNode): string | null {
  let value: SyntaxNode = node;
  if (value.parent?.name === "AwaitExpression") value = value.parent;
  const statement = value.parent;
  if (statement?.name !== "AssignStatement" || statement.lastChild?.from !== value.from) return null;
  const target = statement.firstChild;
  return target?.name === "VariableName" && target.nextSibling?.name === "AssignOp" ? textOf(source, target) : null;
}

/** The unit one block level indents by in this module ("    " unless the module uses another). */
function indentUnit(source: PySource, fn: FunctionInfo): string {
  const first = statementsOf(fn.body)[0];
  const inner = first ? indentationAt(source.text, first.from) : "    ";
  const outer = indentationAt(source.text, fn.node.from);
  return inner.length > outer.length ? inner.slice(outer.length) : "    ";
}

interface HandlerEdits {
  edits: TextEdit[];
  changes: string[];
  manual: string[];
  needsHTTPException: boolean;
}

/** Scopes the queries of one handler to the owner: `select`/`update`/`delete`/`query` filtered, `get` checked, creates stamped. */
function scopeHandler(source: PySource, fn: FunctionInfo, owned: OwnedHandler): HandlerEdits {
  const { className, ownerColumn } = owned.model;
  const ownerTest = `${className}.${ownerColumn} == ${USER_PARAM}.id`;
  const unit = indentUnit(source, fn);
  const out: HandlerEdits = { edits: [], changes: [], manual: [], needsHTTPException: false };
  const notFound = (variable: string) => [
    `if ${variable} is None or ${variable}.${ownerColumn} != ${USER_PARAM}.id:`,
    `${unit}raise HTTPException(status_code=404, detail="${className} not found")`,
  ];
  let touched = false;
  for (const call of descendants(fn.body, "CallExpression")) {
    const parts = callParts(source, call);
    if (!parts) continue;
    const method = parts.callee?.split(".").pop();
    const firstArg = parts.positional[0] ? textOf(source, parts.positional[0]) : null;
    const isModelCall = parts.callee === className;
    if (firstArg === className && (parts.callee === "select" || parts.callee === "update" || parts.callee === "delete" || parts.callee?.endsWith(".select"))) {
      out.edits.push(insertAt(call.to, `.where(${ownerTest})`));
      out.changes.push(`${parts.callee}(${className}) filtered by ${ownerColumn}`);
      touched = true;
    } else if (firstArg === className && method === "query" && parts.positional.length === 1) {
      out.edits.push(insertAt(call.to, `.filter(${ownerTest})`));
      out.changes.push(`query(${className}) filtered by ${ownerColumn}`);
      touched = true;
    } else if (firstArg === className && method === "get" && parts.positional.length === 2) {
      const variable = assignedName(source, call);
      touched = true;
      if (variable === null) {
        out.manual.push(`${textOf(source, call)} is not assigned to a name: check that the row's ${ownerColumn} is the caller's`);
        continue;
      }
      out.edits.push(linesAfterStatement(source, statementAround(call), notFound(variable)));
      out.changes.push(`${className} looked up by id answers 404 unless it is the caller's`);
      out.needsHTTPException = true;
    } else if (isModelCall || (parts.callee === `${className}.model_validate` || parts.callee === `${className}.from_orm`)) {
      const variable = assignedName(source, call);
      touched = true;
      if (variable === null) {
        out.manual.push(`${textOf(source, call)} is not assigned to a name: set its ${ownerColumn} to ${USER_PARAM}.id`);
        continue;
      }
      out.edits.push(linesAfterStatement(source, statementAround(call), [`${variable}.${ownerColumn} = ${USER_PARAM}.id`]));
      out.changes.push(`new ${className} owned by the caller`);
    }
  }
  if (!touched) out.manual.push(`no query of ${className} found in the handler (a helper or service runs it): filter it by ${ownerTest}`);
  return out;
}

/** `request.state.user_id` (or `getattr(request.state, "user_id"[, default])`): what an auth middleware of the project's set. */
const STATE_USER = /^[A-Za-z_]\w*\.state\.user_id$/;

/** Edits reading the caller's id from `request.state` (set by a middleware of the project's) to read it from the token instead. */
function stateUserEdits(source: PySource, fn: FunctionInfo): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const node of descendants(fn.body, "MemberExpression")) {
    if (STATE_USER.test(textOf(source, node)) && node.parent?.name !== "MemberExpression") edits.push({ start: node.from, end: node.to, text: `${USER_PARAM}.id` });
  }
  for (const call of descendants(fn.body, "CallExpression")) {
    const parts = callParts(source, call);
    const [object, name] = parts?.positional ?? [];
    if (parts?.callee === "getattr" && object && /\.state$/.test(textOf(source, object)) && stringValue(source, name) === "user_id") {
      edits.push({ start: call.from, end: call.to, text: `${USER_PARAM}.id` });
    }
  }
  return edits;
}

/** The check that a `{user_id}` path parameter names the caller (403 otherwise), as the handler's first statement. */
function pathUserCheck(source: PySource, fn: FunctionInfo, owned: OwnedHandler): TextEdit | null {
  if (!/\{user_id(?::[^}]*)?\}/.test(owned.path) || !fn.params.some((param) => param.name === "user_id")) return null;
  const first = statementsOf(fn.body).find((statement) => !(statement.name === "ExpressionStatement" && statement.firstChild?.name === "String"));
  if (!first) return null;
  const indent = indentationAt(source.text, first.from);
  const unit = indentUnit(source, fn);
  const eol = lineEnding(source.text);
  const check = `if str(user_id) != ${USER_PARAM}.id:${eol}${indent}${unit}raise HTTPException(status_code=403, detail="Not allowed for this user")${eol}${indent}`;
  return insertAt(first.from, check);
}

/**
 * Scopes the project's own handlers to the signed-in user, in place (text in → text out): each gets a
 * `current_user: CurrentUser` parameter, its queries of the owned model are filtered by the owner column,
 * lookups by id answer 404 for another user's row, new rows are stamped with the caller's id, and a
 * `{user_id}` path parameter must name the caller (403). Every other byte is kept; what cannot be edited
 * safely is returned in `manual`. Handlers that already take the user are left alone (a second run changes nothing).
 */
export function secureRoutes(text: string, options: SecureRoutesOptions): SecureRoutesResult {
  const source = parsePython(text);
  const functions = new Map(functionsIn(source).map((fn) => [fn.name, fn]));
  const result: SecureRoutesResult = { text, secured: [], alreadySecured: [], manual: [] };
  const edits: TextEdit[] = [];
  let needsHTTPException = false;
  for (const owned of options.handlers) {
    const fn = functions.get(owned.handler);
    if (!fn) {
      result.manual.push({ handler: owned.handler, line: 0, reason: `no top-level function ${owned.handler} in ${options.file}`, snippet: "" });
      continue;
    }
    if (takesCurrentUser(source, fn)) {
      result.alreadySecured.push(owned.handler);
      continue;
    }
    const scoped = scopeHandler(source, fn, owned);
    const pathCheck = pathUserCheck(source, fn, owned);
    const fromState = stateUserEdits(source, fn);
    edits.push(userParamEdit(source, fn), ...scoped.edits, ...fromState, ...(pathCheck ? [pathCheck] : []));
    needsHTTPException ||= scoped.needsHTTPException || pathCheck !== null;
    const changes = [
      `takes ${USER_PARAM}: ${USER_TYPE}`,
      ...scoped.changes,
      ...(pathCheck ? ["{user_id} must be the caller (403)"] : []),
      ...(fromState.length > 0 ? ["the user id from request.state now comes from the token"] : []),
    ];
    result.secured.push({ handler: owned.handler, line: fn.line, changes });
    for (const reason of scoped.manual) {
      result.manual.push({ handler: owned.handler, line: fn.line, reason, snippet: `${owned.model.className}.${owned.model.ownerColumn} == ${USER_PARAM}.id` });
    }
  }
  if (edits.length === 0) return result;
  const wanted = [{ module: options.currentUserModule, name: USER_TYPE }, ...(needsHTTPException ? [{ module: "fastapi", name: "HTTPException" }] : [])];
  edits.push(...importEdits(source, wanted));
  result.text = applyEdits(text, edits);
  const before = syntaxErrors(source).length;
  if (syntaxErrors(parsePython(result.text)).length > before) {
    throw new Error(`securing the routes of ${options.file} produced invalid Python (line ${lineAt(text, edits[0].start)}); please report it`);
  }
  return result;
}
