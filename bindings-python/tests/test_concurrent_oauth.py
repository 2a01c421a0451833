"""Many calls at once sharing one OAuth token: the first call fetches it, the others wait for it
(through the host, never stalling), whether they run as asyncio tasks or in threads."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from urllib.parse import parse_qs

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


def test_asyncio_tasks_share_one_token_exchange() -> None:
    exchanges: list[str] = []

    async def transport(request: co.Request) -> co.Response:
        await asyncio.sleep(0.05 if request.url == TOKEN_URL else 0.001)
        return answer(request, exchanges)

    async def main() -> list[bool]:
        client = co.AsyncClient(transport=transport, **oauth_settings())  # type: ignore[arg-type]
        return await asyncio.gather(*(client.get_opt_out(f"@p{i}") for i in range(8)))

    assert asyncio.run(main()) == [True] * 8
    assert exchanges == ["token"], "one exchange for all eight calls"


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
