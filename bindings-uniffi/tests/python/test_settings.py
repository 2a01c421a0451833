"""The shared client-settings vectors (``tests/vectors/settings.json``) through the FFI's typed
settings: ``ApiConfig``, ``Credentials`` and ``ClientOptions``, checked by the core's
``ClientSettings`` when the client is made."""

from __future__ import annotations

import json
import unittest
import urllib.parse
from typing import Any, Optional

import ccpa_optout_core as core
import ccpa_optout_uniffi as ffi
from vectors import cases, check_error

OAUTH_ONLY = ("clientId", "scopes", "tokenUrl")
CREDENTIALS = ("accessToken", "tokenProvider", "clientSecret")


def unrepresentable(case: dict[str, Any]) -> Optional[str]:
    """Why the typed FFI cannot even express the case's settings, if it cannot."""
    settings = case["settings"]
    given = [key for key in CREDENTIALS if key in settings]
    if "env" in case:
        return "the FFI reads no environment: a mobile app has none"
    if "organization" not in settings:
        return "ApiConfig requires the organization"
    if len(given) != 1:
        return "a Credentials object is exactly one of a token, a provider or OAuth"
    if "clientSecret" not in settings and any(key in settings for key in OAUTH_ONLY):
        return "client ID, scopes and token URL exist only in Credentials.oauth"
    if "clientSecret" in settings and "scopes" not in settings:
        return "Credentials.oauth requires the scopes"
    if "apiKey" not in settings:
        return "ApiConfig requires the API key (with OAuth, the client ID's value)"
    return None


class Provider(ffi.TokenProvider):
    def __init__(self) -> None:
        self.asked = 0

    def access_token(self, refresh: bool) -> str:
        self.asked += 1
        return "vec-token"


class Recorder(ffi.HttpTransport):
    """Answers ACS with ``status`` and ``headers`` (and a profile or an empty byEmail page with
    the settings' opt-out field), and IMS with a token."""

    def __init__(self, settings: dict[str, Any], status: int = 200,
                 headers: Optional[list[tuple[str, str]]] = None) -> None:
        self.field = settings.get("optOutField", "ccpaOptOut")
        self.status = status
        self.headers = headers or []
        self.sent: list[ffi.HttpRequest] = []

    def send(self, request: ffi.HttpRequest) -> ffi.HttpResponse:
        self.sent.append(request)
        if "/ims/token" in request.url():
            body = {"access_token": "vec-token", "token_type": "bearer", "expires_in": 3600}
            return ffi.HttpResponse(status=200, headers=[], body=json.dumps(body).encode())
        found = {"content": []} if "byEmail" in request.url() else {"PKey": "@a", self.field: True}
        body = json.dumps(found).encode()
        headers = [ffi.HttpHeader(name=n, value=v) for n, v in self.headers]
        return ffi.HttpResponse(status=self.status, headers=headers, body=body)


class Sleeps(ffi.Sleeper):
    def __init__(self) -> None:
        self.pauses: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)


class Made:
    """What a case's settings became: the three FFI objects, and a client over ``transport``."""

    def __init__(self, settings: dict[str, Any], transport: Recorder, sleeper: Sleeps) -> None:
        oauth = "clientSecret" in settings
        self.provider = Provider()
        api_key = settings["apiKey"]
        self.api = ffi.ApiConfig(organization=settings["organization"], api_key=api_key,
                                 base_url=settings.get("baseUrl"), api=settings.get("api"),
                                 opt_out_field=settings.get("optOutField"))
        if oauth:
            self.credentials = ffi.Credentials.oauth(
                client_id=settings.get("clientId", api_key), client_secret=settings["clientSecret"],
                scopes=settings["scopes"], token_url=settings.get("tokenUrl"))
        elif settings.get("tokenProvider"):
            self.credentials = ffi.Credentials.token_provider(self.provider)
        else:
            self.credentials = ffi.Credentials.access_token(settings["accessToken"])
        self.options = ffi.ClientOptions(
            timeout_seconds=settings.get("timeout"), max_body_bytes=settings.get("maxBodyBytes"),
            retry=retry_policy(settings.get("retry")), force_pagination=settings.get("forcePagination"))
        self.client = ffi.CampaignClient(api=self.api, credentials=self.credentials,
                                         transport=transport, options=self.options, sleeper=sleeper)

    def printed(self) -> list[str]:
        return [text for thing in (self.api, self.credentials, self.client, self.options)
                for text in (str(thing), repr(thing))]


def retry_policy(retry: Optional[dict[str, Any]]) -> Optional[ffi.RetryPolicy]:
    """The vector's retry settings; the FFI record has every field, so the unset ones take the
    core's defaults."""
    if retry is None:
        return None
    default = ffi.default_retry_policy()
    return ffi.RetryPolicy(
        max_attempts=retry.get("maxAttempts", default.max_attempts),
        base_delay_seconds=retry.get("baseDelay", default.base_delay_seconds),
        max_delay_seconds=retry.get("maxDelay", default.max_delay_seconds),
        max_retry_after_seconds=retry.get("maxRetryAfter", default.max_retry_after_seconds))


def header(request: ffi.HttpRequest, name: str) -> Optional[str]:
    return next((h.value for h in request.headers() if h.name == name), None)


class SettingsVectors(unittest.TestCase):
    def setUp(self) -> None:
        self.document, self.found = cases("settings.json", 30)

    def assert_no_secret(self, texts: list[str]) -> None:
        for text in texts:
            for secret in self.document["secrets"]:
                self.assertNotIn(secret, text)

    def test_every_refused_setting_is_the_vectors_error(self) -> None:
        ran = 0
        for case in (c for c in self.found if "error" in c):
            with self.subTest(case["name"]):
                if unrepresentable(case):
                    continue
                with self.assertRaises(core.CcpaOptOutError) as raised:
                    Made(case["settings"], Recorder(case["settings"]), Sleeps())
                err = raised.exception
                check_error(self, err, case["error"])
                self.assert_no_secret([str(err), repr(err), err.reason, err.description])
                ran += 1
        self.assertGreaterEqual(ran, 14)

    def test_every_accepted_setting_gives_the_client_the_vector_describes(self) -> None:
        ran = 0
        for case in (c for c in self.found if "expected" in c):
            with self.subTest(case["name"]):
                reason = unrepresentable(case)
                if reason:
                    # Out of reach: the environment, and an API key given only as the client ID.
                    self.assertTrue("env" in case or "apiKey" not in case["settings"], reason)
                    continue
                self.check_client(case["settings"], case["expected"])
                ran += 1
        self.assertGreaterEqual(ran, 7)

    def check_client(self, settings: dict[str, Any], expected: dict[str, Any]) -> None:
        transport, sleeper = Recorder(settings), Sleeps()
        made = Made(settings, transport, sleeper)
        self.assert_no_secret(made.printed())
        api = made.api
        self.assertEqual((api.organization(), api.base_url(), api.api(), api.opt_out_field()),
                         (expected["organization"], expected["baseUrl"], expected["api"],
                          expected["optOutField"]))

        made.client.get_opt_out("@a")
        *exchanges, request = transport.sent
        credentials = expected["credentials"]
        if credentials == "oauth":
            [token] = exchanges
            self.assertEqual(token.url(), expected["tokenUrl"])
            form = urllib.parse.parse_qs((token.body() or b"").decode())
            self.assertEqual(form["scope"], [expected["scopes"]])
            self.assertEqual(form["client_id"], [settings[expected["clientIdFrom"]]])
        else:
            self.assertEqual(exchanges, [])
        self.assertEqual(made.provider.asked > 0, credentials == "provider")
        self.assertEqual(header(request, "authorization"), "Bearer vec-token")
        self.assertEqual(header(request, "x-api-key"), settings[expected["apiKeyFrom"]])
        self.assertTrue(request.url().startswith(
            f"{expected['baseUrl']}/{expected['organization']}/campaign/{expected['api']}/profile/"))
        self.assertEqual(request.timeout_seconds(), expected["timeout"])
        self.assertEqual(request.max_body_bytes(), expected["maxBodyBytes"])

        made.client.find_by_email("ana@example.com")
        forced = "_forcePagination=true" in transport.sent[-1].url()
        self.assertEqual(forced, expected["forcePagination"])

        self.check_retries(settings, expected["retry"])

    def check_retries(self, settings: dict[str, Any], retry: dict[str, Any]) -> None:
        # A server that stays down: every attempt is made, with a backoff before each retry.
        down, sleeper = Recorder(settings, status=503), Sleeps()
        with self.assertRaises(core.CcpaOptOutError.Server):
            Made(settings, down, sleeper).client.get_opt_out("@a")
        acs = [r for r in down.sent if "/ims/token" not in r.url()]
        self.assertEqual(len(acs), retry["maxAttempts"])
        self.assertEqual(len(sleeper.pauses), retry["maxAttempts"] - 1)
        first = min(retry["baseDelay"], retry["maxDelay"])
        for pause in sleeper.pauses[:1]:
            self.assertTrue(first / 2 <= pause <= first, f"{pause} for {retry}")
        self.assertTrue(all(pause <= retry["maxDelay"] for pause in sleeper.pauses))
        # A Retry-After beyond the longest honoured one ends the retries at once.
        beyond = str(int(retry["maxRetryAfter"]) + 2)
        limited = Recorder(settings, status=429, headers=[("Retry-After", beyond)])
        with self.assertRaises(core.CcpaOptOutError.RateLimited):
            Made(settings, limited, Sleeps()).client.get_opt_out("@a")
        self.assertEqual(len([r for r in limited.sent if "/ims/token" not in r.url()]), 1)


if __name__ == "__main__":
    unittest.main()
