"""Loading the shared conformance vectors of ``tests/vectors`` and running one case either way:
through the sans-IO functions, or through a ``Client`` whose transport records what it is given."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Optional, TypeVar

import pytest

import ccpa_optout as co

VECTORS = Path(__file__).resolve().parents[2] / "tests" / "vectors"

T = TypeVar("T")


def load(name: str, minimum: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    data = json.loads((VECTORS / name).read_text(encoding="utf-8"))
    cases = data["cases"]
    assert len(cases) >= minimum, f"{name}: expected at least {minimum} cases, found {len(cases)}"
    return data, cases


def ids(cases: list[dict[str, Any]]) -> list[str]:
    return [case["name"] for case in cases]


def assert_error(error: co.CcpaOptOutError, expected: dict[str, Any]) -> None:
    assert error.kind == expected["kind"], str(error)
    assert type(error).kind == expected["kind"]
    if "field" in expected:
        assert error.field == expected["field"]
    if "status" in expected:
        assert error.status == expected["status"]
    if "errorCode" in expected:
        assert error.error_code == expected["errorCode"]
    if "retryAfter" in expected:
        assert error.retry_after == expected["retryAfter"]
    if "retryable" in expected:
        assert error.retryable is expected["retryable"]


def assert_as_the_vector_says(case: dict[str, Any], run: Callable[[], T], read: Callable[[T], Any] = lambda x: x) -> None:
    """``run()`` raises the case's ``error``, or gives what ``read`` turns into its ``expected``."""
    if "error" in case:
        with pytest.raises(co.CcpaOptOutError) as caught:
            run()
        assert_error(caught.value, case["error"])
    else:
        assert read(run()) == case["expected"]


def case_config(data: dict[str, Any], case: dict[str, Any]) -> dict[str, Any]:
    config = dict(data.get("config") or {})
    config.update(case.get("config") or {})
    return config


def prepare(config: dict[str, Any], operation: str, given: dict[str, Any]) -> co.Request:
    """The request as the sans-IO ``prepare_*`` functions build it."""
    if operation == "tokenRequest":
        return co.prepare_token_request(
            given["clientId"], given["clientSecret"], given["scopes"], given.get("tokenUrl")
        )
    api = co.ApiConfig(
        organization=config["organization"],
        api_key=config["apiKey"],
        base_url=config["baseUrl"],
        api=config["api"],
        opt_out_field=config["optOutField"],
    )
    token = config["accessToken"]
    if operation == "getProfile":
        return co.prepare_get_profile(api, token, given["pkey"])
    if operation == "findByEmail":
        return co.prepare_find_by_email(
            api, token, given["email"], given.get("pageSize"), given.get("order"), given.get("forcePagination", True)
        )
    if operation == "listProfiles":
        return co.prepare_list_profiles(
            api, token, given.get("pageSize"), given.get("order"), given.get("forcePagination", True)
        )
    if operation == "followHref":
        return co.prepare_follow_href(api, token, given["href"])
    if operation == "createProfile":
        return co.prepare_create_profile(api, token, given["fields"])
    if operation == "setOptOut":
        return co.prepare_set_opt_out(api, token, given["pkey"], given["optOut"])
    if operation == "updateProfile":
        return co.prepare_update_profile(api, token, given["pkey"], given["fields"])
    if operation == "deleteProfile":
        return co.prepare_delete_profile(api, token, given["pkey"])
    if operation == "profileMetadata":
        return co.prepare_profile_metadata(api, token)
    raise AssertionError(f"unknown operation {operation}")


def client_for(config: dict[str, Any], operation: str, given: dict[str, Any], transport: co.Transport) -> co.Client:
    """A client configured like the case; OAuth for ``tokenRequest``. Retries are off."""
    settings: dict[str, Any] = dict(
        organization=config["organization"],
        api_key=config["apiKey"],
        base_url=config["baseUrl"],
        api=config["api"],
        opt_out_field=config["optOutField"],
        transport=transport,
        retry=None,
    )
    if operation == "tokenRequest":
        settings.update(
            client_id=given["clientId"],
            client_secret=given["clientSecret"],
            scopes=given["scopes"],
            token_url=given.get("tokenUrl"),
        )
    else:
        settings["access_token"] = config["accessToken"]
    return co.Client(**settings)


def client_supports(operation: str, given: dict[str, Any]) -> bool:
    """Whether a client method performs this case (``followHref`` is internal to listings, and
    ``find_by_email`` reads every page at the server's page size, always forcing pagination)."""
    return operation != "followHref" and not (
        operation == "findByEmail" and ("pageSize" in given or "forcePagination" in given)
    )


def call(client: co.Client, operation: str, given: dict[str, Any]) -> Optional[Callable[[], Any]]:
    """The client call that performs ``operation`` (``None`` when it is sans-IO only)."""
    if not client_supports(operation, given):
        return None
    calls: dict[str, Callable[[], Any]] = {
        "getProfile": lambda: client.get_profile(given["pkey"]),
        "findByEmail": lambda: client.find_by_email(given["email"]),
        "listProfiles": lambda: next(
            client.list_profiles(
                given.get("pageSize"), given.get("order"), force_pagination=given.get("forcePagination", True)
            )
        ),
        "createProfile": lambda: client.create_profile(given["fields"]),
        "setOptOut": lambda: client.set_opt_out(given["pkey"], given["optOut"]),
        "updateProfile": lambda: client.update_profile(given["pkey"], given["fields"]),
        "deleteProfile": lambda: client.delete_profile(given["pkey"]),
        "profileMetadata": lambda: client.profile_metadata(),
        "tokenRequest": lambda: client.get_profile("@a"),
    }
    return calls.get(operation)


def sorted_headers(headers: Any) -> list[tuple[str, str]]:
    return sorted((str(name), str(value)) for name, value in headers)


def response_of(case: dict[str, Any]) -> co.Response:
    return co.Response(case["status"], [tuple(pair) for pair in case["headers"]], case["body"].encode())
