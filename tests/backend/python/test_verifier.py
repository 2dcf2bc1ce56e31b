"""Unit tests of a generated jwks-mode auth_jwt.py: key caching, refetch rules, outages, the verified-token cache,
canonical tokens, configuration and how it is read (the environment over the backend's .env, once).

Run by tests/backend/verifier.test.ts with the generated backend folder on PYTHONPATH.
The clock the key set uses (time.monotonic in auth_jwt) is replaced, so no test waits for an interval; a test
waits only for the fake fetch's thread (settled()), which no request ever does.
"""

import asyncio
import json
import math
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import auth_jwt
import jwt
import pytest
from auth_jwt import KeysUnavailable
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm
from jwt.exceptions import PyJWKClientConnectionError, PyJWKClientError, PyJWTError

os.environ.setdefault("BETTER_AUTH_URL", "http://localhost:3000")


class KeySet:
    """Ed25519 keys served by a fake fetch that counts calls, records its thread, can fail, and can hang."""

    def __init__(self) -> None:
        self.private: dict[str, Ed25519PrivateKey] = {}
        self.fetches = 0
        self.fail = False
        self.empty = False
        self.released = threading.Event()
        self.released.set()
        self.threads: list[threading.Thread] = []
        self.add("key-1")

    def add(self, kid: str) -> None:
        self.private[kid] = Ed25519PrivateKey.generate()

    def hang(self) -> None:
        """Fetches block until release() (a key server that does not answer)."""
        self.released.clear()

    def release(self) -> None:
        self.released.set()

    def fetch(self) -> dict[str, Any]:
        self.fetches += 1
        self.threads.append(threading.current_thread())
        self.released.wait(10)
        if self.fail:
            raise PyJWKClientConnectionError("connection refused")
        if self.empty:
            return {"keys": []}
        jwks = []
        for kid, key in self.private.items():
            jwk = json.loads(OKPAlgorithm.to_jwk(key.public_key()))
            jwks.append({**jwk, "kid": kid, "alg": "EdDSA"})
        return {"keys": jwks}

    def token(self, kid: str = "key-1", **changes: Any) -> str:
        now = int(time.time())
        claims = {"sub": "user-1", "iss": "http://localhost:3000", "aud": "http://localhost:3000", "iat": now, "exp": now + 900}
        claims.update(changes)
        return jwt.encode(claims, self.private[kid], algorithm="EdDSA", headers={"kid": kid})


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(auth_jwt.time, "monotonic", fake)
    return fake


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch, clock: Clock) -> Iterator[KeySet]:
    """The fake key set, with nothing fetched yet."""
    key_set = KeySet()
    monkeypatch.setattr(auth_jwt.get_verifier().keys, "fetch", key_set.fetch)
    auth_jwt.get_verifier().clear()
    yield key_set
    key_set.release()
    auth_jwt.get_verifier().keys.wait(5)
    auth_jwt.get_verifier().clear()


@pytest.fixture
def keys(served: KeySet) -> KeySet:
    """The fake key set, fetched once (as the app's start-up does)."""
    auth_jwt.get_verifier().keys.refresh()
    assert served.fetches == 1
    return served


def verify(token: str) -> dict[str, Any]:
    return asyncio.run(auth_jwt.get_verifier().verify(token))


def answer(token: str) -> str:
    """What the API would answer: "200", "401", or "503 (Retry-After: n)"."""
    try:
        verify(token)
    except KeysUnavailable as error:
        return f"503 ({error.retry_after})"
    except PyJWTError:
        return "401"
    return "200"


def settled() -> None:
    """Waits for the key set fetch in flight, if any (requests never do)."""
    auth_jwt.get_verifier().keys.wait(5)


def made_up(kid: str) -> str:
    """A token naming a kid Better Auth never had, signed by a key nobody knows."""
    return jwt.encode({"sub": "x"}, Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": kid})


def test_many_tokens_of_one_key_cost_one_fetch(keys: KeySet) -> None:
    tokens = [keys.token(sub=f"user-{n}") for n in range(50)]
    assert [verify(token)["sub"] for token in tokens] == [f"user-{n}" for n in range(50)]
    assert keys.fetches == 1


def test_a_kid_not_held_is_answered_at_once_while_one_fetch_runs_in_a_thread_of_its_own(served: KeySet) -> None:
    served.hang()
    started = time.perf_counter()
    answers = [answer(served.token(sub=f"u{n}")) for n in range(30)]
    assert time.perf_counter() - started < 2  # each answer came at once, none waited for the hanging fetch
    assert answers == ["503 (1)"] * 30
    assert served.fetches == 1  # single flight
    assert served.threads[0].name == "jwks-fetch" and served.threads[0] is not threading.main_thread()
    served.release()
    settled()
    assert answer(served.token()) == "200"
    assert served.fetches == 1


def test_concurrent_first_requests_share_one_fetch(served: KeySet) -> None:
    served.hang()

    async def many() -> list[Any]:
        return await asyncio.gather(*(auth_jwt.get_verifier().verify(served.token(sub=f"u{n}")) for n in range(20)), return_exceptions=True)

    assert all(isinstance(result, KeysUnavailable) for result in asyncio.run(many()))
    served.release()
    settled()
    assert len([verify(served.token(sub=f"u{n}")) for n in range(20)]) == 20
    assert served.fetches == 1


def test_a_rotated_key_is_fetched_at_once_and_accepted_when_the_fetch_is_back(keys: KeySet, clock: Clock) -> None:
    keys.add("key-2")  # Better Auth rotated its key
    rotated = keys.token("key-2")
    assert answer(rotated) == "401"  # the set fetched this very instant lacks it
    clock.now += auth_jwt.FRESH_KEY_SET_SECONDS
    assert answer(rotated) == "503 (1)"  # a refetch started
    settled()
    assert answer(rotated) == "200"
    assert keys.fetches == 2


def test_made_up_kids_cost_at_most_one_fetch_per_refetch_interval(keys: KeySet, clock: Clock) -> None:
    clock.now += 60
    assert answer(made_up("made-up-0")) == "503 (1)"
    settled()
    assert [answer(made_up(f"made-up-{n}")) for n in range(1, 50)] == ["401"] * 49
    clock.now += auth_jwt.UNKNOWN_KID_REFETCH_INTERVAL - 0.1
    assert answer(made_up("late")) == "401"
    assert keys.fetches == 2
    clock.now += 0.2
    assert answer(made_up("later")) == "503 (1)"
    settled()
    assert keys.fetches == 3
    assert answer(keys.token(sub="real")) == "200"  # a held key is never held up by any of it


def test_an_outage_is_answered_with_503_at_once_and_retried_after_a_pause(served: KeySet, clock: Clock) -> None:
    served.fail = True
    assert answer(served.token()) == "503 (1)"  # the fetch started
    settled()
    assert {answer(served.token(sub=f"waiting-{n}")) for n in range(20)} == {f"503 ({math.ceil(auth_jwt.FETCH_RETRY_AFTER)})"}
    assert served.fetches == 1
    clock.now += auth_jwt.UNKNOWN_KID_REFETCH_INTERVAL
    served.fail = False
    assert answer(served.token(sub="retry")) == "503 (1)"
    settled()
    assert answer(served.token(sub="recovered")) == "200"
    assert served.fetches == 2


def test_the_outage_message_names_the_cause_for_the_log(served: KeySet) -> None:
    served.fail = True
    answer(served.token())
    settled()
    with pytest.raises(KeysUnavailable, match="connection refused"):
        verify(served.token())


def test_a_key_removed_from_the_set_stops_working_once_the_set_is_refetched(keys: KeySet, clock: Clock) -> None:
    verified_before = keys.token()
    verify(verified_before)
    old_key = keys.private.pop("key-1")
    keys.add("key-2")
    clock.now += auth_jwt.KEY_SET_MAX_AGE + 1
    still_held = jwt.encode({"sub": "y", "iss": "http://localhost:3000", "aud": "http://localhost:3000", "iat": int(time.time()), "exp": int(time.time()) + 60}, old_key, algorithm="EdDSA", headers={"kid": "key-1"})
    assert answer(still_held) == "200"  # the stale set's key serves this request; a refetch starts meanwhile
    settled()
    assert keys.fetches == 2
    assert answer(verified_before) == "401"  # the refetch dropped key-1, and with it the tokens it verified
    assert answer(keys.token("key-2")) == "200"


def test_a_refetch_that_keeps_every_key_keeps_the_verified_tokens(keys: KeySet, clock: Clock) -> None:
    token = keys.token()
    verify(token)
    keys.add("key-2")
    clock.now += auth_jwt.KEY_SET_MAX_AGE + 1
    verify(keys.token(sub="another"))
    settled()
    assert keys.fetches == 2
    assert auth_jwt.get_verifier().verified.get(token) is not None


def test_a_key_set_without_usable_keys_is_a_failed_fetch_and_the_keys_held_stay(keys: KeySet, clock: Clock) -> None:
    verify(keys.token())
    keys.empty = True
    clock.now += auth_jwt.KEY_SET_MAX_AGE + 1
    assert verify(keys.token(sub="later"))["sub"] == "later"
    settled()
    assert keys.fetches == 2
    assert verify(keys.token(sub="still"))["sub"] == "still"  # within the retry pause: no fetch
    clock.now += auth_jwt.FETCH_RETRY_AFTER + 0.1
    assert verify(keys.token(sub="again"))["sub"] == "again"
    settled()
    assert keys.fetches == 3


def test_a_key_set_without_usable_keys_and_no_key_held_is_503(served: KeySet) -> None:
    served.empty = True
    answer(served.token())
    settled()
    with pytest.raises(KeysUnavailable, match="no usable signing key"):
        verify(served.token())


def test_a_held_key_keeps_working_when_a_refresh_fails(keys: KeySet, clock: Clock) -> None:
    verify(keys.token())
    keys.fail = True
    clock.now += auth_jwt.KEY_SET_MAX_AGE + 1
    assert verify(keys.token(sub="later"))["sub"] == "later"
    settled()
    assert verify(keys.token(sub="still"))["sub"] == "still"
    assert keys.fetches == 2


def test_clear_drops_what_a_fetch_in_flight_brings(served: KeySet) -> None:
    served.hang()
    answer(served.token())
    auth_jwt.get_verifier().clear()
    served.release()
    settled()
    assert auth_jwt.get_verifier().keys._keys == {}


@pytest.mark.parametrize(
    "document",
    [
        {"keys": [{"kty": "oct", "k": "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTMyYg", "kid": "k", "alg": "HS256"}]},
        {"keys": [{"kty": "oct", "k": "c2VjcmV0", "kid": "k"}]},
        {"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "not-a-key", "kid": "k"}]},
        {"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", "kid": "k", "use": "enc"}]},
        {"keys": [{"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]},
        {"keys": "none"},
        ["not", "an", "object"],
    ],
)
def test_unusable_entries_of_a_key_set_are_skipped(document: Any) -> None:
    if isinstance(document, dict) and isinstance(document.get("keys"), list):
        assert auth_jwt.signing_keys(document) == {}
    else:
        with pytest.raises(PyJWKClientError):
            auth_jwt.signing_keys(document)


def test_verified_tokens_are_forgotten_when_they_expire(keys: KeySet, monkeypatch: pytest.MonkeyPatch) -> None:
    token = keys.token()
    verify(token)
    assert auth_jwt.get_verifier().verified.get(token) is not None
    later = time.time() + 901
    monkeypatch.setattr(auth_jwt.time, "time", lambda: later)
    assert auth_jwt.get_verifier().verified.get(token) is None


def test_the_verified_cache_is_bounded_oldest_first() -> None:
    cache = auth_jwt.VerifiedTokens(max_size=3)
    for n in range(5):
        cache.put(f"token-{n}", {"exp": time.time() + 60, "sub": f"user-{n}"})
    assert [cache.get(f"token-{n}") is not None for n in range(5)] == [False, False, True, True, True]


def test_the_verified_cache_holds_a_few_tokens_per_user() -> None:
    cache = auth_jwt.VerifiedTokens(max_size=100, per_subject=4)
    cache.put("other-user-token", {"exp": time.time() + 60, "sub": "other"})
    for n in range(50):
        cache.put(f"token-{n}", {"exp": time.time() + 60, "sub": "flooder"})
    assert len(cache) == 5
    assert [n for n in range(50) if cache.get(f"token-{n}") is not None] == [46, 47, 48, 49]
    assert cache.get("other-user-token") is not None


def test_one_user_minting_tokens_cannot_flush_anyone_else(keys: KeySet) -> None:
    others = [keys.token(sub=f"user-{n}") for n in range(10)]
    for token in others:
        verify(token)
    for n in range(200):
        verify(keys.token(sub="flooder", iat=int(time.time()) - n))
    assert len(auth_jwt.get_verifier().verified) == 10 + auth_jwt.VERIFIED_PER_SUBJECT
    assert all(auth_jwt.get_verifier().verified.get(token) is not None for token in others)


ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def spellings(token: str) -> dict[str, str]:
    """Other spellings of the same token: each decodes to the same bytes with a lenient base64 decoder."""
    header, payload, signature = token.split(".")
    rest = len(signature) % 4
    assert rest in (2, 3), "an Ed25519 signature (86 characters) leaves unused bits in its last character"
    last = ALPHABET.index(signature[-1])
    padded = {2: "==", 3: "="}[rest]
    return {
        "padding on the signature": f"{header}.{payload}.{signature}{padded}",
        "padding on the payload": f"{header}.{payload}{'=' * (-len(payload) % 4)}.{signature}" if len(payload) % 4 else f"{header}.{payload}====.{signature}",
        "unused bits set in the signature's last character": f"{header}.{payload}.{signature[:-1]}{ALPHABET[last | 1]}",
        "standard base64 alphabet": f"{header}.{payload}.{signature.replace('-', '+').replace('_', '/')}"
        if "-" in signature or "_" in signature
        else f"{header}.{payload}.{signature}+",
        "a line break inside": f"{header}.{payload[:10]}\n{payload[10:]}.{signature}",
        "a space inside": f"{header}.{payload[:10]} {payload[10:]}.{signature}",
        "a stray character": f"{header}.{payload}!.{signature}",
        "a trailing dot": f"{token}.",
    }


def test_other_spellings_of_a_valid_token_are_refused_and_never_cached(keys: KeySet) -> None:
    token = keys.token()
    assert verify(token)["sub"] == "user-1"
    variants = spellings(token)
    assert {name: answer(variant) for name, variant in variants.items()} == {name: "401" for name in variants}
    assert len(auth_jwt.get_verifier().verified) == 1
    assert auth_jwt.get_verifier().verified.get(token) is not None


def test_pyjwt_alone_takes_a_padded_spelling_which_is_why_the_verifier_checks_spellings_itself(keys: KeySet) -> None:
    """PyJWT 2.15 refuses most other spellings itself, but accepts `=` padding (on purpose: some issuers pad)."""
    token = keys.token()
    key = auth_jwt.get_verifier().keys.get("key-1").key
    decode = lambda spelling: jwt.decode(spelling, key, algorithms=["EdDSA"], audience="http://localhost:3000")  # noqa: E731
    accepted = []
    for name, variant in spellings(token).items():
        try:
            decode(variant)
            accepted.append(name)
        except PyJWTError:
            pass
    if jwt.__version__ == "2.15.1":
        assert accepted == ["padding on the signature"]
    for name in accepted:
        with pytest.raises(PyJWTError, match="canonical"):
            verify(spellings(token)[name])


def test_the_size_limit_comes_before_anything_else(keys: KeySet, monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*_: Any) -> None:
        raise AssertionError("an oversized token reached the cache or the decoder")

    monkeypatch.setattr(auth_jwt, "check_canonical", never)
    monkeypatch.setattr(auth_jwt.get_verifier().verified, "get", never)
    with pytest.raises(PyJWTError, match="longer than"):
        verify("a" * (auth_jwt.MAX_TOKEN_LENGTH + 1))


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("http://localhost:3000", "http://localhost:3000"),
        ("HTTPS://Example.COM:443/app/", "https://example.com"),
        ("http://127.0.0.1:80", "http://127.0.0.1"),
        ("http://[::1]:3000", "http://[::1]:3000"),
    ],
)
def test_the_issuer_is_the_origin_of_better_auth_url(url: str, origin: str) -> None:
    settings = auth_jwt.load_settings({"BETTER_AUTH_URL": url})
    assert (settings.issuer, settings.audience) == (origin, origin)


def test_the_jwks_url_defaults_to_better_auth_url_and_can_be_set() -> None:
    assert auth_jwt.load_settings({"BETTER_AUTH_URL": "http://localhost:3000/"}).jwks_url == "http://localhost:3000/api/auth/jwks"
    custom = {"BETTER_AUTH_URL": "http://localhost:3000", "BETTER_AUTH_JWKS_URL": "http://auth:3000/keys"}
    assert auth_jwt.load_settings(custom).jwks_url == "http://auth:3000/keys"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({}, "BETTER_AUTH_URL is not set"),
        ({"BETTER_AUTH_URL": "localhost:3000"}, "must be an http(s) URL"),
        ({"BETTER_AUTH_URL": "http://localhost:99999"}, "must be an http(s) URL"),
        ({"BETTER_AUTH_URL": "http://localhost:3000", "BETTER_AUTH_JWKS_URL": "file:///etc/passwd"}, "BETTER_AUTH_JWKS_URL must be an http(s) URL"),
    ],
)
def test_bad_configuration_is_refused_with_what_to_fix(environ: dict[str, str], message: str) -> None:
    with pytest.raises(auth_jwt.AuthConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        auth_jwt.load_settings(environ)


def test_the_environment_wins_over_the_env_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("\ufeffA_FIRST=1\r\nexport A_SET=from-file\nA_QUOTED='two # words' # comment\nA_DUP=first\nA_DUP=last\n")
    monkeypatch.setenv("A_SET", "from-environment")
    for name in ("A_FIRST", "A_QUOTED", "A_DUP"):
        monkeypatch.delenv(name, raising=False)
    read = auth_jwt.read_environment(env_file)
    assert [read[name] for name in ("A_FIRST", "A_SET", "A_QUOTED", "A_DUP")] == ["1", "from-environment", "two # words", "last"]
    assert "A_FIRST" not in os.environ  # the file fills in what the settings read; the environment stays as it is


def test_a_missing_env_file_is_the_environment_alone(tmp_path: Path) -> None:
    assert auth_jwt.read_environment(tmp_path / "absent.env") == dict(os.environ)


def test_an_env_file_that_is_not_utf8_is_refused_with_its_path(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_bytes(b"BETTER_AUTH_URL=http://caf\xe9:3000\n")
    with pytest.raises(auth_jwt.AuthConfigError, match="is not UTF-8 text"):
        auth_jwt.read_environment(env_file)


def test_the_settings_and_the_verifier_are_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    verifier = auth_jwt.get_verifier()
    monkeypatch.setenv("BETTER_AUTH_URL", "https://other.example")
    assert auth_jwt.get_verifier() is verifier
    assert auth_jwt.get_settings() is verifier.settings
    assert verifier.settings.issuer == "http://localhost:3000"
