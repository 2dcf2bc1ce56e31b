// A requirements.txt that Windows wrote (PowerShell's `pip freeze > requirements.txt`: UTF-16LE with a BOM, CRLF) is
// read, edited and written back in its own encoding, as pip itself reads it; before, detection found no FastAPI in it.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { decodeFile, encodeFile } from "../../generators/lib/text-style.js";
import { runPython } from "../backend/python.js";
import { runBin } from "../helpers/bin.js";
import { makeFixture, removeFixture } from "../helpers/fixture.js";
import { SMALL_MONOREPO } from "../helpers/monorepo.js";

let root = "";
afterEach(() => removeFixture(root));

const utf16 = (text: string, encoding: "utf16le" | "utf16be") => encodeFile(`\uFEFF${text}`, encoding);

it.each(["utf16le", "utf16be"] as const)("detects the backend from a %s requirements.txt and adds the packages in that encoding", async (encoding) => {
  const { "backend/pyproject.toml": _, ...rest } = SMALL_MONOREPO;
  root = makeFixture(rest);
  const requirements = path.join(root, "backend", "requirements.txt");
  writeFileSync(requirements, utf16("fastapi==0.115.0\r\nuvicorn==0.30.0\r\n", encoding));
  const run = await runBin(["auth", "--cwd", root, "--yes", "--secret-mode", "shared-secret"]);
  expect(run.code, run.stderr).toBe(0);
  const bytes = readFileSync(requirements);
  expect(decodeFile(bytes).encoding).toBe(encoding);
  const text = decodeFile(bytes).raw;
  expect(text.startsWith("\uFEFFfastapi==0.115.0\r\nuvicorn==0.30.0\r\n")).toBe(true);
  expect(text).toMatch(/\r\npyjwt>=2\.14\r\n/i);
  expect(text.replace(/\r\n/g, "")).not.toContain("\n");
  // pip reads it as it reads the original (its auto_decode follows the BOM).
  const parsed = await runPython(["-c", "import sys; from pip._internal.utils.encoding import auto_decode; print(auto_decode(open(sys.argv[1], 'rb').read()).split())", requirements], { cwd: root });
  expect(parsed.stdout, parsed.stderr).toMatch(/'fastapi==0\.115\.0', 'uvicorn==0\.30\.0', 'pyjwt>=2\.14'/i);
});
