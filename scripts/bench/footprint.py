"""Installed size of Python distributions with everything they require (extras left out), read
from the metadata of the environment it runs in. Prints "BYTES DISTRIBUTIONS".

Usage: python footprint.py DIST...
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path


def closure(name: str, seen: dict[str, metadata.Distribution]) -> None:
    key = re.sub(r"[-_.]+", "-", name).lower()
    if key in seen:
        return
    dist = metadata.distribution(name)
    seen[key] = dist
    for requirement in dist.requires or []:
        if "extra ==" in requirement:
            continue
        match = re.match(r"[A-Za-z0-9._-]+", requirement)
        if match:
            closure(match.group(0), seen)


def main() -> None:
    seen: dict[str, metadata.Distribution] = {}
    for name in sys.argv[1:]:
        closure(name, seen)
    size = 0
    for dist in seen.values():
        for file in dist.files or []:
            path = Path(file.locate())
            if path.is_file():
                size += path.stat().st_size
    print(size, len(seen))


if __name__ == "__main__":
    main()
