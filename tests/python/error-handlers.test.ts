// An HTTPException handler of the project's that answers without the exception's headers is named in a warning: the
// 401s keep their status but lose WWW-Authenticate, which the generated tests (and clients) rely on.
import { afterEach, expect, it } from "vitest";
import { runBin } from "../helpers/bin.js";
import { makeFixture, removeFixture } from "../helpers/fixture.js";
import { SMALL_MONOREPO } from "../helpers/monorepo.js";

let root = "";
afterEach(() => removeFixture(root));

const withHandler = (handler: string) => ({
  ...SMALL_MONOREPO,
  "backend/main.py": `from fastapi.responses import PlainTextResponse\nfrom starlette.exceptions import HTTPException as StarletteHTTPException\n${SMALL_MONOREPO["backend/main.py"]}\n\n${handler}`,
});
const run = () => runBin(["auth", "--cwd", root, "--yes", "--secret-mode", "shared-secret"]);

it("warns about a handler that drops the headers, naming its line and the fix", async () => {
  root = makeFixture(withHandler("@app.exception_handler(StarletteHTTPException)\nasync def plain_errors(request, exc):\n    return PlainTextResponse(str(exc.detail), status_code=exc.status_code)\n"));
  const result = await run();
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout.replace(/\s+/g, " ")).toMatch(/backend\/main\.py:\d+: plain_errors answers every HTTPException without its headers, so the API's 401s lose `WWW-Authenticate: Bearer`/);
});

it("says nothing of a handler that passes the headers on", async () => {
  root = makeFixture(withHandler("@app.exception_handler(StarletteHTTPException)\nasync def plain_errors(request, exc):\n    return PlainTextResponse(str(exc.detail), status_code=exc.status_code, headers=exc.headers)\n"));
  const result = await run();
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).not.toContain("without its headers");
});
