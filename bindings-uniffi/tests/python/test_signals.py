"""The shared privacy-signal vectors (``tests/vectors/signals.json``) through the FFI."""

from __future__ import annotations

import unittest
from typing import Any, Optional

import ccpa_optout_core as core
import ccpa_optout_uniffi as ffi
from vectors import cases, check_error

USP_FLAGS = {core.UspFlag.YES: "Y", core.UspFlag.NO: "N", core.UspFlag.NOT_APPLICABLE: "-"}


def name(member: Any) -> str:
    """A plain enum member in the vectors' snake_case (``NOT_OPTED_OUT`` → ``not_opted_out``)."""
    return str(member.name).lower()


def signal_name(signal: core.PrivacySignal) -> str:
    """A signal as the vectors spell it: ``gpc``, ``gpp_usnat``, ``gpp_usco`` (a state section)."""
    if signal.is_GPP_STATE():
        return f"gpp_{name(signal[0])}"
    return type(signal).__name__.rsplit(".", 1)[-1].lower()  # the variant's class


def usp_json(usp: Optional[core.UsPrivacy]) -> Optional[dict[str, Any]]:
    if usp is None:
        return None
    return {"version": usp.version, "notice": USP_FLAGS[usp.notice],
            "opt_out_sale": USP_FLAGS[usp.opt_out_sale], "lspa": USP_FLAGS[usp.lspa],
            "applies": usp.applies}


def record_json(record: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """A section record's fields; lists of numbers stay lists."""
    return {key: list(value) if isinstance(value, (list, bytes)) else value
            for key, value in vars(record).items() if key not in skip}


def state_json(state: ffi.UsStateSection) -> dict[str, Any]:
    """A state section in the vectors' shape: every field by its snake_case key, then the
    consent segment (usin, usky, usri) and ``gpc``."""
    out: dict[str, Any] = {}
    for field in state.fields:
        value = field.value
        out[field.key] = value.value if value.is_INT() else list(value.values)
    if name(state.section) in ("usin", "usky", "usri"):
        consent = state.sensitive_data_consents
        out["sensitive_data_processing"] = None if consent is None else list(consent)
    out["gpc"] = state.gpc
    return out


def gpp_json(gpp: ffi.GppSignals) -> dict[str, Any]:
    """The decoded string in the vectors' shape: its plain fields as they are, the sections and
    enum members spelled as the vectors spell them."""
    usnat = gpp.sections.usnat
    usca = gpp.sections.usca
    return {
        **record_json(gpp, ("source", "sections", "unreadable")),
        "source": [name(section) for section in gpp.source],
        "sections": {
            "uspv1": usp_json(gpp.sections.uspv1),
            "usnat": None if usnat is None
            else {**record_json(usnat, ("layout",)), "layout": name(usnat.layout)},
            "usca": None if usca is None else record_json(usca),
            **{name(state.section): state_json(state) for state in gpp.sections.states},
        },
        "unreadable": [{"section": name(part.section), "field": part.field, "message": part.message}
                       for part in gpp.unreadable],
    }


def reason_json(reason: core.OptOutReason) -> dict[str, Any]:
    if reason.is_SIGNAL():
        return {"kind": "signal", "signal": signal_name(reason.signal), "says": name(reason.says)}
    if reason.is_UNREADABLE():
        return {"kind": "unreadable", "signal": name(reason.signal), "message": reason.message}
    return {"kind": "conflict", "opted_out": [signal_name(s) for s in reason.opted_out],
            "not_opted_out": [signal_name(s) for s in reason.not_opted_out]}


def run(function: str, given: dict[str, Any]) -> Any:
    """The function a case names, its output in the vectors' JSON shape."""
    if function == "gpc_from_headers":
        return ffi.gpc_from_headers([ffi.HttpHeader(name=n, value=v) for n, v in given["headers"]])
    if function == "gpc_json":
        support = ffi.parse_gpc_json(given["content_type"], given["body"].encode())
        return {"gpc": support.gpc, "last_update": support.last_update}
    if function == "parse_usp":
        return usp_json(ffi.parse_usp(given["usp"]))
    if function == "decode_gpp":
        return gpp_json(ffi.decode_gpp(given["gpp"]))
    if function == "derive_opt_out":
        decision = ffi.derive_opt_out(gpc=given.get("gpc"), usp=given.get("usp"), gpp=given.get("gpp"))
        return {"value": decision.value, "reasons": [reason_json(r) for r in decision.reasons]}
    if function == "opt_out_due_date":
        return ffi.opt_out_due_date(given["received"], given["holidays"])
    if function == "opt_in_allowed":
        return {"allowed_from": ffi.opt_in_request_allowed_from(given["opted_out_on"]),
                "may_request": ffi.may_request_opt_in(given["opted_out_on"], given["on"])}
    if function == "date_from_rfc3339":
        return ffi.date_from_rfc3339(given["timestamp"])
    raise AssertionError(f"unknown function {function}")


class SignalVectors(unittest.TestCase):
    def test_every_signal_case_gives_the_vectors_value_or_error(self) -> None:
        _, found = cases("signals.json", 280)
        functions = set()
        for case in found:
            functions.add(case["function"])
            with self.subTest(case["name"]):
                if "error" in case:
                    with self.assertRaises(core.CcpaOptOutError) as raised:
                        run(case["function"], case["input"])
                    check_error(self, raised.exception, case["error"])
                else:
                    self.assertEqual(run(case["function"], case["input"]), case["expected"])
        self.assertEqual(len(functions), 8)  # every function of the file was exercised

    def test_an_unreadable_signal_is_a_reason_never_an_exception(self) -> None:
        decision = ffi.derive_opt_out(gpc=True, usp="1Y-N", gpp="DBABLA~CEQTAAAAAABA")
        self.assertTrue(decision.value)
        self.assertTrue(decision.reasons[1].is_UNREADABLE())
        self.assertEqual(decision.reasons[1].signal, core.UnreadableSignal.USP)
        self.assertEqual(decision.reasons[-1].message, "usnat.TargetedAdvertisingOptOut has the undefined value 3")
        self.assertIsNone(ffi.derive_opt_out(usp="1Y--").value)
        with self.assertRaises(core.CcpaOptOutError):
            ffi.parse_usp("1Y--")

    def test_a_state_section_is_one_generic_record(self) -> None:
        gpp = ffi.decode_gpp("DBABJg~BVWSSVg.YA")  # usco, every field set (IAB)
        [usco] = gpp.sections.states
        self.assertEqual((usco.section, usco.version, usco.sale_opt_out), (core.UsSection.USCO, 1, 1))
        self.assertEqual([f.name for f in usco.fields][:3], ["Version", "SharingNotice", "SaleOptOutNotice"])
        decision = ffi.derive_opt_out(gpp="DBABJg~BVWSSVg.YA")
        self.assertEqual(decision.reasons[0].signal, core.PrivacySignal.GPP_STATE(core.UsSection.USCO))

    def test_an_absent_gpc_header_is_no_signal_never_an_opt_in(self) -> None:
        self.assertIsNone(ffi.gpc_from_headers([ffi.HttpHeader(name="Sec-GPC", value="0")]))
        self.assertIsNone(ffi.derive_opt_out().value)


if __name__ == "__main__":
    unittest.main()
