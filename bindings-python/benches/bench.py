"""Benchmarks of the Python package, each with baselines measured in the same run.

- import time: ``python -c "import X"`` minus ``python -c "pass"``, fresh interpreters, interleaved,
  for ``ccpa_optout``, ``requests`` (when installed) and ``urllib.request``;
- ``get_profile``, ``update_profile`` and ``set_opt_out`` (GET then PATCH) against the emulator,
  beside the same calls written by hand over ``urllib.request``, a kept-alive ``http.client``
  connection and a ``requests.Session`` (``contenders.py``);
- with ``--concurrency N``: ``AsyncClient.set_opt_out`` with N calls in flight, beside ``requests``
  in a pool of N threads.

Usage: python bench.py EMULATOR_URL API_KEY TOKEN [--rounds N] [--ops N] [--imports N]
       [--concurrency N] [--json FILE]
With ``--json``, every figure is appended to FILE as a JSON line (``scripts/bench/report.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Optional

sys.path.insert(0, str(Path(__file__).parent))

import ccpa_optout  # noqa: E402
from contenders import PlainCalls, emulator_arguments, keepalive_sender, requests_sender, urllib_sender  # noqa: E402

OURS = "ccpa_optout"
HAS_REQUESTS = importlib.util.find_spec("requests") is not None


class Recorder:
    """Appends figures to the ``--json`` file, if any."""

    def __init__(self, path: Optional[str]) -> None:
        self.path = path

    def __call__(self, id: str, figure: str, unit: str, better: str, who: str, samples: list[float]) -> None:
        if self.path:
            line = {"part": "Python", "id": id, "figure": figure, "unit": unit, "better": better,
                    "who": who, "ours": who.startswith(OURS), "samples": samples}
            with open(self.path, "a") as out:
                out.write(json.dumps(line) + "\n")


def import_time(runs: int, record: Recorder) -> None:
    modules = ["ccpa_optout", "urllib.request"] + (["requests"] if HAS_REQUESTS else [])
    codes = {"bare": "pass", **{module: f"import {module}" for module in modules}}
    times: dict[str, list[float]] = {name: [] for name in codes}
    for _ in range(runs):
        for name, code in codes.items():
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True)
            times[name].append(time.perf_counter() - started)
    bare = statistics.median(times["bare"])
    print(f"import time: {runs} fresh interpreters of each, interleaved; median minus bare ({bare * 1000:.1f} ms)")
    for module in modules:
        over_bare = [(t - bare) * 1000 for t in times[module]]
        record("py.import", "import, over a bare interpreter", "ms", "lower", module, over_bare)
        budget = "; budget 50 ms" if module == OURS else ""
        print(f"  import {module:16s} {statistics.median(over_bare):6.1f} ms{budget}")


class OursCalls:
    """The package's sync client behind the same three calls as ``PlainCalls``."""

    def __init__(self, client: ccpa_optout.Client) -> None:
        self.client = client

    def get(self, pkey: str) -> Any:
        return self.client.get_profile(pkey)

    def update(self, pkey: str, fields: dict[str, Any]) -> Any:
        return self.client.update_profile(pkey, fields)

    def set_opt_out(self, pkey: str, value: bool) -> bool:
        return self.client.set_opt_out(pkey, value).changed


def per_call(base: str, api_key: str, token: str, rounds: int, ops: int, record: Recorder) -> None:
    client = ccpa_optout.Client(organization="acme", api_key=api_key, access_token=token, base_url=base)
    pkeys = [p.pkey for p in client.list_profiles(page_size=50) if p.pkey]
    state = {pkey: client.get_opt_out(pkey) for pkey in pkeys}
    contenders: dict[str, Any] = {
        f"{OURS} Client": OursCalls(client),
        "urllib.request": PlainCalls(urllib_sender(base, api_key, token)),
        "http.client keep-alive": PlainCalls(keepalive_sender(base, api_key, token)),
    }
    if HAS_REQUESTS:
        contenders["requests.Session"] = PlainCalls(requests_sender(base, api_key, token))

    def flip(i: int) -> tuple[str, bool]:
        """The i-th call's profile and its value flipped, so that every write is a real change."""
        pkey = pkeys[i % len(pkeys)]
        state[pkey] = not state[pkey]
        return pkey, state[pkey]

    def update(calls: Any, i: int) -> None:
        pkey, value = flip(i)
        calls.update(pkey, {"ccpaOptOut": value})

    def set_opt_out(calls: Any, i: int) -> None:
        if not calls.set_opt_out(*flip(i)):
            raise AssertionError("expected a PATCH every time")

    operations: dict[str, tuple[str, Callable[[Any, int], Any]]] = {
        "py.get": ("get_profile: one GET", lambda calls, i: calls.get(pkeys[i % len(pkeys)])),
        "py.update": ("update_profile {ccpaOptOut}: one PATCH", update),
        "py.set": ("set_opt_out: GET + PATCH", set_opt_out),
    }
    names = list(contenders)
    print(f"calls against the emulator: {rounds} rounds x {ops} calls per contender, median of the round means")
    for id, (figure, operation) in operations.items():
        wall: dict[str, list[float]] = {name: [] for name in names}
        cpu: dict[str, list[float]] = {name: [] for name in names}
        for r in range(rounds + 1):  # round 0 warms up connections and caches; who goes first rotates
            for name in names[r % len(names):] + names[:r % len(names)]:
                started, used = time.perf_counter(), time.process_time()
                for i in range(ops):
                    operation(contenders[name], i)
                if r:
                    wall[name].append((time.perf_counter() - started) / ops * 1e6)
                    cpu[name].append((time.process_time() - used) / ops * 1e6)
        ours = statistics.median(wall[names[0]])
        print(f"  {figure}:{'wall':>{52 - len(figure)}s} {'client CPU':>11s}  ours / this")
        for name in names:
            record(id, figure, "µs", "lower", name, wall[name])
            median = statistics.median(wall[name])
            print(f"    {name:40s} {median:7.1f}us {statistics.median(cpu[name]):9.1f}us  {ours / median:6.3f}")


def concurrent(base: str, api_key: str, token: str, rounds: int, ops: int, width: int, record: Recorder) -> None:
    """Calls per second with `width` set_opt_out calls in flight."""
    setup = ccpa_optout.Client(organization="acme", api_key=api_key, access_token=token, base_url=base)
    pkeys = [p.pkey for p in setup.list_profiles(page_size=50) if p.pkey]
    state = {pkey: setup.get_opt_out(pkey) for pkey in pkeys}

    def wanted(i: int) -> tuple[str, bool]:
        pkey = pkeys[i % len(pkeys)]
        state[pkey] = not state[pkey]
        return pkey, state[pkey]

    async def ours_round() -> None:
        async with ccpa_optout.AsyncClient(organization="acme", api_key=api_key, access_token=token,
                                           base_url=base) as client:
            calls = iter(range(ops))

            async def worker() -> None:
                for i in calls:
                    await client.set_opt_out(*wanted(i))

            await asyncio.gather(*(worker() for _ in range(width)))

    local = threading.local()

    def requests_call(i: int) -> None:
        if not hasattr(local, "calls"):
            local.calls = PlainCalls(requests_sender(base, api_key, token))
        local.calls.set_opt_out(*wanted(i))

    def requests_round() -> None:
        with ThreadPoolExecutor(width) as pool:
            list(pool.map(requests_call, range(ops)))

    contenders: dict[str, Callable[[], None]] = {f"{OURS} AsyncClient": lambda: asyncio.run(ours_round())}
    if HAS_REQUESTS:
        contenders[f"requests.Session, {width} threads"] = requests_round
    rates: dict[str, list[float]] = {name: [] for name in contenders}
    for r in range(rounds + 1):
        for name, run in contenders.items():
            started = time.perf_counter()
            run()
            if r:
                rates[name].append(ops / (time.perf_counter() - started))
    figure = f"set_opt_out, {width} calls in flight"
    print(f"{figure}: {rounds} rounds x {ops} calls, median calls/s")
    for name, values in rates.items():
        record("py.concurrent", figure, "calls/s", "higher", name, values)
        print(f"    {name:40s} {statistics.median(values):8.0f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    emulator_arguments(parser)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--ops", type=int, default=200)
    parser.add_argument("--imports", type=int, default=21)
    parser.add_argument("--concurrency", type=int, default=0, help="also measure N calls in flight")
    parser.add_argument("--json", help="append each figure to this file as a JSON line")
    args = parser.parse_args()
    record = Recorder(args.json)
    import_time(args.imports, record)
    per_call(args.url, args.api_key, args.token, args.rounds, args.ops, record)
    if args.concurrency:
        concurrent(args.url, args.api_key, args.token, 5, 2 * args.ops, args.concurrency, record)


if __name__ == "__main__":
    main()
