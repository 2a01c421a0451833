"""The default transport over real sockets: limits, redirects, connection reuse and failures."""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest

import ccpa_optout as co
from local_server import LocalServer, local_server
from transports import RecordingTransport


@pytest.fixture()
def server() -> LocalServer:
    with local_server() as running:
        yield running  # type: ignore[misc]


def test_headers_and_body_are_sent_as_given(server: LocalServer) -> None:
    transport = co.StdlibTransport()
    request = co.Request(
        "PATCH",
        f"{server.url}/x?email=a%40b.c",
        [("content-type", "application/json;charset=utf-8"), ("x-api-key", "k")],
        b'{"ccpaOptOut": true}',
        timeout=5.0,
    )
    response = transport(request)
    echo = json.loads(response.body)
    assert (response.status, echo["method"], echo["path"]) == (200, "PATCH", "/x?email=a%40b.c")
    assert ["x-api-key", "k"] in echo["headers"]
    assert ["content-length", "20"] in echo["headers"]
    assert echo["body"] == '{"ccpaOptOut": true}'
    transport.close()


def test_a_redirect_is_returned_not_followed(server: LocalServer) -> None:
    response = co.StdlibTransport()(co.Request("GET", f"{server.url}/redirect", [("authorization", "Bearer t")]))
    assert response.status == 302
    assert [path for _, path, _ in server.seen] == ["/redirect"], "the token must not follow a redirect"


def test_a_redirect_is_an_http_error_for_the_client(server: LocalServer) -> None:
    client = co.Client(organization="acme", api_key="k", access_token="t", base_url=f"{server.url}/redirect")
    with pytest.raises(co.HttpError) as caught:
        client.get_profile("@a")
    assert caught.value.status == 302
    assert len(server.seen) == 1 and not server.seen[0][1].startswith("/stolen")


@pytest.mark.parametrize("path", ["/big", "/big-chunked"])
def test_a_body_over_the_cap_is_refused(server: LocalServer, path: str) -> None:
    with pytest.raises(co._transport.ResponseTooLarge):
        co.StdlibTransport()(co.Request("GET", f"{server.url}{path}", max_body_bytes=100_000))
    small = co.StdlibTransport()(co.Request("GET", f"{server.url}{path}", max_body_bytes=3_000_000))
    assert len(small.body) == 2_000_000


def test_the_client_turns_a_too_large_body_into_a_decode_error(server: LocalServer) -> None:
    client = co.Client(
        organization="acme", api_key="k", access_token="t", base_url=f"{server.url}/big",
        max_body_bytes=1000,
        retry=None,
    )
    with pytest.raises(co.DecodeError):
        client.get_profile("@a")


def test_the_timeout_bounds_the_whole_exchange(server: LocalServer) -> None:
    client = co.Client(
        organization="acme", api_key="k", access_token="t", base_url=f"{server.url}/slow", timeout=0.3, retry=None
    )
    started = time.monotonic()
    with pytest.raises(co.TransportError) as caught:
        client.get_profile("@a")
    assert time.monotonic() - started < 1.5
    assert "timed out" in str(caught.value)


def test_connections_are_reused(server: LocalServer) -> None:
    transport = co.StdlibTransport()
    for _ in range(5):
        assert transport(co.Request("GET", f"{server.url}/echo")).status == 200
    assert len({port for _, _, port in server.seen}) == 1


def test_a_connection_closed_while_idle_is_replaced(server: LocalServer) -> None:
    transport = co.StdlibTransport()
    assert transport(co.Request("GET", f"{server.url}/drop-after")).status == 200
    time.sleep(0.05)
    assert transport(co.Request("GET", f"{server.url}/echo")).status == 200
    assert len({port for _, _, port in server.seen}) == 2


def test_threads_can_share_the_transport(server: LocalServer) -> None:
    transport = co.StdlibTransport()
    statuses: list[int] = []

    def work() -> None:
        for _ in range(10):
            statuses.append(transport(co.Request("GET", f"{server.url}/echo")).status)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 40
    assert len({port for _, _, port in server.seen}) <= 4


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_refused_connection_is_retried_even_for_a_create() -> None:
    counting = RecordingTransport()
    calls = counting.methods
    client = co.Client(
        organization="acme",
        api_key="k",
        access_token="t",
        base_url=f"http://127.0.0.1:{closed_port()}",
        transport=counting,
        retry=co.RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.02),
    )
    with pytest.raises(co.TransportError) as caught:
        client.create_profile({"email": "ana@example.com"})
    assert calls[:3] == ["POST", "POST", "POST"], "nothing was sent, so the POST may be repeated"
    # Then the core looks the email up before giving up, in case a create did land.
    assert set(calls[3:]) == {"GET"}
    assert caught.value.retryable
    assert "could not connect" in str(caught.value)
