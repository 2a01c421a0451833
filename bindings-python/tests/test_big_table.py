"""Big tenants: above ACS's big-table threshold ``next`` only comes with ``_forcePagination=true``,
which byEmail lookups and listings send by default (emulator threshold 10, 30 profiles)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

import ccpa_optout as co
from emulator import API_KEY, TOKEN, Emulator

EMAIL = "shared.household@example.com"


@pytest.fixture(scope="module")
def big_table() -> Iterator[Emulator]:
    running = Emulator("--big-table-threshold", "10")
    with co.Client(organization="acme", api_key=API_KEY, access_token=TOKEN, base_url=running.url) as client:
        for i in range(30):
            client.create_profile({"email": EMAIL, "firstName": f"Member{i}", "ccpaOptOut": False})
    yield running
    running.stop()


def client_for(emulator: Emulator) -> co.Client:
    return co.Client(organization="acme", api_key=API_KEY, access_token=TOKEN, base_url=emulator.url)


def test_opt_out_by_email_changes_every_match_past_the_first_page(big_table: Emulator) -> None:
    with client_for(big_table) as client:
        changes = client.opt_out_by_email(EMAIL)
        assert len(changes) == 30 and len({change.pkey for change in changes}) == 30
        assert all(change.changed and change.current for change in changes)
        assert all(profile.opt_out for profile in client.find_by_email(EMAIL))


def test_list_profiles_yields_every_profile_unless_forcing_is_turned_off(big_table: Emulator) -> None:
    with client_for(big_table) as client:
        listed = [profile.pkey for profile in client.list_profiles()]
        assert len(listed) == 30 and len(set(listed)) == 30
        unforced = list(client.list_profiles(force_pagination=False))
        assert len(unforced) == 25, "the emulator drops next on a big table, as ACS does"


def test_the_async_client_reads_every_page_too(big_table: Emulator) -> None:
    async def main() -> tuple[int, int]:
        async with co.AsyncClient(
            organization="acme", api_key=API_KEY, access_token=TOKEN, base_url=big_table.url
        ) as client:
            found = await client.find_by_email(EMAIL)
            listed = [profile.pkey async for profile in client.list_profiles()]
            return len(found), len(set(listed))

    assert asyncio.run(main()) == (30, 30)
