"""Privacy signals: the shared vectors of tests/vectors/signals.json, date handling, and
apply_signals against the emulator."""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

import pytest

import ccpa_optout as co
from emulator import API_KEY, TOKEN, Emulator
from transports import RecordingTransport
from vectors import load

SIGNALS, CASES = load("signals.json", 280)


def iso(day: datetime.date | None) -> str | None:
    return None if day is None else day.isoformat()


def run(function: str, given: dict[str, Any]) -> Any:
    """One case's function, with the result in the JSON shape the vectors use."""
    if function == "gpc_from_headers":
        pairs = [tuple(pair) for pair in given["headers"]]
        return co.gpc_from_headers(pairs)
    if function == "gpc_json":
        support = co.parse_gpc_json(given["content_type"], given["body"].encode())
        return {"gpc": support.gpc, "last_update": iso(support.last_update)}
    if function == "parse_usp":
        usp = co.parse_usp(given["usp"])
        return {name: getattr(usp, name) for name in ("version", "notice", "opt_out_sale", "lspa", "applies")}
    if function == "decode_gpp":
        gpp = co.decode_gpp(given["gpp"])
        return {
            "section_ids": list(gpp.section_ids),
            "sale_opt_out": gpp.sale_opt_out,
            "sharing_opt_out": gpp.sharing_opt_out,
            "targeted_advertising_opt_out": gpp.targeted_advertising_opt_out,
            "gpc": gpp.gpc,
            "source": list(gpp.source),
            "sections": dict(gpp.sections),
            "unreadable": list(gpp.unreadable),
        }
    if function == "derive_opt_out":
        decision = co.derive_opt_out(given["gpc"], given["usp"], given["gpp"])
        return {"value": decision.value, "reasons": list(decision.reasons)}
    if function == "opt_out_due_date":
        return iso(co.opt_out_due_date(given["received"], given["holidays"]))
    if function == "opt_in_allowed":
        return {
            "allowed_from": iso(co.opt_in_request_allowed_from(given["opted_out_on"])),
            "may_request": co.may_request_opt_in(given["opted_out_on"], given["on"]),
        }
    if function == "date_from_rfc3339":
        return iso(co.date_from_rfc3339(given["timestamp"]))
    raise AssertionError(f"unknown function {function}")


def test_every_function_is_covered() -> None:
    per_function = Counter(case["function"] for case in CASES)
    assert len(per_function) == 8 and min(per_function.values()) >= 10, per_function


@pytest.mark.parametrize("case", CASES, ids=[f"{c['function']}: {c['name']}" for c in CASES])
def test_signal_vector(case: dict[str, Any]) -> None:
    if "error" in case:
        with pytest.raises(co.CcpaOptOutError) as caught:
            run(case["function"], case["input"])
        assert caught.value.kind == case["error"]["kind"]
        if "field" in case["error"]:
            assert caught.value.field == case["error"]["field"]
    else:
        assert run(case["function"], case["input"]) == case["expected"]


def test_dates_are_datetime_dates_and_accepted_as_such() -> None:
    received = datetime.date(2025, 1, 3)
    due = co.opt_out_due_date(received, [datetime.date(2025, 1, 20)])
    assert due == datetime.date(2025, 1, 27)
    assert co.opt_out_due_date(datetime.datetime(2025, 1, 3, 23, 59)) == datetime.date(2025, 1, 24)
    assert co.may_request_opt_in("2025-03-01", datetime.date(2026, 3, 1))
    with pytest.raises(TypeError):
        co.opt_out_due_date(20250103)  # type: ignore[arg-type]
    with pytest.raises(co.ValidationError):
        co.opt_out_due_date("2025-1-3")


def test_gpc_headers_may_be_a_mapping() -> None:
    assert co.gpc_from_headers({"Sec-GPC": "1"}) is True
    assert co.gpc_from_headers({"sec-gpc": "0"}) is None
    assert co.gpc_from_headers([]) is None


def client_for(emulator: Emulator) -> co.Client:
    return co.Client(organization="acme", api_key=API_KEY, access_token=TOKEN, base_url=emulator.url)


def test_apply_signals_opts_out_on_gpc(emulator: Emulator) -> None:
    client = client_for(emulator)
    target = next(p for p in client.list_profiles(page_size=60) if p.opt_out is False)
    assert target.pkey
    result = client.apply_signals(target.pkey, gpc=True, usp="1YNN")
    assert result.value is True
    assert [(c.pkey, c.previous, c.current, c.changed) for c in result.changes] == [(target.pkey, False, True, True)]
    assert {"kind": "conflict", "opted_out": ["gpc"], "not_opted_out": ["usp"]} in result.reasons
    assert client.get_opt_out(target.pkey) is True


def test_apply_signals_by_email_reaches_every_profile(emulator: Emulator) -> None:
    client = client_for(emulator)
    emails = Counter(p.email for p in client.list_profiles(page_size=60))
    email = next(e for e, n in emails.items() if n == 2)
    assert email
    result = client.apply_signals(email, usp="1NYN")
    assert result.value is True and len(result.changes) == 2
    assert all(client.get_opt_out(c.pkey) for c in result.changes)


def test_not_opted_out_never_clears_a_recorded_opt_out(emulator: Emulator) -> None:
    client = client_for(emulator)
    opted_out = next(p for p in client.list_profiles(page_size=60) if p.opt_out is True)
    assert opted_out.pkey
    patches = emulator.count("PATCH")
    result = client.apply_signals(opted_out.pkey, usp="1YNN")
    assert result.value is False
    assert [(c.previous, c.current, c.changed) for c in result.changes] == [(True, True, False)]
    assert emulator.count("PATCH") == patches and client.get_opt_out(opted_out.pkey) is True


def test_not_opted_out_is_recorded_where_nothing_is() -> None:
    # The emulator gives new profiles a value, so a tenant without one is scripted here.
    sent: list[tuple[str, bytes | None]] = []

    def tenant(request: co.Request) -> co.Response:
        sent.append((request.method, request.body))
        if request.method == "GET":
            return co.Response(200, [], b'{"PKey": "@fresh1", "email": "x@example.com"}')
        return co.Response(200, [], b'{"PKey": "@fresh1", "href": "https://mc.adobe.io/x"}')

    client = co.Client(organization="acme", api_key="k", access_token="t", transport=tenant)
    result = client.apply_signals("@fresh1", usp="1YNN")
    assert [(c.previous, c.current, c.changed) for c in result.changes] == [(None, False, True)]
    assert sent == [("GET", None), ("PATCH", b'{"ccpaOptOut":false}')]


@pytest.mark.parametrize(
    ("subject", "first_request"),
    [
        ("ana@example.com", "/profileAndServices/profile/byEmail?email=ana%40example.com&_forcePagination=true"),
        ("@Zk3q9Lw2TfR0", "/profileAndServices/profile/@Zk3q9Lw2TfR0"),
        # No dot after the last @: the core's subject rule reads it as a PKey, not an email.
        ("ana@localhost", "/profileAndServices/profile/ana@localhost"),
    ],
)
def test_the_subject_is_an_email_or_a_pkey_by_the_cores_rule(subject: str, first_request: str) -> None:
    urls: list[str] = []

    def tenant(request: co.Request) -> co.Response:
        urls.append(request.url)
        if "byEmail" in request.url:
            return co.Response(200, [], b'{"content": [], "count": {"value": 0}}')
        return co.Response(200, [], b'{"PKey": "%s", "ccpaOptOut": true}' % subject.encode())

    client = co.Client(organization="acme", api_key="k", access_token="t", transport=tenant)
    result = client.apply_signals(subject, gpc=True)
    assert urls[0] == f"https://mc.adobe.io/acme/campaign{first_request}"
    assert result.value is True and len(urls) == 1
    assert [c.changed for c in result.changes] == ([] if "byEmail" in first_request else [False])


def test_a_bad_subject_raises_before_anything_is_sent() -> None:
    def tenant(request: co.Request) -> co.Response:
        raise AssertionError(f"nothing should be sent, got {request.method} {request.url}")

    client = co.Client(organization="acme", api_key="k", access_token="t", transport=tenant)
    with pytest.raises(co.ValidationError):
        client.apply_signals("../admin", gpc=True)


def test_no_usable_signal_writes_nothing_and_unreadable_signals_send_nothing(emulator: Emulator) -> None:
    recording = RecordingTransport()
    sent = recording.methods
    client = co.Client(
        organization="acme", api_key=API_KEY, access_token=TOKEN, base_url=emulator.url, transport=recording
    )
    result = client.apply_signals("@anyProfile0", usp="1---", gpc=False)
    assert result.value is None and result.changes == () and sent == []
    result = client.apply_signals("@anyProfile0", gpp="not-a-gpp-string")
    assert result.value is None and result.changes == () and sent == []
    assert [(r["kind"], r["signal"]) for r in result.reasons] == [("unreadable", "gpp")]


def test_an_unreadable_signal_never_cancels_gpc(emulator: Emulator) -> None:
    client = client_for(emulator)
    pkey = next(p.pkey for p in client.list_profiles(page_size=60) if p.opt_out is False)
    result = client.apply_signals(pkey, gpc=True, usp="1Y-N", gpp="DBABLA~z")
    assert result.value is True and result.changes[0].changed
    assert [r["kind"] for r in result.reasons] == ["signal", "unreadable", "unreadable"]
    assert "position 3" in result.reasons[1]["message"]


def test_derive_opt_out_raises_only_for_arguments_of_the_wrong_type() -> None:
    assert co.derive_opt_out(usp="1Y--").value is None
    with pytest.raises(TypeError):
        co.derive_opt_out(usp=1)  # type: ignore[arg-type]
    with pytest.raises(co.ValidationError):
        co.parse_usp("1Y--")
    gpp = co.decode_gpp("DBABLA~CEQTAAAAAABA")  # usnat: SaleOptOut 1, TargetedAdvertisingOptOut 3
    assert gpp.sale_opt_out is True and gpp.targeted_advertising_opt_out is None
    assert gpp.unreadable == (
        {"section": "usnat", "field": "TargetedAdvertisingOptOut",
         "message": "usnat.TargetedAdvertisingOptOut has the undefined value 3"},
    )
    assert co.decode_gpp("DBABJg~BVWSSVg.YA").sections["usco"]["gpc"] is True


def test_async_apply_signals(emulator: Emulator) -> None:
    import asyncio

    async def main() -> co.AppliedSignals:
        client = co.AsyncClient(organization="acme", api_key=API_KEY, access_token=TOKEN, base_url=emulator.url)
        pkey = [p.pkey async for p in client.list_profiles(page_size=60) if p.opt_out is False][0]
        assert pkey
        return await client.apply_signals(pkey, gpp="DBABBg~BVWSSSVY.YA")

    result = asyncio.run(main())
    assert result.value is True and result.changes[0].changed
