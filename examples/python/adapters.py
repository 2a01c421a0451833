"""Transports for ``requests`` and ``httpx`` (install them yourself; ccpa_optout needs neither).

A transport is any callable ``(Request) -> Response``; raise ``ConnectionRefusedError`` when
nothing was sent, ``TimeoutError`` on a timeout and another ``OSError`` when the connection broke,
so the client's retry policy can tell them apart.
"""

from __future__ import annotations

from typing import Any

import ccpa_optout


def requests_transport(session: Any) -> ccpa_optout.Transport:
    """``Client(transport=requests_transport(requests.Session()), ...)``."""

    def send(request: ccpa_optout.Request) -> ccpa_optout.Response:
        r = session.request(request.method, request.url, headers=dict(request.headers), data=request.body,
                            timeout=request.timeout, allow_redirects=False)
        return ccpa_optout.Response(r.status_code, r.headers.items(), r.content)

    return send


def httpx_transport(client: Any) -> ccpa_optout.AsyncTransport:
    """``AsyncClient(transport=httpx_transport(httpx.AsyncClient()), ...)``."""
    import httpx

    async def send(request: ccpa_optout.Request) -> ccpa_optout.Response:
        try:
            r = await client.request(request.method, request.url, headers=request.headers, content=request.body,
                                     timeout=request.timeout, follow_redirects=False)
        except httpx.ConnectError as error:
            raise ConnectionRefusedError(str(error)) from error
        except httpx.TimeoutException as error:
            raise TimeoutError(str(error)) from error
        except httpx.TransportError as error:
            raise ConnectionError(str(error)) from error
        return ccpa_optout.Response(r.status_code, r.headers.multi_items(), r.content)

    return send
