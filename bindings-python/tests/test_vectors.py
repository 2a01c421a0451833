"""The shared conformance vectors (requests, responses, bad inputs), run through the sans-IO
functions and through the client, so Python behaves exactly like the Rust core."""

from __future__ import annotations

import json
from typing import Any, NoReturn

import pytest

import ccpa_optout as co
from vectors import (
    assert_as_the_vector_says,
    assert_error,
    call,
    case_config,
    client_for,
    client_supports,
    ids,
    load,
    prepare,
    response_of,
    sorted_headers,
)

REQUESTS, REQUEST_CASES = load("requests.json", 40)
RESPONSES, RESPONSE_CASES = load("responses.json", 30)
BAD, BAD_CASES = load("bad_input.json", 30)


def assert_request(request: co.Request, expected: dict[str, Any]) -> None:
    assert request.method == expected["method"]
    assert request.url == expected["url"]
    assert sorted_headers(request.headers) == sorted_headers(expected["headers"])
    if "form" in expected:
        assert request.body is not None and request.body.decode() == expected["form"]
    elif expected["body"] is None:
        assert request.body is None, "GET/DELETE must not carry a body"
    else:
        assert request.body is not None
        assert json.loads(request.body) == expected["body"]


@pytest.mark.parametrize("case", REQUEST_CASES, ids=ids(REQUEST_CASES))
def test_prepare_builds_the_expected_request(case: dict[str, Any]) -> None:
    request = prepare(case_config(REQUESTS, case), case["operation"], case["input"])
    assert_request(request, case["expected"])


class Captured(Exception):
    """Stops an operation once the request under test has been seen."""


CLIENT_CASES = [c for c in REQUEST_CASES if client_supports(c["operation"], c["input"])]


@pytest.mark.parametrize("case", CLIENT_CASES, ids=ids(CLIENT_CASES))
def test_the_client_sends_the_expected_request(case: dict[str, Any]) -> None:
    operation, given = case["operation"], case["input"]
    config = case_config(REQUESTS, case)
    seen: list[co.Request] = []

    def transport(request: co.Request) -> co.Response:
        seen.append(request)
        if operation == "setOptOut" and request.method == "GET":
            # The opposite value, so the idempotent write has something to PATCH.
            current = {"PKey": given["pkey"], config["optOutField"]: not given["optOut"]}
            return co.Response(200, [("content-type", "application/json")], json.dumps(current).encode())
        raise Captured

    client = client_for(config, operation, given, transport)
    action = call(client, operation, given)
    assert action is not None
    with pytest.raises(Captured):
        action()
    assert_request(seen[-1], case["expected"])


@pytest.mark.parametrize("case", BAD_CASES, ids=ids(BAD_CASES))
def test_prepare_refuses_bad_input(case: dict[str, Any]) -> None:
    with pytest.raises(co.CcpaOptOutError) as caught:
        prepare(case_config(BAD, case), case["operation"], case["input"])
    assert_error(caught.value, case["error"])
    if case["error"]["kind"] == "Validation":
        assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("case", BAD_CASES, ids=ids(BAD_CASES))
def test_the_client_refuses_bad_input_without_sending(case: dict[str, Any]) -> None:
    operation, given = case["operation"], case["input"]

    def transport(request: co.Request) -> NoReturn:
        pytest.fail(f"a request was sent for bad input: {request.method} {request.url}")

    with pytest.raises(co.CcpaOptOutError) as caught:
        client = client_for(case_config(BAD, case), operation, given, transport)
        action = call(client, operation, given)
        if action is None:
            prepare(case_config(BAD, case), operation, given)
        else:
            action()
    assert_error(caught.value, case["error"])


def parsed(case: dict[str, Any]) -> Any:
    response = response_of(case)
    field = case.get("optOutField", "ccpaOptOut")
    kind = case["parse"]
    if kind == "profile":
        profile = co.parse_profile(response, field)
        return {"profile": dict(profile), "optOut": profile.opt_out}
    if kind == "page":
        page = co.parse_profile_page(response, field)
        return {"content": [dict(p) for p in page.content], "next": page.next, "count": page.count}
    if kind == "patchAck":
        ack = co.parse_patch_ack(response)
        return None if ack is None else {"PKey": ack.pkey, "href": ack.href}
    if kind == "delete":
        return co.parse_delete(response)
    if kind == "count":
        return co.parse_count(response)
    if kind == "metadata":
        metadata = co.parse_profile_metadata(response, field)
        return {"fields": dict(metadata.fields), "optOutFieldOk": metadata.opt_out_field_ok}
    if kind == "token":
        return {"expiresIn": co.parse_token_response(response).expires_in}
    raise AssertionError(f"unknown parser {kind}")


@pytest.mark.parametrize("case", RESPONSE_CASES, ids=ids(RESPONSE_CASES))
def test_parse_reads_the_answer(case: dict[str, Any]) -> None:
    assert_as_the_vector_says(case, lambda: parsed(case))


PROFILE_CASES = [case for case in RESPONSE_CASES if case["parse"] == "profile"]


@pytest.mark.parametrize("case", PROFILE_CASES, ids=ids(PROFILE_CASES))
def test_the_client_reads_the_answer_like_the_parser(case: dict[str, Any]) -> None:
    field = case.get("optOutField", "ccpaOptOut")
    client = co.Client(
        organization="acme",
        api_key="vec-api-key",
        access_token="vec-access-token",
        opt_out_field=field,
        transport=lambda request: response_of(case),
        retry=None,
    )
    if "error" in case:
        with pytest.raises(co.CcpaOptOutError) as caught:
            client.get_profile("@a")
        expected = {k: v for k, v in case["error"].items() if k in ("kind", "status", "errorCode", "field")}
        assert_error(caught.value, expected)
    else:
        profile = client.get_profile("@a")
        assert dict(profile) == case["expected"]["profile"]
        assert profile.opt_out == case["expected"]["optOut"]


def test_error_from_response_returns_the_typed_exception() -> None:
    error = co.error_from_response(co.Response(404, [], b"RST-360011 not found"))
    assert isinstance(error, co.NotFoundError)
    assert (error.status, error.error_code, error.retryable) == (404, "RST-360011", False)
    with pytest.raises(co.NotFoundError):
        co.check_status(co.Response(404, [], b""))
    co.check_status(co.Response(204))
