"""The sans-IO parsers for bring-your-own-HTTP code: a ``Response`` in, typed values out.

The ``prepare_*`` builders come straight from the native module and return a ``Request``.
"""

from __future__ import annotations

from typing import Optional

from . import _native
from ._errors import CcpaOptOutError
from ._model import IssuedToken, PatchAck, Profile, ProfileMetadata, ProfilePage
from ._native import Response, check_status, parse_count, parse_delete

__all__ = [
    "check_status",
    "error_from_response",
    "parse_count",
    "parse_delete",
    "parse_patch_ack",
    "parse_profile",
    "parse_profile_metadata",
    "parse_profile_page",
    "parse_token_response",
]


def parse_profile(response: Response, opt_out_field: str = "ccpaOptOut") -> Profile:
    """One profile, from GET or POST (bare, or wrapped in ``{"content": [profile]}``)."""
    return Profile(_native.parse_profile(response, opt_out_field), opt_out_field)


def parse_profile_page(response: Response, opt_out_field: str = "ccpaOptOut") -> ProfilePage:
    """One page of a listing: its profiles and the ``next``/``count`` links."""
    content, next_href, count_href = _native.parse_profile_page(response, opt_out_field)
    return ProfilePage([Profile(p, opt_out_field) for p in content], next_href, count_href)


def parse_patch_ack(response: Response) -> Optional[PatchAck]:
    """The PATCH acknowledgement, or ``None`` for an empty 2xx (v8 tenants answer 204)."""
    ack = _native.parse_patch_ack(response)
    return None if ack is None else PatchAck(*ack)


def parse_profile_metadata(response: Response, opt_out_field: str = "ccpaOptOut") -> ProfileMetadata:
    """The profile resource's fields, and whether ``opt_out_field`` exists as a boolean."""
    fields, ok = _native.parse_profile_metadata(response, opt_out_field)
    return ProfileMetadata(dict(fields), opt_out_field, ok)


def parse_token_response(response: Response) -> IssuedToken:
    """IMS's token answer; an ``AuthError`` when IMS refused the credentials."""
    token, expires_in = _native.parse_token_response(response)
    return IssuedToken(token, expires_in)


def error_from_response(response: Response) -> CcpaOptOutError:
    """The typed exception a non-2xx answer stands for (returned, not raised)."""
    error = _native.error_from_response(response)
    assert isinstance(error, CcpaOptOutError)
    return error
