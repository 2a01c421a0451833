"""Benchmarks of the Python package, each with a baseline measured in the same run.

- import time: ``python -c "import ccpa_optout"`` minus ``python -c "pass"``, median of fresh
  interpreters;
- ``set_opt_out`` (GET then PATCH) against the emulator, beside the same GET + PATCH written with
  plain ``urllib.request`` and with a kept-alive ``http.client`` connection.

Usage: python bench.py EMULATOR_URL API_KEY TOKEN [--rounds N] [--ops N] [--imports N]
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import subprocess
import sys
import time
import urllib.request
from typing import Callable
from urllib.parse import urlsplit

import ccpa_optout


def median_startup(code: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def import_time(runs: int) -> None:
    bare = median_startup("pass", runs)
    loaded = median_startup("import ccpa_optout", runs)
    print(f"import ccpa_optout: {(loaded - bare) * 1000:.1f} ms "
          f"(median of {runs} fresh interpreters: {loaded * 1000:.1f} ms vs bare {bare * 1000:.1f} ms; budget 50 ms)")


class Plain:
    """GET + PATCH of the opt-out written by hand, as someone without this package would."""

    def __init__(self, base: str, api_key: str, token: str) -> None:
        self.collection = f"{base}/acme/campaign/profileAndServices/profile"
        self.headers = {
            "Authorization": f"Bearer {token}",
            "X-Api-Key": api_key,
            "Cache-Control": "no-cache",
            "Accept": "application/json",
        }
        url = urlsplit(base)
        self.connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port or 80, timeout=30)
        self.prefix = url.path

    def urllib_set(self, pkey: str, value: bool) -> None:
        with urllib.request.urlopen(urllib.request.Request(f"{self.collection}/{pkey}", headers=self.headers)) as r:
            current = json.loads(r.read()).get("ccpaOptOut")
        if current is not value:
            body = json.dumps({"ccpaOptOut": value}).encode()
            headers = {**self.headers, "Content-Type": "application/json;charset=utf-8"}
            patch = urllib.request.Request(f"{self.collection}/{pkey}", body, headers, method="PATCH")
            with urllib.request.urlopen(patch) as r:
                json.loads(r.read())

    def keepalive_set(self, pkey: str, value: bool) -> None:
        path = f"{urlsplit(self.collection).path}/{pkey}"
        self.connection.request("GET", path, headers=self.headers)
        current = json.loads(self.connection.getresponse().read()).get("ccpaOptOut")
        if current is not value:
            body = json.dumps({"ccpaOptOut": value}).encode()
            headers = {**self.headers, "Content-Type": "application/json;charset=utf-8"}
            self.connection.request("PATCH", path, body, headers)
            json.loads(self.connection.getresponse().read())


def opt_out_overhead(base: str, api_key: str, token: str, rounds: int, ops: int) -> None:
    client = ccpa_optout.Client(organization="acme", api_key=api_key, access_token=token, base_url=base)
    pkeys = [p.pkey for p in client.list_profiles(page_size=50) if p.pkey]
    state = {pkey: client.get_opt_out(pkey) for pkey in pkeys}
    plain = Plain(base, api_key, token)

    def toggler(action: Callable[[str, bool], object]) -> Callable[[], tuple[float, float]]:
        def run() -> tuple[float, float]:
            started, cpu = time.perf_counter(), time.process_time()
            for i in range(ops):
                pkey = pkeys[i % len(pkeys)]
                state[pkey] = not state[pkey]
                action(pkey, state[pkey])
            return (time.perf_counter() - started) / ops, (time.process_time() - cpu) / ops

        return run

    contenders = {
        "ccpa_optout Client.set_opt_out": toggler(client.set_opt_out),
        "plain urllib.request GET + PATCH": toggler(plain.urllib_set),
        "plain http.client keep-alive GET + PATCH": toggler(plain.keepalive_set),
    }
    for run in contenders.values():  # warm up connections and caches
        run()
    wall: dict[str, list[float]] = {name: [] for name in contenders}
    cpu: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, run in contenders.items():
            elapsed, used = run()
            wall[name].append(elapsed)
            cpu[name].append(used)
    medians = {name: statistics.median(values) for name, values in wall.items()}
    cpu_medians = {name: statistics.median(values) for name, values in cpu.items()}
    ours = "ccpa_optout Client.set_opt_out"
    print(f"set_opt_out against the emulator, {ops} calls x {rounds} rounds, median per call (GET + PATCH):")
    print(f"  {'':42s} {'wall':>9s} {'client CPU':>11s}")
    for name in contenders:
        print(f"  {name:42s} {medians[name] * 1e6:7.1f}us {cpu_medians[name] * 1e6:9.1f}us")
    for name in ("plain urllib.request GET + PATCH", "plain http.client keep-alive GET + PATCH"):
        ratio = medians[ours] / medians[name]
        cpu_ratio = cpu_medians[ours] / cpu_medians[name]
        print(f"  ccpa_optout / {name.removeprefix('plain ')}: wall {ratio:.3f} "
              f"(overhead {(ratio - 1) * 100:+.1f} %; budget +10 %), client CPU {cpu_ratio:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("api_key")
    parser.add_argument("token")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--ops", type=int, default=200)
    parser.add_argument("--imports", type=int, default=21)
    args = parser.parse_args()
    import_time(args.imports)
    opt_out_overhead(args.url, args.api_key, args.token, args.rounds, args.ops)


if __name__ == "__main__":
    main()
