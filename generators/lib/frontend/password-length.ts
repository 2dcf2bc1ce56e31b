import { UserInputError } from "../errors.js";
import type { Answers } from "../types.js";

/** Better Auth's own emailAndPassword limits: options equal to these are left out of the generated config. */
export const BETTER_AUTH_PASSWORD_LENGTH = { min: 8, max: 128 } as const;

/** The shortest and longest password sign-up accepts. */
export interface PasswordLengths {
  min: number;
  max: number;
}

/** The answers' password lengths (Better Auth's defaults when absent); a minimum above the maximum is refused. */
export function passwordLengths(answers: Partial<Pick<Answers, "passwordMinLength" | "passwordMaxLength">>): PasswordLengths {
  const min = Number(answers.passwordMinLength ?? BETTER_AUTH_PASSWORD_LENGTH.min);
  const max = Number(answers.passwordMaxLength ?? BETTER_AUTH_PASSWORD_LENGTH.max);
  if (min > max) {
    throw new UserInputError(`--password-min-length ${min} is above --password-max-length ${max}: no password could be both`);
  }
  return { min, max };
}

/** `minPasswordLength: 12`, `maxPasswordLength: 64`: the emailAndPassword options that differ from Better Auth's defaults. */
export function passwordLengthOptions(lengths: PasswordLengths): string[] {
  return [
    ...(lengths.min !== BETTER_AUTH_PASSWORD_LENGTH.min ? [`minPasswordLength: ${lengths.min}`] : []),
    ...(lengths.max !== BETTER_AUTH_PASSWORD_LENGTH.max ? [`maxPasswordLength: ${lengths.max}`] : []),
  ];
}

/** The sign-up password input's JSX attributes: always `minLength`, `maxLength` only when not Better Auth's default. */
export function passwordInputAttributes(lengths: PasswordLengths): string {
  const max = lengths.max !== BETTER_AUTH_PASSWORD_LENGTH.max ? ` maxLength={${lengths.max}}` : "";
  return `minLength={${lengths.min}}${max}`;
}
