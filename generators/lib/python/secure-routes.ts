import type { SyntaxNode } from "@lezer/common";
import { USER_NOT_FOUND } from "../backend/mismatch-status.js";
import type { MismatchStatus } from "../types.js";
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
  /** Callees as written in the handler (`crud.get_tasks`) of helpers secured by secureHelpers: each call gets `owner_id=current_user.id`. */
  helperCalls?: string[];
  /** Service methods that run its queries ("TaskService.list (app/services/tasks.py:12)"): not edited, named in the manual step. */
  services?: string[];
}

/** The parameter a helper function of the project gets for the owner whose rows it may touch. */
export const OWNER_PARAM = "owner_id";

export interface SecureRoutesOptions {
  /** The module's repo-relative path, for messages. */
  file: string;
  handlers: OwnedHandler[];
  /** Where the `CurrentUser` dependency comes from: `from <module> import CurrentUser`. */
  currentUserModule: string;
  /** The status a `{user_id}` path parameter naming another user gets: 403 (the default) or 404. */
  mismatchStatus?: MismatchStatus;
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

interface ScopedEdits {
  edits: TextEdit[];
  changes: string[];
  manual: string[];
  needsHTTPException: boolean;
  /** True when the body holds a query, lookup or create of the model (edited or reported). */
  touched: boolean;
}

/**
 * Whose rows a body may see and what it does with another user's row: a handler answers 404 (it holds
 * `current_user`); a helper function takes the owner as a parameter and treats the row as not found (None),
 * so its callers' own not-found handling applies.
 */
interface Scope {
  owner: string;
  foreignRow: "404" | "none";
}

/** `Task` or `models.Task`: a reference to the owned model as written. */
function namesModel(written: string | null, className: string): boolean {
  return written === className || (written?.endsWith(`.${className}`) ?? false);
}

/** A variable name for a model's row that the function does not use yet: `task` for Task, `todo_item` for TodoItem. */
function rowName(source: PySource, fn: FunctionInfo, className: string): string {
  const wanted = className.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
  const used = new Set([...fn.params.map((param) => param.name), ...descendants(fn.node, "VariableName").map((node) => textOf(source, node))]);
  return used.has(wanted) ? `owned_${wanted}` : wanted;
}

/** The lines that keep another user's row out, after `variable` was assigned a row looked up by id. */
function foreignRowCheck(variable: string, ownerColumn: string, className: string, scope: Scope, unit: string): string[] {
  // The owner first: with a classic Column model the attribute is typed Column[str], whose != a type checker reads as a SQL expression.
  if (scope.foreignRow === "none") return [`if ${variable} is not None and ${scope.owner} != ${variable}.${ownerColumn}:`, `${unit}${variable} = None`];
  return [`if ${variable} is None or ${scope.owner} != ${variable}.${ownerColumn}:`, `${unit}raise HTTPException(status_code=404, detail="${className} not found")`];
}

/** Scopes the queries of one function body to the owner: `select`/`update`/`delete`/`query` filtered, `get` checked, creates stamped. */
function scopeQueries(source: PySource, fn: FunctionInfo, model: OwnedHandler["model"], scope: Scope): ScopedEdits {
  const { className, ownerColumn } = model;
  const unit = indentUnit(source, fn);
  const out: ScopedEdits = { edits: [], changes: [], manual: [], needsHTTPException: false, touched: false };
  for (const call of descendants(fn.body, "CallExpression")) {
    const parts = callParts(source, call);
    if (!parts) continue;
    const method = parts.callee?.split(".").pop();
    const firstArg = parts.positional[0] ? textOf(source, parts.positional[0]) : null;
    const ownerTest = `${firstArg}.${ownerColumn} == ${scope.owner}`;
    if (namesModel(firstArg, className) && (parts.callee === "select" || parts.callee === "update" || parts.callee === "delete" || parts.callee?.endsWith(".select"))) {
      out.edits.push(insertAt(call.to, `.where(${ownerTest})`));
      out.changes.push(`${parts.callee}(${className}) filtered by ${ownerColumn}`);
      out.touched = true;
    } else if (namesModel(firstArg, className) && method === "query" && parts.positional.length === 1) {
      out.edits.push(insertAt(call.to, `.filter(${ownerTest})`));
      out.changes.push(`query(${className}) filtered by ${ownerColumn}`);
      out.touched = true;
    } else if (namesModel(firstArg, className) && method === "get" && parts.positional.length === 2) {
      out.touched = true;
      const check = (variable: string) => foreignRowCheck(variable, ownerColumn, className, scope, unit);
      const variable = assignedName(source, call);
      const returned = variable === null ? returnedCall(call) : null;
      const ownCheck = variable !== null && scope.foreignRow === "404" ? notFoundCheck(source, statementAround(call), variable) : null;
      if (ownCheck) out.edits.push(insertAt(ownCheck.to, ` or ${scope.owner} != ${variable}.${ownerColumn}`));
      else if (variable !== null) out.edits.push(linesAfterStatement(source, statementAround(call), check(variable)));
      else if (returned !== null) {
        const row = rowName(source, fn, className);
        const value = call.parent?.name === "AwaitExpression" ? call.parent : call;
        out.edits.push({ start: returned.from, end: value.from, text: `${row} = ` }, linesAfterStatement(source, returned, [...check(row), `return ${row}`]));
      } else {
        out.manual.push(`${textOf(source, call)} is not assigned to a name: check that the row's ${ownerColumn} is ${scope.owner}`);
        continue;
      }
      out.changes.push(scope.foreignRow === "404" ? `${className} looked up by id answers 404 unless it is the caller's` : `${className} looked up by id is not found unless it is the owner's`);
      out.needsHTTPException ||= scope.foreignRow === "404";
    } else if (namesModel(parts.callee, className) || namesModel(builtModel(parts.callee), className)) {
      const variable = assignedName(source, call);
      out.touched = true;
      if (variable === null) {
        out.manual.push(`${textOf(source, call)} is not assigned to a name: set its ${ownerColumn} to ${scope.owner}`);
        continue;
      }
      out.edits.push(linesAfterStatement(source, statementAround(call), [`${variable}.${ownerColumn} = ${scope.owner}`]));
      out.changes.push(`new ${className} owned by ${scope.foreignRow === "404" ? "the caller" : "owner_id"}`);
    }
  }
  return out;
}

/** Methods that build a model instance from data: `Task.model_validate(body)`. */
const MODEL_BUILDERS = ["model_validate", "from_orm", "parse_obj"];

/**
 * The condition of the project's own not-found check right after a lookup (`if not task:` or `if task is None:`
 * raising, with no elif or else): the owner test joins it there instead of a second check above it.
 */
function notFoundCheck(source: PySource, statement: SyntaxNode, variable: string): SyntaxNode | null {
  let next = statement.nextSibling;
  while (next?.name === "Comment" || (next && isLogLine(source, next))) next = next.nextSibling;
  if (next?.name !== "IfStatement" || next.getChildren("Body").length !== 1) return null;
  const condition = next.firstChild?.nextSibling;
  const body = next.getChild("Body");
  const raises = body ? statementsOf(body) : [];
  if (!condition || raises.length !== 1 || raises[0].name !== "RaiseStatement") return null;
  const test = textOf(source, condition).replace(/\s+/g, " ");
  return test === `not ${variable}` || test === `${variable} is None` ? condition : null;
}

/** `print(...)` or `logger.info(...)` / `logging.debug(...)` on a line of its own: output only, which may sit between a lookup and its check. */
function isLogLine(source: PySource, statement: SyntaxNode): boolean {
  const call = statement.name === "ExpressionStatement" && statement.firstChild?.name === "CallExpression" ? callParts(source, statement.firstChild) : null;
  return call?.callee === "print" || /^(?:log|logger|logging|_logger|LOGGER)\.(?:debug|info|warning|error|exception|critical)$/.test(call?.callee ?? "");
}

/** `Task` for `Task.model_validate`: the model a builder method is called on; null for other callees. */
function builtModel(callee: string | null): string | null {
  const builder = MODEL_BUILDERS.find((name) => callee?.endsWith(`.${name}`));
  return builder && callee ? callee.slice(0, -builder.length - 1) : null;
}

/** The `return <call>` (or `return await <call>`) statement a call is the whole value of; null otherwise. */
function returnedCall(call: SyntaxNode): SyntaxNode | null {
  const value = call.parent?.name === "AwaitExpression" ? call.parent : call;
  const statement = value.parent;
  return statement?.name === "ReturnStatement" && statement.lastChild?.from === value.from ? statement : null;
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

/** `Task`, `models.Task`, `Task | None`, `Optional[Task]`, `Annotated[Task, Body()]`: an annotation naming the owned model. */
function annotationNamesModel(source: PySource, annotation: SyntaxNode | null, className: string): boolean {
  if (annotation === null) return false;
  const names = [annotation, ...descendants(annotation, "VariableName"), ...descendants(annotation, "MemberExpression")];
  return names.some((node) => namesModel(textOf(source, node), className));
}

/** True when one of the handler's parameters is typed as the owned model (see bodyOwnerStamp). */
function annotatedWithModel(source: PySource, fn: FunctionInfo, className: string): boolean {
  return fn.params.some((param) => annotationNamesModel(source, param.annotation, className));
}

/**
 * The handler's parameters whose type is the owned model itself: a request body of the table model (`item: Item`).
 * The client chooses every field of it, the owner column too, so the caller's id is set on it first thing.
 */
function bodyOwnerStamp(source: PySource, fn: FunctionInfo, model: OwnedHandler["model"], owner: string): { edit: TextEdit; params: string[] } | null {
  const params = fn.params.filter((param) => annotationNamesModel(source, param.annotation, model.className)).map((param) => param.name);
  const first = statementsOf(fn.body).find((statement) => !(statement.name === "ExpressionStatement" && statement.firstChild?.name === "String"));
  if (params.length === 0 || !first) return null;
  const indent = indentationAt(source.text, first.from);
  const eol = lineEnding(source.text);
  return { edit: insertAt(first.from, params.map((name) => `${name}.${model.ownerColumn} = ${owner}${eol}${indent}`).join("")), params };
}

/** The `raise` of a path naming another user: 403, or a 404 worded like a missing row. */
function mismatchRaise(status: MismatchStatus): string {
  return status === "404" ? `raise HTTPException(status_code=404, detail="${USER_NOT_FOUND}")` : 'raise HTTPException(status_code=403, detail="Not allowed for this user")';
}

/** The check that a `{user_id}` path parameter names the caller (403 or 404 otherwise), as the handler's first statement. */
function pathUserCheck(source: PySource, fn: FunctionInfo, owned: OwnedHandler, status: MismatchStatus): TextEdit | null {
  if (!/\{user_id(?::[^}]*)?\}/.test(owned.path) || !fn.params.some((param) => param.name === "user_id")) return null;
  const first = statementsOf(fn.body).find((statement) => !(statement.name === "ExpressionStatement" && statement.firstChild?.name === "String"));
  if (!first) return null;
  const indent = indentationAt(source.text, first.from);
  const unit = indentUnit(source, fn);
  const eol = lineEnding(source.text);
  const check = `if str(user_id) != ${USER_PARAM}.id:${eol}${indent}${unit}${mismatchRaise(status)}${eol}${indent}`;
  return insertAt(first.from, check);
}

/**
 * Scopes the project's own handlers to the signed-in user, in place (text in → text out): each gets a
 * `current_user: CurrentUser` parameter, its queries of the owned model are filtered by the owner column,
 * lookups by id answer 404 for another user's row, new rows are stamped with the caller's id, and a
 * `{user_id}` path parameter must name the caller (403, or 404 with `mismatchStatus`). Every other byte is kept; what cannot be edited
 * safely is returned in `manual`. Handlers that already take the user are left alone (a second run changes nothing).
 */
export function secureRoutes(text: string, options: SecureRoutesOptions): SecureRoutesResult {
  const source = parsePython(text);
  const functions = new Map(functionsIn(source).map((fn) => [fn.name, fn]));
  const result: SecureRoutesResult = { text, secured: [], alreadySecured: [], manual: [] };
  const edits: TextEdit[] = [];
  let needsHTTPException = false;
  const status = options.mismatchStatus ?? "403";
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
    const scoped = scopeQueries(source, fn, owned.model, { owner: `${USER_PARAM}.id`, foreignRow: "404" });
    const passOwner = ownerArgumentEdits(source, fn, owned.helperCalls ?? []);
    const { className, ownerColumn } = owned.model;
    if (owned.services?.length) {
      scoped.manual.push(
        `its ${className} queries run in ${owned.services.join(", ")}, which is not edited (a class's methods may have other callers): the route now needs a token, but every ` +
          `signed-in user still sees every row until those methods take an ${OWNER_PARAM} (filter by ${className}.${ownerColumn} == ${OWNER_PARAM}, set it on create) and the route passes ${OWNER_PARAM}=${USER_PARAM}.id`,
      );
    } else if (!scoped.touched && passOwner.length === 0 && !annotatedWithModel(source, fn, owned.model.className)) {
      scoped.manual.push(`no query of ${className} found in the handler (a helper or service runs it): filter it by ${className}.${ownerColumn} == ${USER_PARAM}.id`);
    }
    const pathCheck = pathUserCheck(source, fn, owned, status);
    const fromState = stateUserEdits(source, fn);
    // After the path check, which inserts at the same place: a caller naming another user is refused before anything else.
    const stamp = bodyOwnerStamp(source, fn, owned.model, `${USER_PARAM}.id`);
    edits.push(userParamEdit(source, fn), ...scoped.edits, ...passOwner, ...fromState, ...(pathCheck ? [pathCheck] : []), ...(stamp ? [stamp.edit] : []));
    needsHTTPException ||= scoped.needsHTTPException || pathCheck !== null;
    const changes = [
      `takes ${USER_PARAM}: ${USER_TYPE}`,
      ...scoped.changes,
      ...(passOwner.length > 0 ? [`passes owner_id=${USER_PARAM}.id to ${[...new Set(owned.helperCalls)].join(", ")}`] : []),
      ...(pathCheck ? [`{user_id} must be the caller (${status})`] : []),
      ...(stamp ? [`the ${stamp.params.join(", ")} body's ${ownerColumn} is the caller's, whatever the client sent`] : []),
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

/** Edits appending `owner_id=<owner>` (current_user.id by default) to each call of the given callees in a handler (calls that pass owner_id already are left alone). */
function ownerArgumentEdits(source: PySource, fn: FunctionInfo, callees: string[], owner = `${USER_PARAM}.id`): TextEdit[] {
  const edits: TextEdit[] = [];
  for (const call of descendants(fn.body, "CallExpression")) {
    const parts = callParts(source, call);
    const argList = call.getChild("ArgList");
    if (!parts?.callee || !callees.includes(parts.callee) || parts.keywords.has(OWNER_PARAM) || !argList) continue;
    const args = [...parts.positional, ...parts.keywords.values()];
    const last = args.reduce<SyntaxNode | null>((latest, arg) => (latest === null || arg.to > latest.to ? arg : latest), null);
    const argument = `${OWNER_PARAM}=${owner}`;
    edits.push(last ? insertAt(last.to, `, ${argument}`) : insertAt(argList.from + 1, argument));
  }
  return edits;
}

/** A helper function to scope: its name and the model it queries. */
export interface OwnedHelper {
  name: string;
  model: { className: string; ownerColumn: string };
  /** Callees as written in it of other helpers being scoped: each call gets `owner_id=owner_id`. */
  innerCalls: string[];
}

export interface SecureHelpersResult {
  text: string;
  secured: { name: string; line: number; changes: string[] }[];
  /** Helpers that take owner_id (or the owner column) already: left alone. */
  alreadyScoped: string[];
  manual: ManualStep[];
}

/** The edit adding `owner_id: str` as the last parameter: keyword-only after defaulted parameters, before `**kwargs`. */
function ownerParamEdit(source: PySource, fn: FunctionInfo): TextEdit {
  const declaration = `${OWNER_PARAM}: str`;
  const regular = fn.params.filter((param) => param.star !== "**");
  const kwargs = fn.params.find((param) => param.star === "**");
  const keywordOnly = fn.params.some((param) => param.star === "*") || /\*\s*,/.test(textOf(source, fn.paramList).replace(/\*\*/g, ""));
  const needsStar = !keywordOnly && regular.some((param) => param.default !== null);
  const text = needsStar ? `*, ${declaration}` : declaration;
  if (kwargs) return insertAt(kwargs.from - 2, `${text}, `);
  const last = regular.at(-1);
  return last ? insertAt(last.to, `, ${text}`) : insertAt(fn.paramList.from + 1, text);
}

/**
 * Scopes helper functions of the project (crud or service functions the secured handlers call) to an owner, in
 * place (text in → text out): each gets an `owner_id: str` parameter, its queries of the model are filtered by
 * it, a row looked up by id that belongs to someone else is treated as not found (None), and new rows are
 * stamped with it. The caller passes `owner_id=current_user.id` (see OwnedHandler.helperCalls).
 */
export function secureHelpers(text: string, options: { file: string; helpers: OwnedHelper[] }): SecureHelpersResult {
  const source = parsePython(text);
  const functions = new Map(functionsIn(source).map((fn) => [fn.name, fn]));
  const result: SecureHelpersResult = { text, secured: [], alreadyScoped: [], manual: [] };
  const edits: TextEdit[] = [];
  for (const helper of options.helpers) {
    const fn = functions.get(helper.name);
    if (!fn) continue;
    if (fn.params.some((param) => param.name === OWNER_PARAM || param.name === helper.model.ownerColumn)) {
      result.alreadyScoped.push(helper.name);
      continue;
    }
    const scoped = scopeQueries(source, fn, helper.model, { owner: OWNER_PARAM, foreignRow: "none" });
    const passOwner = ownerArgumentEdits(source, fn, helper.innerCalls, OWNER_PARAM);
    edits.push(ownerParamEdit(source, fn), ...scoped.edits, ...passOwner);
    const passes = passOwner.length > 0 ? [`passes ${OWNER_PARAM} to ${[...new Set(helper.innerCalls)].join(", ")}`] : [];
    result.secured.push({ name: helper.name, line: fn.line, changes: [`takes ${OWNER_PARAM}`, ...scoped.changes, ...passes] });
    for (const reason of scoped.manual) {
      result.manual.push({ handler: helper.name, line: fn.line, reason, snippet: `${helper.model.className}.${helper.model.ownerColumn} == ${OWNER_PARAM}` });
    }
  }
  if (edits.length === 0) return result;
  result.text = applyEdits(text, edits);
  if (syntaxErrors(parsePython(result.text)).length > syntaxErrors(source).length) {
    throw new Error(`scoping the helpers of ${options.file} produced invalid Python (line ${lineAt(text, edits[0].start)}); please report it`);
  }
  return result;
}
