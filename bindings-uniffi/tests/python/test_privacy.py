"""Requests to know and to delete through the FFI against the emulator's Privacy Service: submit,
wait, download the access archive, see the deleted profile gone; and the refusals."""

from __future__ import annotations

import io
import json
import unittest
import uuid
import zipfile
from typing import Callable, Optional

import ccpa_optout_core as core
import ccpa_optout_uniffi as ffi
from emulator import API_KEY, ORG, SEED, TOKEN, Emulator
from urllib_transport import UrllibTransport

IMS_ORG = "EMULATORORG0000000000000@AdobeOrg"
BOTH = [core.PrivacyAction.ACCESS, core.PrivacyAction.DELETE]
EMULATOR: Emulator


def setUpModule() -> None:
    global EMULATOR
    EMULATOR = Emulator()  # its own: these tests delete seeded profiles


def tearDownModule() -> None:
    EMULATOR.stop()


class Pauses(ffi.Sleeper):
    def __init__(self) -> None:
        self.seconds: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.seconds.append(seconds)


def client(ims_org: Optional[str] = IMS_ORG, privacy_base_url: Optional[str] = None,
           sleeper: Optional[ffi.Sleeper] = None) -> ffi.CampaignClient:
    gateway = privacy_base_url or (EMULATOR.url if ims_org else None)
    api = ffi.ApiConfig(organization=ORG, api_key=API_KEY, base_url=EMULATOR.url, ims_org=ims_org,
                        privacy_base_url=gateway)
    return ffi.CampaignClient(api=api, credentials=ffi.Credentials.access_token(TOKEN),
                              transport=UrllibTransport(), sleeper=sleeper)


def sent() -> int:
    total: int = EMULATOR.stats()["total"]
    return total


def archive_profiles(archive: bytes) -> list[dict[str, object]]:
    """The profiles of an access archive (``campaign/profiles.json``)."""
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        profiles: list[dict[str, object]] = json.loads(zipped.read("campaign/profiles.json"))
    return profiles


def action_name(action: Optional[core.PrivacyAction]) -> str:
    return action.name.lower() if action is not None else ""


class PrivacyJobs(unittest.TestCase):
    def setUp(self) -> None:
        EMULATOR.reset()
        EMULATOR.admin("PUT", "privacy", {"advance": "per_read"})
        self.pauses = Pauses()
        self.client = client(sleeper=self.pauses)
        seed = self.client.list_profiles(page_size=SEED).next_page() or []
        emails = [p.email for p in seed if p.email]
        self.unique_emails = [email for email in emails if emails.count(email) == 1]

    def test_access_and_delete_run_to_completion_and_the_deleted_profile_is_gone(self) -> None:
        known = self.unique_emails[0]
        unknown = f"nobody-{uuid.uuid4().hex[:10]}@example.org"
        self.assertEqual(len(self.client.find_by_email(known)), 1, "the seeded profile is there before")
        users = [
            core.PrivacyUser(key="known", actions=BOTH, ids=[ffi.email_user_id(known)]),
            core.PrivacyUser(key="unknown", actions=BOTH, ids=[
                core.UserId(namespace="email", value=unknown, id_type=core.IdentityType.STANDARD)]),
        ]
        created = self.client.submit_privacy_jobs(users)
        self.assertEqual(sorted((c.user_key, action_name(c.action)) for c in created),
                         [("known", "access"), ("known", "delete"), ("unknown", "access"), ("unknown", "delete")])

        # Each read moves a job one state: two pauses of the client's sleeper before it ends.
        first = self.client.wait_for_privacy_job(created[0].job_id, 0.01, 10.0)
        self.assertEqual(first.status, core.JobStatus.COMPLETE())
        self.assertEqual(self.pauses.seconds, [0.01, 0.01])
        jobs = {(j.user_key, action_name(j.action)): j
                for j in (self.client.wait_for_privacy_job(c.job_id, 0.01, 10.0) for c in created)}
        self.assertTrue(all(job.status.is_complete() for job in jobs.values()), jobs)
        self.assertEqual({job.regulation for job in jobs.values()}, {"ccpa"})

        access = jobs[("known", "access")]
        self.assertIsNotNone(access.download_url)
        self.assertTrue((access.download_url or "").startswith(EMULATOR.url))
        self.assertEqual([p.code for p in access.product_responses], ["PRVCY-6000-200"])
        archive = self.client.download_privacy_data(access)
        self.assertIsInstance(archive, bytes)
        self.assertEqual([p.get("email") for p in archive_profiles(archive)], [known])

        nobody = jobs[("unknown", "access")]
        self.assertEqual([p.code for p in nobody.product_responses], ["PRVCY-6052-200"])
        self.assertEqual(archive_profiles(self.client.download_privacy_data(nobody)), [])

        self.assertEqual(self.client.find_by_email(known), [], "the delete job removed the profile")

        delete = jobs[("known", "delete")]
        self.assertIsNone(delete.download_url)
        before = sent()
        with self.assertRaises(core.CcpaOptOutError.Validation) as raised:
            self.client.download_privacy_data(delete)
        self.assertEqual(raised.exception.field, "downloadURL")
        self.assertEqual(sent(), before, "refused before anything was sent")

        # Pages of 3 are followed to the last; a status filter is the core's enum.
        listed = self.client.list_privacy_jobs(page_size=3)
        self.assertLessEqual({c.job_id for c in created}, {job.job_id for job in listed})
        done = self.client.list_privacy_jobs(status=core.JobStatus.COMPLETE(), regulation="ccpa")
        self.assertLessEqual({c.job_id for c in created}, {job.job_id for job in done})
        self.assertTrue(all(job.status.is_complete() for job in done))

    def test_a_job_still_running_when_the_limit_is_reached_is_a_transport_error(self) -> None:
        EMULATOR.admin("PUT", "privacy", {"advance": "after", "processingAfterMs": 60000,
                                          "completeAfterMs": 120000})
        user = core.PrivacyUser(key="slow", actions=[core.PrivacyAction.ACCESS],
                                ids=[ffi.email_user_id(self.unique_emails[1])])
        [job] = self.client.submit_privacy_jobs([user], include=["campaign"], regulation="ccpa")
        with self.assertRaises(core.CcpaOptOutError.Transport) as raised:
            self.client.wait_for_privacy_job(job.job_id, 0.01, 0.05)
        self.assertIn(job.job_id, str(raised.exception))
        self.assertIn("submitted", str(raised.exception))
        one = self.client.privacy_job(job.job_id)
        self.assertEqual((one.job_id, one.status, one.download_url), (job.job_id, core.JobStatus.SUBMITTED(), None))

    def test_a_wrong_ims_org_is_an_auth_error_with_the_gateway_code(self) -> None:
        wrong = client(ims_org="SOMEONEELSE0000000000000@AdobeOrg", privacy_base_url=EMULATOR.url)
        with self.assertRaises(core.CcpaOptOutError.Auth) as raised:
            wrong.list_privacy_jobs()
        err = raised.exception
        self.assertEqual((err.status, err.error_code, err.kind()), (403, "403025", "Auth"))
        for text in (str(err), repr(err), err.reason, err.description):
            self.assertNotIn(TOKEN, text)
            self.assertNotIn(API_KEY, text)

    def test_a_request_of_1001_users_is_refused_and_nothing_is_sent(self) -> None:
        users = [core.PrivacyUser(key=f"u{i}", actions=[core.PrivacyAction.DELETE],
                                  ids=[ffi.email_user_id(f"u{i}@example.com")]) for i in range(1001)]
        before = sent()
        with self.assertRaises(core.CcpaOptOutError.Validation) as raised:
            self.client.submit_privacy_jobs(users)
        self.assertEqual(raised.exception.field, "users")
        self.assertEqual(sent(), before, "nothing was sent")

    def test_bad_input_is_a_validation_error_naming_it_before_anything_is_sent(self) -> None:
        user = core.PrivacyUser(key="t-1", actions=[core.PrivacyAction.ACCESS],
                                ids=[ffi.email_user_id("ana@example.com")])
        calls: dict[str, Callable[[], object]] = {
            "jobId": lambda: self.client.privacy_job("../admin"),
            "toDate": lambda: self.client.list_privacy_jobs(from_date="2025-04-01"),
            "size": lambda: self.client.list_privacy_jobs(page_size=1001),
            "regulation": lambda: self.client.submit_privacy_jobs([user], regulation="CCPA!"),
            "include": lambda: self.client.submit_privacy_jobs([user], include=[]),
            "intervalSeconds": lambda: self.client.wait_for_privacy_job("job-1", -1.0, 10.0),
            "email": lambda: ffi.email_user_id("not an email"),
            "fromDate": lambda: self.client.list_privacy_jobs(from_date="2025-4-1", to_date="2025-04-02"),
            "holidays": lambda: ffi.request_clocks("2025-04-04", "2025-04-10", holidays=["Easter"]),
            "answeredOn": lambda: ffi.request_clocks("2025-04-04", "2025-04-10", answered_on="tomorrow"),
        }
        before = sent()
        for field, call in calls.items():
            with self.subTest(field):
                with self.assertRaises(core.CcpaOptOutError.Validation) as raised:
                    call()
                self.assertEqual(raised.exception.field, field)
        self.assertEqual(sent(), before, "nothing was sent")

    def test_without_an_ims_org_every_privacy_call_is_a_config_error(self) -> None:
        no_org = client(ims_org=None)
        self.assertEqual((no_org.ims_org(), no_org.privacy_base_url()), (None, None))
        job = core.PrivacyJob(job_id="j-1", request_id=None, user_key=None, action=core.PrivacyAction.ACCESS,
                             status=core.JobStatus.COMPLETE(), regulation="ccpa", created=None,
                             last_modified=None, product_responses=[],
                             download_url=f"{EMULATOR.url}/data/core/privacy/jobs/j-1/content")
        user = core.PrivacyUser(key="t-1", actions=[core.PrivacyAction.ACCESS],
                                ids=[ffi.email_user_id("ana@example.com")])
        calls: list[Callable[[], object]] = [
            lambda: no_org.submit_privacy_jobs([user]),
            lambda: no_org.privacy_job("j-1"),
            lambda: no_org.list_privacy_jobs(),
            lambda: no_org.wait_for_privacy_job("j-1", 0.01, 1.0),
            lambda: no_org.download_privacy_data(job),
        ]
        before = sent()
        for call in calls:
            with self.assertRaises(core.CcpaOptOutError.Config) as raised:
                call()
            self.assertEqual(raised.exception.field, "imsOrg")
        self.assertEqual(sent(), before, "nothing reached the emulator")
        # A Privacy Service gateway without the IMS org is refused when the client is made.
        with self.assertRaises(core.CcpaOptOutError.Config) as raised:
            client(ims_org=None, privacy_base_url=EMULATOR.url)
        self.assertEqual(raised.exception.field, "imsOrg")


if __name__ == "__main__":
    unittest.main()
