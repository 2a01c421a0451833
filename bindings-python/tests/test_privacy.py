"""Requests to know and to delete end to end, over sockets, against the emulator's Privacy Service:
submit, poll, download the access archive, see the deleted profile gone; and the refusals."""

from __future__ import annotations

import asyncio
import io
import json
import uuid
import zipfile
from collections.abc import Iterator
from typing import Any, Callable, Union

import pytest

import ccpa_optout as co
from emulator import API_KEY, TOKEN, Emulator

IMS_ORG = "EMULATORORG0000000000000@AdobeOrg"
BOTH = ["access", "delete"]


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    """Its own emulator: these tests delete seeded profiles."""
    running = Emulator("--seed", "30")
    yield running
    running.stop()


def settings(emulator: Emulator, **extra: Any) -> dict[str, Any]:
    given: dict[str, Any] = dict(
        organization="acme",
        api_key=API_KEY,
        access_token=TOKEN,
        base_url=emulator.url,
        ims_org=IMS_ORG,
        privacy_base_url=emulator.url,
    )
    given.update(extra)
    return given


@pytest.fixture(scope="module")
def seeded_emails(emulator: Emulator) -> list[str]:
    """Seeded emails that belong to one profile each."""
    with co.Client(organization="acme", api_key=API_KEY, access_token=TOKEN, base_url=emulator.url) as client:
        emails = [p.email for p in client.list_profiles(page_size=30) if p.email]
    return [email for email in emails if emails.count(email) == 1]


def request_for(flavour: str, known: str) -> tuple[list[Union[co.PrivacyUser, dict[str, Any]]], str]:
    """Access and delete for a seeded consumer (typed) and an unknown one (a plain dict)."""
    unknown = f"nobody-{uuid.uuid4().hex[:10]}@example.org"
    users: list[Union[co.PrivacyUser, dict[str, Any]]] = [
        co.PrivacyUser(f"{flavour}-known", BOTH, [co.UserId.email(known)]),
        {"key": f"{flavour}-unknown", "actions": BOTH, "ids": [{"namespace": "email", "value": unknown, "type": "standard"}]},
    ]
    return users, unknown


def by_key_and_action(jobs: list[co.PrivacyJob]) -> dict[tuple[str, str], co.PrivacyJob]:
    return {(job.user_key or "", job.action or ""): job for job in jobs}


def archive_emails(archive: bytes) -> list[str]:
    """The emails of the profiles in an access archive (``campaign/profiles.json``)."""
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        assert "campaign/profiles.json" in zipped.namelist()
        profiles = json.loads(zipped.read("campaign/profiles.json"))
    return [profile.get("email") for profile in profiles]


def product_codes(job: co.PrivacyJob) -> list[str]:
    return [p.code for p in job.product_responses if p.code]


def test_access_and_delete_run_to_completion_and_the_deleted_profile_is_gone(
    emulator: Emulator, seeded_emails: list[str]
) -> None:
    known = seeded_emails[0]
    users, _ = request_for("sync", known)
    with co.Client(**settings(emulator)) as client:
        assert client.find_by_email(known), "the seeded profile is there before"
        created = client.submit_privacy_jobs(users)
        assert sorted((c.user_key, c.action) for c in created) == [
            ("sync-known", "access"),
            ("sync-known", "delete"),
            ("sync-unknown", "access"),
            ("sync-unknown", "delete"),
        ]

        # The emulator moves a job one state per read: every state is seen on the way.
        first = created[0].job_id
        seen = [client.privacy_job(first).status]
        while seen[-1] not in ("complete", "error"):
            seen.append(client.privacy_job(first).status)
        assert seen == ["submitted", "processing", "complete"]

        jobs = by_key_and_action([client.wait_for_privacy_job(c.job_id, interval=0.01, timeout=10) for c in created])
        assert {job.status for job in jobs.values()} == {"complete"}

        access = jobs[("sync-known", "access")]
        assert access.download_url is not None and access.download_url.startswith(emulator.url)
        archive = client.download_privacy_data(access)
        assert known in archive_emails(archive)
        assert product_codes(jobs[("sync-unknown", "access")]) == ["PRVCY-6052-200"]
        assert archive_emails(client.download_privacy_data(jobs[("sync-unknown", "access")])) == []

        assert client.find_by_email(known) == [], "the delete job removed the profile"

        delete = jobs[("sync-known", "delete")]
        assert delete.download_url is None
        before = emulator.stats()["total"]
        with pytest.raises(co.ValidationError) as caught:
            client.download_privacy_data(delete)
        assert caught.value.field == "downloadURL"
        assert emulator.stats()["total"] == before, "refused before anything was sent"

        listed = {job.job_id for job in client.list_privacy_jobs(page_size=3)}
        assert {c.job_id for c in created} <= listed


def test_the_async_client_runs_the_same_requests(emulator: Emulator, seeded_emails: list[str]) -> None:
    known = seeded_emails[1]
    users, _ = request_for("async", known)

    async def main() -> None:
        async with co.AsyncClient(**settings(emulator)) as client:
            created = await client.submit_privacy_jobs(users, include=["campaign"], regulation="ccpa")
            assert len(created) == 4
            # Access jobs first: the emulator captures an access job's data when it completes,
            # so a delete completing before it would leave the archive empty.
            done: list[co.PrivacyJob] = []
            for action in BOTH:
                done += await asyncio.gather(
                    *(client.wait_for_privacy_job(c.job_id, interval=0.01, timeout=10) for c in created if c.action == action)
                )
            jobs = by_key_and_action(done)
            assert {job.status for job in done} == {"complete"}
            assert known in archive_emails(await client.download_privacy_data(jobs[("async-known", "access")]))
            assert product_codes(jobs[("async-unknown", "delete")]) == ["PRVCY-6052-200"]
            assert await client.find_by_email(known) == []
            one = await client.privacy_job(created[0].job_id)
            assert (one.job_id, one.status, one.regulation) == (created[0].job_id, "complete", "ccpa")
            listed = await client.list_privacy_jobs(status="complete", page_size=2)
            assert {c.job_id for c in created} <= {job.job_id for job in listed}

    asyncio.run(main())


def test_a_wrong_ims_org_is_an_auth_error_with_the_gateway_code(emulator: Emulator) -> None:
    wrong = settings(emulator, ims_org="SOMEONEELSE0000000000000@AdobeOrg")
    with co.Client(**wrong) as client:
        with pytest.raises(co.AuthError) as caught:
            client.list_privacy_jobs()
    assert (caught.value.status, caught.value.error_code) == (403, "403025")
    assert TOKEN not in str(caught.value) and API_KEY not in repr(caught.value)

    async def main() -> None:
        async with co.AsyncClient(**wrong) as client:
            with pytest.raises(co.AuthError) as caught:
                await client.privacy_job("some-job")
            assert caught.value.error_code == "403025"

    asyncio.run(main())


def test_a_request_of_1001_users_is_refused_and_nothing_is_sent(emulator: Emulator) -> None:
    users = [co.PrivacyUser(f"u{i}", ["delete"], [co.UserId.email(f"u{i}@example.com")]) for i in range(1001)]
    before = emulator.stats()["total"]
    with co.Client(**settings(emulator)) as client:
        with pytest.raises(co.ValidationError) as caught:
            client.submit_privacy_jobs(users)
    assert caught.value.field == "users"

    async def main() -> None:
        async with co.AsyncClient(**settings(emulator)) as client:
            with pytest.raises(co.ValidationError) as caught:
                await client.submit_privacy_jobs(users)
            assert caught.value.field == "users"

    asyncio.run(main())
    assert emulator.stats()["total"] == before, "nothing was sent"


def test_without_an_ims_org_every_privacy_call_is_a_config_error(emulator: Emulator) -> None:
    no_org = settings(emulator, ims_org=None, privacy_base_url=None)
    job = co.PrivacyJob("j-1", "complete", action="access", download_url=f"{emulator.url}/data/core/privacy/jobs/j-1/content")
    users = [co.PrivacyUser("t-1", ["access"], [co.UserId.email("ana@example.com")])]
    before = emulator.stats()["total"]
    with co.Client(**no_org) as client:
        assert (client.ims_org, client.privacy_base_url) == (None, None)
        calls: list[Callable[[], object]] = [
            lambda: client.submit_privacy_jobs(users),
            lambda: client.privacy_job("j-1"),
            lambda: client.list_privacy_jobs(),
            lambda: client.wait_for_privacy_job("j-1", interval=0.01, timeout=1),
            lambda: client.download_privacy_data(job),
        ]
        for call in calls:
            with pytest.raises(co.ConfigError) as caught:
                call()
            assert caught.value.field == "imsOrg"

    async def main() -> None:
        async with co.AsyncClient(**no_org) as client:
            with pytest.raises(co.ConfigError) as caught:
                await client.submit_privacy_jobs(users)
            assert caught.value.field == "imsOrg"

    asyncio.run(main())
    assert emulator.stats()["total"] == before, "nothing reached the emulator"
    with pytest.raises(co.ConfigError) as caught:
        co.Client(**settings(emulator, ims_org=None))
    assert caught.value.field == "imsOrg", "a Privacy Service gateway without an IMS org"
