import { functionsIn } from "../python/definitions.js";
import { callParts, descendants, dottedName, lastName, lineAt, parsePython } from "../python/syntax.js";
import type { PlanTree } from "../tree.js";

/** A handler registered for HTTPException (FastAPI's or Starlette's): `@app.exception_handler(...)` or `app.add_exception_handler(...)`. */
interface HttpErrorHandler {
  name: string;
  line: number;
}

const HTTP_EXCEPTION = /(?:^|\.)(?:Starlette)?HTTPException$/;

/** The app module's handlers of HTTPException whose responses drop the exception's headers. */
function headerDroppingHandlers(text: string): HttpErrorHandler[] {
  const source = parsePython(text);
  const functions = functionsIn(source);
  const registered = new Map<string, number>();
  for (const fn of functions) {
    for (const decorator of fn.decorators) {
      const handled = decorator.args?.positional[0];
      if (lastName(decorator.name) === "exception_handler" && HTTP_EXCEPTION.test(dottedName(source, handled) ?? "")) registered.set(fn.name, fn.line);
    }
  }
  for (const call of descendants(source.top, "CallExpression")) {
    const parts = callParts(source, call);
    const [exception, handler] = parts?.positional ?? [];
    if (lastName(parts?.callee ?? null) === "add_exception_handler" && HTTP_EXCEPTION.test(dottedName(source, exception) ?? "")) {
      const name = dottedName(source, handler);
      if (name) registered.set(name, lineAt(text, call.from));
    }
  }
  return [...registered].flatMap(([name, line]) => {
    const fn = functions.find((candidate) => candidate.name === name);
    // A handler that passes headers on (headers=exc.headers), or hands over to FastAPI's own, keeps WWW-Authenticate.
    const keeps = fn && descendants(fn.body, "CallExpression").some((call) => {
      const parts = callParts(source, call);
      return parts?.keywords.has("headers") || lastName(parts?.callee ?? null) === "http_exception_handler";
    });
    return keeps ? [] : [{ name, line }];
  });
}

/**
 * Warns about an HTTPException handler of the project's that answers without the exception's headers: the 401s the
 * secured routes now give keep their status but lose `WWW-Authenticate: Bearer`, which the generated tests check.
 */
export function warnHeaderDroppingHandlers(tree: PlanTree, appFile: string): void {
  for (const handler of headerDroppingHandlers(tree.read(appFile) ?? "")) {
    tree.warn(
      `${appFile}:${handler.line}: ${handler.name} answers every HTTPException without its headers, so the API's 401s lose \`WWW-Authenticate: Bearer\` ` +
        "(tests/test_auth.py checks it, and clients use it to tell a missing token from a bad one): pass them on, e.g. `PlainTextResponse(str(exc.detail), status_code=exc.status_code, headers=exc.headers)`.",
    );
  }
}
