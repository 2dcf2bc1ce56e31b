/**
 * The generated lib/api.ts also compiles in a project without `strict` (tests/frontend/typecheck.test.ts
 * covers strict), and under the stricter flags some teams add: Better Auth's client types change
 * shape without strictNullChecks (authClient.token() then wants an argument), and
 * `$store.atoms.session` is an index access.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeFixture } from "../helpers/fixture.js";
import { commit, frontendInfo, makeTypecheckable, planOn, typecheck, type PlannedFrontend } from "./generated-project.js";

const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), "fixtures");

let planned: PlannedFrontend;

beforeAll(() => {
  // User-scoped routes, and a user auth-client.ts that exports no client, so lib/api.ts makes its own.
  planned = planOn({ "web/lib/auth-client.ts": readFileSync(path.join(FIXTURES, "auth-client-destructured.ts"), "utf8") }, { routeStyle: "user-scoped" }, frontendInfo({ alias: false }));
  commit(planned);
  makeTypecheckable(planned.root, path.join(planned.root, "web"));
});
afterAll(() => removeFixture(planned.root));

function configure(compilerOptions: Record<string, unknown>): void {
  const file = path.join(planned.root, "tsconfig.json");
  const tsconfig = JSON.parse(readFileSync(file, "utf8")) as { compilerOptions: Record<string, unknown>; include: string[] };
  Object.assign(tsconfig.compilerOptions, compilerOptions);
  tsconfig.include = ["web/lib/api.ts"];
  writeFileSync(file, JSON.stringify(tsconfig, null, 2));
}

describe("the generated lib/api.ts", () => {
  it("typechecks with strict: false", async () => {
    expect(planned.files["web/lib/api.ts"]).toContain("const authClient = createAuthClient(");
    configure({ strict: false });
    expect(await typecheck(planned.root)).toEqual({ code: 0, output: "" });
  });

  it("typechecks with strict plus noUncheckedIndexedAccess and exactOptionalPropertyTypes", async () => {
    configure({ strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true });
    expect(await typecheck(planned.root)).toEqual({ code: 0, output: "" });
  });
});
