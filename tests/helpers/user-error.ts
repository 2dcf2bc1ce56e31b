import { expect } from "vitest";
import { UserInputError } from "../../generators/lib/errors.js";

/** The UserInputError `run` throws; fails the test when it throws nothing or another kind of error. */
export function userError(run: () => unknown): UserInputError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UserInputError);
    return error as UserInputError;
  }
  throw new Error("expected a UserInputError");
}
