"""The shared settings vectors (``tests/vectors/settings.json``) through the public constructors:
``Client(...)`` and ``Client.from_env(environ=...)``, and the same for ``AsyncClient``."""

from __future__ import annotations

import re
from typing import Any, Callable, Union

import pytest

import ccpa_optout as co
from vectors import load

SETTINGS, CASES = load("settings.json", 30)
SECRETS: list[str] = SETTINGS["secrets"]

AnyClient = Union[co.Client, co.AsyncClient]


def snake(name: str) -> str:
    """The Python keyword of a vector key (``maxBodyBytes`` → ``max_body_bytes``)."""
    return re.sub(r"[A-Z]", lambda upper: "_" + upper.group().lower(), name)


def keywords(case: dict[str, Any]) -> dict[str, Any]:
    given = {snake(key): value for key, value in case["settings"].items()}
    if "retry" in given:
        given["retry"] = co.RetryPolicy(**{snake(key): value for key, value in given["retry"].items()})
    if given.pop("token_provider", False):
        given["token_provider"] = lambda: "from-provider"
    return given


def builders(case: dict[str, Any]) -> list[Callable[[], AnyClient]]:
    """Every public way to build the case's client; without ``env``, ``from_env`` over an empty
    environment must agree with the constructor."""
    given, environ = keywords(case), case.get("env", {})
    ways: list[Callable[[], AnyClient]] = [
        lambda: co.Client.from_env(environ, **given),
        lambda: co.AsyncClient.from_env(environ, **given),
    ]
    if "env" not in case:
        ways += [lambda: co.Client(**given), lambda: co.AsyncClient(**given)]
    return ways


def read_back(client: AnyClient) -> dict[str, Any]:
    """What a Python client shows of its settings (credentials stay opaque)."""
    retry = client.retry
    return {
        "organization": client.organization,
        "baseUrl": client.base_url,
        "api": client.api,
        "optOutField": client.opt_out_field,
        "timeout": client.timeout,
        "maxBodyBytes": client.max_body_bytes,
        "retry": {
            "maxAttempts": retry.max_attempts,
            "baseDelay": retry.base_delay,
            "maxDelay": retry.max_delay,
            "maxRetryAfter": retry.max_retry_after,
        },
        "forcePagination": client.force_pagination,
    }


def assert_no_secret(*texts: object) -> None:
    for text in texts:
        for secret in SECRETS:
            assert secret not in str(text), f"{secret!r} shows in {text!r}"


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_the_settings_are_accepted_or_refused_as_the_vectors_say(case: dict[str, Any]) -> None:
    for build in builders(case):
        if "error" in case:
            with pytest.raises(co.ConfigError) as caught:
                build()
            error = caught.value
            assert (error.kind, error.field) == (case["error"]["kind"], case["error"]["field"]), str(error)
            assert_no_secret(str(error), repr(error), vars(error))
        else:
            client = build()
            shown = read_back(client)
            readable = {key: value for key, value in case["expected"].items() if key in shown}
            assert {key: shown[key] for key in readable} == readable
            assert_no_secret(str(client), repr(client))


def test_every_environment_variable_of_the_core_is_read() -> None:
    environ = {
        "CAMPAIGN_STANDARD_TENANT_ID": "acme",
        "CAMPAIGN_STANDARD_API_KEY": "vec-api-key",
        "CAMPAIGN_STANDARD_CLIENT_ID": "vec-client-id",
        "CAMPAIGN_STANDARD_CLIENT_SECRET": "vec-secret",
        "CAMPAIGN_STANDARD_SCOPES": "campaign",
        "CAMPAIGN_STANDARD_TOKEN_URL": "http://127.0.0.1:9/token",
        "CAMPAIGN_STANDARD_BASE_URL": "http://127.0.0.1:8080",
        "CAMPAIGN_STANDARD_API": "profileAndServicesExt",
        "CAMPAIGN_STANDARD_OPT_OUT_FIELD": "cusOptOutCcpa",
    }
    client = co.Client.from_env(environ)
    assert (client.base_url, client.api, client.opt_out_field) == (
        "http://127.0.0.1:8080",
        "profileAndServicesExt",
        "cusOptOutCcpa",
    )
    with pytest.raises(co.ConfigError) as caught:
        co.Client.from_env({**environ, "CAMPAIGN_STANDARD_ACCESS_TOKEN": "vec-token"})
    assert caught.value.field == "accessToken", "the token variable is read too (and conflicts)"


def test_a_keyword_the_client_does_not_know_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="organisation"):
        co.Client(organisation="acme", api_key="k", access_token="t")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="organisation"):
        co.Client(organisation=None, organization="acme", api_key="k", access_token="t")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="timeout"):
        co.AsyncClient(organization="acme", api_key="k", access_token="t", timeout="30")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="organization must be a str"):
        co.Client(organization=42, api_key="k", access_token="t")  # type: ignore[arg-type]


def test_scopes_may_be_a_list_and_none_means_unset() -> None:
    client = co.Client(
        organization="acme",
        api_key="vec-api-key",
        client_secret="vec-secret",
        scopes=["openid", "campaign_sdk"],
        access_token=None,
        base_url=None,
        timeout=None,
    )
    assert (client.base_url, client.timeout) == (co.DEFAULT_BASE_URL, co.DEFAULT_TIMEOUT)
    assert client.retry == co.RetryPolicy(), "the core's default policy"
    assert co.Client(organization="acme", api_key="k", access_token="t", retry=None).retry == co.RetryPolicy.never()
