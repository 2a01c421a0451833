"""A listing of 1,000 profiles, page by page, each profile exactly once."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

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


def test_two_threads_asking_for_the_next_page_get_two_different_pages(thousand: Emulator) -> None:
    client = co.Client(organization="acme", api_key=API_KEY, access_token=TOKEN, base_url=thousand.url)
    listing = client.list_profiles(page_size=10)
    start = threading.Barrier(2)

    def next_page() -> list[str]:
        start.wait()
        page = listing.next_page()
        assert page is not None
        return [profile.pkey or "" for profile in page]

    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(lambda _: next_page(), range(2))
    assert len(first) == len(second) == 10
    assert not set(first) & set(second), "each call read its own page"
    after = listing.next_page()
    assert after is not None and not set(p.pkey for p in after) & set(first + second), "and the listing went on"


def test_two_tasks_asking_for_the_next_page_get_two_different_pages(thousand: Emulator) -> None:
    async def main() -> tuple[list[co.Profile], list[co.Profile]]:
        async with co.AsyncClient(
            organization="acme", api_key=API_KEY, access_token=TOKEN, base_url=thousand.url
        ) as client:
            listing = client.list_profiles(page_size=10)
            first, second = await asyncio.gather(listing.next_page(), listing.next_page())
            assert first is not None and second is not None
            return first, second

    first, second = asyncio.run(main())
    assert len(first) == len(second) == 10
    assert not {p.pkey for p in first} & {p.pkey for p in second}, "each call read its own page"
