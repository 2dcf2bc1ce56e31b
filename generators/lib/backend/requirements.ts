import type { SecretMode } from "../types.js";

/**
 * The PEP 508 requirements the generated backend code imports. PyJWT 2.14 or later in both modes: older
 * releases accept more spellings of a token's base64url than its one canonical form (the generated verifier
 * refuses those itself too, and keys its cache on the canonical form). jwks mode needs the cryptography
 * extra for EdDSA/ES/RS keys. The backend's .env is read by the verifier's own loader, which follows the
 * frontend's (dotenv) rules, so python-dotenv is not needed.
 */
export function backendRequirements(secretMode: SecretMode, generatesSqlModel: boolean): string[] {
  const requirements = [secretMode === "jwks" ? "pyjwt[crypto]>=2.14" : "pyjwt>=2.14"];
  if (generatesSqlModel) requirements.push("sqlmodel");
  return requirements;
}

/** What the generated tests/test_auth.py needs besides the app's own requirements: pytest and TestClient's httpx. */
export const BACKEND_TEST_REQUIREMENTS = ["pytest", "httpx"];
