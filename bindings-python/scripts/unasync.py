"""Writes the blocking client, ``_client.py``, from the asyncio one, ``_async.py``.

The clients differ only in ``await`` and in the I/O of ``_driver.Host`` / ``AsyncHost``, so the
blocking one is the asyncio one with ``async``/``await`` dropped and the ``Async`` names renamed,
as httpcore does it. Run it after editing ``_async.py``; ``--check`` (run by
``scripts/test-python.sh``) fails when the committed ``_client.py`` is not what it would write.

    python3 bindings-python/scripts/unasync.py [--check]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "python" / "ccpa_optout"
SOURCE = PACKAGE / "_async.py"
TARGET = PACKAGE / "_client.py"

DOCSTRING = '''"""``Client``, the blocking client.

Generated from ``_async.py`` by ``bindings-python/scripts/unasync.py``: do not edit; edit
``_async.py`` and run the script.
"""
'''

# Whole words only, so ``AsyncClient`` becomes ``Client`` but ``AsyncClientX`` would not.
RENAMES = {
    "AsyncClient": "Client",
    "AsyncProfileIterator": "ProfileIterator",
    "AsyncTransport": "Transport",
    "AsyncTokenProvider": "TokenProvider",
    "AsyncHost": "Host",
    "AsyncIterator": "Iterator",
    "StopAsyncIteration": "StopIteration",
    "__aenter__": "__enter__",
    "__aexit__": "__exit__",
    "__aiter__": "__iter__",
    "__anext__": "__next__",
    "aclose": "close",
}


def unasync(source: str) -> str:
    """The blocking twin of ``source``, its module docstring replaced by ``DOCSTRING``."""
    body = re.sub(r'\A""".*?"""\n', "", source, count=1, flags=re.DOTALL)
    body = re.sub(r"\basync (def|for|with)\b", r"\1", body)
    body = re.sub(r"\bawait\s+", "", body)
    body = re.sub(r"\b(" + "|".join(RENAMES) + r")\b", lambda word: RENAMES[word.group()], body)
    return DOCSTRING + body


def main() -> int:
    written = unasync(SOURCE.read_text(encoding="utf-8"))
    if sys.argv[1:] == ["--check"]:
        if TARGET.read_text(encoding="utf-8") != written:
            print(f"{TARGET.name} is out of date: run python3 bindings-python/scripts/unasync.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(written, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
