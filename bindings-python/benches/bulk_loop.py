"""Python over the bulk request file, beside ``ccpa-optout bulk``: rows per second of

- ``naive``: the loop someone would write without this package: ``csv`` rows, one
  ``requests.Session``, byEmail then a PATCH of each match that differs, one row at a time (no
  retries, no audit log, no duplicate check; ``contenders.PlainCalls``);
- ``async``: ``ccpa_optout.AsyncClient.opt_out_by_email`` with ``--concurrency`` rows in flight.

Each repeat starts from fresh emulator data (``POST /_emulator/reset``) and reads the first
``--rows`` rows of FILE. Prints one rows/s figure per repeat on a line.

Usage: python bulk_loop.py naive|async FILE EMULATOR_URL API_KEY TOKEN [--rows N]
       [--concurrency N] [--repeat N]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import itertools
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import ccpa_optout  # noqa: E402
from contenders import PlainCalls, emulator_arguments, requests_sender  # noqa: E402


def naive(path: str, rows: int, base: str, api_key: str, token: str) -> int:
    calls = PlainCalls(requests_sender(base, api_key, token))
    done = 0
    with open(path, newline="") as file:
        for row in itertools.islice(csv.DictReader(file), rows):
            calls.opt_out_by_email(row["email"], row["optOut"] == "true")
            done += 1
    return done


def concurrent(path: str, rows: int, base: str, api_key: str, token: str, width: int) -> int:
    async def run() -> int:
        done = 0
        async with ccpa_optout.AsyncClient(organization="acme", api_key=api_key, access_token=token,
                                           base_url=base) as client:
            with open(path, newline="") as file:
                reader = itertools.islice(csv.DictReader(file), rows)

                async def worker() -> None:
                    nonlocal done
                    for row in reader:  # one shared iterator: each row goes to one worker
                        await client.opt_out_by_email(row["email"], row["optOut"] == "true")
                        done += 1

                await asyncio.gather(*(worker() for _ in range(width)))
        return done

    return asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["naive", "async"])
    parser.add_argument("file")
    emulator_arguments(parser)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    for _ in range(args.repeat):
        urllib.request.urlopen(urllib.request.Request(f"{args.url}/_emulator/reset", method="POST")).read()
        started = time.perf_counter()
        if args.mode == "naive":
            done = naive(args.file, args.rows, args.url, args.api_key, args.token)
        else:
            done = concurrent(args.file, args.rows, args.url, args.api_key, args.token, args.concurrency)
        if done != args.rows:
            raise SystemExit(f"{args.file} has {done} rows, fewer than --rows {args.rows}")
        print(f"{done / (time.perf_counter() - started):.0f}", flush=True)


if __name__ == "__main__":
    main()
