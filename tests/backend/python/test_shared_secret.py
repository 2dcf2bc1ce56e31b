"""Unit tests of a generated shared-secret auth_jwt.py: API_JWT_SECRET's checks and the at+jwt token type.

Run by tests/backend/verifier.test.ts with the generated backend folder on PYTHONPATH.
"""

import asyncio
import base64
import logging
import os
import secrets
import time
from typing import Any

import auth_jwt
import jwt
import pytest
from jwt.exceptions import PyJWTError

os.environ.setdefault("BETTER_AUTH_URL", "http://localhost:3000")
os.environ.setdefault("API_JWT_SECRET", "kF9w2QmZ8xRt4LpV7nYc1HsD6gJb3UeA0oWi5MqXz")

URL = "http://localhost:3000"
GOOD = "kF9w2QmZ8xRt4LpV7nYc1HsD6gJb3UeA0oWi5MqXz"


def settings(**environ: str) -> auth_jwt.AuthSettings:
    return auth_jwt.load_settings({"BETTER_AUTH_URL": URL, **environ})


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({}, "API_JWT_SECRET is not set: it is the key the frontend signs API tokens with"),
        (
            {"BETTER_AUTH_SECRET": GOOD},
            "API_JWT_SECRET is not set, but BETTER_AUTH_SECRET is: the backend must not hold Better Auth's secret",
        ),
        ({"API_JWT_SECRET": "too-short-secret-20b"}, "API_JWT_SECRET is 20 bytes long; HS256 needs at least 32"),
        ({"API_JWT_SECRET": "a" * 40}, "API_JWT_SECRET is one character repeated"),
        ({"API_JWT_SECRET": "ab" * 20}, "API_JWT_SECRET has only 2 distinct characters"),
        ({"API_JWT_SECRET": "abcdefg1" * 5}, "API_JWT_SECRET is a short pattern repeated"),
        ({"API_JWT_SECRET": GOOD + "$HOME"}, "API_JWT_SECRET contains `$`, which Next.js expands"),
        ({"API_JWT_SECRET": GOOD, "BETTER_AUTH_SECRET": GOOD}, "API_JWT_SECRET has the same value as BETTER_AUTH_SECRET"),
    ],
)
def test_an_unsafe_or_missing_secret_is_refused_with_what_to_do(environ: dict[str, str], message: str) -> None:
    with pytest.raises(auth_jwt.AuthConfigError) as refused:
        settings(**environ)
    assert str(refused.value).startswith(message)
    if "BETTER_AUTH_SECRET is:" in message:
        assert "npx auth-integrator auth" in str(refused.value)
    else:
        assert "openssl rand -base64 32" in str(refused.value)


@pytest.mark.parametrize("char", ["#", "'", '"', "`", "\\", " ", "\t", "\n", "\r", "\u00a0", "\ufeff", "\u2028", "\x00", "\x01"])
def test_a_secret_with_a_character_the_two_env_readers_may_read_differently_is_refused(char: str) -> None:
    for secret in (GOOD[:20] + char + GOOD[20:], GOOD + char, char + GOOD):
        with pytest.raises(auth_jwt.AuthConfigError) as refused:
            settings(API_JWT_SECRET=secret)
        assert str(refused.value).startswith(f"API_JWT_SECRET contains {char!r}, which the frontend's .env reader (dotenv)")
        assert "openssl rand -base64 32" in str(refused.value)


def test_base64_and_base64url_secrets_are_taken() -> None:
    for secret in (base64.b64encode(secrets.token_bytes(32)).decode(), secrets.token_urlsafe(32), "+/=" + GOOD, "é" + GOOD):
        assert settings(API_JWT_SECRET=secret).secret == secret.encode()


def test_a_random_secret_is_taken_and_better_auth_secret_beside_it_is_warned_about(caplog: pytest.LogCaptureFixture) -> None:
    assert settings(API_JWT_SECRET=GOOD).secret == GOOD.encode()
    with caplog.at_level(logging.WARNING):
        assert settings(API_JWT_SECRET=GOOD, BETTER_AUTH_SECRET="another-" + GOOD).secret == GOOD.encode()
    assert "BETTER_AUTH_SECRET is set for the backend, which never needs it" in caplog.text


def token(headers: dict[str, Any], **claims: Any) -> str:
    now = int(time.time())
    payload = {"sub": "user-1", "iss": URL, "aud": URL, "iat": now, "exp": now + 900, **claims}
    return jwt.encode(payload, auth_jwt.get_settings().secret, algorithm="HS256", headers=headers)


def verify(value: str) -> dict[str, Any]:
    auth_jwt.get_verifier().clear()
    return asyncio.run(auth_jwt.get_verifier().verify(value))


@pytest.mark.parametrize("token_type", ["at+jwt", "AT+JWT", "application/at+jwt", "Application/At+JWT"])
def test_an_api_token_is_accepted_in_any_letter_case(token_type: str) -> None:
    assert verify(token({"typ": token_type}))["sub"] == "user-1"


@pytest.mark.parametrize("token_type", ["", "JWT", "jwt", "at+jwt ", "at+jwt+x", "application/jwt", "JOSE"])
def test_a_token_of_any_other_type_is_refused_even_with_the_right_signature(token_type: str) -> None:
    with pytest.raises(PyJWTError, match="not an API token"):
        verify(token({"typ": token_type}))


def test_a_non_string_typ_is_refused() -> None:
    header = jwt.utils.base64url_encode(b'{"alg":"HS256","typ":["at+jwt"]}').decode()
    signed = token({"typ": "at+jwt"})
    forged = f"{header}.{signed.split('.', 1)[1]}"
    with pytest.raises(PyJWTError, match="not an API token"):
        verify(forged)
