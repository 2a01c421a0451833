"""``mint_subject_token`` against the shared vectors (``tests/vectors/subject_tokens.json``)."""

from __future__ import annotations

import base64
import datetime
import json
import time
from pathlib import Path
from typing import Any

import pytest

import ccpa_optout as co

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).resolve().parents[2] / "tests" / "vectors" / "subject_tokens.json").read_text()
)["cases"]
SECRET = "0123456789abcdef0123456789abcdef"


def test_there_are_vectors() -> None:
    assert len(CASES) >= 15


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_the_exact_token_or_the_refused_field(case: dict[str, Any]) -> None:
    def mint(secret: str | bytes) -> str:
        return co.mint_subject_token(
            secret, case["subject"], case["ttlSeconds"], audience=case.get("audience"), issued_at=case["issuedAt"]
        )

    if "token" in case:
        assert mint(case["secret"]) == case["token"]
        assert mint(case["secret"].encode()) == case["token"]
    else:
        with pytest.raises(co.ValidationError) as caught:
            mint(case["secret"])
        assert caught.value.field == case["error"]["field"]
        assert not case["secret"] or case["secret"] not in str(caught.value)


def test_a_token_minted_now_lives_its_ttl_and_a_timedelta_is_accepted() -> None:
    before = int(time.time())
    token = co.mint_subject_token(SECRET, "ana@example.com", datetime.timedelta(minutes=10))
    payload = token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert before <= claims["iat"] <= before + 5
    assert claims["exp"] - claims["iat"] == 600 and claims["sub"] == "ana@example.com"
    with pytest.raises(TypeError):
        co.mint_subject_token(SECRET, "ana@example.com", "600")  # type: ignore[arg-type]
