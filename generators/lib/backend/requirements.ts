import type { SecretMode } from "../types.js";

/**
 * The PEP 508 requirements the generated backend code imports. PyJWT 2.8 has everything it uses
 * (PyJWKClientConnectionError, PyJWKClient's timeout); jwks mode needs the cryptography extra for EdDSA/ES/RS keys.
 */
export function backendRequirements(secretMode: SecretMode, generatesSqlModel: boolean): string[] {
  const requirements = [secretMode === "jwks" ? "pyjwt[crypto]>=2.8" : "pyjwt>=2.8"];
  if (generatesSqlModel) requirements.push("sqlmodel");
  return requirements;
}

/** What the generated tests/test_auth.py needs besides the app's own requirements: pytest and TestClient's httpx. */
export const BACKEND_TEST_REQUIREMENTS = ["pytest", "httpx"];
