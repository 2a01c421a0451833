"""Many opt-outs through the asyncio client under the hardening fault mix (10 % 503, 5 % 429 with
Retry-After, 1 % dropped connections, random latency): every request ends applied, no profile
is left in a wrong state, and the emulator saw one answered PATCH per real change.

``HARDEN_ROWS`` sets the number of emails (default 300; ``scripts/harden.sh`` uses 2,000)."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import ccpa_optout as co  # noqa: E402
from emulator import API_KEY, TOKEN, Emulator  # noqa: E402

FAULTS = {"latency_ms": [0, 4], "status": {"503": 0.10, "429": 0.05}, "drop": 0.01}
ROWS = int(os.environ.get("HARDEN_ROWS", "300"))


def states(emulator: Emulator) -> dict[str, tuple[str, bool | None]]:
    """Every profile's email and opt-out by PKey, read with faults off."""
    with co.Client(organization="acme", api_key=API_KEY, access_token=TOKEN, base_url=emulator.url) as client:
        return {p.pkey: (p.email or "", p.opt_out) for p in client.list_profiles(page_size=1000) if p.pkey}


async def apply(emulator: Emulator, wanted: dict[str, bool]) -> list[list[co.OptOutChange]]:
    retry = co.RetryPolicy(max_attempts=10, base_delay=0.01, max_delay=0.1)
    limit = asyncio.Semaphore(16)
    async with co.AsyncClient(
        organization="acme", api_key=API_KEY, access_token=TOKEN, base_url=emulator.url, retry=retry
    ) as client:

        async def one(email: str, value: bool) -> list[co.OptOutChange]:
            async with limit:
                return await client.opt_out_by_email(email, value)

        return await asyncio.gather(*(one(email, value) for email, value in wanted.items()))


def test_opt_outs_under_503_429_drops_and_latency_are_all_applied_exactly() -> None:
    emulator = Emulator("--seed", str(ROWS), "--fault-seed", "11")
    try:
        before = states(emulator)
        emails = list(dict.fromkeys(email for email, _ in before.values()))
        # A tenth of the people ask to opt back in; the rest opt out.
        wanted = {email: index % 10 != 3 for index, email in enumerate(emails)}
        start = emulator.stats()
        emulator.faults(FAULTS)
        began = time.monotonic()
        results = asyncio.run(apply(emulator, wanted))
        elapsed = time.monotonic() - began
        emulator.faults({})
        after = states(emulator)
        stats = emulator.stats()
    finally:
        emulator.stop()

    wrong = [pkey for pkey, (email, value) in after.items() if value != wanted[email]]
    real_changes = sum(1 for pkey, (_, value) in after.items() if value != before[pkey][1])
    reported = sum(1 for changes in results for change in changes if change.changed)

    def count(method: str | None = None, status: int | None = None) -> int:
        def total(snapshot: dict) -> int:
            return sum(
                r["count"]
                for r in snapshot["requests"]
                if (method is None or r["method"] == method) and (status is None or r["status"] == status)
            )

        return total(stats) - total(start)

    patch_total, patch_ok = count("PATCH"), count("PATCH", 200)
    print(
        f"faults python: {len(wanted)} emails ({len(after)} profiles) in {elapsed:.1f} s; "
        f"changed {real_changes} wrong {len(wrong)}; PATCH {patch_total} = {patch_ok} ok + "
        f"{patch_total - patch_ok} failed ({count('PATCH', 0)} dropped); emulator requests "
        f"{stats['total'] - start['total']} (503: {count(status=503)}, 429: {count(status=429)}, dropped: {count(status=0)})"
    )
    assert not wrong, f"{len(wrong)} profiles in a wrong state"
    assert patch_ok == real_changes == reported, "one answered PATCH per real change"
    assert count(status=503) and count(status=429) and count(status=0), "faults were injected"
