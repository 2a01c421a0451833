"""Transports for the tests: the standard-library one, keeping a record of what it sends."""

from __future__ import annotations

import ccpa_optout as co


class RecordingTransport:
    """``StdlibTransport`` that notes each request's method in ``methods`` before sending it."""

    def __init__(self) -> None:
        self.methods: list[str] = []
        self._stdlib = co.StdlibTransport()

    def __call__(self, request: co.Request) -> co.Response:
        self.methods.append(request.method)
        return self._stdlib(request)
