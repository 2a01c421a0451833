"""Many calls at once sharing one OAuth token: the first call fetches it, the others wait for it
(through the host, never stalling), whether they run as asyncio tasks or in threads."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from urllib.parse import parse_qs

import pytest

import ccpa_optout as co

TOKEN_URL = "http://127.0.0.1:9/ims/token/v3"
SECRET = "oauth-secret-value-123"


def answer(request: co.Request, exchanges: list[str]) -> co.Response:
    if request.url == TOKEN_URL:
        form = parse_qs((request.body or b"").decode())
        assert form["client_secret"] == [SECRET]
        exchanges.append("token")
        body = {"access_token": f"issued-{len(exchanges)}", "token_type": "bearer", "expires_in": 3600}
        return co.Response(200, [("content-type", "application/json")], json.dumps(body).encode())
    assert ("authorization", "Bearer issued-1") in request.headers
    pkey = request.url.rsplit("/", 1)[1]
    return co.Response(200, [], json.dumps({"PKey": pkey, "ccpaOptOut": True}).encode())


def oauth_settings() -> dict[str, object]:
    return dict(
        organization="acme",
        api_key="client-id",
        client_secret=SECRET,
        scopes=["openid", "campaign_sdk"],
        token_url=TOKEN_URL,
        base_url="http://127.0.0.1:9",
    )


def test_asyncio_tasks_share_one_token_exchange(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="ccpa_optout")
    exchanges: list[str] = []

    async def transport(request: co.Request) -> co.Response:
        await asyncio.sleep(0.05 if request.url == TOKEN_URL else 0.001)
        return answer(request, exchanges)

    async def main() -> list[bool]:
        client = co.AsyncClient(transport=transport, **oauth_settings())  # type: ignore[arg-type]
        return await asyncio.gather(*(client.get_opt_out(f"@p{i}") for i in range(8)))

    assert asyncio.run(main()) == [True] * 8
    assert exchanges == ["token"], "one exchange for all eight calls"
    # The waiting calls pause through the host's sleep; those pauses are not logged as retries.
    assert [r.getMessage() for r in caplog.records if "retrying" in r.getMessage()] == []


def test_threads_share_one_token_exchange() -> None:
    exchanges: list[str] = []
    lock = threading.Lock()

    def transport(request: co.Request) -> co.Response:
        time.sleep(0.05 if request.url == TOKEN_URL else 0.001)
        with lock:
            return answer(request, exchanges)

    client = co.Client(transport=transport, **oauth_settings())  # type: ignore[arg-type]
    results: list[bool] = []
    threads = [threading.Thread(target=lambda i=i: results.append(client.get_opt_out(f"@t{i}"))) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [True] * 6
    assert exchanges == ["token"]


def test_calls_refused_together_share_one_refresh_and_log_one_retry_each(caplog: pytest.LogCaptureFixture) -> None:
    # Both calls get a 401 for the first token; the first to see it fetches a new one while the
    # other pauses (several short sleeps) until it is there. Those pauses are one wait for the
    # refresh, logged once per refused exchange, not once per pause.
    caplog.set_level(logging.INFO, logger="ccpa_optout")
    exchanges: list[str] = []

    async def transport(request: co.Request) -> co.Response:
        if request.url == TOKEN_URL:
            await asyncio.sleep(0.05)
            exchanges.append("token")
            body = {"access_token": f"issued-{len(exchanges)}", "token_type": "bearer", "expires_in": 3600}
            return co.Response(200, [], json.dumps(body).encode())
        await asyncio.sleep(0.03)
        if ("authorization", "Bearer issued-1") in request.headers:
            return co.Response(401, [], b'{"error_code": "401013", "message": "Oauth token is not valid"}')
        pkey = request.url.rsplit("/", 1)[1]
        return co.Response(200, [], json.dumps({"PKey": pkey, "ccpaOptOut": False}).encode())

    async def main() -> list[bool]:
        client = co.AsyncClient(transport=transport, **oauth_settings())  # type: ignore[arg-type]
        return await asyncio.gather(client.get_opt_out("@a"), client.get_opt_out("@b"))

    assert asyncio.run(main()) == [False, False]
    assert exchanges == ["token", "token"], "one exchange, then one refresh shared by both calls"
    retries = [r.getMessage() for r in caplog.records if "retrying" in r.getMessage()]
    assert len(retries) <= 2 and all("after HTTP 401" in line for line in retries), retries
