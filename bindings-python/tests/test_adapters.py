"""The README's requests and httpx transports (examples/python/adapters.py) against the emulator."""

from __future__ import annotations

import asyncio
import importlib.util
import socket
from types import ModuleType

import pytest

import ccpa_optout as co
from emulator import API_KEY, ROOT, TOKEN, Emulator


def adapters() -> ModuleType:
    spec = importlib.util.spec_from_file_location("adapters", ROOT / "examples" / "python" / "adapters.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_requests_adapter(emulator: Emulator) -> None:
    requests = pytest.importorskip("requests")
    with requests.Session() as session:
        client = co.Client(
            organization="acme",
            api_key=API_KEY,
            access_token=TOKEN,
            base_url=emulator.url,
            transport=adapters().requests_transport(session),
        )
        pkey = next(iter(client.list_profiles(page_size=2))).pkey
        assert pkey
        assert client.set_opt_out(pkey, True).current is True
        with pytest.raises(co.NotFoundError):
            client.get_profile("@missing0000")


def test_the_httpx_adapter_and_its_failure_mapping(emulator: Emulator) -> None:
    httpx = pytest.importorskip("httpx")

    async def main() -> None:
        async with httpx.AsyncClient() as http:
            transport = adapters().httpx_transport(http)
            client = co.AsyncClient(
                organization="acme", api_key=API_KEY, access_token=TOKEN, base_url=emulator.url, transport=transport
            )
            first_page = await client.list_profiles(page_size=4).pages().__anext__()
            pkeys = [p.pkey for p in first_page if p.pkey]
            changes = await asyncio.gather(*(client.set_opt_out(pkey, True) for pkey in pkeys))
            assert len(changes) == 4 and all(c.current for c in changes)
            refused = co.AsyncClient(
                organization="acme",
                api_key=API_KEY,
                access_token=TOKEN,
                base_url=f"http://127.0.0.1:{closed_port()}",
                transport=transport,
                retry=co.RetryPolicy(max_attempts=2, base_delay=0.001),
            )
            with pytest.raises(co.TransportError) as caught:
                await refused.get_profile("@a")
            assert "could not connect" in str(caught.value), "ConnectError maps to a connect failure"

    asyncio.run(main())
