"""Apply many opt-out requests at once with the asyncio client.

Usage: python async_opt_out.py EMAIL [EMAIL ...]

Configured from the environment like set_opt_out.py. At most 8 requests run at a time; the
client retries rate limits and server errors itself (honouring Retry-After).
"""

from __future__ import annotations

import asyncio
import sys

import ccpa_optout


async def opt_out(client: ccpa_optout.AsyncClient, limit: asyncio.Semaphore, email: str) -> str:
    async with limit:
        try:
            changes = await client.opt_out_by_email(email)
        except ccpa_optout.CcpaOptOutError as error:
            return f"{email}: {error.kind} error: {error}"
    if not changes:
        return f"{email}: no profile"
    written = sum(change.changed for change in changes)
    return f"{email}: {len(changes)} profile(s) opted out, {written} written"


async def main(emails: list[str]) -> int:
    limit = asyncio.Semaphore(8)
    async with ccpa_optout.AsyncClient.from_env() as client:
        lines = await asyncio.gather(*(opt_out(client, limit, email) for email in emails))
    print("\n".join(lines))
    return 1 if any(" error: " in line for line in lines) else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(asyncio.run(main(sys.argv[1:])))
