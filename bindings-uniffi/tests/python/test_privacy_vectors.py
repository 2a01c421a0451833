"""The ``clocks`` and ``settings`` sections of the shared Privacy Service vectors
(``tests/vectors/privacy.json``) through the FFI: ``request_clocks``, and the IMS organization
and gateway given to ``ApiConfig``, checked by the core when the client is made."""

from __future__ import annotations

import json
import unittest
from typing import Any, Optional

import ccpa_optout_core as core
import ccpa_optout_uniffi as ffi
from emulator import ROOT
from vectors import check_error

DATA: dict[str, Any] = json.loads((ROOT / "tests" / "vectors" / "privacy.json").read_text())


def section(name: str, minimum: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = DATA[name]
    if len(found) < minimum:
        raise AssertionError(f"privacy.json {name}: expected at least {minimum} cases, found {len(found)}")
    return found


class JobAnswer(ffi.HttpTransport):
    """Answers every request with one complete job, and keeps what was sent."""

    def __init__(self) -> None:
        self.sent: list[ffi.HttpRequest] = []

    def send(self, request: ffi.HttpRequest) -> ffi.HttpResponse:
        self.sent.append(request)
        body = json.dumps({"jobId": "job-1", "status": "complete"}).encode()
        headers = [ffi.HttpHeader(name="Content-Type", value="application/json")]
        return ffi.HttpResponse(status=200, headers=headers, body=body)


def header(request: ffi.HttpRequest, name: str) -> Optional[str]:
    return next((h.value for h in request.headers() if h.name.lower() == name), None)


class ClockVectors(unittest.TestCase):
    def test_every_clock_case_gives_the_vectors_deadlines_and_verdicts(self) -> None:
        ran = 0
        for case in section("clocks", 8):
            with self.subTest(case["name"]):
                events = case.get("events", {})
                clocks = ffi.request_clocks(
                    received=case["received"], today=case["today"], holidays=case.get("holidays", []),
                    confirmed_on=events.get("confirmedOn"),
                    extension_noticed_on=events.get("extensionNoticedOn"),
                    answered_on=events.get("answeredOn"))
                got = {"confirmBy": clocks.confirm_by, "respondBy": clocks.respond_by,
                       "extendedTo": clocks.extended_to,
                       "confirmation": clocks.confirmation.name.lower(),
                       "response": clocks.response.name.lower()}
                self.assertEqual(got, case["expected"])
                self.assertEqual(clocks.received, case["received"])
                ran += 1
        self.assertEqual(ran, len(DATA["clocks"]))

    def test_the_verdicts_are_the_cores_enum(self) -> None:
        clocks = ffi.request_clocks(received="2025-04-04", today="2025-04-10")
        self.assertEqual((clocks.confirmation, clocks.response), (core.Deadline.OPEN, core.Deadline.OPEN))

    def test_a_day_that_is_no_date_is_a_validation_error(self) -> None:
        for bad in ({"received": "2025-02-30"}, {"answered_on": "tomorrow"}, {"holidays": ["2025-13-01"]}):
            with self.subTest(bad):
                arguments: dict[str, Any] = {"received": "2025-04-04", "today": "2025-04-10", **bad}
                with self.assertRaises(core.CcpaOptOutError.Validation):
                    ffi.request_clocks(**arguments)


class SettingsVectors(unittest.TestCase):
    def make(self, settings: dict[str, Any], transport: ffi.HttpTransport) -> ffi.CampaignClient:
        api = ffi.ApiConfig(organization=settings["organization"], api_key=settings["apiKey"],
                            base_url=settings.get("baseUrl"), ims_org=settings.get("imsOrg"),
                            privacy_base_url=settings.get("privacyBaseUrl"))
        return ffi.CampaignClient(api=api, credentials=ffi.Credentials.access_token(settings["accessToken"]),
                                  transport=transport)

    def test_every_privacy_setting_case_gives_the_vectors_gateway_or_error(self) -> None:
        ran = 0
        for case in section("settings", 6):
            with self.subTest(case["name"]):
                settings, transport = case["settings"], JobAnswer()
                if "error" in case:
                    with self.assertRaises(core.CcpaOptOutError) as raised:
                        self.make(settings, transport)
                    err = raised.exception
                    check_error(self, err, case["error"])
                    for text in (str(err), repr(err)):
                        self.assertNotIn(settings["apiKey"], text)
                        self.assertNotIn(settings["accessToken"], text)
                    ran += 1
                    continue
                client = self.make(settings, transport)
                expected = case["expected"]
                if expected is None:
                    self.assertEqual((client.ims_org(), client.privacy_base_url()), (None, None))
                    with self.assertRaises(core.CcpaOptOutError.Config) as raised:
                        client.privacy_job("job-1")
                    self.assertEqual(raised.exception.field, "imsOrg")
                    self.assertEqual(transport.sent, [], "nothing is sent without the IMS org")
                else:
                    self.assertEqual((client.ims_org(), client.privacy_base_url()),
                                     (expected["imsOrg"], expected["privacyBaseUrl"]))
                    # The request goes where the vector says, for that organization.
                    job = client.privacy_job("job-1")
                    self.assertEqual(job.status, core.JobStatus.COMPLETE())
                    [request] = transport.sent
                    self.assertEqual(request.url(), f"{expected['privacyBaseUrl']}/data/core/privacy/jobs/job-1")
                    self.assertEqual(header(request, "x-gw-ims-org-id"), expected["imsOrg"])
                    self.assertEqual(header(request, "x-api-key"), settings["apiKey"])
                ran += 1
        self.assertEqual(ran, len(DATA["settings"]))


if __name__ == "__main__":
    unittest.main()
