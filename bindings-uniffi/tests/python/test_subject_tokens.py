"""``mint_subject_token`` through the FFI against the shared vectors (``tests/vectors/subject_tokens.json``)."""

from __future__ import annotations

import unittest

import ccpa_optout_core as core
import ccpa_optout_uniffi as ffi
from vectors import cases, check_error

_, CASES = cases("subject_tokens.json", 15)


class SubjectTokens(unittest.TestCase):
    def test_each_vector_mints_its_exact_token_or_names_the_refused_field(self) -> None:
        for case in CASES:
            with self.subTest(case["name"]):
                mint = lambda: ffi.mint_subject_token(  # noqa: E731
                    case["secret"], case["subject"], case["ttlSeconds"],
                    audience=case.get("audience"), issued_at=case["issuedAt"])
                if "token" in case:
                    self.assertEqual(mint(), case["token"])
                    continue
                with self.assertRaises(core.CcpaOptOutError) as raised:
                    mint()
                check_error(self, raised.exception, case["error"])
                if case["secret"]:
                    self.assertNotIn(case["secret"], str(raised.exception))

    def test_without_issued_at_the_token_is_issued_now(self) -> None:
        token = ffi.mint_subject_token("0123456789abcdef0123456789abcdef", "ana@example.com", 600)
        self.assertEqual(token.count("."), 2)


if __name__ == "__main__":
    unittest.main()
