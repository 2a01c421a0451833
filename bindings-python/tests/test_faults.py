"""Retries under injected faults: 503s, rate limits with Retry-After, dropped connections,
latency beyond the timeout. The emulator's stats show what was really sent."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

import ccpa_optout as co
from emulator import API_KEY, TOKEN, Emulator


@pytest.fixture()
def faulty(emulator: Emulator) -> Iterator[Emulator]:
    """The module's emulator, with faults switched off again after each test."""
    yield emulator
    emulator.faults({})


def client_for(emulator: Emulator, retry: co.RetryPolicy, timeout: float = 30.0) -> co.Client:
    return co.Client(
        organization="acme", api_key=API_KEY, access_token=TOKEN, base_url=emulator.url, retry=retry, timeout=timeout
    )


def pkeys(emulator: Emulator, n: int) -> list[str]:
    client = client_for(emulator, co.RetryPolicy())
    return [p.pkey for p in client.list_profiles(page_size=n) if p.pkey][:n]


def test_503s_are_retried_until_the_answer_is_right(faulty: Emulator) -> None:
    targets = pkeys(faulty, 10)
    client = client_for(faulty, co.RetryPolicy(max_attempts=25, base_delay=0.001, max_delay=0.005))
    before = faulty.count("PATCH", status=200)
    faulty.faults({"status": {"503": 0.5}})
    changes = [client.set_opt_out(pkey, True) for pkey in targets]
    faulty.faults({})
    assert [c.current for c in changes] == [True] * 10
    assert faulty.count("GET", status=503) + faulty.count("PATCH", status=503) > 0, "faults were injected"
    written = [c for c in changes if c.changed]
    assert faulty.count("PATCH", status=200) == before + len(written), "each change written exactly once"
    assert all(client.get_opt_out(pkey) for pkey in targets)


def test_a_lasting_503_gives_up_after_max_attempts(faulty: Emulator) -> None:
    client = client_for(faulty, co.RetryPolicy(max_attempts=3, base_delay=0.001, max_delay=0.002))
    target = pkeys(faulty, 1)[0]
    before = faulty.count("GET", status=503)
    faulty.faults({"status": {"503": 1.0}})
    with pytest.raises(co.ServerError) as caught:
        client.get_profile(target)
    faulty.faults({})
    assert (caught.value.status, caught.value.retryable) == (503, True)
    assert faulty.count("GET", status=503) == before + 3


def test_rate_limits_wait_for_retry_after(faulty: Emulator) -> None:
    targets = pkeys(faulty, 8)
    client = client_for(faulty, co.RetryPolicy(max_attempts=10, base_delay=0.01, max_delay=0.05))
    faulty.faults({"rate_limit": {"per_second": 4, "retry_after": 1}})
    started = time.monotonic()
    values = [client.get_opt_out(pkey) for pkey in targets]
    elapsed = time.monotonic() - started
    faulty.faults({})
    assert len(values) == 8 and all(isinstance(v, bool) for v in values)
    assert faulty.count("GET", status=429) > 0, "the limit was hit"
    assert elapsed >= 0.9, "Retry-After: 1 was honoured"


def test_a_rate_limit_that_outlasts_the_retries_is_rate_limited(faulty: Emulator) -> None:
    client = client_for(faulty, co.RetryPolicy(max_attempts=1))
    target = pkeys(faulty, 1)[0]
    faulty.faults({"rate_limit": {"per_second": 1, "retry_after": 7}})
    with pytest.raises(co.RateLimitedError) as caught:
        for _ in range(5):
            client.get_profile(target)
    faulty.faults({})
    assert caught.value.status == 429 and caught.value.retry_after == 7
    assert caught.value.retryable


def test_dropped_connections_are_retried(faulty: Emulator) -> None:
    targets = pkeys(faulty, 30)
    client = client_for(faulty, co.RetryPolicy(max_attempts=25, base_delay=0.001, max_delay=0.005))
    expected = [client.get_opt_out(pkey) for pkey in targets]
    dropped = faulty.count("GET", status=0)
    faulty.faults({"drop": 0.3})
    values = [client.get_opt_out(pkey) for pkey in targets]
    faulty.faults({})
    assert values == expected
    assert faulty.count("GET", status=0) > dropped, "connections were dropped and the reads retried"


def test_latency_beyond_the_timeout_is_a_transport_error(faulty: Emulator) -> None:
    client = client_for(faulty, co.RetryPolicy(max_attempts=2, base_delay=0.001), timeout=0.2)
    target = pkeys(faulty, 1)[0]
    faulty.faults({"latency_ms": [600, 700]})
    started = time.monotonic()
    with pytest.raises(co.TransportError) as caught:
        client.get_profile(target)
    faulty.faults({})
    assert time.monotonic() - started < 1.2, "two attempts of 0.2 s each, not the full latency"
    assert caught.value.retryable
