"""Unit tests of a generated jwks-mode auth_jwt.py: key caching, refetch rules, outages, the verified-token cache.

Run by tests/backend/verifier.test.ts with GENERATED_BACKEND set to the generated backend folder.
The clock the key set uses (time.monotonic in auth_jwt) is replaced, so no test waits for a cooldown.
"""

import asyncio
import json
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

sys.path.insert(0, os.environ["GENERATED_BACKEND"])
os.environ.setdefault("BETTER_AUTH_URL", "http://localhost:3000")

import auth_jwt  # noqa: E402
import jwt  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402
from jwt.algorithms import OKPAlgorithm  # noqa: E402
from jwt.exceptions import PyJWKClientConnectionError, PyJWKClientError  # noqa: E402


class KeySet:
    """Ed25519 keys served by a fake fetch that counts calls, records its thread, and can fail."""

    def __init__(self) -> None:
        self.private: dict[str, Ed25519PrivateKey] = {}
        self.fetches = 0
        self.fail = False
        self.empty = False
        self.threads: list[threading.Thread] = []
        self.add("key-1")

    def add(self, kid: str) -> None:
        self.private[kid] = Ed25519PrivateKey.generate()

    def fetch(self) -> dict[str, Any]:
        self.fetches += 1
        self.threads.append(threading.current_thread())
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
def keys(monkeypatch: pytest.MonkeyPatch, clock: Clock) -> Iterator[KeySet]:
    served = KeySet()
    monkeypatch.setattr(auth_jwt.verifier.keys, "fetch", served.fetch)
    auth_jwt.verifier.clear()
    yield served
    auth_jwt.verifier.clear()


def verify(token: str) -> dict[str, Any]:
    return asyncio.run(auth_jwt.verifier.verify(token))


def test_many_tokens_of_one_key_cost_one_fetch(keys: KeySet) -> None:
    tokens = [keys.token(sub=f"user-{n}") for n in range(50)]
    assert [verify(token)["sub"] for token in tokens] == [f"user-{n}" for n in range(50)]
    assert keys.fetches == 1


def test_concurrent_first_requests_share_one_fetch(keys: KeySet) -> None:
    async def many() -> list[dict[str, Any]]:
        return await asyncio.gather(*(auth_jwt.verifier.verify(keys.token(sub=f"u{n}")) for n in range(20)))

    assert len(asyncio.run(many())) == 20
    assert keys.fetches == 1


def test_the_fetch_runs_in_a_worker_thread_and_a_held_key_needs_none(keys: KeySet, monkeypatch: pytest.MonkeyPatch) -> None:
    verify(keys.token())
    assert keys.threads[0] is not threading.main_thread()
    hops: list[Callable[..., Any]] = []
    real = auth_jwt.anyio.to_thread.run_sync

    async def counting(fn: Callable[..., Any], *args: Any) -> Any:
        hops.append(fn)
        return await real(fn, *args)

    monkeypatch.setattr(auth_jwt.anyio.to_thread, "run_sync", counting)
    for n in range(20):
        verify(keys.token(sub=f"other-{n}"))
    assert hops == []


class HopCounter:
    """Wraps anyio's thread hop and the key set's lock, counting every hop and every time the lock is taken."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.hops: list[Callable[..., Any]] = []
        self.locked = 0
        self._lock = threading.Lock()
        real = auth_jwt.anyio.to_thread.run_sync

        async def counting(fn: Callable[..., Any], *args: Any) -> Any:
            self.hops.append(fn)
            return await real(fn, *args)

        monkeypatch.setattr(auth_jwt.anyio.to_thread, "run_sync", counting)
        monkeypatch.setattr(auth_jwt.verifier.keys, "_lock", self)

    def __enter__(self) -> None:
        self.locked += 1
        self._lock.acquire()

    def __exit__(self, *_: Any) -> None:
        self._lock.release()


def made_up(kid: str) -> str:
    """A token naming a kid Better Auth never had, signed by a key nobody knows."""
    return jwt.encode({"sub": "x"}, Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": kid})


def test_made_up_kids_within_the_cooldown_are_refused_without_a_thread_or_the_lock(
    keys: KeySet, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    verify(keys.token())
    counter = HopCounter(monkeypatch)
    for n in range(50):
        with pytest.raises(PyJWKClientError):
            verify(made_up(f"made-up-{n}"))
    clock.now += auth_jwt.UNKNOWN_KID_COOLDOWN - 1
    with pytest.raises(PyJWKClientError):
        verify(made_up("late"))
    assert (counter.hops, counter.locked) == ([], 0)
    assert keys.fetches == 1


def test_during_an_outage_tokens_are_answered_without_a_thread_until_the_retry_pause_ends(
    keys: KeySet, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys.fail = True
    with pytest.raises(PyJWKClientConnectionError):
        verify(keys.token())
    counter = HopCounter(monkeypatch)
    for n in range(20):
        with pytest.raises(PyJWKClientConnectionError):
            verify(keys.token(sub=f"waiting-{n}"))
    assert (counter.hops, counter.locked) == ([], 0)
    assert keys.fetches == 1


def test_an_unknown_kid_refetches_only_after_the_cooldown(keys: KeySet, clock: Clock) -> None:
    verify(keys.token())
    keys.add("key-2")  # Better Auth rotated its key
    rotated = keys.token("key-2")
    with pytest.raises(PyJWKClientError):
        verify(rotated)
    clock.now += auth_jwt.UNKNOWN_KID_COOLDOWN - 1
    with pytest.raises(PyJWKClientError):
        verify(rotated)
    assert keys.fetches == 1
    clock.now += 2
    assert verify(rotated)["sub"] == "user-1"
    assert keys.fetches == 2


def test_a_key_removed_from_the_set_stops_working_once_the_set_is_refetched(keys: KeySet, clock: Clock) -> None:
    verify(keys.token())
    del keys.private["key-1"]
    keys.add("key-2")
    clock.now += auth_jwt.KEY_SET_MAX_AGE + 1
    removed = jwt.encode({"sub": "x"}, Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": "key-1"})
    with pytest.raises(PyJWKClientError):
        verify(removed)
    assert keys.fetches == 2


def test_a_removed_key_stops_working_also_for_tokens_it_already_verified(keys: KeySet, clock: Clock) -> None:
    verified_before = keys.token()
    verify(verified_before)
    del keys.private["key-1"]
    keys.add("key-2")
    clock.now += auth_jwt.KEY_SET_MAX_AGE + 1
    verify(keys.token("key-2"))  # a request needing a key refetches the set, which no longer lists key-1
    with pytest.raises(PyJWKClientError):
        verify(verified_before)
    assert keys.fetches == 2


def test_a_refetch_that_keeps_every_key_keeps_the_verified_tokens(keys: KeySet, clock: Clock) -> None:
    token = keys.token()
    verify(token)
    keys.add("key-2")
    clock.now += auth_jwt.KEY_SET_MAX_AGE + 1
    verify(keys.token("key-2"))
    assert auth_jwt.verifier.verified.get(token) is not None


def test_a_key_set_without_usable_keys_is_a_failed_fetch_and_the_keys_held_stay(keys: KeySet, clock: Clock) -> None:
    verify(keys.token())
    keys.empty = True
    clock.now += auth_jwt.KEY_SET_MAX_AGE + 1
    assert verify(keys.token(sub="later"))["sub"] == "later"
    assert keys.fetches == 2
    clock.now += auth_jwt.FETCH_RETRY_AFTER + 0.1
    assert verify(keys.token(sub="still"))["sub"] == "still"
    assert keys.fetches == 3


def test_a_key_set_without_usable_keys_and_no_key_held_is_a_connection_error(keys: KeySet) -> None:
    keys.empty = True
    with pytest.raises(PyJWKClientConnectionError, match="no usable signing key"):
        verify(keys.token())


def test_a_held_key_keeps_working_when_a_refresh_fails(keys: KeySet, clock: Clock) -> None:
    verify(keys.token())
    keys.fail = True
    clock.now += auth_jwt.KEY_SET_MAX_AGE + 1
    assert verify(keys.token(sub="later"))["sub"] == "later"
    assert keys.fetches == 2


def test_no_key_and_no_key_set_is_a_connection_error_retried_after_a_pause(keys: KeySet, clock: Clock) -> None:
    keys.fail = True
    with pytest.raises(PyJWKClientConnectionError):
        verify(keys.token())
    with pytest.raises(PyJWKClientConnectionError):
        verify(keys.token(sub="again"))
    assert keys.fetches == 1  # within FETCH_RETRY_AFTER: answered without another attempt
    keys.fail = False
    clock.now += auth_jwt.FETCH_RETRY_AFTER + 0.1
    assert verify(keys.token(sub="recovered"))["sub"] == "recovered"
    assert keys.fetches == 2


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
    assert auth_jwt.verifier.verified.get(token) is not None
    later = time.time() + 901
    monkeypatch.setattr(auth_jwt.time, "time", lambda: later)
    assert auth_jwt.verifier.verified.get(token) is None


def test_the_verified_cache_is_bounded_oldest_first() -> None:
    cache = auth_jwt.VerifiedTokens(max_size=3)
    for n in range(5):
        cache.put(f"token-{n}", {"exp": time.time() + 60, "n": n})
    assert [cache.get(f"token-{n}") is not None for n in range(5)] == [False, False, True, True, True]


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


def test_the_env_file_loader_never_overrides_and_reads_quotes_exports_and_comments(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "\ufeff# comment\nexport A_ONE=1\nA_TWO = 'two # not a comment'\nA_THREE=\"three\"\nA_FOUR=four # comment\n"
        "A_SET=from-file\nnot a line\n=nokey\n"
        'A_FIVE="http://localhost:3000" # the frontend\n'
        "A_SIX='single' # comment\n"
        'A_SEVEN="say \\"hi\\"\\tthen\\\\go" # c\n'
        'A_EIGHT="keep \\d as is"\n'
        'A_NINE="never closed # comment\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("A_SET", "from-environment")
    names = ("A_ONE", "A_TWO", "A_THREE", "A_FOUR", "A_FIVE", "A_SIX", "A_SEVEN", "A_EIGHT", "A_NINE")
    for name in names:
        monkeypatch.delenv(name, raising=False)
    auth_jwt.load_env_file(env_file)
    assert [os.environ[name] for name in (*names, "A_SET")] == [
        "1",
        "two # not a comment",
        "three",
        "four",
        "http://localhost:3000",
        "single",
        'say "hi"\tthen\\go',
        "keep \\d as is",
        '"never closed',
        "from-environment",
    ]
    for name in names:
        monkeypatch.delenv(name)
