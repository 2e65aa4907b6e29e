"""Signup rate limit, applied by ``tenant_signup(client_ip=...)`` for the web
form and the API alike: at most ``settings.SIGNUP_RATE_PER_HOUR`` signups per
client IP per hour (each one creates a schema).

The counter lives in the ``platform`` cache (Redis), so it is shared by every
web process and is the same key whatever schema the request runs in. Counting
uses Redis' atomic ``INCR``: two parallel requests cannot both take the last
slot. An attempt the signup service refuses (a typo in the form) gives its slot
back, so only signups that create a workspace use up the allowance.

IPv6 clients are counted per /64 network, since one host usually owns a whole
/64 and could otherwise rotate addresses freely.

:func:`take_slot` / :func:`give_back_slot` are the counting primitive, shared
with other per-client allowances (e.g. the CRM's public lead form).
"""

from __future__ import annotations

import ipaddress
import math

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import gettext as _

from core.errors import DomainError, ErrorCode

CACHE_ALIAS = "platform"
WINDOW_SECONDS = 60 * 60


class SignupRateLimited(DomainError):
    """Too many signups from one client; ``retry_after`` is in seconds."""

    def __init__(self, retry_after: int):
        super().__init__(
            _("Too many workspaces were created from your network in the last hour. Please try again later."),
            code=ErrorCode.THROTTLED,
        )
        self.retry_after = retry_after


def client_key(ip: str | None) -> str:
    """The bucket an address is counted in (IPv4 address, or IPv6 /64)."""
    try:
        address = ipaddress.ip_address((ip or "").strip())
    except ValueError:
        return "unknown"
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _cache_key(ip: str | None) -> str:
    return f"signup-rate:{client_key(ip)}"


def take_slot(key: str, *, limit: int, window_seconds: int) -> int:
    """Take one of the ``limit`` slots counted under ``key`` (a window starts
    with its first slot). Returns 0, or, when none is left, the seconds until
    the window ends (nothing is taken then)."""
    cache = caches[CACHE_ALIAS]
    cache.add(key, 0, window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 0, window_seconds)
        count = cache.incr(key)
    if count > limit:
        cache.decr(key)
        return _seconds_left(key, window_seconds)
    return 0


def give_back_slot(key: str) -> None:
    """Give back a slot taken by :func:`take_slot`."""
    cache = caches[CACHE_ALIAS]
    try:
        if cache.decr(key) < 0:
            cache.delete(key)
    except ValueError:  # the window ended meanwhile: nothing to give back
        pass


def signup_rate_check(ip: str | None) -> None:
    """Take one signup slot for ``ip``; raise :class:`SignupRateLimited` when
    the hour's allowance is used up. The hour starts with the first signup."""
    retry_after = take_slot(_cache_key(ip), limit=settings.SIGNUP_RATE_PER_HOUR, window_seconds=WINDOW_SECONDS)
    if retry_after:
        raise SignupRateLimited(retry_after=retry_after)


def signup_rate_refund(ip: str | None) -> None:
    """Give back the slot of an attempt that created nothing."""
    give_back_slot(_cache_key(ip))


def _seconds_left(key: str, window_seconds: int) -> int:
    cache = caches[CACHE_ALIAS]
    ttl = None
    client = getattr(cache, "_cache", None)
    if client is not None and hasattr(client, "get_client"):
        ttl = client.get_client(key, write=False).ttl(cache.make_and_validate_key(key))
    if ttl is None or ttl < 0:
        return window_seconds
    return max(1, math.ceil(ttl))
