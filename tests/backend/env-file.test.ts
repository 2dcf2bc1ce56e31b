/**
 * The generated backend reads its .env the way the frontend's runtime reads its own. Next.js loads .env files
 * with the dotenv package (through @next/env); Node's own loader (util.parseEnv, also behind `node --env-file`)
 * agrees with dotenv on the common cases, which are compared with it here directly. Where the two disagree, the
 * backend follows dotenv (the frontend's reading), and the expected values below are dotenv 16's.
 * One difference remains and is documented in parse_env: Next.js also expands $NAME references (dotenv-expand).
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { removeFixture } from "../helpers/fixture.js";
import { flatBackend, generatedFixture } from "./fixtures.js";
import { runPython } from "./python.js";

const { root } = generatedFixture(flatBackend(), { secretMode: "jwks" });
const backendDir = path.join(root, "backend");
afterAll(() => removeFixture(root));

/** The generated loader's reading of each text (auth_jwt.parse_env). */
async function pythonParse(texts: string[]): Promise<Record<string, string>[]> {
  const script = "import json, sys\nimport auth_jwt\nprint(json.dumps([auth_jwt.parse_env(text) for text in json.load(sys.stdin)]))";
  const result = await runPython(["-c", script], { cwd: backendDir, env: { BETTER_AUTH_URL: "http://localhost:3000" }, input: JSON.stringify(texts) });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as Record<string, string>[];
}

/** Cases on which Node's loader and dotenv agree: the backend must read what Node reads. */
const AGREED: [string, string][] = [
  ["a duplicate key: the last one wins", "A=first\nA=last\n"],
  ["an unquoted # without a space before it starts a comment", "A=a#b\n"],
  ["an unquoted # after a space starts a comment", "A=a #b\n"],
  ["single quotes keep # and backslashes as written", "A='x\\ny # z'\n"],
  ["double quotes turn \\n into a line break", 'A="x\\ny"\n'],
  ["double quotes keep #, and a comment may follow", 'A="http://localhost:3000" # the frontend\n'],
  ["backticks keep both other quotes", "A=`x'y\"`\n"],
  ["an export prefix", "export A=1\n"],
  ["spaces around the = and the value, and before the key", " A = 1 \n"],
  ["CRLF line ends", 'A=1\r\nB="two"\r\nC=\'three\'\r\n'],
  ["a double-quoted value over two lines", 'A="line1\nline2"\nB=3\n'],
  ["keys with dots and dashes", "A.B=1\nA-B=2\n"],
  ["empty values", "A=\"\"\nB=''\nC=\n"],
  ["an = inside the value", "A=b=c==\n"],
  ["comment lines", "# comment\nA=1\n# B=2\n"],
  ["no line break at the end", "A='x'"],
  ["a base64 secret", "API_JWT_SECRET=kF9w2QmZ8x+t4LpV/nYc1HsD6gJb3UeA0oWi5MqXz0s=\n"],
];

/** Cases on which Node's loader differs from dotenv: the backend reads what the frontend (dotenv) reads. */
const FRONTEND_READING: [string, string, Record<string, string>][] = [
  ["a byte-order mark (Node keeps it in the first key)", "\ufeffA=1\nB=2\n", { A: "1", B: "2" }],
  ["an escaped quote inside double quotes (Node ends the value there)", 'A="a\\"b"\n', { A: 'a\\"b' }],
  ["\\r inside double quotes (Node keeps it as written)", 'A="a\\rb"\n', { A: "a\rb" }],
  ["two spaces after export (Node keeps one in the key)", "export  A=1\n", { A: "1" }],
  ["KEY: value (Node skips it)", "A: 1\n", { A: "1" }],
  ["lone CR line ends (Node reads one line)", "A=1\rB=2\r", { A: "1", B: "2" }],
  ["tabs around the value and before the key (Node keeps them)", "A=\t1\t\n\tB=2\n", { A: "1", B: "2" }],
  ["a quote inside a single-quoted value (Node ends the value there)", "A='it's'\n", { A: "it's" }],
  ["text after the closing quote (Node drops it)", 'A="x"y\n', { A: '"x"y' }],
  ["a line that is not an entry, then a line starting with = (Node reads a key across them)", "not an entry\n=novalue\nA=1\n", { A: "1" }],
  ["a quote that never closes (Node keeps the comment)", 'A="never closed # comment\nB=2\n', { A: '"never closed', B: "2" }],
];

describe("the generated backend's .env reader", () => {
  it("reads what Node's own loader reads, where Node and dotenv agree", async () => {
    const texts = AGREED.map(([, text]) => text);
    const read = await pythonParse(texts);
    AGREED.forEach(([label, text], index) => expect(read[index], label).toEqual(parseEnv(text)));
  });

  it("reads what the frontend (dotenv) reads, where Node's loader differs", async () => {
    const read = await pythonParse(FRONTEND_READING.map(([, text]) => text));
    FRONTEND_READING.forEach(([label, text, expected], index) => {
      expect(read[index], label).toEqual(expected);
      expect(parseEnv(text), `${label}: Node's reading differs`).not.toEqual(expected);
    });
  });

  it("loads the backend's .env into the environment at start-up, where variables already set win", async () => {
    writeFileSync(
      path.join(backendDir, ".env"),
      "\ufeff# settings\r\nexport BETTER_AUTH_URL=http://localhost:3000#frontend\r\nA_DUP=first\r\nA_DUP=last\r\nA_SET=from-file\r\nA_QUOTED=\"two\\nlines\" # c\r\n",
    );
    const script = "import json, os\nimport auth_jwt\nprint(json.dumps({k: os.environ.get(k) for k in ('A_DUP', 'A_SET', 'A_QUOTED')}), auth_jwt.settings.issuer)";
    const result = await runPython(["-c", script], { cwd: backendDir, env: { A_SET: "from-environment" } });
    expect(result.code, result.stderr).toBe(0);
    const [json, issuer] = result.stdout.trim().split(" http");
    expect(JSON.parse(json)).toEqual({ A_DUP: "last", A_SET: "from-environment", A_QUOTED: "two\nlines" });
    expect(`http${issuer}`).toBe("http://localhost:3000");
  });
});
