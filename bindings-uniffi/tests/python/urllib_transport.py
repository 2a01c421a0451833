"""An ``HttpTransport`` for the generated module, written with ``urllib`` as a host app would."""

from __future__ import annotations

import socket
import urllib.error
import urllib.request

import ccpa_optout_uniffi as ffi


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A 3xx goes back to the core as it is: a token must never follow a redirect elsewhere.
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


class UrllibTransport(ffi.HttpTransport):
    """Sends each request exactly as the core built it, honouring its timeout and body cap."""

    def __init__(self) -> None:
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)
        self.sent: list[str] = []

    def send(self, request: ffi.HttpRequest) -> ffi.HttpResponse:
        self.sent.append(f"{request.method()} {request.url()}")
        outgoing = urllib.request.Request(request.url(), data=request.body(), method=request.method())
        for header in request.headers():
            outgoing.add_header(header.name, header.value)
        try:
            answer = self._opener.open(outgoing, timeout=request.timeout_seconds())
        except urllib.error.HTTPError as error:  # a non-2xx answer is still an answer
            answer = error
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, (ConnectionRefusedError, socket.gaierror)):
                raise ffi.HostError.Connect(reason=str(reason)) from error
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise ffi.HostError.Timeout(reason=str(reason)) from error
            raise ffi.HostError.Other(reason=str(reason)) from error
        except (TimeoutError, socket.timeout) as error:
            raise ffi.HostError.Timeout(reason=str(error)) from error
        except OSError as error:  # the connection broke after the request went out
            raise ffi.HostError.Other(reason=str(error)) from error
        with answer:
            limit = request.max_body_bytes()
            body = answer.read(limit + 1)
            if len(body) > limit:
                raise ffi.HostError.BodyTooLarge(reason=f"more than {limit} bytes")
            headers = [ffi.HttpHeader(name=name, value=value) for name, value in answer.headers.items()]
            return ffi.HttpResponse(status=answer.status, headers=headers, body=body)
