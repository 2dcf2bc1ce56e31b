/**
 * The generated backend reads the values the frontend reads. Next.js loads .env files with dotenv and dotenv-expand
 * (through @next/env, called here as Next.js calls it); the backend reads its own .env with python-dotenv, through
 * the generated module's getters (read_environment, get_settings). The two readers differ on some edge cases (an
 * unquoted `a#b`, escapes, backticks, `KEY: value`, a reference to a variable defined further down); for the values
 * the backend reads (BETTER_AUTH_URL, API_JWT_SECRET, BETTER_AUTH_JWKS_URL, DATABASE_URL), written as the generator
 * writes them and as people commonly write them, both read the same; and an API_JWT_SECRET the two could read
 * differently stops the backend with an AuthConfigError instead of leaving the two sides with different keys.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { mergeEnvContent } from "../../generators/lib/editors/env.js";
import { removeFixture } from "../helpers/fixture.js";
import { REPO_ROOT } from "../helpers/python.js";
import { bareBackend, flatBackend, generatedFixture } from "./fixtures.js";
import { pythonEnv, runPython } from "./python.js";

const KEYS = ["BETTER_AUTH_URL", "API_JWT_SECRET", "BETTER_AUTH_JWKS_URL", "DATABASE_URL"] as const;
type Values = Partial<Record<(typeof KEYS)[number], string>>;

const sharedSecret = generatedFixture(bareBackend(), { secretMode: "shared-secret" }).root; // has the generated db.py
const jwks = generatedFixture(flatBackend(), { secretMode: "jwks" }).root;
const scratch = mkdtempSync(path.join(os.tmpdir(), "auth-integrator-next-env-"));
afterAll(() => [sharedSecret, jwks, scratch].forEach(removeFixture));

/** The values the frontend reads from each .env text: Next.js's own loader (@next/env), in a process of its own. */
function frontendReads(texts: string[], env: Record<string, string> = {}): Promise<Values[]> {
  const script = `
    const fs = require("node:fs"), path = require("node:path");
    const { loadEnvConfig } = require("@next/env");
    const silent = { info() {}, error() {} };
    const out = JSON.parse(fs.readFileSync(0, "utf8")).map((text, index) => {
      const dir = path.join(${JSON.stringify(scratch)}, String(index));
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, ".env"), text);
      const { combinedEnv } = loadEnvConfig(dir, false, silent, true); // forceReload: process.env starts afresh
      return Object.fromEntries(${JSON.stringify(KEYS)}.filter((key) => combinedEnv[key] !== undefined).map((key) => [key, combinedEnv[key]]));
    });
    process.stdout.write(JSON.stringify(out));`;
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ["-e", script], { cwd: REPO_ROOT, env: { ...pythonEnv(env), NODE_ENV: "production" } }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout) as Values[]),
    );
    child.stdin?.end(JSON.stringify(texts));
  });
}

interface BackendReading {
  /** What read_environment() gives for the keys (the environment over the .env file). */
  read: Values;
  /** What get_settings() made of them, or the AuthConfigError it raised. */
  settings?: { issuer: string; secret?: string; jwks_url?: string };
  error?: string;
}

/** What the generated backend reads from each text written as its .env: read_environment() and get_settings(), afresh each time. */
async function backendReads(root: string, texts: string[], env: Record<string, string> = {}): Promise<BackendReading[]> {
  const script = `
import json, sys
import auth_jwt

out = []
for text in json.load(sys.stdin):
    auth_jwt.ENV_FILE.write_bytes(text.encode())
    auth_jwt.get_settings.cache_clear()
    read = auth_jwt.read_environment()
    reading = {"read": {key: read[key] for key in ${JSON.stringify(KEYS)} if key in read}}
    try:
        settings = auth_jwt.get_settings()
        reading["settings"] = {"issuer": settings.issuer, **({"secret": settings.secret.decode()} if hasattr(settings, "secret") else {"jwks_url": settings.jwks_url})}
    except auth_jwt.AuthConfigError as error:
        reading["error"] = str(error)
    out.append(reading)
print(json.dumps(out))
`;
  const result = await runPython(["-c", script], { cwd: path.join(root, "backend"), env, input: JSON.stringify(texts) });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as BackendReading[];
}

const URL_ = "http://localhost:3000";
const b64 = () => randomBytes(32).toString("base64"); // openssl rand -base64 32: + / and = padding
const b64url = () => randomBytes(32).toString("base64url"); // what the generator writes
const [S1, S2, S3] = [b64url(), b64(), b64()];
const DB = "postgresql+psycopg://app:s3cr%40t@db.internal:5432/app?sslmode=require";

/** .env texts the backend and the frontend must read alike: label, text. */
const AGREED: [string, string][] = [
  ["as the generator writes them", mergeEnvContent("", [{ key: "BETTER_AUTH_URL", value: URL_ }, { key: "API_JWT_SECRET", value: S1 }], { file: ".env" })],
  ["with an openssl base64 secret (+, / and =)", mergeEnvContent("", [{ key: "BETTER_AUTH_URL", value: URL_ }, { key: "API_JWT_SECRET", value: S2 }], { file: ".env" })],
  [
    "appended by the generator to a file of the user's",
    mergeEnvContent(`# database\nDATABASE_URL="${DB}"\n\n`, [{ key: "BETTER_AUTH_URL", value: URL_ }, { key: "API_JWT_SECRET", value: S1 }], { file: ".env" }),
  ],
  ["double-quoted", `BETTER_AUTH_URL="${URL_}"\nAPI_JWT_SECRET="${S2}"\nDATABASE_URL="${DB}"\n`],
  ["single-quoted", `BETTER_AUTH_URL='${URL_}'\nAPI_JWT_SECRET='${S2}'\nDATABASE_URL='${DB}'\n`],
  ["with export", `export BETTER_AUTH_URL=${URL_}\nexport API_JWT_SECRET="${S3}"\nexport DATABASE_URL=${DB}\n`],
  [
    "with comments after a space or a tab",
    `# the frontend\nBETTER_AUTH_URL=${URL_} # its origin\nAPI_JWT_SECRET=${S2}\t# shared with the frontend\nDATABASE_URL="${DB}" # prod\n`,
  ],
  ["with CRLF line ends", `BETTER_AUTH_URL=${URL_}\r\nAPI_JWT_SECRET='${S3}'\r\nDATABASE_URL=${DB}\r\n`],
  ["with a byte-order mark", `\ufeffBETTER_AUTH_URL=${URL_}\nAPI_JWT_SECRET=${S1}\n`],
  ["with spaces around the =, and indented", `BETTER_AUTH_URL = ${URL_}\n  API_JWT_SECRET =  ${S2}\n`],
  ["a key set twice: the last one wins", `BETTER_AUTH_URL=http://localhost:3001\nAPI_JWT_SECRET=${S1}\nBETTER_AUTH_URL=${URL_}\nAPI_JWT_SECRET=${S2}\n`],
  ["no line break at the end", `BETTER_AUTH_URL=${URL_}\nAPI_JWT_SECRET=${S3}`],
  ["a sqlite DATABASE_URL", `BETTER_AUTH_URL=${URL_}\nAPI_JWT_SECRET=${S1}\nDATABASE_URL=sqlite:///./tasks.db\n`],
  ["BETTER_AUTH_URL with a path and a trailing slash", `BETTER_AUTH_URL=https://app.example.com/\nAPI_JWT_SECRET=${S1}\n`],
  [
    "BETTER_AUTH_JWKS_URL, plain and built from BETTER_AUTH_URL",
    `BETTER_AUTH_URL=${URL_}\nBETTER_AUTH_JWKS_URL=\${BETTER_AUTH_URL}/api/auth/jwks\nAPI_JWT_SECRET=${S1}\n`,
  ],
  ["BETTER_AUTH_JWKS_URL double-quoted with a reference", `BETTER_AUTH_URL=${URL_}\nBETTER_AUTH_JWKS_URL="\${BETTER_AUTH_URL}/keys"\n`],
  ["BETTER_AUTH_JWKS_URL plain", `BETTER_AUTH_URL=${URL_}\nBETTER_AUTH_JWKS_URL=http://auth.internal:3000/api/auth/jwks # in-cluster\n`],
];

/** A secret the two readers read differently: the backend must refuse it. Label, text, the character named. */
const [A, B] = [S1.slice(0, 22), S1.slice(22)];
const DISAGREED: [string, string, string][] = [
  ["an unquoted # without a space (dotenv: a comment)", `API_JWT_SECRET=${A}#${B}\n`, "#"],
  ["backticks (python-dotenv keeps them)", `API_JWT_SECRET=\`${S1}\`\n`, "`"],
  ["\\t inside double quotes (python-dotenv: a tab)", `API_JWT_SECRET="${A}\\t${B}"\n`, "\t"],
  ['an escaped " inside double quotes', `API_JWT_SECRET="${A}\\"${B}"\n`, '"'],
  ["an escaped backslash inside single quotes", `API_JWT_SECRET='${A}\\\\${B}'\n`, "\\"],
  ["an escaped ' inside single quotes", `API_JWT_SECRET='${A}\\'${B}'\n`, "'"],
];

describe("the generated backend's .env reading (python-dotenv) and the frontend's (Next.js)", () => {
  it("read the same values, written as the generator writes them and as people commonly do", async () => {
    const texts = AGREED.map(([, text]) => text);
    const [frontend, backend] = await Promise.all([frontendReads(texts), backendReads(sharedSecret, texts)]);
    AGREED.forEach(([label], index) => {
      const [front, back] = [frontend[index], backend[index]];
      expect(Object.keys(front).length, label).toBeGreaterThan(0);
      expect(back.read, label).toEqual(front);
      if (!front.API_JWT_SECRET) return;
      // The settings the API checks tokens with are the frontend's values: the very key, and the origin it puts in iss.
      expect(back.error, label).toBeUndefined();
      expect(back.settings, label).toEqual({ issuer: new URL(front.BETTER_AUTH_URL!).origin, secret: front.API_JWT_SECRET });
    });
  });

  it("read the same key set URL (jwks mode)", async () => {
    const cases = AGREED.filter(([, text]) => text.includes("BETTER_AUTH_JWKS_URL"));
    const texts = cases.map(([, text]) => text);
    const [frontend, backend] = await Promise.all([frontendReads(texts), backendReads(jwks, texts)]);
    expect(cases).toHaveLength(3);
    cases.forEach(([label], index) => {
      expect(backend[index].read, label).toEqual(frontend[index]);
      expect(backend[index].settings?.jwks_url, label).toBe(frontend[index].BETTER_AUTH_JWKS_URL);
    });
  });

  it("both let the environment win over the file", async () => {
    const texts = [`BETTER_AUTH_URL=http://localhost:3001\nAPI_JWT_SECRET=${S1}\n`];
    const env = { BETTER_AUTH_URL: URL_ };
    const [[front], [back]] = await Promise.all([frontendReads(texts, env), backendReads(sharedSecret, texts, env)]);
    expect(front).toEqual({ BETTER_AUTH_URL: URL_, API_JWT_SECRET: S1 });
    expect(back.read).toEqual(front);
    expect(back.settings).toEqual({ issuer: URL_, secret: S1 });
  });

  it("the generated db module takes DATABASE_URL from the backend's .env", async () => {
    const backendDir = path.join(sharedSecret, "backend");
    writeFileSync(path.join(backendDir, ".env"), `# the tasks\nexport DATABASE_URL='sqlite:///${backendDir}/from-env-file.db' # local\n`);
    const result = await runPython(["-c", "import db; print(db.DATABASE_URL)"], { cwd: backendDir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(`sqlite:///${backendDir}/from-env-file.db`);
  });

  it("refuses, with an AuthConfigError naming the character, a secret the two read differently", async () => {
    const texts = DISAGREED.map(([, text]) => `BETTER_AUTH_URL=${URL_}\n${text}`);
    const [frontend, backend] = await Promise.all([frontendReads(texts), backendReads(sharedSecret, texts)]);
    DISAGREED.forEach(([label, , char], index) => {
      expect(backend[index].read.API_JWT_SECRET, `${label}: the two readings differ`).not.toBe(frontend[index].API_JWT_SECRET);
      expect(backend[index].settings, label).toBeUndefined();
      expect(backend[index].error, label).toContain(
        `API_JWT_SECRET contains ${pythonRepr(char)}, which the frontend's .env reader (dotenv) and this backend's (python-dotenv) may read differently`,
      );
    });
  });

  it("refuses a secret with a `$` (Next.js expands it) or in a `KEY: value` line (python-dotenv skips it)", async () => {
    const texts = [`BETTER_AUTH_URL=${URL_}\nAPI_JWT_SECRET=${A}$SUFFIX-${B}\n`, `BETTER_AUTH_URL=${URL_}\nAPI_JWT_SECRET: ${S1}\n`];
    const [frontend, backend] = await Promise.all([frontendReads(texts), backendReads(sharedSecret, texts)]);
    expect(frontend.map((values) => values.API_JWT_SECRET)).toEqual([`${A}-${B}`, S1]);
    expect(backend.map((reading) => reading.read.API_JWT_SECRET)).toEqual([`${A}$SUFFIX-${B}`, undefined]);
    expect(backend[0].error).toMatch(/^API_JWT_SECRET contains `\$`, which Next.js expands in .env files/);
    expect(backend[1].error).toMatch(/^API_JWT_SECRET is not set: /);
  });
});

/** How Python's repr() shows a one-character string, for the characters above. */
function pythonRepr(char: string): string {
  const escaped: Record<string, string> = { "\t": "'\\t'", "'": `"'"`, "\\": "'\\\\'" };
  return escaped[char] ?? `'${char}'`;
}
