"""A listing of 1,000 profiles, page by page, each profile exactly once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import ccpa_optout as co
from emulator import API_KEY, TOKEN, Emulator


@pytest.fixture(scope="module")
def thousand() -> Iterator[Emulator]:
    running = Emulator("--seed", "1000")
    yield running
    running.stop()


def test_every_profile_is_listed_exactly_once(thousand: Emulator) -> None:
    client = co.Client(organization="acme", api_key=API_KEY, access_token=TOKEN, base_url=thousand.url)
    before = thousand.count("GET")
    listing = client.list_profiles(page_size=25)
    seen = [p.pkey for p in listing]
    assert len(seen) == 1000 and len(set(seen)) == 1000
    assert thousand.count("GET") - before == 40, "one request per page of 25"


def test_the_listing_is_lazy_and_pages_can_be_read_whole(thousand: Emulator) -> None:
    client = co.Client(organization="acme", api_key=API_KEY, access_token=TOKEN, base_url=thousand.url)
    before = thousand.count("GET")
    listing = client.list_profiles(page_size=100, order="email desc")
    assert thousand.count("GET") == before, "nothing is fetched before the first profile is asked for"
    pages = listing.pages()
    first = next(pages)
    assert len(first) == 100 and thousand.count("GET") == before + 1
    emails = [p.email or "" for p in first]
    assert emails == sorted(emails, reverse=True)
    assert sum(len(page) for page in pages) == 900


def test_bad_listing_arguments_raise_at_the_call(thousand: Emulator) -> None:
    client = co.Client(organization="acme", api_key=API_KEY, access_token=TOKEN, base_url=thousand.url)
    with pytest.raises(co.ValidationError) as caught:
        client.list_profiles(page_size=0)
    assert caught.value.field == "pageSize"
    with pytest.raises(co.ValidationError):
        client.list_profiles(order="email&_lineStart=@x")
