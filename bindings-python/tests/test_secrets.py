"""No token, API key or client secret in str/repr of anything, in exceptions, or in log records."""

from __future__ import annotations

import logging
from typing import Any

import pytest

import ccpa_optout as co
from emulator import API_KEY, TOKEN, Emulator

SECRET = "py-secret-client-secret"


def assert_clean(*texts: Any) -> None:
    for text in texts:
        for secret in (TOKEN, API_KEY, SECRET):
            assert secret not in str(text), f"a secret leaked into {text!r}"


def test_nothing_leaks_through_repr_errors_or_logs(emulator: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="ccpa_optout")
    client = co.Client(organization="acme", api_key=API_KEY, access_token=TOKEN, base_url=emulator.url)
    oauth = co.Client(organization="acme", api_key=API_KEY, client_secret=SECRET, scopes="campaign")
    assert_clean(repr(client), str(client), repr(oauth), repr(co.ApiConfig(organization="acme", api_key=API_KEY)))
    pkey = next(iter(client.list_profiles(page_size=2))).pkey
    assert pkey
    client.set_opt_out(pkey, True)
    errors: list[BaseException] = []
    for call in (
        lambda: client.get_profile("@missing1234"),
        lambda: co.Client(
            organization="acme", api_key=API_KEY, access_token=TOKEN + "x", base_url=emulator.url
        ).get_profile(pkey),
        lambda: co.Client(organization="acme", api_key=API_KEY, access_token=TOKEN + "\n").get_profile(pkey),
        lambda: co.Client(organization="acme", api_key=API_KEY, access_token=TOKEN, base_url="http://10.0.0.1"),
    ):
        with pytest.raises(co.CcpaOptOutError) as caught:
            call()
        errors.append(caught.value)
    assert_clean(*(repr(e) for e in errors), *(str(e) for e in errors), *(vars(e) for e in errors))
    records = [record.getMessage() for record in caplog.records]
    assert any("PATCH" in line for line in records), "requests are logged at DEBUG"
    assert_clean(*records)


def test_request_repr_hides_credentials_and_the_body() -> None:
    api = co.ApiConfig(organization="acme", api_key=API_KEY)
    request = co.prepare_set_opt_out(api, TOKEN, "@a", True)
    token_request = co.prepare_token_request("client-id", SECRET, "campaign")
    assert_clean(repr(request), repr(token_request))
    assert ("authorization", f"Bearer {TOKEN}") in request.headers, "the transport still gets the real values"


def test_the_issued_token_repr_hides_the_token() -> None:
    answer = co.Response(200, [], b'{"access_token": "py-test-access-token", "expires_in": 60}')
    issued = co.parse_token_response(answer)
    assert issued.access_token == TOKEN and issued.expires_in == 60
    assert_clean(repr(issued))


def test_retries_are_logged_without_secrets(emulator: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="ccpa_optout")
    client = co.Client(
        organization="acme",
        api_key=API_KEY,
        access_token=TOKEN,
        base_url=emulator.url,
        retry=co.RetryPolicy(max_attempts=2, base_delay=0.001),
    )
    emulator.faults({"status": {"503": 1.0}})
    try:
        with pytest.raises(co.ServerError):
            client.find_by_email("ana@example.com")
    finally:
        emulator.faults({})
    retries = [r for r in caplog.records if r.levelno == logging.INFO and "retrying" in r.getMessage()]
    assert len(retries) == 1
    assert "ana@example.com" not in retries[0].getMessage(), "the query (an email) is not logged"
    assert_clean(*(r.getMessage() for r in caplog.records))
