"""The asyncio client: the same operations as coroutines, several at once."""

from __future__ import annotations

import asyncio
import uuid

import pytest

import ccpa_optout as co
from emulator import API_KEY, TOKEN, Emulator


def async_client(emulator: Emulator, **extra: object) -> co.AsyncClient:
    settings: dict[str, object] = dict(organization="acme", api_key=API_KEY, base_url=emulator.url)
    settings.update(extra or {"access_token": TOKEN})
    return co.AsyncClient(**settings)  # type: ignore[arg-type]


def test_operations_run_concurrently(emulator: Emulator) -> None:
    async def main() -> None:
        async with async_client(emulator) as client:
            pkeys = [p.pkey async for p in client.list_profiles(page_size=10)][:8]
            assert len(pkeys) == 8 and all(pkeys)
            changes = await asyncio.gather(*(client.set_opt_out(pkey, True) for pkey in pkeys if pkey))
            assert [c.current for c in changes] == [True] * 8
            values = await asyncio.gather(*(client.get_opt_out(pkey) for pkey in pkeys if pkey))
            assert values == [True] * 8
            email = f"async-{uuid.uuid4().hex[:10]}@example.com"
            created, metadata = await asyncio.gather(
                client.create_profile({"email": email, "ccpaOptOut": False}), client.profile_metadata()
            )
            assert created.pkey and metadata.opt_out_field_ok
            assert [p.pkey for p in await client.find_by_email(email)] == [created.pkey]
            [change] = await client.opt_out_by_email(email)
            assert change.changed and change.previous is False
            await client.update_profile(created.pkey, {"lastName": "Async"})
            assert (await client.get_profile(created.pkey)).last_name == "Async"
            await client.delete_profile(created.pkey)
            with pytest.raises(co.NotFoundError):
                await client.get_profile(created.pkey)

    asyncio.run(main())


def test_an_async_token_provider_and_transport(emulator: Emulator) -> None:
    stdlib = co.StdlibTransport()
    sent: list[str] = []

    async def transport(request: co.Request) -> co.Response:
        sent.append(request.method)
        return await asyncio.to_thread(stdlib, request)

    async def provider() -> str:
        await asyncio.sleep(0)
        return TOKEN

    async def main() -> int:
        client = async_client(emulator, token_provider=provider, transport=transport)
        pages = [page async for page in client.list_profiles(page_size=20).pages()]
        return sum(len(page) for page in pages)

    assert asyncio.run(main()) >= 60
    assert sent and set(sent) == {"GET"}


def test_async_errors_are_the_same_classes(emulator: Emulator) -> None:
    async def main() -> None:
        client = async_client(emulator, access_token="wrong")
        with pytest.raises(co.AuthError):
            await client.get_profile("@a")
        with pytest.raises(co.ValidationError):
            await client.set_opt_out("@a", "true")  # type: ignore[arg-type]

    asyncio.run(main())
