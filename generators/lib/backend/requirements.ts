import type { SecretMode } from "../types.js";

/**
 * The PEP 508 requirements the generated backend code imports. PyJWT 2.14 or later in both modes: older
 * releases accept more spellings of a token's base64url than its one canonical form (the generated verifier
 * refuses those itself too, and keys its cache on the canonical form). jwks mode needs the cryptography
 * extra for EdDSA/ES/RS keys. python-dotenv reads the backend's .env (the environment wins over it); the
 * verifier refuses an API_JWT_SECRET holding a character that python-dotenv and the frontend's dotenv could
 * read differently, so both sides always hold the same key.
 */
export function backendRequirements(secretMode: SecretMode, generatesSqlModel: boolean, generatesAsyncEngine = false): string[] {
  const requirements = [secretMode === "jwks" ? "pyjwt[crypto]>=2.14" : "pyjwt>=2.14", "python-dotenv>=1.0"];
  if (generatesSqlModel) requirements.push("sqlmodel");
  // An async engine needs SQLAlchemy's asyncio extra (greenlet), and aiosqlite for its default SQLite file.
  if (generatesAsyncEngine) requirements.push("sqlalchemy[asyncio]", "aiosqlite");
  return requirements;
}

/** What the generated tests/test_auth.py needs besides the app's own requirements: pytest and TestClient's httpx. */
export const BACKEND_TEST_REQUIREMENTS = ["pytest", "httpx"];
