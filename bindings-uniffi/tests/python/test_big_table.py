"""Big tenants through the FFI: above ACS's big-table threshold ``next`` only comes with
``_forcePagination=true``, which byEmail lookups and listings send by default."""

from __future__ import annotations

import json
import unittest

import ccpa_optout_uniffi as ffi
from emulator import API_KEY, ORG, SEED, TOKEN, Emulator
from urllib_transport import UrllibTransport

EMAIL = "shared.household@example.com"
SHARING = 30


class BigTable(unittest.TestCase):
    emulator: Emulator
    client: ffi.CampaignClient

    @classmethod
    def setUpClass(cls) -> None:
        # The seeded profiles plus 30 sharing one email: a table well above a threshold of 10.
        cls.emulator = Emulator("--big-table-threshold", "10")
        api = ffi.ApiConfig(organization=ORG, api_key=API_KEY, base_url=cls.emulator.url)
        cls.client = ffi.CampaignClient(
            api=api, credentials=ffi.Credentials.access_token(TOKEN), transport=UrllibTransport(), options=None
        )
        for i in range(SHARING):
            cls.client.create_profile(json.dumps({"email": EMAIL, "firstName": f"Member{i}", "ccpaOptOut": False}))

    @classmethod
    def tearDownClass(cls) -> None:
        cls.emulator.stop()

    def test_opt_out_by_email_changes_every_match_past_the_first_page(self) -> None:
        changes = self.client.opt_out_by_email(EMAIL)
        self.assertEqual(len({c.pkey for c in changes}), SHARING)
        self.assertTrue(all(c.changed and c.current for c in changes))
        self.assertTrue(all(p.opt_out for p in self.client.find_by_email(EMAIL)))

    def test_list_profiles_yields_every_profile_unless_forcing_is_turned_off(self) -> None:
        listing = self.client.list_profiles()
        pkeys: list[str] = []
        while (page := listing.next_page()) is not None:
            pkeys += [p.pkey for p in page]
        self.assertEqual(len(set(pkeys)), SEED + SHARING)
        unforced = self.client.list_profiles(force_pagination=False)
        first = unforced.next_page()
        self.assertEqual(len(first or []), 25)
        self.assertIsNone(unforced.next_page(), "the emulator drops next on a big table, as ACS does")


if __name__ == "__main__":
    unittest.main()
