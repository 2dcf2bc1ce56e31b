import { afterEach } from "vitest";
import { removeFixture } from "./fixture.js";

/** Registers cleanup: each folder passed to the returned function (which hands it back) is removed after its test. */
export function removedAfterEach(): (root: string) => string {
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0)) removeFixture(root);
  });
  return (root) => {
    roots.push(root);
    return root;
  };
}
