import type { SyntaxNode } from "@lezer/common";
import { isGeneratedText } from "../backend/generated-marker.js";
import { applyEdits, indentationAt, insertAt, lineEnding, linesAfter, type TextEdit } from "../text-edits.js";
import { importEdits } from "./import-edits.js";
import { moduleBindings } from "./imports.js";
import { callParts, descendants, dottedName, lineAt, parsePython, statementsOf, syntaxErrors, textOf, type PySource } from "./syntax.js";

/** The user the project's own tests act as, unless the request's path names one ({user_id}). */
export const TEST_USER = "test-user";
const OVERRIDE = "signed_in_test_user";

export interface SignInTestsResult {
  text: string;
  /** Lines of the TestClients that now sign in. */
  clients: number[];
  /** TestClients that could not be given the override, with why. */
  manual: { line: number; reason: string }[];
}

/** True when a call constructs a TestClient (FastAPI's or Starlette's, imported under any name). */
function isTestClient(source: PySource, call: SyntaxNode, bindings: ReturnType<typeof moduleBindings>): boolean {
  const callee = callParts(source, call)?.callee;
  if (!callee) return false;
  const target = bindings.get(callee.split(".")[0])?.target;
  const resolved = target ? [target, ...callee.split(".").slice(1)].join(".") : callee;
  return /^(?:fastapi|starlette)\.testclient\.TestClient$/.test(resolved) || callee === "TestClient";
}

/** The statement holding a node that sits directly in a block or the module: where the override goes before. */
function enclosingStatement(node: SyntaxNode): SyntaxNode {
  let current = node;
  while (current.parent && current.parent.name !== "Body" && current.parent.name !== "Script") current = current.parent;
  return current;
}

/** The function that makes each request of the tests act as a signed-in user, as lines to add after the imports. */
function overrideFunction(): string[] {
  return [
    "",
    "",
    `def ${OVERRIDE}(request: Request) -> AuthUser:`,
    `    """Added by auth-integrator: the routes now need a signed-in user, and these tests sign in none. Each request`,
    `    acts as the user its path names ({user_id}), else "${TEST_USER}"; tests/test_auth.py tests the real sign-in."""`,
    `    return AuthUser(id=str(request.path_params.get("user_id", "${TEST_USER}")))`,
  ];
}

/**
 * The project's own tests, signed in (text in → text out): before each `TestClient(app)` the app's
 * `get_current_user` dependency is overridden, FastAPI's way, so tests written before the routes needed a
 * token keep passing, each request acting as the user its path names or "test-user". A test module that
 * overrides get_current_user already, or was generated, is returned as it is; a TestClient of an app built
 * inline (`TestClient(create_app())`) is reported instead.
 */
export function signInTestClients(text: string, options: { authModule: string }): SignInTestsResult {
  const result: SignInTestsResult = { text, clients: [], manual: [] };
  if (isGeneratedText(text) || /dependency_overrides\[\s*get_current_user\s*\]/.test(text)) return result;
  const source = parsePython(text);
  const bindings = moduleBindings(source);
  const edits: TextEdit[] = [];
  const done = new Set<number>();
  for (const call of descendants(source.top, "CallExpression")) {
    if (!isTestClient(source, call, bindings)) continue;
    const parts = callParts(source, call)!;
    const app = dottedName(source, parts.keywords.get("app") ?? parts.positional[0]);
    const line = lineAt(text, call.from);
    if (app === null) {
      result.manual.push({ line, reason: `the app of ${textOf(source, call)} is not a name: set app.dependency_overrides[get_current_user] before it` });
      continue;
    }
    const statement = enclosingStatement(call);
    if (done.has(statement.from)) continue;
    done.add(statement.from);
    const eol = lineEnding(text);
    edits.push(insertAt(statement.from, `${app}.dependency_overrides[get_current_user] = ${OVERRIDE}${eol}${indentationAt(text, statement.from)}`));
    result.clients.push(line);
  }
  if (edits.length === 0) return result;
  try {
    edits.push(...importEdits(source, [{ module: "fastapi", name: "Request" }, { module: options.authModule, name: "AuthUser" }, { module: options.authModule, name: "get_current_user" }]));
  } catch (error) {
    return { text, clients: [], manual: [{ line: result.clients[0], reason: `${(error as Error).message}: override get_current_user from ${options.authModule} by hand` }] };
  }
  const lastImport = statementsOf(source.top).filter((node) => node.name === "ImportStatement").at(-1);
  edits.push(lastImport ? linesAfter(text, lastImport.from, lastImport.to, overrideFunction()) : insertAt(0, `${overrideFunction().slice(2).join(lineEnding(text))}${lineEnding(text).repeat(3)}`));
  result.text = applyEdits(text, edits);
  if (syntaxErrors(parsePython(result.text)).length > syntaxErrors(source).length) throw new Error("signing in the TestClient produced invalid Python; please report it");
  return result;
}
