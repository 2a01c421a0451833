"""The shared request, bad-input and response vectors through the FFI's sans-IO functions."""

from __future__ import annotations

import json
import unittest
from typing import Any

import ccpa_optout_core as core
import ccpa_optout_uniffi as ffi
from vectors import cases, check_error


def api_config(config: dict[str, Any]) -> ffi.ApiConfig:
    return ffi.ApiConfig(organization=config["organization"], api_key=config["apiKey"],
                         base_url=config["baseUrl"], api=config["api"],
                         opt_out_field=config["optOutField"])


def build(config: dict[str, Any], operation: str, given: dict[str, Any]) -> ffi.HttpRequest:
    """The request an operation's vector describes, built by the matching ``prepare_*``."""
    if operation == "tokenRequest":
        return ffi.prepare_token_request(client_id=given["clientId"],
                                         client_secret=given["clientSecret"],
                                         scopes=given["scopes"], token_url=given.get("tokenUrl"))
    api = api_config(config)
    token = config["accessToken"]
    if operation == "getProfile":
        return ffi.prepare_get_profile(api, token, given["pkey"])
    if operation == "findByEmail":
        return ffi.prepare_find_by_email(api, token, given["email"], given.get("pageSize"),
                                         given.get("order"), given.get("forcePagination", True))
    if operation == "listProfiles":
        return ffi.prepare_list_profiles(api, token, given.get("pageSize"), given.get("order"),
                                         given.get("forcePagination", True))
    if operation == "followHref":
        return ffi.prepare_follow_href(api, token, given["href"])
    if operation == "createProfile":
        return ffi.prepare_create_profile(api, token, json.dumps(given["fields"]))
    if operation == "setOptOut":
        opted_out = given["optOut"]
        if not isinstance(opted_out, bool):
            # The typed FFI has no way to pass "true", 1 or null as the opt-out flag; a host
            # can only send such a value inside a fields object, where the core refuses it.
            return ffi.prepare_update_profile(api, token, given["pkey"],
                                              json.dumps({config["optOutField"]: opted_out}))
        return ffi.prepare_set_opt_out(api, token, given["pkey"], opted_out)
    if operation == "updateProfile":
        return ffi.prepare_update_profile(api, token, given["pkey"], json.dumps(given["fields"]))
    if operation == "deleteProfile":
        return ffi.prepare_delete_profile(api, token, given["pkey"])
    if operation == "profileMetadata":
        return ffi.prepare_profile_metadata(api, token)
    raise AssertionError(f"unknown operation {operation}")


def merged(defaults: dict[str, Any], case: dict[str, Any]) -> dict[str, Any]:
    return {**defaults, **(case.get("config") or {})}


class RequestVectors(unittest.TestCase):
    def test_every_request_is_built_exactly_as_the_vector_says(self) -> None:
        document, found = cases("requests.json", 40)
        for case in found:
            with self.subTest(case["name"]):
                request = build(merged(document["config"], case), case["operation"], case["input"])
                expected = case["expected"]
                self.assertEqual(request.method(), expected["method"])
                self.assertEqual(request.url(), expected["url"])
                self.assertEqual(sorted((h.name, h.value) for h in request.headers()),
                                 sorted(tuple(pair) for pair in expected["headers"]))
                body = request.body()
                if "form" in expected:
                    self.assertEqual(body.decode(), expected["form"])
                elif expected["body"] is None:
                    self.assertIsNone(body)
                else:
                    self.assertEqual(json.loads(body), expected["body"])


class BadInputVectors(unittest.TestCase):
    def test_bad_input_is_the_vectors_error_kind_and_field(self) -> None:
        document, found = cases("bad_input.json", 30)
        for case in found:
            with self.subTest(case["name"]):
                with self.assertRaises(core.CcpaOptOutError) as raised:
                    build(merged(document["config"], case), case["operation"], case["input"])
                check_error(self, raised.exception, case["error"])


def response(case: dict[str, Any]) -> ffi.HttpResponse:
    headers = [ffi.HttpHeader(name=name, value=value) for name, value in case["headers"]]
    return ffi.HttpResponse(status=case["status"], headers=headers, body=case["body"].encode())


def parse(case: dict[str, Any]) -> Any:
    """What the case's parser returns, in the vector's JSON shape."""
    answer = response(case)
    field = case.get("optOutField", "ccpaOptOut")
    kind = case["parse"]
    if kind == "profile":
        profile = ffi.parse_profile(answer, field)
        return {"profile": json.loads(profile.json), "optOut": profile.opt_out}
    if kind == "page":
        page = ffi.parse_profile_page(answer, field)
        return {"content": [json.loads(p.json) for p in page.content], "next": page.next,
                "count": page.count}
    if kind == "patchAck":
        ack = ffi.parse_patch_ack(answer)
        return None if ack is None else {"PKey": ack.pkey, "href": ack.href}
    if kind == "delete":
        return ffi.parse_delete(answer)
    if kind == "count":
        return ffi.parse_count(answer)
    if kind == "metadata":
        metadata = ffi.parse_profile_metadata(answer, field)
        return {"fields": {f.name: f.field_type for f in metadata.fields},
                "optOutFieldOk": metadata.opt_out_field_ok}
    if kind == "token":
        return {"expiresIn": ffi.parse_token_response(answer).expires_in_seconds()}
    raise AssertionError(f"unknown parser {kind}")


class ResponseVectors(unittest.TestCase):
    def test_every_answer_parses_to_the_vectors_value_or_error(self) -> None:
        _, found = cases("responses.json", 30)
        for case in found:
            with self.subTest(case["name"]):
                if "error" in case:
                    with self.assertRaises(core.CcpaOptOutError) as raised:
                        parse(case)
                    check_error(self, raised.exception, case["error"])
                else:
                    self.assertEqual(parse(case), case["expected"])


if __name__ == "__main__":
    unittest.main()
