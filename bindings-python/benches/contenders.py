"""The profile calls written by hand, as someone without this package would: the baselines of
``bench.py`` and ``bulk_loop.py``.

``PlainCalls`` writes get, update, set-opt-out and opt-out-by-email once over a ``send(method,
path, fields)`` function; three senders do the HTTP: ``urllib.request`` (a new connection per
call), a kept-alive ``http.client`` connection, and a ``requests.Session``. Both benches read
the emulator they run against with ``emulator_arguments``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import urllib.request
from typing import Any, Callable, Optional
from urllib.parse import quote, urlsplit

Send = Callable[[str, str, Optional[dict[str, Any]]], Any]


def emulator_arguments(parser: argparse.ArgumentParser) -> None:
    """The positional ``EMULATOR_URL API_KEY TOKEN`` (as ``url``, ``api_key``, ``token``)."""
    parser.add_argument("url")
    parser.add_argument("api_key")
    parser.add_argument("token")


def _headers(api_key: str, token: str, with_body: bool) -> dict[str, str]:
    headers = {
        "Authorization": f"Bearer {token}",
        "X-Api-Key": api_key,
        "Cache-Control": "no-cache",
        "Accept": "application/json",
    }
    if with_body:
        headers["Content-Type"] = "application/json;charset=utf-8"
    return headers


def _collection(base: str, org: str) -> str:
    return f"{base}/{org}/campaign/profileAndServices/profile"


def urllib_sender(base: str, api_key: str, token: str, org: str = "acme") -> Send:
    collection = _collection(base, org)

    def send(method: str, path: str, fields: Optional[dict[str, Any]]) -> Any:
        body = None if fields is None else json.dumps(fields).encode()
        request = urllib.request.Request(
            collection + path, body, _headers(api_key, token, body is not None), method=method
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    return send


def keepalive_sender(base: str, api_key: str, token: str, org: str = "acme") -> Send:
    url = urlsplit(_collection(base, org))
    connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port or 80, timeout=30)

    def send(method: str, path: str, fields: Optional[dict[str, Any]]) -> Any:
        body = None if fields is None else json.dumps(fields).encode()
        connection.request(method, url.path + path, body, _headers(api_key, token, body is not None))
        response = connection.getresponse()
        data = response.read()
        if response.status >= 300:
            raise OSError(f"{method} {response.status}")
        return json.loads(data)

    return send


def requests_sender(base: str, api_key: str, token: str, org: str = "acme") -> Send:
    import requests

    session = requests.Session()
    collection = _collection(base, org)

    def send(method: str, path: str, fields: Optional[dict[str, Any]]) -> Any:
        response = session.request(
            method, collection + path, json=fields, headers=_headers(api_key, token, fields is not None), timeout=30
        )
        response.raise_for_status()
        return response.json()

    return send


class PlainCalls:
    """GET, PATCH, GET + PATCH-if-different, and byEmail + PATCH each match, over one sender."""

    def __init__(self, send: Send) -> None:
        self.send = send

    def get(self, pkey: str) -> Any:
        return self.send("GET", f"/{pkey}", None)

    def update(self, pkey: str, fields: dict[str, Any]) -> Any:
        return self.send("PATCH", f"/{pkey}", fields)

    def set_opt_out(self, pkey: str, value: bool) -> bool:
        if self.get(pkey).get("ccpaOptOut") is value:
            return False
        self.update(pkey, {"ccpaOptOut": value})
        return True

    def opt_out_by_email(self, email: str, value: bool = True) -> int:
        """The number of profiles PATCHed (one byEmail page: the emulator's emails match at most two)."""
        page = self.send("GET", f"/byEmail?email={quote(email, safe='')}", None)
        changed = 0
        for profile in page["content"]:
            if profile.get("ccpaOptOut") is not value:
                self.update(profile["PKey"], {"ccpaOptOut": value})
                changed += 1
        return changed
