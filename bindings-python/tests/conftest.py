"""Fixtures: emulators started as subprocesses, and clients pointed at them."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import ccpa_optout as co  # noqa: E402
from emulator import API_KEY, TOKEN, Emulator  # noqa: E402


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    """An emulator with 60 seeded profiles, one per test module."""
    running = Emulator("--seed", "60")
    yield running
    running.stop()


@pytest.fixture()
def client(emulator: Emulator) -> Iterator[co.Client]:
    with co.Client(organization="acme", api_key=API_KEY, access_token=TOKEN, base_url=emulator.url) as made:
        yield made


@pytest.fixture()
def fast_retry() -> co.RetryPolicy:
    """Retries with short waits, so fault tests stay quick."""
    return co.RetryPolicy(max_attempts=6, base_delay=0.01, max_delay=0.05)
