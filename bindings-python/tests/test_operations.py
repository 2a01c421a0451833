"""Every client operation against the emulator, over real sockets."""

from __future__ import annotations

import urllib.error
import urllib.request
import uuid
from collections import Counter

import pytest

import ccpa_optout as co
from emulator import API_KEY, TOKEN, Emulator


def profile_with(client: co.Client, opt_out: bool) -> co.Profile:
    return next(p for p in client.list_profiles(page_size=50) if p.opt_out is opt_out)


def test_set_opt_out_patches_once_then_changes_nothing(client: co.Client, emulator: Emulator) -> None:
    target = profile_with(client, False)
    assert target.pkey is not None
    patches = emulator.count("PATCH")
    first = client.set_opt_out(target.pkey, True)
    assert first == co.OptOutChange(pkey=target.pkey, previous=False, current=True, changed=True)
    second = client.set_opt_out(target.pkey, True)
    assert (second.previous, second.current, second.changed) == (True, True, False)
    assert emulator.count("PATCH") == patches + 1, "the second call must not write"
    assert client.get_opt_out(target.pkey) is True
    assert "changed=True" in repr(first)


def test_get_profile_keeps_every_field(client: co.Client) -> None:
    listed = next(iter(client.list_profiles(page_size=5)))
    assert listed.pkey is not None
    profile = client.get_profile(listed.pkey)
    assert profile.pkey == listed.pkey
    assert profile.email == profile["email"] and profile.first_name == profile["firstName"]
    assert isinstance(profile.opt_out, bool) and profile["ccpaOptOut"] is profile.opt_out
    assert profile.href is not None and profile.href.startswith(client.base_url)
    assert len(profile) > 8, "unknown fields are kept, not dropped"
    with pytest.raises(TypeError):
        profile["email"] = "x"  # type: ignore[index]


def test_find_by_email_returns_every_match(client: co.Client) -> None:
    emails = Counter(p.email for p in client.list_profiles(page_size=100))
    duplicate = next(email for email, n in emails.items() if n == 2)
    assert duplicate is not None
    found = client.find_by_email(duplicate)
    assert len(found) == 2 and {p.email for p in found} == {duplicate}
    assert client.find_by_email(f"nobody-{uuid.uuid4().hex}@example.com") == []


def test_opt_out_by_email_changes_each_profile(client: co.Client) -> None:
    emails = Counter(p.email for p in client.list_profiles(page_size=100))
    duplicate = next(email for email, n in emails.items() if n == 2)
    assert duplicate is not None
    changes = client.opt_out_by_email(duplicate)
    assert len(changes) == 2 and all(c.current is True for c in changes)
    assert all(client.get_opt_out(c.pkey) for c in changes)
    assert all(not c.changed for c in client.opt_out_by_email(duplicate, opted_out=True))
    back = client.opt_out_by_email(duplicate, opted_out=False)
    assert [c.current for c in back] == [False, False] and all(c.changed for c in back)


def test_create_update_delete_round_trip(client: co.Client) -> None:
    email = f"py-{uuid.uuid4().hex[:12]}@example.com"
    created = client.create_profile({"email": email, "firstName": "Ana", "ccpaOptOut": False})
    assert created.pkey and created.email == email and created.opt_out is False
    ack = client.update_profile(created.pkey, {"firstName": "Ana Maria", "ccpaOptOut": True})
    assert ack.pkey == created.pkey
    updated = client.get_profile(created.pkey)
    assert (updated.first_name, updated.opt_out) == ("Ana Maria", True)
    assert [p.pkey for p in client.find_by_email(email)] == [created.pkey]
    client.delete_profile(created.pkey)
    with pytest.raises(co.NotFoundError) as caught:
        client.get_profile(created.pkey)
    assert caught.value.status == 404 and not caught.value.retryable


def test_profile_metadata_confirms_the_opt_out_field(client: co.Client) -> None:
    metadata = client.profile_metadata()
    assert metadata.opt_out_field_ok and metadata.field_type("ccpaOptOut") == "boolean"
    assert metadata.field_type("email") == "string"


def test_a_custom_opt_out_field_missing_from_the_api_is_reported(emulator: Emulator) -> None:
    client = co.Client(
        organization="acme",
        api_key=API_KEY,
        access_token=TOKEN,
        base_url=emulator.url,
        opt_out_field="cusNoSuchField",
    )
    assert client.profile_metadata().opt_out_field_ok is False


def test_wrong_credentials_are_auth_errors(emulator: Emulator) -> None:
    wrong_token = co.Client(organization="acme", api_key=API_KEY, access_token="not-the-token", base_url=emulator.url)
    with pytest.raises(co.AuthError) as caught:
        wrong_token.get_profile("@anything")
    assert (caught.value.status, caught.value.error_code) == (401, "401013")
    wrong_key = co.Client(organization="acme", api_key="not-the-key", access_token=TOKEN, base_url=emulator.url)
    with pytest.raises(co.AuthError) as caught:
        wrong_key.get_profile("@anything")
    assert (caught.value.status, caught.value.error_code) == (403, "403003")
    assert "Api Key is invalid" in str(caught.value)
    other_tenant = co.Client(organization="acme-mkt-stage", api_key=API_KEY, access_token=TOKEN, base_url=emulator.url)
    with pytest.raises(co.AuthError) as caught:
        other_tenant.get_profile("@anything")
    assert (caught.value.status, caught.value.error_code) == (403, "403023")
    assert "Profile is not valid" in str(caught.value)


def test_an_unknown_pkey_is_not_found(client: co.Client) -> None:
    with pytest.raises(co.NotFoundError):
        client.get_opt_out("@doesNotExist0000")


def test_a_non_boolean_opt_out_is_refused_before_sending(emulator: Emulator) -> None:
    sent: list[co.Request] = []

    def recording(request: co.Request) -> co.Response:
        sent.append(request)
        return co.StdlibTransport()(request)

    client = co.Client(
        organization="acme", api_key=API_KEY, access_token=TOKEN, base_url=emulator.url, transport=recording
    )
    for bad in ("true", 1, 0, None, "yes", 1.0):
        with pytest.raises(co.ValidationError) as caught:
            client.set_opt_out("@a", bad)  # type: ignore[arg-type]
        assert caught.value.field == "ccpaOptOut"
        with pytest.raises(co.ValidationError):
            client.opt_out_by_email("ana@example.com", bad)  # type: ignore[arg-type]
        with pytest.raises(ValueError):
            client.create_profile({"email": "a@example.com", "ccpaOptOut": bad})
    assert sent == []


class UrllibTransport:
    """A transport written by a user: ``urllib.request`` with redirects turned off."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(self._NoRedirect)
        self.calls = 0

    def __call__(self, request: co.Request) -> co.Response:
        self.calls += 1
        raw = urllib.request.Request(request.url, data=request.body, method=request.method)
        for name, value in request.headers:
            raw.add_header(name, value)
        try:
            with self.opener.open(raw, timeout=request.timeout) as answer:
                return co.Response(answer.status, answer.headers.items(), answer.read())
        except urllib.error.HTTPError as answer:
            return co.Response(answer.code, answer.headers.items(), answer.read())


def test_a_custom_transport_does_the_io(emulator: Emulator) -> None:
    transport = UrllibTransport()
    client = co.Client(
        organization="acme", api_key=API_KEY, access_token=TOKEN, base_url=emulator.url, transport=transport
    )
    pkey = next(iter(client.list_profiles(page_size=3))).pkey
    assert pkey is not None
    change = client.set_opt_out(pkey, not client.get_opt_out(pkey))
    assert change.changed
    with pytest.raises(co.NotFoundError):
        client.get_profile("@missing000")
    assert transport.calls == 5  # list, get, get + patch, get
