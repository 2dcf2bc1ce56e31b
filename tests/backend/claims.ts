import type { JWTPayload } from "jose";

export const ALICE = "alice-id";
export const BOB = "bob-id";

/** The current time in whole seconds, as JWT times are written. */
export const now = (): number => Math.floor(Date.now() / 1000);

/** A maker of the claims Better Auth puts in a user's token (valid for 15 minutes from now), issued by and for `issuer`; `changes` override any. */
export function claimsFrom(issuer: string): (user: string, changes?: JWTPayload) => JWTPayload {
  return (user, changes = {}) => {
    const issuedAt = now();
    return { sub: user, id: user, email: `${user}@example.com`, name: user, iss: issuer, aud: issuer, iat: issuedAt, exp: issuedAt + 900, ...changes };
  };
}

/** A maker of the claims the frontend puts in a shared-secret API token: iss, aud, sub, iat and exp, nothing else. */
export function apiClaimsFrom(issuer: string): (user: string, changes?: JWTPayload) => JWTPayload {
  return (user, changes = {}) => {
    const issuedAt = now();
    return { sub: user, iss: issuer, aud: issuer, iat: issuedAt, exp: issuedAt + 900, ...changes };
  };
}
