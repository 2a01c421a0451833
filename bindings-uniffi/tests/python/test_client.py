"""``CampaignClient`` through the FFI against the emulator, HTTP done by a Python transport."""

from __future__ import annotations

import json
import socket
import threading
import unittest

import ccpa_optout_core as core
import ccpa_optout_uniffi as ffi
from emulator import API_KEY, CLIENT_SECRET, ORG, SEED, TOKEN, Emulator
from urllib_transport import UrllibTransport

EMULATOR: Emulator


def setUpModule() -> None:
    global EMULATOR
    EMULATOR = Emulator()


def tearDownModule() -> None:
    EMULATOR.stop()


def client(transport: ffi.HttpTransport | None = None, credentials: ffi.Credentials | None = None,
           **options: object) -> ffi.CampaignClient:
    api = ffi.ApiConfig(organization=ORG, api_key=API_KEY, base_url=EMULATOR.url)
    return ffi.CampaignClient(
        api=api,
        credentials=credentials or ffi.Credentials.access_token(TOKEN),
        transport=transport or UrllibTransport(),
        options=ffi.ClientOptions(**options) if options else None,
    )


def fast_retries(attempts: int) -> ffi.RetryPolicy:
    return ffi.RetryPolicy(max_attempts=attempts, base_delay_seconds=0.001,
                           max_delay_seconds=0.005, max_retry_after_seconds=1.0)


class CountingSleeper(ffi.Sleeper):
    def __init__(self) -> None:
        self.pauses: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)


class Operations(unittest.TestCase):
    def setUp(self) -> None:
        EMULATOR.reset()
        self.client = client()
        listing = self.client.list_profiles(page_size=SEED)
        self.seed = listing.next_page()
        assert self.seed is not None and len(self.seed) == SEED

    def test_set_opt_out_patches_once_and_is_idempotent(self) -> None:
        pkey = next(p.pkey for p in self.seed if p.opt_out is False)
        first = self.client.set_opt_out(pkey, True)
        self.assertEqual(first, core.OptOutChange(pkey=pkey, previous=False, current=True, changed=True))
        again = self.client.set_opt_out(pkey, True)
        self.assertFalse(again.changed)
        self.assertEqual(again.previous, True)
        self.assertTrue(self.client.get_opt_out(pkey))
        self.assertEqual(EMULATOR.count("PATCH"), 1)

    def test_a_profile_keeps_every_field_in_its_json(self) -> None:
        profile = self.client.get_profile(self.seed[0].pkey)
        fields = json.loads(profile.json)
        self.assertEqual(fields["PKey"], profile.pkey)
        self.assertEqual(fields["email"], profile.email)
        self.assertEqual(fields["ccpaOptOut"], profile.opt_out)
        # Fields the record does not type are kept too (the emulator fills every ACS default).
        self.assertIn("gender", fields)
        self.assertIn("lastModified", fields)

    def test_opt_out_by_email_writes_every_profile_with_that_email(self) -> None:
        email = self.seed[8].email  # profiles 8 and 9 share an email
        found = self.client.find_by_email(email)
        self.assertEqual({p.pkey for p in found}, {self.seed[8].pkey, self.seed[9].pkey})
        changes = self.client.opt_out_by_email(email)
        self.assertEqual(sorted(c.pkey for c in changes), sorted(p.pkey for p in found))
        self.assertTrue(all(c.current for c in changes))
        for profile in found:
            self.assertTrue(self.client.get_opt_out(profile.pkey))
        self.assertEqual(self.client.find_by_email("nobody@example.com"), [])

    def test_create_update_delete(self) -> None:
        created = self.client.create_profile(
            json.dumps({"email": "ana.uniffi@example.com", "firstName": "Ana", "ccpaOptOut": True})
        )
        self.assertTrue(created.pkey.startswith("@"))
        self.assertEqual((created.first_name, created.opt_out), ("Ana", True))
        ack = self.client.update_profile(created.pkey, json.dumps({"lastName": "Lopez"}))
        self.assertEqual(ack.pkey, created.pkey)
        self.assertEqual(self.client.get_profile(created.pkey).last_name, "Lopez")
        self.client.delete_profile(created.pkey)
        with self.assertRaises(core.CcpaOptOutError.NotFound) as raised:
            self.client.get_profile(created.pkey)
        self.assertEqual(raised.exception.status, 404)
        self.assertEqual(EMULATOR.count("POST", "profile"), 1)

    def test_a_listing_reads_every_profile_once_page_by_page(self) -> None:
        listing = self.client.list_profiles(page_size=20, order="email desc")
        sizes, pkeys = [], []
        while (page := listing.next_page()) is not None:
            sizes.append(len(page))
            pkeys += [p.pkey for p in page]
        self.assertEqual(sizes, [20, 20, 10])
        self.assertEqual(len(set(pkeys)), SEED)
        self.assertTrue(listing.is_done())
        self.assertIsNone(listing.next_page())
        emails = [p.email for p in self.client.list_profiles(page_size=SEED, order="email desc").next_page()]
        self.assertEqual(emails, sorted(emails, reverse=True))

    def test_two_threads_asking_one_listing_at_once_read_two_different_pages(self) -> None:
        listing = self.client.list_profiles(page_size=20)
        EMULATOR.reset()
        EMULATOR.faults({"latency_ms": [200, 200]})  # both calls are in flight together
        start = threading.Barrier(2)
        pages: list[list[str]] = []

        def read() -> None:
            start.wait(10)
            page = listing.next_page()
            pages.append([p.pkey for p in page or []])

        threads = [threading.Thread(target=read) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        self.assertEqual(sorted(len(page) for page in pages), [20, 20])
        self.assertEqual(len(set(pages[0]) | set(pages[1])), 40, "the same page was read twice")
        self.assertEqual(EMULATOR.count("GET", "profile"), 2)
        last = listing.next_page()
        self.assertEqual(len(last or []), SEED - 40)
        self.assertIsNone(listing.next_page())

    def test_profile_metadata_knows_the_opt_out_field(self) -> None:
        metadata = self.client.profile_metadata()
        self.assertTrue(metadata.opt_out_field_ok)
        self.assertIn(ffi.MetadataField(name="ccpaOptOut", field_type="boolean"), metadata.fields)

    def test_apply_signals_opts_out_and_explains_why(self) -> None:
        target = next(p for p in self.seed if p.opt_out is False and p.email != self.seed[8].email)
        applied = self.client.apply_signals(target.email, gpc=True, usp="1YNN")
        self.assertEqual(applied.decision.value, True)
        self.assertEqual(len(applied.decision.reasons), 3)  # gpc, usp and the conflict note
        self.assertEqual([(c.pkey, c.changed) for c in applied.changes], [(target.pkey, True)])
        nothing = self.client.apply_signals(target.pkey)
        self.assertEqual((nothing.decision.value, nothing.changes), (None, []))

    def test_apply_signals_honours_gpc_beside_a_usp_it_cannot_read(self) -> None:
        target = next(p for p in self.seed if p.opt_out is False and p.email != self.seed[8].email
                      and self.client.get_opt_out(p.pkey) is False)
        applied = self.client.apply_signals(target.pkey, gpc=True, usp="1Y-N")
        self.assertEqual(applied.decision.value, True)
        self.assertTrue(applied.decision.reasons[1].is_UNREADABLE())
        self.assertEqual([(c.pkey, c.changed) for c in applied.changes], [(target.pkey, True)])


class Retries(unittest.TestCase):
    def setUp(self) -> None:
        EMULATOR.reset()
        self.pkey = client().list_profiles(page_size=1).next_page()[0].pkey
        EMULATOR.reset()

    def test_injected_503s_are_retried_until_every_call_succeeds(self) -> None:
        EMULATOR.faults({"status": {"503": 0.5}})
        sleeper = CountingSleeper()
        api = ffi.ApiConfig(organization=ORG, api_key=API_KEY, base_url=EMULATOR.url)
        retrying = ffi.CampaignClient(
            api=api, credentials=ffi.Credentials.access_token(TOKEN), transport=UrllibTransport(),
            options=ffi.ClientOptions(retry=fast_retries(12)), sleeper=sleeper,
        )
        for _ in range(20):
            self.assertIsInstance(retrying.get_opt_out(self.pkey), bool)
        failed = EMULATOR.count("GET", "profile", 503)
        self.assertEqual(EMULATOR.count("GET", "profile", 200), 20)
        self.assertGreater(failed, 0)
        self.assertEqual(len(sleeper.pauses), failed)  # one backoff before each retry

    def test_a_server_that_stays_down_is_a_retryable_server_error(self) -> None:
        EMULATOR.faults({"status": {"503": 1.0}})
        with self.assertRaises(core.CcpaOptOutError.Server) as raised:
            client(retry=fast_retries(3)).get_opt_out(self.pkey)
        err = raised.exception
        self.assertEqual((err.status, err.retryable, err.kind()), (503, True, "Server"))
        self.assertEqual(EMULATOR.count("GET", "profile", 503), 3)

    def test_a_refused_connection_is_a_transport_error(self) -> None:
        with socket.socket() as probe:  # a port nobody listens on
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        api = ffi.ApiConfig(organization=ORG, api_key=API_KEY, base_url=f"http://127.0.0.1:{port}")
        closed = ffi.CampaignClient(api=api, credentials=ffi.Credentials.access_token(TOKEN),
                                    transport=UrllibTransport(),
                                    options=ffi.ClientOptions(retry=fast_retries(2)))
        with self.assertRaises(core.CcpaOptOutError.Transport) as raised:
            closed.get_opt_out(self.pkey)
        self.assertEqual(raised.exception.kind(), "Transport")


class Errors(unittest.TestCase):
    def setUp(self) -> None:
        EMULATOR.reset()

    def test_a_refused_token_is_an_auth_error_with_the_vendor_code(self) -> None:
        with self.assertRaises(core.CcpaOptOutError.Auth) as raised:
            client(credentials=ffi.Credentials.access_token("not-the-token")).get_opt_out("@nobody")
        err = raised.exception
        self.assertEqual((err.status, err.error_code, err.retryable), (401, "401013", False))
        self.assertNotIn("not-the-token", str(err))

    def test_bad_input_is_refused_before_anything_is_sent(self) -> None:
        c = client()
        with self.assertRaises(core.CcpaOptOutError.Validation) as raised:
            c.set_opt_out("../admin", True)
        self.assertEqual(raised.exception.field, "pkey")
        with self.assertRaises(core.CcpaOptOutError.Validation) as raised:
            c.update_profile("@a", "{}")
        self.assertEqual(raised.exception.field, "fields")
        with self.assertRaises(core.CcpaOptOutError.Validation) as raised:
            c.list_profiles(page_size=0)
        self.assertEqual(raised.exception.field, "pageSize")
        # A signal that cannot be read is a reason, not an error; with nothing readable left,
        # nothing is sent.
        applied = c.apply_signals("ana@example.com", usp="1Y-N")
        self.assertIsNone(applied.decision.value)
        self.assertTrue(applied.decision.reasons[0].is_UNREADABLE())
        self.assertEqual(EMULATOR.count(), 0)

    def test_bad_configuration_is_a_config_error(self) -> None:
        with self.assertRaises(core.CcpaOptOutError.Config) as raised:
            ffi.ApiConfig(organization=ORG, api_key=API_KEY, base_url="http://mc.example.com")
        self.assertEqual(raised.exception.field, "baseUrl")
        with self.assertRaises(core.CcpaOptOutError.Config):
            client(timeout_seconds=0.0)
        with self.assertRaises(core.CcpaOptOutError.Config) as raised:
            ffi.Credentials.oauth(client_id=API_KEY, client_secret=CLIENT_SECRET, scopes=" ")
        self.assertEqual(raised.exception.field, "scopes")
        with self.assertRaises(core.CcpaOptOutError.Config) as raised:
            ffi.Credentials.access_token("")
        self.assertEqual(raised.exception.field, "accessToken")

    def test_a_transport_that_fails_unexpectedly_is_a_transport_error(self) -> None:
        class Broken(ffi.HttpTransport):
            def send(self, request: ffi.HttpRequest) -> ffi.HttpResponse:
                raise RuntimeError("socket layer exploded")

        with self.assertRaises(core.CcpaOptOutError.Transport) as raised:
            client(Broken(), retry=fast_retries(1)).get_opt_out("@a")
        self.assertIn("socket layer exploded", raised.exception.reason)

    def test_printing_configuration_and_requests_never_shows_a_secret(self) -> None:
        api = ffi.ApiConfig(organization=ORG, api_key=API_KEY, base_url=EMULATOR.url)
        request = ffi.prepare_get_profile(api, TOKEN, "@a")
        oauth = ffi.Credentials.oauth(client_id=API_KEY, client_secret=CLIENT_SECRET, scopes="campaign")
        printed = [str(api), repr(api), str(request), repr(request), repr(client()),
                   str(ffi.Credentials.access_token(TOKEN)), str(oauth)]
        for text in printed:
            for secret in (API_KEY, TOKEN, CLIENT_SECRET):
                self.assertNotIn(secret, text)
        self.assertIn(("authorization", f"Bearer {TOKEN}"),
                      [(h.name, h.value) for h in request.headers()])


class Tokens(unittest.TestCase):
    def setUp(self) -> None:
        EMULATOR.reset()
        self.pkey = client().list_profiles(page_size=1).next_page()[0].pkey
        EMULATOR.reset()

    def oauth(self) -> ffi.Credentials:
        return ffi.Credentials.oauth(client_id=API_KEY, client_secret=CLIENT_SECRET,
                                     scopes="campaign", token_url=f"{EMULATOR.url}/ims/token/v3")

    def test_oauth_tokens_are_fetched_once_and_reused(self) -> None:
        c = client(credentials=self.oauth())
        c.get_opt_out(self.pkey)
        c.get_opt_out(self.pkey)
        self.assertEqual(EMULATOR.count("POST", "token", 200), 1)

    def test_calls_from_many_threads_share_one_token_exchange(self) -> None:
        EMULATOR.faults({"latency_ms": [100, 100]})  # keeps the exchange in flight while others wait
        sleeper = CountingSleeper()
        api = ffi.ApiConfig(organization=ORG, api_key=API_KEY, base_url=EMULATOR.url)
        c = ffi.CampaignClient(api=api, credentials=self.oauth(), transport=UrllibTransport(),
                               sleeper=sleeper)
        results: list[object] = []
        threads = [threading.Thread(target=lambda: results.append(c.get_opt_out(self.pkey)))
                   for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        self.assertEqual(len(results), 4)
        self.assertTrue(all(isinstance(r, bool) for r in results))
        self.assertEqual(EMULATOR.count("POST", "token"), 1)
        # The calls that found the exchange in flight waited for it with their threads parked,
        # not through the sleeper: no request failed, so nothing paused at all.
        self.assertEqual(sleeper.pauses, [])

    def test_a_token_provider_is_asked_again_after_a_401(self) -> None:
        class Provider(ffi.TokenProvider):
            def __init__(self) -> None:
                self.asked: list[bool] = []

            def access_token(self, refresh: bool) -> str:
                self.asked.append(refresh)
                return TOKEN if refresh else "stale-token"

        provider = Provider()
        self.assertIsInstance(
            client(credentials=ffi.Credentials.token_provider(provider)).get_opt_out(self.pkey), bool
        )
        self.assertEqual(provider.asked, [False, True])
        self.assertEqual(EMULATOR.count("GET", "profile", 401), 1)

    def test_a_failing_token_provider_is_a_config_error(self) -> None:
        class Locked(ffi.TokenProvider):
            def access_token(self, refresh: bool) -> str:
                raise ffi.HostError.Other(reason="keychain locked")

        with self.assertRaises(core.CcpaOptOutError.Config) as raised:
            client(credentials=ffi.Credentials.token_provider(Locked())).get_opt_out(self.pkey)
        self.assertEqual(raised.exception.field, "accessToken")
        self.assertIn("keychain locked", raised.exception.reason)
        self.assertEqual(EMULATOR.count(), 0)


if __name__ == "__main__":
    unittest.main()
