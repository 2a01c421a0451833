"""Record a CCPA "do not sell or share" request in Adobe Campaign Standard.

Usage: python set_opt_out.py EMAIL_OR_PKEY [--undo]

Configuration comes from the environment (the names Adobe's own SDK uses):
CAMPAIGN_STANDARD_TENANT_ID, CAMPAIGN_STANDARD_API_KEY, CAMPAIGN_STANDARD_ACCESS_TOKEN, and for the
offline emulator CAMPAIGN_STANDARD_BASE_URL, e.g.:

    cargo run -p acs-emulator -- --port 8080 --org acme --api-key my-key --token my-token --seed 20 &
    export CAMPAIGN_STANDARD_TENANT_ID=acme CAMPAIGN_STANDARD_API_KEY=my-key \
           CAMPAIGN_STANDARD_ACCESS_TOKEN=my-token CAMPAIGN_STANDARD_BASE_URL=http://127.0.0.1:8080
    python examples/python/set_opt_out.py noah.vanderberg0@example.com
"""

from __future__ import annotations

import logging
import sys

import ccpa_optout


def main(argv: list[str]) -> int:
    if not argv or argv[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    subject, opted_out = argv[0], "--undo" not in argv
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        with ccpa_optout.Client.from_env() as client:
            if "@" in subject[1:]:  # an email; PKeys start with "@" and have no other one
                changes = client.opt_out_by_email(subject, opted_out)
            else:
                changes = [client.set_opt_out(subject, opted_out)]
    except ccpa_optout.ValidationError as error:
        print(f"bad input ({error.field}): {error.message}", file=sys.stderr)
        return 2
    except ccpa_optout.CcpaOptOutError as error:
        retry = " (a retry later may succeed)" if error.retryable else ""
        print(f"{error.kind} error: {error}{retry}", file=sys.stderr)
        return 1
    if not changes:
        print(f"no profile has the email {subject}")
    for change in changes:
        action = "set" if change.changed else "already"
        print(f"{change.pkey}: ccpaOptOut {action} {change.current} (was {change.previous})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
