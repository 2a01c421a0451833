"""Starting the ACS emulator (``acs-emulator``) as a subprocess on a free port, and its admin API."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import urllib.request
from pathlib import Path
from typing import Any, Optional

ROOT = Path(__file__).resolve().parents[2]
API_KEY = "py-test-api-key"
# The admin API is plain HTTP on loopback: never through a proxy from the environment.
_ADMIN = urllib.request.build_opener(urllib.request.ProxyHandler({}))
TOKEN = "py-test-access-token"
CLIENT_SECRET = "py-test-client-secret"


def binary() -> Path:
    """The emulator binary: ``$ACS_EMULATOR``, else the workspace's debug build (built if missing)."""
    given = os.environ.get("ACS_EMULATOR")
    if given:
        return Path(given)
    path = ROOT / "target" / "debug" / "acs-emulator"
    if not path.exists():
        subprocess.run(["cargo", "build", "-q", "-p", "acs-emulator"], cwd=ROOT, check=True)
    return path


class Emulator:
    """One running emulator; ``url`` is its base URL (use it as the client's ``base_url``)."""

    def __init__(self, *args: str, org: str = "acme") -> None:
        command = [str(binary()), "--port", "0", "--org", org, "--api-key", API_KEY, "--token", TOKEN, *args]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.url = self._first_line(timeout=30)
        # Keep draining stdout so the emulator never blocks on a full pipe.
        threading.Thread(target=self._drain, daemon=True).start()

    def _first_line(self, timeout: float) -> str:
        assert self.process.stdout is not None
        lines: list[str] = []
        reader = threading.Thread(target=lambda: lines.append(self.process.stdout.readline()))  # type: ignore[union-attr]
        reader.start()
        reader.join(timeout)
        if not lines or not lines[0].startswith("http"):
            self.stop()
            raise RuntimeError(f"the emulator did not print its URL: {lines!r}")
        return lines[0].strip().rstrip("/")

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for _ in self.process.stdout:
            pass

    def admin(self, method: str, path: str, body: Optional[Any] = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}/_emulator/{path}", data=data, method=method, headers={"Content-Type": "application/json"}
        )
        with _ADMIN.open(request, timeout=10) as answer:
            text = answer.read()
        return json.loads(text) if text.strip() else None

    def faults(self, faults: dict[str, Any]) -> None:
        self.admin("PUT", "faults", faults)

    def stats(self) -> dict[str, Any]:
        result: dict[str, Any] = self.admin("GET", "stats")
        return result

    def count(self, method: str, route: Optional[str] = None, status: Optional[int] = None) -> int:
        """Requests seen with this method (and route, status), from ``/_emulator/stats``."""
        return sum(
            entry["count"]
            for entry in self.stats()["requests"]
            if entry["method"] == method
            and (route is None or entry["route"] == route)
            and (status is None or entry["status"] == status)
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
