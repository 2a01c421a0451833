"""The examples in examples/python run as a user would run them, against the emulator."""

from __future__ import annotations

import os
import subprocess
import sys

import ccpa_optout as co
from emulator import API_KEY, ROOT, TOKEN, Emulator

EXAMPLES = ROOT / "examples" / "python"


def run(emulator: Emulator, script: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "CAMPAIGN_STANDARD_TENANT_ID": "acme",
        "CAMPAIGN_STANDARD_API_KEY": API_KEY,
        "CAMPAIGN_STANDARD_ACCESS_TOKEN": TOKEN,
        "CAMPAIGN_STANDARD_BASE_URL": emulator.url,
    }
    return subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args], env=env, capture_output=True, text=True, timeout=60
    )


def test_set_opt_out_by_email_then_by_pkey(emulator: Emulator, client: co.Client) -> None:
    profile = next(p for p in client.list_profiles(page_size=60) if p.opt_out is False and p.email)
    assert profile.email and profile.pkey
    done = run(emulator, "set_opt_out.py", profile.email)
    assert done.returncode == 0, done.stderr
    assert f"{profile.pkey}: ccpaOptOut set True (was False)" in done.stdout
    again = run(emulator, "set_opt_out.py", profile.pkey)
    assert again.returncode == 0 and "already True" in again.stdout
    undo = run(emulator, "set_opt_out.py", profile.pkey, "--undo")
    assert undo.returncode == 0 and client.get_opt_out(profile.pkey) is False


def test_set_opt_out_reports_errors_by_kind(emulator: Emulator) -> None:
    done = run(emulator, "set_opt_out.py", "@noSuchProfile0")
    assert done.returncode == 1 and "NotFound error" in done.stderr
    bad = run(emulator, "set_opt_out.py", "@bad/key")
    assert bad.returncode == 2 and "bad input (pkey)" in bad.stderr


def test_the_async_example_opts_out_several_emails(emulator: Emulator, client: co.Client) -> None:
    emails = sorted({p.email for p in client.list_profiles(page_size=60) if p.email})[:5]
    done = run(emulator, "async_opt_out.py", *emails, "nobody@example.com")
    assert done.returncode == 0, done.stderr
    assert "nobody@example.com: no profile" in done.stdout
    assert all(client.find_by_email(email)[0].opt_out for email in emails)
