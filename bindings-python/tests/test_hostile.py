"""The hostile-input table (``tests/vectors/hostile.json``) against the Python client over real
sockets: every case ends in its typed error, sends only the requests it lists, never reaches the
decoy origin, never forwards an injected header, and leaks no credential. The Rust and
JavaScript suites run the same table; the format is in ``tests/vectors/README.md``."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import ccpa_optout as co  # noqa: E402
from hostile_server import HostileServer  # noqa: E402

TABLE = json.loads((Path(__file__).resolve().parents[2] / "tests" / "vectors" / "hostile.json").read_text())
CASES = TABLE["cases"]


def text(value: Any) -> str:
    """A string of the table: plain, or ``{"text", "repeat", "times", "suffix"}``."""
    if isinstance(value, str):
        return value
    return value.get("text", "") + value["repeat"] * value["times"] + value.get("suffix", "")


def settings(case: dict[str, Any], server: HostileServer) -> dict[str, Any]:
    merged = {**TABLE["config"], **case.get("config", {})}
    return {
        key: value.replace("{server}", server.base).replace("{decoy}", server.decoy) if isinstance(value, str) else value
        for key, value in merged.items()
    }


def make_client(config: dict[str, Any], kind: type[co.Client] | type[co.AsyncClient]) -> Any:
    return kind(
        organization=config["organization"],
        api_key=config["apiKey"],
        access_token=config["accessToken"],
        base_url=config["baseUrl"],
        api=config["api"],
        opt_out_field=config["optOutField"],
        retry=co.RetryPolicy(
            max_attempts=config["maxAttempts"],
            base_delay=config["retryBaseDelayMs"] / 1000,
            max_delay=config["retryBaseDelayMs"] / 1000 * 8,
        ),
        timeout=config["timeoutMs"] / 1000,
        max_body_bytes=config["maxBodyBytes"],
    )


def call(client: Any, case: dict[str, Any]) -> Any:
    """The case's call on either client: a result (sync) or an awaitable (async)."""
    given = case["input"]
    operation = case["operation"]
    if operation in ("getProfile", "getOptOut", "deleteProfile"):
        method = {"getProfile": "get_profile", "getOptOut": "get_opt_out", "deleteProfile": "delete_profile"}
        return getattr(client, method[operation])(text(given["pkey"]))
    if operation == "setOptOut":
        return client.set_opt_out(text(given["pkey"]), given["optOut"])
    if operation == "findByEmail":
        return client.find_by_email(text(given["email"]))
    if operation == "optOutByEmail":
        return client.opt_out_by_email(text(given["email"]), given["optOut"])
    if operation == "updateProfile":
        return client.update_profile(text(given["pkey"]), given["fields"])
    if operation == "createProfile":
        return client.create_profile(given["fields"])
    raise AssertionError(f"unknown operation {operation}")


def run_sync(client: co.Client, case: dict[str, Any]) -> None:
    if case["operation"] == "listProfiles":
        list(client.list_profiles(page_size=case["input"].get("pageSize")))
    else:
        call(client, case)


async def run_async(client: co.AsyncClient, case: dict[str, Any]) -> None:
    async with client:
        if case["operation"] == "listProfiles":
            async for _ in client.list_profiles(page_size=case["input"].get("pageSize")):
                pass
        else:
            await call(client, case)


def problems(case: dict[str, Any], err: BaseException | None, elapsed: float, server: HostileServer) -> list[str]:
    expected = case["error"]
    if "withinMs" in case and elapsed * 1000 > case["withinMs"]:
        return [f"took {elapsed:.1f} s, more than {case['withinMs']} ms"]
    if err is None:
        return [f"succeeded; expected a {expected['kind']} error"]
    if not isinstance(err, co.CcpaOptOutError):
        return [f"raised {type(err).__name__}: {err!r}, not a CcpaOptOutError"]
    found = []
    if err.kind != expected["kind"]:
        found.append(f"kind {err.kind} ({err}), expected {expected['kind']}")
    if "field" in expected and err.field != expected["field"]:
        found.append(f"field {err.field!r}, expected {expected['field']!r}")
    if "status" in expected and err.status != expected["status"]:
        found.append(f"status {err.status}, expected {expected['status']}")
    sent = [seen.method for seen in server.seen]
    if sent != case["sent"]:
        found.append(f"sent {sent}, expected {case['sent']}")
    if server.decoy_hits:
        found.append(f"{server.decoy_hits} requests reached the decoy origin")
    for seen in server.seen:
        if "x-injected" in seen.target.lower() or any(name == "x-injected" for name, _ in seen.headers):
            found.append(f"an injected header was sent: {seen}")
    for shown in (str(err), repr(err), err.message, err.excerpt or "", err.error_code or ""):
        leaked = [secret for secret in TABLE["secrets"] if secret in shown]
        if leaked:
            found.append(f"the error shows the secret {leaked[0]!r}: {shown}")
            break
    for what, shown in (("message", err.message), ("error code", err.error_code or "")):
        if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in shown) or len(shown) > 400:
            found.append(f"the {what} has control characters or is over 400 characters: {shown!r}")
    return found


def test_the_table_is_large_enough() -> None:
    assert len(CASES) >= 60


@pytest.mark.parametrize("kind", [co.Client, co.AsyncClient], ids=["sync", "async"])
@pytest.mark.parametrize(
    "case",
    CASES,
    ids=[case["name"] for case in CASES],
)
def test_hostile_case(case: dict[str, Any], kind: type[co.Client] | type[co.AsyncClient]) -> None:
    # A case with a time limit needs no answer served past it.
    cap = case["withinMs"] / 1000 + 1 if "withinMs" in case else 10.0
    with HostileServer(case.get("server", []), cap) as server:
        err: BaseException | None = None
        started = time.monotonic()
        try:
            client = make_client(settings(case, server), kind)
        except Exception as raised:  # a Config error must come before any operation runs
            err = raised
        else:
            try:
                if kind is co.AsyncClient:
                    asyncio.run(run_async(client, case))
                else:
                    with client:
                        run_sync(client, case)
            except Exception as raised:
                err = raised
        found = problems(case, err, time.monotonic() - started, server)
    assert not found, "\n".join(found)
