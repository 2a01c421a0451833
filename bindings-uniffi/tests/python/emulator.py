"""The ACS emulator (``acs-emulator``) as a subprocess on a free port, and its admin API."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import urllib.request
from pathlib import Path
from typing import Any, Optional

ROOT = Path(__file__).resolve().parents[3]
ORG = "acme"
API_KEY = "uniffi-test-api-key"
TOKEN = "uniffi-test-access-token"
CLIENT_SECRET = "uniffi-test-client-secret"
SEED = 50

# The admin API is plain HTTP on loopback: never through a proxy from the environment.
_ADMIN = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def binary() -> Path:
    """``$ACS_EMULATOR``, else the workspace's debug build (``scripts/test-uniffi.sh`` builds it)."""
    given = os.environ.get("ACS_EMULATOR")
    return Path(given) if given else ROOT / "target" / "debug" / "acs-emulator"


class Emulator:
    """One running emulator seeded with ``SEED`` profiles; ``url`` is its base URL."""

    def __init__(self, *extra: str) -> None:
        command = [
            str(binary()), "--port", "0", "--org", ORG, "--api-key", API_KEY, "--token", TOKEN,
            "--client-secret", CLIENT_SECRET, "--seed", str(SEED), "--fault-seed", "7", *extra,
        ]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.append(self.process.stdout.readline()))  # type: ignore[union-attr]
        reader.start()
        reader.join(30)
        if not lines or not lines[0].startswith("http"):
            self.stop()
            raise RuntimeError(f"the emulator did not print its URL: {lines!r}")
        self.url = lines[0].strip().rstrip("/")
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        for _ in self.process.stdout:  # type: ignore[union-attr]
            pass

    def admin(self, method: str, path: str, body: Optional[Any] = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}/_emulator/{path}", data=data, method=method,
            headers={"Content-Type": "application/json"},
        )
        with _ADMIN.open(request, timeout=10) as answer:
            text = answer.read()
        return json.loads(text) if text.strip() else None

    def reset(self) -> None:
        """Faults off, store back to the seed profiles, counters at zero."""
        self.admin("PUT", "faults", {})
        self.admin("POST", "reset")

    def faults(self, plan: dict[str, Any]) -> None:
        self.admin("PUT", "faults", plan)

    def count(self, method: Optional[str] = None, route: Optional[str] = None,
              status: Optional[int] = None) -> int:
        """Requests seen with this method, route and final status (any, when not given)."""
        return sum(
            entry["count"]
            for entry in self.admin("GET", "stats")["requests"]
            if (method is None or entry["method"] == method)
            and (route is None or entry["route"] == route)
            and (status is None or entry["status"] == status)
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
