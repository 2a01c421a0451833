"""The Python package's emulator launcher (``bindings-python/tests/emulator.py``, loaded by its
path), started the way these tests need it: seeded, with OAuth, and a few helpers on top."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[3]
_spec = importlib.util.spec_from_file_location(
    "bindings_python_emulator", ROOT / "bindings-python" / "tests" / "emulator.py"
)
assert _spec is not None and _spec.loader is not None
_launcher = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_launcher)

ORG = "acme"
API_KEY: str = _launcher.API_KEY
TOKEN: str = _launcher.TOKEN
CLIENT_SECRET: str = _launcher.CLIENT_SECRET
SEED = 50


class Emulator(_launcher.Emulator):  # type: ignore[misc, name-defined]
    """One running emulator seeded with ``SEED`` profiles; ``url`` is its base URL."""

    def __init__(self, *extra: str) -> None:
        super().__init__("--client-secret", CLIENT_SECRET, "--seed", str(SEED), "--fault-seed", "7",
                         *extra, org=ORG)

    def reset(self) -> None:
        """Faults off, store back to the seed profiles, counters at zero."""
        self.faults({})
        self.admin("POST", "reset")

    def count(self, method: Optional[str] = None, route: Optional[str] = None,
              status: Optional[int] = None) -> int:
        """Requests seen with this method (any, when not given), route and final status."""
        methods = [method] if method else ["GET", "POST", "PATCH", "DELETE"]
        return sum(super(Emulator, self).count(m, route, status) for m in methods)
