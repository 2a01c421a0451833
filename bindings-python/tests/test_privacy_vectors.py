"""The shared Privacy Service vectors (``tests/vectors/privacy.json``): requests, responses,
clocks and settings, run through the sans-IO functions and through the clients, so Python
builds, reads and judges exactly what the Rust core does."""

from __future__ import annotations

import json
from typing import Any, Callable, NoReturn, Optional

import pytest

import ccpa_optout as co
from test_settings import snake
from vectors import VECTORS, assert_as_the_vector_says, assert_error, ids

DATA: dict[str, Any] = json.loads((VECTORS / "privacy.json").read_text(encoding="utf-8"))
IMS_ORG, API_KEY, TOKEN = "ABC123@AdobeOrg", "vec-api-key", "vec-token"
CONFIG = co.PrivacyConfig(ims_org=IMS_ORG, api_key=API_KEY)


def section(name: str, minimum: int) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = DATA[name]
    assert len(cases) >= minimum, f"{name}: {len(cases)} cases"
    return cases


REQUESTS = section("requests", 25)
RESPONSES = section("responses", 12)
CLOCKS = section("clocks", 8)
SETTINGS = section("settings", 6)


def users(spec: dict[str, Any]) -> list[Any]:
    """The case's users as plain dicts (``repeatUsers``: that many one-email delete users)."""
    if "repeatUsers" in spec:
        return [
            {"key": f"u{i}", "actions": ["delete"], "ids": [{"namespace": "email", "value": f"u{i}@example.com", "type": "standard"}]}
            for i in range(spec["repeatUsers"])
        ]
    return list(spec["users"])


def typed_users(spec: dict[str, Any]) -> list[co.PrivacyUser]:
    """The same users as ``PrivacyUser`` objects: both shapes must build the same request."""
    return [
        co.PrivacyUser(user["key"], user["actions"], [co.UserId(i["namespace"], i["value"], i["type"]) for i in user["ids"]])
        for user in users(spec)
    ]


def list_keywords(spec: dict[str, Any]) -> dict[str, Any]:
    return {snake(key): value for key, value in spec.items() if key != "page"}


def prepare(case: dict[str, Any], typed: bool = False) -> co.Request:
    if "create" in case:
        spec = case["create"]
        given = typed_users(spec) if typed else users(spec)
        return co.prepare_create_privacy_jobs(
            CONFIG, TOKEN, given, include=spec.get("include"), regulation=spec.get("regulation")
        )
    if "get" in case:
        return co.prepare_get_privacy_job(CONFIG, TOKEN, case["get"])
    if "download" in case:
        return co.prepare_download_privacy_data(CONFIG, TOKEN, case["download"])
    spec = case["list"]
    return co.prepare_list_privacy_jobs(CONFIG, TOKEN, page=spec["page"], **list_keywords(spec))


def assert_request(request: co.Request, expected: dict[str, Any]) -> None:
    assert request.method == expected["method"]
    assert request.url == expected["url"]
    headers = dict(request.headers)
    for name, value in (expected.get("headers") or {}).items():
        assert headers.get(name) == value, name
    if "body" in expected:
        if expected["body"] is None:
            assert request.body is None
        else:
            assert request.body is not None and json.loads(request.body) == expected["body"]


@pytest.mark.parametrize("case", REQUESTS, ids=ids(REQUESTS))
def test_the_privacy_requests_are_built_or_refused_as_the_vectors_say(case: dict[str, Any]) -> None:
    for typed in (False, True) if "create" in case else (False,):
        if "error" in case:
            with pytest.raises(co.CcpaOptOutError) as caught:
                prepare(case, typed)
            assert_error(caught.value, case["error"])
            assert str(TOKEN) not in str(caught.value) and API_KEY not in str(caught.value)
        else:
            assert_request(prepare(case, typed), case["expected"])


class Captured(Exception):
    """Stops an operation once its first request has been seen."""


def client(transport: co.Transport) -> co.Client:
    return co.Client(
        organization="acme", api_key=API_KEY, access_token=TOKEN, ims_org=IMS_ORG, transport=transport, retry=None
    )


def client_call(c: co.Client, case: dict[str, Any]) -> Optional[Callable[[], Any]]:
    """The client method that sends the case's request (``None``: a page other than the first
    is only reachable through the sans-IO function)."""
    if "create" in case:
        spec = case["create"]
        return lambda: c.submit_privacy_jobs(users(spec), include=spec.get("include"), regulation=spec.get("regulation"))
    if "get" in case:
        return lambda: c.privacy_job(case["get"])
    if "download" in case:
        job = co.PrivacyJob("6f0c-a1", "complete", action="access", download_url=case["download"])
        return lambda: c.download_privacy_data(job)
    spec = case["list"]
    if spec["page"] != 0:
        return None
    return lambda: c.list_privacy_jobs(**list_keywords(spec))


CLIENT_REQUESTS = [case for case in REQUESTS if "list" not in case or case["list"]["page"] == 0]


@pytest.mark.parametrize("case", CLIENT_REQUESTS, ids=ids(CLIENT_REQUESTS))
def test_the_client_sends_the_vector_request_or_refuses_without_sending(case: dict[str, Any]) -> None:
    seen: list[co.Request] = []

    def transport(request: co.Request) -> NoReturn:
        seen.append(request)
        raise Captured

    action = client_call(client(transport), case)
    assert action is not None
    if "error" in case:
        with pytest.raises(co.CcpaOptOutError) as caught:
            action()
        assert_error(caught.value, case["error"])
        assert seen == [], "nothing is sent for bad input"
    else:
        with pytest.raises(Captured):
            action()
        assert_request(seen[0], case["expected"])


def response_of(case: dict[str, Any]) -> co.Response:
    return co.Response(case["status"], [("content-type", "application/json")], json.dumps(case["body"]).encode())


def camel(name: str) -> str:
    """The vector key of a Python attribute (``last_modified`` → ``lastModified``)."""
    first, *rest = name.split("_")
    return first + "".join(word.title() for word in rest)


def vector_form(record: Any) -> dict[str, Any]:
    """A record's every attribute under its camelCase name, found by rule rather than by the
    client's own key table, so that a key the client maps wrong shows."""
    return {camel(name): getattr(record, name) for name in record.__slots__}


def job_json(job: co.PrivacyJob) -> dict[str, Any]:
    """A job in the vectors' camelCase form."""
    return {**vector_form(job), "productResponses": [vector_form(p) for p in job.product_responses]}


def parsed(case: dict[str, Any]) -> Any:
    response = response_of(case)
    if case["parse"] == "created":
        return [vector_form(job) for job in co.parse_created_privacy_jobs(response)]
    if case["parse"] == "job":
        return job_json(co.parse_privacy_job(response, CONFIG))
    page = co.parse_privacy_job_page(response, CONFIG)
    return {"total": page.total, "jobs": [job_json(job) for job in page.jobs]}


@pytest.mark.parametrize("case", RESPONSES, ids=ids(RESPONSES))
def test_the_privacy_answers_parse_as_the_vectors_say(case: dict[str, Any]) -> None:
    assert_as_the_vector_says(case, lambda: parsed(case))


JOB_RESPONSES = [case for case in RESPONSES if case["parse"] == "job"]


@pytest.mark.parametrize("case", JOB_RESPONSES, ids=ids(JOB_RESPONSES))
def test_the_client_reads_a_job_like_the_parser(case: dict[str, Any]) -> None:
    c = client(lambda request: response_of(case))
    assert_as_the_vector_says(case, lambda: c.privacy_job("j-1"), job_json)


@pytest.mark.parametrize("case", CLOCKS, ids=ids(CLOCKS))
def test_the_clocks_give_the_vector_deadlines(case: dict[str, Any]) -> None:
    events = co.RequestEvents(**{snake(key): day for key, day in case.get("events", {}).items()})
    clocks = co.request_clocks(case["received"], events, holidays=case.get("holidays", ()), today=case["today"])
    observed = {
        "confirmBy": clocks.confirm_by.isoformat(),
        "respondBy": clocks.respond_by.isoformat(),
        "extendedTo": None if clocks.extended_to is None else clocks.extended_to.isoformat(),
        "confirmation": clocks.confirmation,
        "response": clocks.response,
    }
    assert observed == case["expected"]
    assert clocks.received.isoformat() == case["received"]


def test_the_clocks_take_dates_and_default_to_no_events() -> None:
    import datetime

    clocks = co.request_clocks(datetime.date(2025, 4, 4), today=datetime.date(2025, 4, 10))
    assert (clocks.confirm_by, clocks.respond_by) == (datetime.date(2025, 4, 18), datetime.date(2025, 5, 19))
    assert (clocks.confirmation, clocks.response) == ("open", "open")
    with pytest.raises(co.ValidationError):
        co.request_clocks("2025-02-30", today="2025-03-01")


def builders(settings: dict[str, Any]) -> list[Callable[[], Any]]:
    given = {snake(key): value for key, value in settings.items()}
    return [
        lambda: co.Client(**given),
        lambda: co.AsyncClient(**given),
        lambda: co.Client.from_env({}, **given),
    ]


@pytest.mark.parametrize("case", SETTINGS, ids=ids(SETTINGS))
def test_the_privacy_settings_are_read_as_the_vectors_say(case: dict[str, Any]) -> None:
    for build in builders(case["settings"]):
        if "error" in case:
            with pytest.raises(co.ConfigError) as caught:
                build()
            assert (caught.value.kind, caught.value.field) == (case["error"]["kind"], case["error"]["field"])
        else:
            made = build()
            observed = None if made.ims_org is None else {"imsOrg": made.ims_org, "privacyBaseUrl": made.privacy_base_url}
            assert observed == case["expected"]
            assert API_KEY not in repr(made) and TOKEN not in repr(made)


def test_the_privacy_config_checks_like_the_settings_and_hides_the_api_key() -> None:
    config = co.PrivacyConfig(ims_org=IMS_ORG, api_key=API_KEY, base_url="http://127.0.0.1:8080/")
    assert (config.ims_org, config.base_url) == (IMS_ORG, "http://127.0.0.1:8080")
    assert API_KEY not in repr(config) and IMS_ORG in repr(config)
    assert CONFIG.base_url == co.DEFAULT_PRIVACY_BASE_URL
    with pytest.raises(co.ConfigError) as caught:
        co.PrivacyConfig(ims_org="acme", api_key=API_KEY)
    assert caught.value.field == "imsOrg"
    with pytest.raises(co.ConfigError) as caught:
        co.PrivacyConfig(ims_org=IMS_ORG, api_key=API_KEY, base_url="http://platform.adobe.io")
    assert caught.value.field == "privacyBaseUrl"


def test_users_may_be_typed_or_plain_and_include_is_a_list() -> None:
    typed = co.PrivacyUser("t-1", ["access"], [co.UserId.email("ana@example.com")])
    plain = {"key": "t-1", "actions": ["access"], "ids": [{"namespace": "email", "value": "ana@example.com", "type": "standard"}]}
    assert typed.to_dict() == plain
    one, two = (co.prepare_create_privacy_jobs(CONFIG, TOKEN, [user]) for user in (typed, plain))
    assert one.body == two.body
    with pytest.raises(TypeError, match="include"):
        co.prepare_create_privacy_jobs(CONFIG, TOKEN, [typed], include="campaign")
    with pytest.raises(co.ValidationError) as caught:
        co.prepare_create_privacy_jobs(CONFIG, TOKEN, [{"key": "t-1", "actions": ["access"]}])
    assert caught.value.field == "userIDs"
    with pytest.raises(co.ValidationError) as caught:
        co.prepare_list_privacy_jobs(CONFIG, TOKEN, from_date="2025-04-01")
    assert caught.value.field == "toDate"


def test_bad_inputs_name_the_same_field_as_in_javascript_and_kotlin() -> None:
    """The core reads these inputs for every language, so the field an error names is shared."""
    cases = [
        (lambda: co.prepare_list_privacy_jobs(CONFIG, TOKEN, to_date="2025-04-01"), "fromDate"),
        (lambda: co.prepare_list_privacy_jobs(CONFIG, TOKEN, from_date="2025-4-1", to_date="2025-04-02"), "fromDate"),
        (lambda: co.prepare_list_privacy_jobs(CONFIG, TOKEN, page_size=1001), "size"),
        (lambda: co.prepare_create_privacy_jobs(CONFIG, TOKEN, [{"key": "t", "actions": "access", "ids": []}]), "action"),
        (lambda: co.prepare_create_privacy_jobs(CONFIG, TOKEN, [{"key": 7, "actions": ["access"], "ids": []}]), "key"),
        (lambda: co.request_clocks("2025-02-30", today="2025-04-10"), "received"),
        (lambda: co.request_clocks("2025-04-04", holidays=["Easter"], today="2025-04-10"), "holidays"),
    ]
    for run, field in cases:
        with pytest.raises(co.ValidationError) as caught:
            run()
        assert caught.value.field == field, (field, str(caught.value))
