import type { SyntaxNode } from "@lezer/common";
import { isGeneratedText } from "../backend/generated-marker.js";
import { readSmallText } from "../detect/files.js";
import { dottedModule, type PythonSources } from "../detect/python-sources.js";
import { assignmentOf, classOf, functionOf, functionsIn, type AssignmentInfo, type ClassInfo, type FunctionInfo } from "./definitions.js";
import { OWNER_COLUMNS } from "./owner-column.js";
import { bindingsAnywhere, resolveDotted, type ImportBinding } from "./imports.js";
import { callParts, childrenOf, descendants, dottedName, lastName, lineAt, parsePython, statementsOf, stringValue, subscriptParts, textOf, type CallParts, type PySource } from "./syntax.js";

export type RouteClass = "public" | "protected" | "owned" | "other";

export interface RouteInfo {
  /** "GET", "POST", ...: an api_route with methods=[...] gives one entry per method; without methods, GET. */
  method: string;
  /** The full path: include_router prefixes (nested, any depth) + APIRouter(prefix=...) + the decorator's path. */
  path: string;
  /** Repo-relative file of the handler. */
  file: string;
  /** 1-based line of the `def`. */
  line: number;
  handler: string;
  async: boolean;
  /** Where the decorator's object is defined (the app's own variable for routes on the app). */
  router: { module: string; variable: string };
  routeClass: RouteClass;
  /** Why the route got its class, short: "health check", "Depends(verify_api_key) on the router", "uses Task (has user_id)". */
  reason: string;
  /** The table model class(es) it reads or writes (account models left out), with module and file; on every class of route. */
  models: { className: string; module: string; file: string; ownerColumn: string | null }[];
  /** The project's functions the handler calls, directly or through each other, that query a table model. */
  helpers: HelperInfo[];
  /** The handler's own calls of those helpers. */
  helperCalls: HelperCall[];
  /** Service or repository objects the handler takes whose methods run its queries (not edited: reported). */
  services: ServiceUse[];
  /** Every dependency callable named on the route, its router and its includes, as dotted names as written. */
  dependencies: string[];
}

export interface RouteInventory {
  routes: RouteInfo[];
  unresolved: { file: string; line: number; reason: string }[];
}

/** Models of the accounts themselves: a route on them is not a resource a user owns (no user_id is added to a User). */
const ACCOUNT_MODEL = /^(?:User|Users|Account|Accounts|UserAccount|AuthUser)$/;

/** Decorator methods that declare a route, and the HTTP method each stands for (api_route: from `methods=`). */
const ROUTE_METHODS: Record<string, string | null> = {
  get: "GET",
  post: "POST",
  put: "PUT",
  patch: "PATCH",
  delete: "DELETE",
  options: "OPTIONS",
  head: "HEAD",
  trace: "TRACE",
  api_route: null,
};

/** A dependency that checks a token, the current user or an API key, by its name. */
const AUTH_DEPENDENCY = /current_user|get_user|auth|token|verify|api_key|apikey|jwt|require_user|login/i;
/** An `Annotated[..., Depends(x)]` alias that stands for the signed-in user. */
const USER_ALIAS = /CurrentUser|AuthUser|User$/;
/** The aliases the generated auth routes module defines. */
const GENERATED_USER_ALIAS = /^(?:CurrentUser|PathUser)$/;
/** Parameter types that are credentials. */
const CREDENTIAL_TYPES = new Set(["HTTPAuthorizationCredentials", "HTTPBasicCredentials", "APIKeyHeader", "OAuth2PasswordBearer"]);
/** Calls whose positional arguments name the model a query reads or writes: `select(Task)`, `session.query(Task)`. */
const QUERY_FUNCTIONS = new Set(["select", "delete", "update", "insert"]);
const QUERY_METHODS = new Set(["query", "get", "get_one", "scalars", "exec"]);
/** Class methods that build a model instance: `Task.model_validate(data)`. */
const MODEL_BUILDERS = new Set(["model_validate", "from_orm", "parse_obj", "model_construct", "construct"]);

/** A parsed module of the backend, with what its top level defines. */
interface Mod {
  /** Relative to the backend folder. */
  file: string;
  repoFile: string;
  module: string;
  source: PySource;
  bindings: Map<string, ImportBinding>;
  functions: Map<string, FunctionInfo>;
  classes: Map<string, ClassInfo>;
  assignments: Map<string, AssignmentInfo>;
}

type PySymbol =
  | { kind: "module"; mod: Mod }
  | { kind: "class"; mod: Mod; info: ClassInfo }
  | { kind: "function"; mod: Mod; info: FunctionInfo }
  | { kind: "assignment"; mod: Mod; name: string; info: AssignmentInfo };

/** A router or app object: where it is defined and its own prefix and dependencies. */
interface RouterDef {
  key: string;
  mod: Mod;
  variable: string;
  line: number;
  /** Offset of the assignment that creates it. */
  offset: number;
  isApp: boolean;
  prefix: SyntaxNode | null;
  dependencies: SyntaxNode | null;
}

/** A route declared on a router: `@router.get("/x")` or `router.add_api_route("/x", handler)`. */
interface RouteDecl {
  mod: Mod;
  fn: FunctionInfo;
  methods: string[];
  path: SyntaxNode | null;
  dependencies: SyntaxNode | null;
}

/** `parent.include_router(child, prefix=..., dependencies=...)`. */
interface IncludeDecl {
  mod: Mod;
  line: number;
  child: string;
  prefix: SyntaxNode | null;
  dependencies: SyntaxNode | null;
}

/** A dependency named somewhere on a route's way from the app. */
interface DepRef {
  name: string;
  /** "Depends" or "Security". */
  via: string;
  where: string;
  /** The annotation alias it came through (`CurrentUser`), when any. */
  alias?: string;
  /** The parameter's type is a credentials type. */
  credentials?: boolean;
  /** The module the name is written in (to follow it to its definition). */
  mod?: Mod;
}

/** A piece of a path: the text, and whether it was a plain literal. */
interface PathText {
  text: string;
  exact: boolean;
}

const keyOf = (module: string, variable: string) => `${module}:${variable}`;

/** What a route inventory is built from: every module parsed at most once, names resolved through imports. */
class Project {
  private readonly mods = new Map<string, Mod | null>();
  private readonly fileOfModule = new Map<string, string>();
  readonly routers = new Map<string, RouterDef>();
  readonly routes = new Map<string, RouteDecl[]>();
  readonly includes = new Map<string, IncludeDecl[]>();
  readonly unresolved = new Map<string, { file: string; line: number; reason: string }>();
  private readonly helperScopes = new Set<string>();
  private readonly tableCache = new Map<ClassInfo, boolean>();

  constructor(readonly sources: PythonSources) {
    for (const file of sources.files) {
      const module = sources.moduleOf(file);
      // A module file wins over a package of the same name only if listed first; keep the first seen.
      if (module && !this.fileOfModule.has(module)) this.fileOfModule.set(module, file);
    }
  }

  get modules(): string[] {
    return [...this.fileOfModule.keys()];
  }

  fileOf(module: string): string | undefined {
    return this.fileOfModule.get(module);
  }

  /**
   * The text of a module's file; null for files auth-integrator generated (as PythonSources reads them): the
   * inventory is of the project's own routes, so a re-run plans the same as the first run.
   */
  textOf(file: string): string | null {
    return this.sources.text(file);
  }

  /** True when a dotted name lies in a module auth-integrator generated (its routes are left out, not unresolved). */
  inGeneratedModule(qualified: string): boolean {
    const parts = qualified.split(".");
    for (let cut = parts.length; cut > 0; cut--) {
      const file = this.fileOfModule.get(parts.slice(0, cut).join("."));
      if (file !== undefined) return isGeneratedText(readSmallText(this.sources.root, this.sources.repoPath(file)));
    }
    return false;
  }

  mod(module: string): Mod | null {
    if (this.mods.has(module)) return this.mods.get(module) ?? null;
    const file = this.fileOfModule.get(module);
    const text = file === undefined ? null : this.textOf(file);
    const mod = file !== undefined && text !== null ? this.parseMod(file, module, text) : null;
    this.mods.set(module, mod);
    return mod;
  }

  /** The project's test modules, parsed but never registered: their names resolve, nothing resolves to them. */
  testMods(): Mod[] {
    return this.sources.testFiles.flatMap((file) => {
      const text = this.textOf(file);
      return text === null ? [] : [this.parseMod(file, dottedModule(file, this.sources.srcIsSourceRoot), text)];
    });
  }

  private parseMod(file: string, module: string, text: string): Mod {
    const source = parsePython(text);
    const mod: Mod = {
      file,
      repoFile: this.sources.repoPath(file),
      module,
      source,
      // A package's `from .x import` is relative to the package itself, not to its parent.
      bindings: bindingsAnywhere(source, /(^|\/)__init__\.py$/.test(file) ? `${module}.__init__` : module),
      functions: new Map(),
      classes: new Map(),
      assignments: new Map(),
    };
    for (const statement of statementsOf(source.top)) {
      const fn = functionOf(source, statement);
      if (fn) mod.functions.set(fn.name, fn);
      const cls = classOf(source, statement);
      if (cls) mod.classes.set(cls.name, cls);
      const assignment = assignmentOf(source, statement);
      for (const target of assignment?.targets ?? []) mod.assignments.set(target, assignment!);
    }
    return mod;
  }

  /** A fully qualified dotted name ("app.models.Task") as the symbol it names; null outside the project. */
  resolve(qualified: string, depth = 0): PySymbol | null {
    if (depth > 12) return null;
    const parts = qualified.split(".");
    for (let cut = parts.length; cut > 0; cut--) {
      const module = parts.slice(0, cut).join(".");
      if (!this.fileOfModule.has(module)) continue;
      const mod = this.mod(module);
      if (!mod) return null;
      const rest = parts.slice(cut);
      return rest.length === 0 ? { kind: "module", mod } : this.resolveIn(mod, rest.join("."), depth + 1);
    }
    return null;
  }

  /** A dotted name as written in a module: its own definitions first, then its imports. */
  resolveIn(mod: Mod, dotted: string, depth = 0): PySymbol | null {
    if (depth > 12) return null;
    const [head, ...rest] = dotted.split(".");
    let symbol: PySymbol | null = null;
    const cls = mod.classes.get(head);
    const fn = mod.functions.get(head);
    const assignment = mod.assignments.get(head);
    if (cls) symbol = { kind: "class", mod, info: cls };
    else if (fn) symbol = { kind: "function", mod, info: fn };
    else if (assignment) symbol = { kind: "assignment", mod, name: head, info: assignment };
    if (symbol) return rest.length === 0 ? symbol : null;
    const target = resolveDotted(dotted, mod.bindings);
    if (target !== null) return this.resolve(target, depth + 1);
    // A submodule of the module's own package (`pkg/__init__.py` naming `pkg.sub`) is reachable as an attribute too.
    return this.fileOfModule.has(`${mod.module}.${head}`) ? this.resolve(`${mod.module}.${dotted}`, depth + 1) : null;
  }

  /** True when a call's callee is `name` (as written, or imported under another name). */
  calls(mod: Mod, call: CallParts, name: string): boolean {
    if (lastName(call.callee) === name) return true;
    const target = call.callee === null ? null : resolveDotted(call.callee, mod.bindings);
    return target !== null && lastName(target) === name;
  }

  note(mod: Mod, offset: number, reason: string): void {
    const line = lineAt(mod.source.text, offset);
    this.unresolved.set(`${mod.repoFile}:${line}:${reason}`, { file: mod.repoFile, line, reason });
  }

  /** Registers `variable = APIRouter(...)` / `FastAPI(...)`; returns its key. */
  define(mod: Mod, key: string, variable: string, assignment: AssignmentInfo, isApp: boolean): string {
    const call = callParts(mod.source, assignment.value);
    if (!this.routers.has(key)) {
      this.routers.set(key, {
        key,
        mod,
        variable,
        line: assignment.line,
        offset: assignment.node.from,
        isApp,
        prefix: isApp ? null : (call?.keywords.get("prefix") ?? call?.positional[0] ?? null),
        dependencies: call?.keywords.get("dependencies") ?? null,
      });
    }
    return key;
  }

  /** The kind of object an assignment creates: "router", "app", or null. */
  createdBy(mod: Mod, assignment: AssignmentInfo): "router" | "app" | null {
    const call = callParts(mod.source, assignment.value);
    if (!call) return null;
    if (this.calls(mod, call, "APIRouter")) return "router";
    if (this.calls(mod, call, "FastAPI")) return "app";
    return null;
  }

  /** The router or app a name stands for in a scope: a local, a router of the module, or one imported. */
  routerKey(mod: Mod, dotted: string | null, locals: ReadonlyMap<string, string>): string | null {
    if (dotted === null) return null;
    const local = locals.get(dotted);
    if (local) return local;
    const symbol = this.resolveIn(mod, dotted);
    if (symbol?.kind !== "assignment") return null;
    const kind = this.createdBy(symbol.mod, symbol.info);
    const key = keyOf(symbol.mod.module, symbol.name);
    if (kind) return this.define(symbol.mod, key, symbol.name, symbol.info, kind === "app");
    return this.routers.has(key) ? key : null;
  }

  /** Collects the routes, includes and routers of a scope (a module's top level or a function body). */
  scanScope(mod: Mod, body: SyntaxNode, locals: Map<string, string>, depth: number, inFunction: string | null): void {
    const { source } = mod;
    for (const statement of flatStatements(body)) {
      const assignment = assignmentOf(source, statement);
      if (assignment && inFunction !== null) {
        const kind = this.createdBy(mod, assignment);
        for (const target of kind ? assignment.targets : []) {
          locals.set(target, this.define(mod, keyOf(mod.module, `${inFunction}.${target}`), target, assignment, kind === "app"));
        }
      }
      const fn = functionOf(source, statement);
      if (fn) {
        this.scanDecorators(mod, fn, locals);
        continue;
      }
      if (statement.name === "ClassDefinition" || statement.name === "DecoratedStatement") continue;
      for (const call of descendants(statement, "CallExpression")) this.scanCall(mod, call, locals, depth);
    }
  }

  private scanDecorators(mod: Mod, fn: FunctionInfo, locals: ReadonlyMap<string, string>): void {
    for (const decorator of fn.decorators) {
      const dot = decorator.name.lastIndexOf(".");
      const method = decorator.name.slice(dot + 1);
      if (dot === -1 || !(method in ROUTE_METHODS) || decorator.args === null) continue;
      const object = decorator.name.slice(0, dot);
      const path = decorator.args.keywords.get("path") ?? decorator.args.positional[0] ?? null;
      const key = this.routerKey(mod, object, locals);
      if (key === null) {
        const literal = stringValue(mod.source, path);
        if (literal?.startsWith("/")) this.note(mod, decorator.node.from, `route ${fn.name} is on ${object}, which is not an APIRouter or FastAPI app of the project`);
        continue;
      }
      const methods = ROUTE_METHODS[method] ? [ROUTE_METHODS[method]!] : methodList(mod.source, decorator.args.keywords.get("methods"));
      this.addRoute(key, { mod, fn, methods, path, dependencies: decorator.args.keywords.get("dependencies") ?? null });
    }
  }

  private addRoute(key: string, route: RouteDecl): void {
    const list = this.routes.get(key) ?? [];
    list.push(route);
    this.routes.set(key, list);
  }

  private scanCall(mod: Mod, node: SyntaxNode, locals: Map<string, string>, depth: number): void {
    const call = callParts(mod.source, node);
    if (!call?.callee) return;
    const dot = call.callee.lastIndexOf(".");
    const method = call.callee.slice(dot + 1);
    const receiver = dot === -1 ? null : call.callee.slice(0, dot);
    if (receiver !== null && method === "include_router") {
      const parent = this.routerKey(mod, receiver, locals);
      const childNode = call.keywords.get("router") ?? call.positional[0];
      if (parent === null || !childNode) return;
      const child = this.routerKey(mod, dottedName(mod.source, childNode), locals);
      const childName = dottedName(mod.source, childNode);
      const childTarget = childName === null ? null : resolveDotted(childName, mod.bindings);
      if (child === null && childTarget !== null && this.inGeneratedModule(childTarget)) return;
      if (child === null) {
        this.note(mod, node.from, `include_router(${textOf(mod.source, childNode)}): not an APIRouter defined in the project`);
        return;
      }
      const list = this.includes.get(parent) ?? [];
      list.push({ mod, line: lineAt(mod.source.text, node.from), child, prefix: call.keywords.get("prefix") ?? null, dependencies: call.keywords.get("dependencies") ?? null });
      this.includes.set(parent, list);
      return;
    }
    if (receiver !== null && method === "add_api_route") {
      const key = this.routerKey(mod, receiver, locals);
      const endpoint = call.keywords.get("endpoint") ?? call.positional[1];
      const fn = endpoint?.name === "VariableName" ? mod.functions.get(textOf(mod.source, endpoint)) : undefined;
      if (key === null || !fn) return;
      const methodsNode = call.keywords.get("methods");
      this.addRoute(key, {
        mod,
        fn,
        methods: methodList(mod.source, methodsNode),
        path: call.keywords.get("path") ?? call.positional[0] ?? null,
        dependencies: call.keywords.get("dependencies") ?? null,
      });
      return;
    }
    // A project function given the app or a router (`register_routes(app)`): its body adds to them.
    if (depth >= 3) return;
    const bound = new Map<string, string>();
    const symbol = this.resolveIn(mod, call.callee);
    if (symbol?.kind !== "function") return;
    const params = symbol.info.params.filter((param) => param.star === "");
    call.positional.forEach((arg, i) => {
      const key = this.routerKey(mod, dottedName(mod.source, arg), locals);
      if (key && params[i]) bound.set(params[i].name, key);
    });
    for (const [name, arg] of call.keywords) {
      const key = this.routerKey(mod, dottedName(mod.source, arg), locals);
      if (key && params.some((param) => param.name === name)) bound.set(name, key);
    }
    if (bound.size === 0) return;
    const id = `${symbol.mod.module}.${symbol.info.name}(${[...bound].join(",")})`;
    if (this.helperScopes.has(id)) return;
    this.helperScopes.add(id);
    this.scanScope(symbol.mod, symbol.info.body, bound, depth + 1, symbol.info.name);
  }

  /** True when a class maps a database table: SQLModel with table=True, a subclass of a declarative Base, db.Model. */
  isTableModel(mod: Mod, cls: ClassInfo, depth = 0): boolean {
    const cached = this.tableCache.get(cls);
    if (cached !== undefined) return cached;
    if (depth > 8) return false;
    this.tableCache.set(cls, false);
    let table = cls.keywords.has("table") && textOf(mod.source, cls.keywords.get("table")!) === "True";
    const abstract = classAttribute(mod, cls, "__abstract__") === "True";
    if (!table && !abstract) {
      table = cls.bases.some((base) => {
        if (/^\w+\.Model$/.test(base)) return true;
        const symbol = this.resolveIn(mod, base);
        if (symbol?.kind === "class") return this.isDeclarativeBase(symbol.mod, symbol.info) || this.isTableModel(symbol.mod, symbol.info, depth + 1);
        if (symbol?.kind === "assignment") {
          const call = callParts(symbol.mod.source, symbol.info.value);
          return call !== null && (this.calls(symbol.mod, call, "declarative_base") || this.calls(symbol.mod, call, "generate_base"));
        }
        return false;
      });
    }
    this.tableCache.set(cls, table);
    return table;
  }

  /** `class Base(DeclarativeBase)` (or an `@as_declarative()` class): the base of declarative models, not a table itself. */
  private isDeclarativeBase(mod: Mod, cls: ClassInfo): boolean {
    if (cls.bases.some((base) => /^(DeclarativeBase|DeclarativeBaseNoMeta)$/.test(lastName(base) ?? ""))) return true;
    if (cls.statement.name !== "DecoratedStatement") return false;
    return cls.statement.getChildren("Decorator").some((decorator) => /as_declarative/.test(textOf(mod.source, decorator)));
  }

  /** The model's owner column, looked up in the class and its project bases. */
  ownerColumn(mod: Mod, cls: ClassInfo, depth = 0): string | null {
    const own = new Set(statementsOf(cls.body).flatMap((statement) => assignmentOf(mod.source, statement)?.targets ?? []));
    const found = OWNER_COLUMNS.find((column) => own.has(column));
    if (found || depth > 8) return found ?? null;
    for (const base of cls.bases) {
      const symbol = this.resolveIn(mod, base);
      const inherited = symbol?.kind === "class" ? this.ownerColumn(symbol.mod, symbol.info, depth + 1) : null;
      if (inherited) return inherited;
    }
    return null;
  }
}

/** The statements of a scope, those of if/with/try/for blocks in their place (function and class bodies are not entered). */
function flatStatements(body: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (const statement of statementsOf(body)) {
    if (/^(If|With|Try|For|While|Match)Statement$/.test(statement.name)) {
      for (const child of childrenOf(statement)) if (child.name === "Body") out.push(...flatStatements(child));
    } else out.push(statement);
  }
  return out;
}

/** The value text of `name = value` in a class body; null when not assigned. */
function classAttribute(mod: Mod, cls: ClassInfo, name: string): string | null {
  for (const statement of statementsOf(cls.body)) {
    const assignment = assignmentOf(mod.source, statement);
    if (assignment?.targets.includes(name) && assignment.value) return textOf(mod.source, assignment.value);
  }
  return null;
}

/** The items of a list, tuple or set expression. */
function itemsOf(node: SyntaxNode | null | undefined): SyntaxNode[] {
  if (!node || !/^(ArrayExpression|TupleExpression|SetExpression|ParenthesizedExpression)$/.test(node.name)) return [];
  return childrenOf(node).filter((child) => !["[", "]", "(", ")", "{", "}", ","].includes(child.name));
}

/** `methods=["GET", "POST"]` as upper-case names; GET when absent or unreadable. */
function methodList(source: PySource, node: SyntaxNode | null | undefined): string[] {
  const methods = itemsOf(node).flatMap((item) => stringValue(source, item)?.toUpperCase() ?? []);
  return methods.length > 0 ? [...new Set(methods)] : ["GET"];
}

/** A path or prefix expression as text: literals as they are, anything else as `{?}`. */
function pathText(source: PySource, node: SyntaxNode | null): PathText {
  if (!node) return { text: "", exact: true };
  const literal = stringValue(source, node);
  if (literal !== null) return { text: literal, exact: true };
  if (node.name === "FormatString") {
    let text = "";
    let at = node.from;
    for (const part of node.getChildren("FormatReplacement")) {
      text += source.text.slice(at, part.from) + "{?}";
      at = part.to;
    }
    text += source.text.slice(at, node.to);
    const body = /^[fFrR]{1,2}('''|"""|'|")([\s\S]*)\1$/.exec(text)?.[2] ?? "{?}";
    return { text: body, exact: false };
  }
  if (node.name === "BinaryExpression" && node.getChild("ArithOp") && textOf(source, node.getChild("ArithOp")!) === "+") {
    const left = pathText(source, node.firstChild);
    const right = pathText(source, node.lastChild);
    return { text: left.text + right.text, exact: left.exact && right.exact };
  }
  return { text: "{?}", exact: false };
}

/** The callables named by `[Depends(a), Security(b)]`, as written. */
function dependencyList(source: PySource, node: SyntaxNode | null, where: string): DepRef[] {
  return itemsOf(node).flatMap((item) => {
    const call = callParts(source, item);
    const via = lastName(call?.callee ?? null);
    if (!call || (via !== "Depends" && via !== "Security")) return [{ name: textOf(source, item), via: "Depends", where }];
    const arg = call.keywords.get("dependency") ?? call.positional[0];
    return arg ? [{ name: dottedName(source, arg) ?? textOf(source, arg), via, where }] : [];
  });
}

/** `Depends(x)` / `Security(x)` as a dependency reference; `fallback` names it when the call has no argument. */
function dependsCall(source: PySource, node: SyntaxNode | null | undefined, where: string, fallback: string | null): DepRef | null {
  const call = callParts(source, node);
  const via = lastName(call?.callee ?? null);
  if (!call || (via !== "Depends" && via !== "Security")) return null;
  const arg = call.keywords.get("dependency") ?? call.positional[0];
  const name = arg ? (dottedName(source, arg) ?? textOf(source, arg)) : fallback;
  return name === null ? null : { name, via, where };
}

/** The `Depends(x)` inside `Annotated[T, Depends(x)]`; null for other annotations. */
function annotatedDependency(source: PySource, node: SyntaxNode | null, where: string): DepRef | null {
  if (node?.name !== "MemberExpression" || !node.getChild("[")) return null;
  const [head, ...rest] = childrenOf(node);
  if (lastName(dottedName(source, head)) !== "Annotated") return null;
  const items = rest.filter((child) => !["[", "]", ","].includes(child.name));
  const type = items[0] ? (dottedName(source, items[0]) ?? null) : null;
  const credentials = CREDENTIAL_TYPES.has(lastName(type) ?? "");
  for (const item of items.slice(1)) {
    const dep = dependsCall(source, item, where, type);
    if (dep) return { ...dep, credentials };
  }
  return null;
}

/** The dependencies a handler's parameters declare. */
function parameterDependencies(project: Project, mod: Mod, fn: FunctionInfo): DepRef[] {
  const { source } = mod;
  const out: DepRef[] = [];
  for (const param of fn.params) {
    if (param.star !== "") continue;
    const where = `parameter ${param.name}`;
    const typeName = dottedName(source, param.annotation);
    const credentials = CREDENTIAL_TYPES.has(lastName(typeName) ?? "");
    const fromDefault = dependsCall(source, param.default, where, typeName);
    if (fromDefault) {
      out.push({ ...fromDefault, credentials, mod });
      continue;
    }
    const fromAnnotated = annotatedDependency(source, param.annotation, where);
    if (fromAnnotated) {
      out.push({ ...fromAnnotated, mod });
      continue;
    }
    if (typeName === null) continue;
    // An alias the project defines: `CurrentUser = Annotated[User, Depends(get_current_user)]`.
    const symbol = project.resolveIn(mod, typeName);
    // auth-integrator's own CurrentUser/PathUser live in a generated module the inventory does not read.
    if (symbol === null && GENERATED_USER_ALIAS.test(lastName(typeName) ?? "") && mod.bindings.has(typeName.split(".")[0])) {
      out.push({ name: "get_current_user", via: "Depends", where, alias: lastName(typeName) ?? typeName });
      continue;
    }
    if (symbol?.kind !== "assignment") continue;
    const aliasDep = annotatedDependency(symbol.mod.source, symbol.info.value, where);
    if (aliasDep) out.push({ ...aliasDep, alias: lastName(typeName) ?? typeName, mod: symbol.mod });
  }
  return out;
}

/** The dependency (or one it depends on, a few levels down) that checks a token or user; null when none does. */
function checkingDependency(project: Project, dep: DepRef, depth = 0): DepRef | null {
  // OAuth2PasswordRequestForm and the like parse a sign-in form: they check nothing.
  const form = /Form$/.test(lastName(dep.name) ?? "");
  if ((dep.alias && USER_ALIAS.test(dep.alias)) || dep.via === "Security" || dep.credentials || (!form && AUTH_DEPENDENCY.test(dep.name))) return dep;
  if (!dep.mod || depth >= 3) return null;
  // `get_current_active_superuser(current_user: CurrentUser)`: a dependency built on one that checks.
  const symbol = project.resolveIn(dep.mod, dep.name);
  if (symbol?.kind !== "function") return null;
  for (const inner of parameterDependencies(project, symbol.mod, symbol.info)) {
    const found = checkingDependency(project, inner, depth + 1);
    if (found) return found;
  }
  return null;
}

/** Why a dependency makes a route protected; null when it does not. */
function protectingReason(project: Project, dep: DepRef): string | null {
  const check = checkingDependency(project, dep);
  if (!check) return null;
  const named = `${dep.via}(${dep.name})`;
  const via = check === dep ? "" : ` (via ${check.via}(${check.name}))`;
  return dep.alias ? `${dep.alias} (${named}) on ${dep.where}${via}` : `${named} on ${dep.where}${via}`;
}

/** Why a path is public by itself; null when it is not. */
function publicReason(routePath: string): string | null {
  const segments = routePath.split("/").filter(Boolean);
  if (segments.length === 0) return "root path";
  if (routePath.replace(/\/+$/, "") === "/api/me") return "generated /api/me";
  // Version prefixes, and prefixes that could not be read, come before what the route is.
  const lead = segments.findIndex((segment) => !/^(api|v\d+|\{\?\}.*)$/i.test(segment));
  if (lead === -1) return "root path";
  const first = segments[lead].toLowerCase();
  if (/^(auth|oauth|login|logout|register|signup|signin|sign-in|sign-up|token)$/.test(first)) return "auth route";
  const last = segments.at(-1)!.toLowerCase();
  if (/^(signup|sign-up|register|login|logout|signin|sign-in)$/.test(last)) return "auth route";
  const before = segments.slice(lead, -1);
  if (!before.every((segment) => /^(health|system|meta|internal|_internal|utils|monitoring)$/i.test(segment))) return null;
  if (/^(health|healthz|healthcheck|health-check|livez|readyz|ready|live|ping|status)$/.test(last)) return "health check";
  if (last === "version") return "version";
  if (/^(docs|redoc|openapi\.json|openapi|openapi\.yaml|swagger)$/.test(last)) return "docs";
  return null;
}

/** A call of a helper as written in a function body: the callee text and the helper's "module.name". */
export interface HelperCall {
  callee: string;
  key: string;
}

/** A function of the project's that a handler calls, directly or through other helpers, and that queries a table model (a crud or service function). */
export interface HelperInfo {
  /** "module.name". */
  key: string;
  name: string;
  module: string;
  /** Repo-relative file and 1-based line of its `def`. */
  file: string;
  line: number;
  /** The model classes it reads or writes, itself or through the helpers it calls. */
  models: string[];
  /** Its calls of other helpers (listed on the same route). */
  calls: HelperCall[];
  /** Every call of it in the project (the routes' handlers, other helpers and anything else). */
  callers: CallSite[];
}

export interface CallSite {
  file: string;
  line: number;
  /** The top-level function the call is in; null at module level or in a class. */
  function: string | null;
}

/** Methods of a class of the project's (a service or repository) that a handler calls on a parameter and that query a table model. */
export interface ServiceUse {
  /** The handler's parameter holding it (`service: TaskService = Depends(get_task_service)`). */
  param: string;
  className: string;
  file: string;
  line: number;
  /** Its methods the handler calls that read or write a model (themselves or through `self.` methods), with their lines. */
  methods: { name: string; line: number }[];
  models: string[];
}

interface ModelsUsed {
  models: RouteInfo["models"];
  services: ServiceUse[];
  helpers: HelperInfo[];
  /** The handler's own calls of those helpers. */
  helperCalls: HelperCall[];
}

/** A class of the project's whose methods a scan follows: a service a handler takes, or `self` inside one of its methods. */
interface ClassRef {
  mod: Mod;
  cls: ClassInfo;
  /** Methods of it found to use a model, as the scan meets them. */
  found: { name: string; line: number; models: Set<string> }[];
}

/** The handler's parameters annotated with a class of the project's that is not a table model (`service: TaskService`, `Annotated[TaskService, Depends(...)]`). */
function serviceParams(project: Project, mod: Mod, fn: FunctionInfo): Map<string, ClassRef> {
  const services = new Map<string, ClassRef>();
  for (const param of fn.params) {
    if (!param.annotation) continue;
    const annotated = subscriptParts(mod.source, param.annotation);
    const typeNode = annotated?.head !== null && annotated && lastName(annotated.head) === "Annotated" ? annotated.items[0] : param.annotation;
    const typeName = dottedName(mod.source, typeNode);
    const symbol = typeName ? project.resolveIn(mod, typeName) : null;
    if (symbol?.kind === "class" && !project.isTableModel(symbol.mod, symbol.info)) services.set(param.name, { mod: symbol.mod, cls: symbol.info, found: [] });
  }
  return services;
}

/** The method a call runs when it is `param.method(...)` on a service parameter or `self.method(...)` inside one; null otherwise. */
function methodCalled(callee: string, self: ClassRef | null, services: Map<string, ClassRef>): { owner: ClassRef; fn: FunctionInfo } | null {
  const [head, name, ...rest] = callee.split(".");
  if (!name || rest.length > 0) return null;
  const owner = head === "self" ? self : services.get(head);
  const fn = owner ? functionsIn(owner.mod.source, owner.cls.body).find((method) => method.name === name) : undefined;
  return owner && fn ? { owner, fn } : null;
}

/** How deep helper calls are followed from a handler (handler → service → crud → query). */
const HELPER_DEPTH = 3;

/** The table models a handler reads or writes, through its body and the project's functions it calls (any module, up to HELPER_DEPTH). */
function modelsUsed(project: Project, mod: Mod, fn: FunctionInfo): ModelsUsed {
  const found = new Map<string, RouteInfo["models"][number]>();
  const helpers = new Map<string, HelperInfo>();
  const visiting = new Set<FunctionInfo>([fn]);
  const services = serviceParams(project, mod, fn);
  const consider = (scope: Mod, dotted: string | null): string | null => {
    if (dotted === null) return null;
    const symbol = project.resolveIn(scope, dotted) ?? (dotted.includes(".") ? project.resolveIn(scope, dotted.slice(0, dotted.lastIndexOf("."))) : null);
    if (symbol?.kind !== "class" || !project.isTableModel(symbol.mod, symbol.info)) return null;
    const key = `${symbol.mod.module}.${symbol.info.name}`;
    if (!found.has(key)) {
      found.set(key, { className: symbol.info.name, module: symbol.mod.module, file: symbol.mod.repoFile, ownerColumn: project.ownerColumn(symbol.mod, symbol.info) });
    }
    return symbol.info.name;
  };
  /** The model classes a body uses, itself and through helpers; `calls` collects its calls of helpers that use one. */
  const scan = (scope: Mod, body: SyntaxNode, depth: number, calls: HelperCall[], self: ClassRef | null = null): Set<string> => {
    const classes = new Set<string>();
    const note = (name: string | null) => name !== null && classes.add(name);
    for (const node of descendants(body, "CallExpression")) {
      const call = callParts(scope.source, node);
      if (!call?.callee) continue;
      const name = lastName(call.callee)!;
      const isMethod = call.callee.includes(".");
      if (QUERY_FUNCTIONS.has(name) || (isMethod && QUERY_METHODS.has(name))) {
        for (const arg of call.positional) note(consider(scope, dottedName(scope.source, arg)));
      }
      if (isMethod && MODEL_BUILDERS.has(name)) note(consider(scope, call.callee.slice(0, call.callee.lastIndexOf("."))));
      else note(consider(scope, call.callee));
      if (depth >= HELPER_DEPTH) continue;
      const method = methodCalled(call.callee, self, services);
      if (method) {
        const used = scan(method.owner.mod, method.fn.body, depth + 1, [], method.owner);
        used.forEach(note);
        if (used.size > 0) method.owner.found.push({ name: method.fn.name, line: method.fn.line, models: used });
        continue;
      }
      const symbol = project.resolveIn(scope, call.callee);
      if (symbol?.kind !== "function") continue;
      const key = `${symbol.mod.module}.${symbol.info.name}`;
      let used = helpers.get(key)?.models;
      if (used === undefined && !visiting.has(symbol.info)) {
        visiting.add(symbol.info);
        const inner: HelperCall[] = [];
        const models = [...scan(symbol.mod, symbol.info.body, depth + 1, inner)];
        visiting.delete(symbol.info);
        const { name: helperName, line } = symbol.info;
        if (models.length > 0) helpers.set(key, { key, name: helperName, module: symbol.mod.module, file: symbol.mod.repoFile, line, models, calls: inner, callers: [] });
        used = models;
      }
      if (used && used.length > 0) {
        used.forEach(note);
        calls.push({ callee: call.callee, key });
      }
    }
    return classes;
  };
  const helperCalls: HelperCall[] = [];
  scan(mod, fn.body, 0, helperCalls);
  // A body typed as a table model (`item: Item`, `Optional[Item]`): the route writes that model even when no call names it.
  for (const param of fn.params) {
    if (param.annotation === null) continue;
    for (const node of [param.annotation, ...descendants(param.annotation, "VariableName"), ...descendants(param.annotation, "MemberExpression")]) consider(mod, dottedName(mod.source, node));
  }
  const uses: ServiceUse[] = [];
  for (const [param, service] of services) {
    if (service.found.length === 0) continue;
    const methods = [...new Map(service.found.map((method) => [method.name, { name: method.name, line: method.line }])).values()];
    const models = [...new Set(service.found.flatMap((method) => [...method.models]))];
    uses.push({ param, className: service.cls.name, file: service.mod.repoFile, line: service.cls.line, methods, models });
  }
  return { models: [...found.values()], services: uses, helpers: [...helpers.values()], helperCalls };
}

/** Where each of the given functions (by "module.name") is called anywhere in the project: file, line and the enclosing top-level function. */
function callSitesOf(project: Project, targets: Set<string>): Map<string, CallSite[]> {
  const sites = new Map<string, CallSite[]>();
  if (targets.size === 0) return sites;
  for (const mod of [...project.modules.map((module) => project.mod(module)), ...project.testMods()]) {
    if (!mod) continue;
    const enclosing = [...mod.functions.values()];
    for (const node of descendants(mod.source.top, "CallExpression")) {
      const callee = callParts(mod.source, node)?.callee;
      if (!callee) continue;
      const symbol = project.resolveIn(mod, callee);
      if (symbol?.kind !== "function") continue;
      const target = `${symbol.mod.module}.${symbol.info.name}`;
      if (!targets.has(target)) continue;
      const within = enclosing.find((candidate) => candidate.node.from <= node.from && node.to <= candidate.node.to);
      sites.set(target, [...(sites.get(target) ?? []), { file: mod.repoFile, line: lineAt(mod.source.text, node.from), function: within?.name ?? null }]);
    }
  }
  return sites;
}

/**
 * The routes a FastAPI app serves (sorted by path, then method), classified public / protected / owned / other, and
 * what could not be read exactly. `app` is as detection reports it (`file` repo- or backend-relative).
 */
export function routeInventory(sources: PythonSources, app: { file: string; module: string; variable: string }): RouteInventory {
  const project = new Project(sources);
  const routeLike = /@\s*[\w.]+\.(?:get|post|put|patch|delete|options|head|trace|api_route)\s*\(|include_router|add_api_route|APIRouter|FastAPI/;
  const prefix = sources.dir === "." ? "" : `${sources.dir}/`;
  const appFile = prefix && app.file.startsWith(prefix) ? app.file.slice(prefix.length) : app.file;
  const appModule = project.fileOf(app.module) !== undefined ? app.module : sources.moduleOf(appFile);
  const appMod = project.mod(appModule);
  const roots: string[] = [];
  const appAssignment = appMod?.assignments.get(app.variable);
  if (appMod && appAssignment) roots.push(project.define(appMod, keyOf(appModule, app.variable), app.variable, appAssignment, true));

  // Every module's top level: its routers, the routes decorated on them and what they include.
  for (const module of project.modules) {
    const file = project.fileOf(module)!;
    if (module !== appModule && !routeLike.test(project.textOf(file) ?? "")) continue;
    const mod = project.mod(module);
    if (!mod) continue;
    const locals = new Map<string, string>();
    for (const [name, assignment] of mod.assignments) {
      const kind = project.createdBy(mod, assignment);
      if (kind) locals.set(name, project.define(mod, keyOf(module, name), name, assignment, kind === "app"));
    }
    if (mod === appMod && appAssignment) locals.set(app.variable, keyOf(appModule, app.variable));
    project.scanScope(mod, mod.source.top, locals, 0, null);
  }

  // App factories: `def create_app(): app = FastAPI(); app.include_router(...)`, in the app module or called by it.
  if (appMod) {
    const factories = new Set<FunctionInfo>();
    const factoryMods = new Map<FunctionInfo, Mod>();
    for (const fn of appMod.functions.values()) factoryMods.set(fn, appMod);
    const made = appMod.assignments.get(app.variable);
    const madeBy = callParts(appMod.source, made?.value);
    const called = madeBy?.callee ? project.resolveIn(appMod, madeBy.callee) : null;
    if (called?.kind === "function") factoryMods.set(called.info, called.mod);
    for (const [fn, mod] of factoryMods) {
      const locals = new Map<string, string>();
      const created = flatStatements(fn.body).flatMap((statement) => {
        const assignment = assignmentOf(mod.source, statement);
        return assignment && project.createdBy(mod, assignment) === "app" ? assignment.targets : [];
      });
      if (created.length === 0 || factories.has(fn)) continue;
      factories.add(fn);
      project.scanScope(mod, fn.body, locals, 0, fn.name);
      for (const variable of created) roots.push(locals.get(variable)!);
    }
  }

  const routes: RouteInfo[] = [];
  const reached = new Set<string>();
  const walk = (key: string, base: string, outer: DepRef[], stack: string[]) => {
    const def = project.routers.get(key);
    if (!def) return;
    reached.add(key);
    const own = pathText(def.mod.source, def.prefix);
    if (!own.exact && def.prefix) project.note(def.mod, def.prefix.from, `prefix ${textOf(def.mod.source, def.prefix)} is not a string literal: shown as {?}`);
    const prefix = base + own.text;
    const ownDeps: DepRef[] = dependencyList(def.mod.source, def.dependencies, def.isApp ? "the app" : "the router").map((dep) => ({ ...dep, mod: def.mod }));
    const deps = [...ownDeps, ...outer];
    for (const route of project.routes.get(key) ?? []) {
      const { mod, fn } = route;
      const tail = pathText(mod.source, route.path);
      if (!tail.exact && route.path) project.note(mod, route.path.from, `path ${textOf(mod.source, route.path)} is not a string literal: shown as {?}`);
      const decoratorDeps = dependencyList(mod.source, route.dependencies, "the route").map((dep) => ({ ...dep, mod }));
      const routeDeps = [...decoratorDeps, ...parameterDependencies(project, mod, fn), ...deps];
      const fullPath = prefix + tail.text;
      let routeClass: RouteClass = "other";
      let reason = "no auth dependency, no table model";
      // Models are listed for every route (a route secured by an earlier run is still a resource route of the project's).
      const { models: used, helpers, helperCalls, services } = modelsUsed(project, mod, fn);
      const models = used.filter((model) => !ACCOUNT_MODEL.test(model.className));
      const protecting = routeDeps.map((dep) => protectingReason(project, dep)).find((why) => why !== null);
      const open = publicReason(fullPath);
      if (protecting) [routeClass, reason] = ["protected", protecting];
      else if (open) [routeClass, reason] = ["public", open];
      else if (models.length > 0) {
        routeClass = "owned";
        reason = `uses ${models.map((model) => `${model.className} (${model.ownerColumn ? `has ${model.ownerColumn}` : "no owner column"})`).join(", ")}`;
      } else if (used.length > 0) reason = `uses ${used.map((model) => model.className).join(", ")}: accounts, not a resource a user owns`;
      for (const method of route.methods) {
        routes.push({
          method,
          path: fullPath,
          file: mod.repoFile,
          line: fn.line,
          handler: fn.name,
          async: fn.async,
          router: { module: def.mod.module, variable: def.variable },
          routeClass,
          reason,
          models,
          helpers,
          helperCalls,
          services,
          dependencies: [...new Set(routeDeps.map((dep) => dep.name))],
        });
      }
    }
    for (const include of project.includes.get(key) ?? []) {
      if (stack.includes(include.child) || include.child === key) continue;
      const incPrefix = pathText(include.mod.source, include.prefix);
      if (!incPrefix.exact && include.prefix) project.note(include.mod, include.prefix.from, `prefix ${textOf(include.mod.source, include.prefix)} is not a string literal: shown as {?}`);
      const includeDeps = dependencyList(include.mod.source, include.dependencies, `include_router (${include.mod.repoFile}:${include.line})`).map((dep) => ({ ...dep, mod: include.mod }));
      const parentDeps = def.isApp ? deps : deps.map((dep) => (ownDeps.includes(dep) ? { ...dep, where: `the including router ${def.variable}` } : dep));
      walk(include.child, prefix + incPrefix.text, [...includeDeps, ...parentDeps], [...stack, key]);
    }
  };
  for (const root of [...new Set(roots)]) walk(root, "", [], []);

  for (const [key, def] of project.routers) {
    if (reached.has(key) || def.isApp) continue;
    if ((project.routes.get(key)?.length ?? 0) === 0 && (project.includes.get(key)?.length ?? 0) === 0) continue;
    project.note(def.mod, def.offset, "router not included by the app");
  }
  const callers = callSitesOf(project, new Set(routes.flatMap((route) => route.helpers.map((helper) => helper.key))));
  for (const helper of routes.flatMap((route) => route.helpers)) helper.callers = callers.get(helper.key) ?? [];
  const unresolved = [...project.unresolved.values()].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return { routes: routes.sort(byPathThenMethod), unresolved };
}

const METHOD_ORDER = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE"];
const methodRank = (method: string) => (METHOD_ORDER.includes(method) ? METHOD_ORDER.indexOf(method) : METHOD_ORDER.length);

/** Routes by path, then method (GET, POST, PUT, PATCH, DELETE, ...); stable otherwise. */
function byPathThenMethod(a: RouteInfo, b: RouteInfo): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  return methodRank(a.method) - methodRank(b.method) || (a.method < b.method ? -1 : a.method > b.method ? 1 : 0);
}

/** An aligned plain-text table of the routes (by path, then method), then the unresolved lines. */
export function formatRouteTable(inventory: RouteInventory): string {
  const sorted = [...inventory.routes].sort(byPathThenMethod);
  const rows = [["METHOD", "PATH", "CLASS", "HANDLER", "WHY"], ...sorted.map((r) => [r.method, r.path, r.routeClass, `${r.handler} (${r.file}:${r.line})`, r.reason])];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const lines = rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join("  ").trimEnd());
  if (inventory.routes.length === 0) lines.push("(no routes found)");
  if (inventory.unresolved.length > 0) {
    lines.push("", "Unresolved:");
    for (const entry of inventory.unresolved) lines.push(`  ${entry.file}:${entry.line}: ${entry.reason}`);
  }
  return lines.join("\n");
}
