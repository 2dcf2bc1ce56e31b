import fc from "fast-check";
import { parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { addComposeEnvironment, findComposeServices } from "../../generators/lib/editors/compose.js";
import { keepsLines, sameLineOrInserted } from "../helpers/keeps-lines.js";
import { userError } from "../helpers/user-error.js";

const FILE = "docker-compose.yml";
const dirs = { file: FILE, composeDir: ".", frontendDir: "frontend", backendDir: "backend" };
const AUTH = { BETTER_AUTH_SECRET: "${BETTER_AUTH_SECRET}", BETTER_AUTH_URL: "${BETTER_AUTH_URL}" };
const add = (text: string, service: string, env: Record<string, string> = AUTH) => addComposeEnvironment(text, { file: FILE, service, env });

/** The service's environment as compose reads it (map or KEY=value list) — from a real YAML parse. */
function envOf(text: string, service: string): Record<string, string> {
  const env = (parseDocument(text).toJS() as { services: Record<string, { environment?: unknown }> }).services[service].environment;
  if (Array.isArray(env)) return Object.fromEntries(env.map((item: string) => [item.split("=")[0], item.slice(item.indexOf("=") + 1)]));
  return Object.fromEntries(Object.entries((env ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}

describe("findComposeServices", () => {
  it("finds services by build string or build.context, in any spelling of the folder", () => {
    const text = "services:\n  web:\n    build: ./frontend/\n  api:\n    build:\n      context: backend\n      dockerfile: Dockerfile\n  db:\n    image: postgres\n";
    expect(findComposeServices(text, dirs)).toEqual({ frontend: "web", backend: "api" });
  });

  it("resolves build paths relative to the compose file's folder", () => {
    const text = "services:\n  ui:\n    build: ../apps/web\n  server:\n    build: { context: ../apps/api }\n";
    expect(findComposeServices(text, { file: "deploy/compose.yaml", composeDir: "deploy", frontendDir: "apps/web", backendDir: "./apps/api/" })).toEqual({
      frontend: "ui",
      backend: "server",
    });
  });

  it("sees builds inherited through << merge keys, and a build map without context as the compose folder", () => {
    const text = "x-web: &web\n  build: ./frontend\nservices:\n  web:\n    <<: *web\n  api:\n    build:\n      dockerfile: backend/Dockerfile\n";
    expect(findComposeServices(text, { ...dirs, backendDir: "." })).toEqual({ frontend: "web", backend: "api" });
  });

  it("skips remote and interpolated build contexts", () => {
    const text = "services:\n  a:\n    build: https://github.com/x/y.git#main:frontend\n  b:\n    build: ${CTX}/backend\n";
    expect(findComposeServices(text, dirs)).toEqual({ frontend: null, backend: null });
  });

  it("returns nulls without services or matching builds", () => {
    expect(findComposeServices("version: '3'\n", dirs)).toEqual({ frontend: null, backend: null });
    expect(findComposeServices("", dirs)).toEqual({ frontend: null, backend: null });
    expect(findComposeServices("services:\n  db:\n    image: postgres\n  x:\n    build: ./other\n", dirs)).toEqual({ frontend: null, backend: null });
  });

  it("throws UserInputError at the line of malformed YAML", () => {
    const error = userError(() => findComposeServices("services:\n  web:\n    build: [./frontend\n  api: {\n", dirs));
    expect(error.file).toBe(FILE);
    expect(error.line).toBeGreaterThanOrEqual(3);
  });
});

describe("addComposeEnvironment", () => {
  it("adds to a block map after the last entry, with the siblings' indentation", () => {
    const text = "services:\n  web:\n    build: ./frontend\n    environment:\n      NODE_ENV: production\n    ports:\n      - 3000:3000\n";
    expect(add(text, "web")).toBe(
      "services:\n  web:\n    build: ./frontend\n    environment:\n      NODE_ENV: production\n      BETTER_AUTH_SECRET: ${BETTER_AUTH_SECRET}\n      BETTER_AUTH_URL: ${BETTER_AUTH_URL}\n    ports:\n      - 3000:3000\n",
    );
  });

  it("adds to a block list as KEY=value items", () => {
    const text = "services:\n  api:\n    build: ./backend\n    environment:\n      - DEBUG=1\n      - BETTER_AUTH_URL\n";
    expect(add(text, "api")).toBe("services:\n  api:\n    build: ./backend\n    environment:\n      - DEBUG=1\n      - BETTER_AUTH_URL\n      - BETTER_AUTH_SECRET=${BETTER_AUTH_SECRET}\n");
  });

  it("keeps a list written at the key's own indentation, and its quote style", () => {
    const text = "services:\n  api:\n    environment:\n    - \"DEBUG=1\"\n";
    expect(add(text, "api", { A: "b" })).toBe('services:\n  api:\n    environment:\n    - "DEBUG=1"\n    - "A=b"\n');
  });

  it("inserts into flow maps and flow lists before the closing bracket", () => {
    expect(add("services:\n  web:\n    environment: { NODE_ENV: production }\n", "web", { A: "b" })).toBe("services:\n  web:\n    environment: { NODE_ENV: production, A: b }\n");
    expect(add("services:\n  web:\n    environment: [ \"NODE_ENV=production\" ]\n", "web", { A: "b" })).toBe('services:\n  web:\n    environment: [ "NODE_ENV=production", "A=b" ]\n');
    expect(add("services:\n  web:\n    environment: {}\n", "web", { A: "b" })).toBe("services:\n  web:\n    environment: {A: b}\n");
    expect(add("services:\n  web:\n    environment: []\n", "web", { A: "b" })).toBe('services:\n  web:\n    environment: ["A=b"]\n');
  });

  it("adds an environment block map as the service's last key when it has none", () => {
    const text = "services:\n  web:\n    build: ./frontend\n    ports:\n      - \"3000:3000\"\n  db:\n    image: postgres\n";
    expect(add(text, "web")).toBe(
      'services:\n  web:\n    build: ./frontend\n    ports:\n      - "3000:3000"\n    environment:\n      BETTER_AUTH_SECRET: ${BETTER_AUTH_SECRET}\n      BETTER_AUTH_URL: ${BETTER_AUTH_URL}\n  db:\n    image: postgres\n',
    );
  });

  it("gives a service declared with nothing under it an environment", () => {
    expect(add("services:\n    api:\n    db:\n        image: x\n", "api", { A: "b" })).toBe("services:\n    api:\n        environment:\n            A: b\n    db:\n        image: x\n");
  });

  it("fills an empty `environment:` key", () => {
    expect(add("services:\n  web:\n    environment:\n    image: x\n", "web", { A: "b" })).toBe("services:\n  web:\n    environment:\n      A: b\n    image: x\n");
  });

  it("leaves comments between services and inside the environment block in place", () => {
    const text = [
      "# stack",
      "services:",
      "  web:",
      "    build: ./frontend",
      "    environment:",
      "      # the mode",
      "      NODE_ENV: production # inline",
      "      # OLD: value",
      "",
      "  # the API",
      "  api:",
      "    build: ./backend",
      "",
    ].join("\n");
    expect(add(text, "web", { A: "b" })).toBe(text.replace("production # inline\n", "production # inline\n      A: b\n"));
    expect(add(text, "api", { A: "b" })).toBe(`${text}    environment:\n      A: b\n`);
  });

  it("handles a service that ends the file without a final newline", () => {
    expect(add("services:\n  api:\n    build: ./backend", "api", { A: "b" })).toBe("services:\n  api:\n    build: ./backend\n    environment:\n      A: b");
    expect(add("services:\n  api:\n    environment:\n      - X=1", "api", { A: "b" })).toBe("services:\n  api:\n    environment:\n      - X=1\n      - A=b");
  });

  it("follows 4-space indentation", () => {
    const text = "services:\n    web:\n        build: ./frontend\n";
    expect(add(text, "web", { A: "b" })).toBe("services:\n    web:\n        build: ./frontend\n        environment:\n            A: b\n");
  });

  it("keeps existing values and only adds missing keys", () => {
    const text = "services:\n  web:\n    environment:\n      BETTER_AUTH_URL: http://localhost:3000\n";
    expect(add(text, "web")).toBe("services:\n  web:\n    environment:\n      BETTER_AUTH_URL: http://localhost:3000\n      BETTER_AUTH_SECRET: ${BETTER_AUTH_SECRET}\n");
  });

  it("writes values plain when they read back, and double-quoted when YAML would misread them", () => {
    const env = { JWKS: "http://frontend:3000/api/auth/jwks", HASH: "a #b", COLON: "a: b", BOOL: "true", NUM: "3000", EMPTY: "" };
    const out = add("services:\n  api:\n    image: x\n", "api", env);
    expect(out).toContain("      JWKS: http://frontend:3000/api/auth/jwks\n");
    expect(out).toContain('      HASH: "a #b"\n      COLON: "a: b"\n      BOOL: "true"\n      NUM: "3000"\n      EMPTY: ""');
    expect(envOf(out, "api")).toEqual(env);
  });

  it("is idempotent and touches other services not at all", () => {
    const text = "services:\n  web:\n    build: ./frontend\n  api:\n    build: ./backend\n    environment: [A=1]\n";
    const once = add(add(text, "web"), "api");
    expect(add(add(once, "web"), "api")).toBe(once);
    expect(envOf(once, "web")).toEqual(AUTH);
    expect(envOf(once, "api")).toEqual({ A: "1", ...AUTH });
  });

  it("counts variables merged into the environment map with << as present", () => {
    const text = "x-env: &env\n  A: 1\nservices:\n  web:\n    environment:\n      <<: *env\n      B: 2\n";
    expect(add(text, "web", { A: "new", C: "3" })).toBe(`${text}      C: "3"\n`);
  });

  it("refuses an environment that is an alias, a flow-style service, and several documents, at their lines", () => {
    const alias = userError(() => add("x-env: &env\n  A: 1\nservices:\n  web:\n    environment: *env\n", "web"));
    expect(alias.message).toMatch(/^docker-compose\.yml:5: service "web" takes its environment from the alias \*env/);
    expect(userError(() => add("services:\n  web: {image: x}\n", "web")).line).toBe(2);
    const docs = userError(() => add("services:\n  web:\n    image: x\n---\nfoo: 1\n", "web"));
    expect([docs.line, docs.reason]).toEqual([4, "holds more than one YAML document; compose reads a single one"]);
  });

  it("throws UserInputError for an unknown service, malformed YAML, and an environment inherited through <<", () => {
    expect(userError(() => add("services:\n  web:\n    image: x\n", "api")).reason).toMatch(/no service named "api"/);
    const error = userError(() => add("services:\n  web:\n    image: x\n    image: y\n", "web"));
    expect([error.file, error.line]).toEqual([FILE, 4]);
    const merged = "x-common: &common\n  environment:\n    A: b\nservices:\n  web:\n    <<: *common\n    image: x\n";
    expect(userError(() => add(merged, "web")).reason).toMatch(/merge key/);
  });
});

describe("addComposeEnvironment properties", () => {
  it("keeps every original line, adds every variable, and is idempotent", () => {
    const indent = fc.constantFrom("  ", "    ");
    const envForm = fc.constantFrom("none", "map", "list", "empty", "flowMap", "flowList");
    const existing = fc.subarray(["NODE_ENV", "BETTER_AUTH_URL", "PORT"]);
    const files = fc.tuple(indent, envForm, existing, fc.boolean(), fc.boolean()).map(([i, form, keys, comment, finalNewline]) => {
      const flow = { flowMap: `{${keys.map((k) => `${k}: x`).join(", ")}}`, flowList: `[${keys.map((k) => `${k}=x`).join(", ")}]` };
      const env =
        form === "none"
          ? []
          : form === "empty"
            ? [`${i}${i}environment:`]
            : form === "flowMap" || form === "flowList"
              ? [`${i}${i}environment: ${flow[form]}`]
              : [`${i}${i}environment:`, ...keys.map((k) => (form === "map" ? `${i}${i}${i}${k}: x` : `${i}${i}${i}- ${k}=x`))];
      const lines = ["services:", `${i}web:`, `${i}${i}build: ./frontend`, ...env, ...(comment ? [`${i}${i}# note`, ""] : []), `${i}db:`, `${i}${i}image: postgres`];
      return lines.join("\n") + (finalNewline ? "\n" : "");
    });
    const envs = fc.dictionary(fc.constantFrom("BETTER_AUTH_URL", "BETTER_AUTH_SECRET", "JWKS_URL"), fc.constantFrom("${X}", "http://frontend:3000/a", "a #b", "yes", "it's"));
    fc.assert(
      fc.property(files, envs, (text, env) => {
        const once = add(text, "web", env);
        expect(keepsLines(text, once, sameLineOrInserted)).toBe(true);
        expect(once.endsWith("\n")).toBe(text.endsWith("\n"));
        const read = envOf(once, "web");
        const before = text.includes("environment") ? envOf(text, "web") : {};
        for (const [key, value] of Object.entries(env)) expect(read[key]).toBe(key in before ? before[key] : value);
        expect(add(once, "web", env)).toBe(once);
        expect(envOf(once, "db")).toEqual({});
      }),
    );
  });
});
