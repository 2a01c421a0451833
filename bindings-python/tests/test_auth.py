"""Tokens: a provider asked again after a 401, and OAuth server-to-server tokens that expire."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

import ccpa_optout as co
from emulator import API_KEY, CLIENT_SECRET, TOKEN, Emulator


@pytest.fixture(scope="module")
def ims() -> Iterator[Emulator]:
    """An emulator whose IMS endpoint issues tokens that last two seconds."""
    running = Emulator("--seed", "5", "--client-secret", CLIENT_SECRET, "--token-expires-in", "2")
    yield running
    running.stop()


def test_a_token_provider_is_asked_again_after_a_401(emulator: Emulator) -> None:
    tokens = iter(["revoked-token", TOKEN])
    asked: list[int] = []

    def provider() -> str:
        asked.append(1)
        return next(tokens)

    client = co.Client(organization="acme", api_key=API_KEY, token_provider=provider, base_url=emulator.url)
    before = emulator.count("GET", status=401)
    profile = next(iter(client.list_profiles(page_size=1)))
    assert profile.pkey
    assert len(asked) == 2
    assert emulator.count("GET", status=401) == before + 1


def test_a_provider_that_keeps_failing_gives_an_auth_error(emulator: Emulator) -> None:
    client = co.Client(organization="acme", api_key=API_KEY, token_provider=lambda: "bad", base_url=emulator.url)
    with pytest.raises(co.AuthError) as caught:
        client.get_profile("@a")
    assert caught.value.status == 401


def test_a_provider_returning_a_non_string_is_a_type_error(emulator: Emulator) -> None:
    client = co.Client(organization="acme", api_key=API_KEY, token_provider=lambda: 42, base_url=emulator.url)  # type: ignore[arg-type,return-value]
    with pytest.raises(TypeError):
        client.get_profile("@a")


def oauth_client(ims: Emulator, secret: str = CLIENT_SECRET) -> co.Client:
    return co.Client(
        organization="acme",
        api_key=API_KEY,
        client_secret=secret,
        scopes="openid,AdobeID,campaign_sdk",
        token_url=f"{ims.url}/ims/token/v3",
        base_url=ims.url,
    )


def test_oauth_tokens_are_fetched_cached_and_renewed(ims: Emulator) -> None:
    client = oauth_client(ims)
    before = ims.count("POST", route="token")
    pkey = next(iter(client.list_profiles(page_size=1))).pkey
    assert pkey is not None
    client.get_opt_out(pkey)
    assert ims.count("POST", route="token") == before + 1, "one exchange, then the cached token"
    time.sleep(2.1)
    client.get_opt_out(pkey)
    assert ims.count("POST", route="token") == before + 2, "the expired token was replaced"


def test_a_wrong_client_secret_is_an_auth_error(ims: Emulator) -> None:
    with pytest.raises(co.AuthError):
        oauth_client(ims, secret="wrong-secret").get_profile("@a")
