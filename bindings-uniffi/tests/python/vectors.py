"""Loading the shared conformance vectors (``tests/vectors/``) and checking errors against them."""

from __future__ import annotations

import json
import unittest
from typing import Any

from emulator import ROOT

import ccpa_optout_core as core


def cases(name: str, minimum: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The file's top level and its cases; fewer than ``minimum`` cases means a broken file."""
    document = json.loads((ROOT / "tests" / "vectors" / name).read_text())
    found = document["cases"]
    if len(found) < minimum:
        raise AssertionError(f"{name}: expected at least {minimum} cases, found {len(found)}")
    return document, found


def check_error(test: unittest.TestCase, err: core.CcpaOptOutError, expected: dict[str, Any]) -> None:
    """The kind, then every key the vector states (a key absent from the variant reads as none)."""
    test.assertEqual(err.kind(), expected["kind"], str(err))
    test.assertEqual(type(err).__name__, expected["kind"])
    names = {"field": "field", "status": "status", "errorCode": "error_code",
             "retryable": "retryable", "retryAfter": "retry_after_seconds"}
    for key, attribute in names.items():
        if key in expected:
            test.assertEqual(getattr(err, attribute, None), expected[key], f"{key} of {err!r}")
