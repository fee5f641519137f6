"""The client's address, decided in one place from one trusted-proxy setting.

Every proxy in front of Harbour appends the address it received the request from to
``X-Forwarded-For``; anything to the left of what our own proxies wrote was typed by the client and
proves nothing. So the client is the **right-most untrusted** entry: walk the chain from
``REMOTE_ADDR`` leftwards, skipping our own proxies, and stop at the first address that is not one of
them. Never the left-most entry, which anyone can forge.

Configured by ``HARBOUR_TRUSTED_PROXIES`` (how many proxies are in front of Harbour) or
``HARBOUR_TRUSTED_PROXY_NETWORKS`` (the networks they are in). With neither, ``X-Forwarded-For`` is
ignored and the address is ``REMOTE_ADDR``. django-axes (``AXES_CLIENT_IP_CALLABLE``), the audit
trail, the sign-in lockout tiers and the public-form limit all call ``client_address``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
UNKNOWN = "0.0.0.0"  # noqa: S104 (a placeholder address, never bound)


def _valid(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


@lru_cache(maxsize=8)
def parse_networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry)


def _in(address: str, networks: Sequence[IPNetwork]) -> bool:
    parsed = ipaddress.ip_address(address)
    return any(parsed in network for network in networks)


def resolve(
    remote_addr: str | None,
    forwarded_for: str | None,
    *,
    proxy_count: int = 0,
    proxy_networks: Sequence[IPNetwork] = (),
) -> str:
    """The client address from ``REMOTE_ADDR`` and ``X-Forwarded-For`` (pure: no settings)."""
    remote = _valid(remote_addr or "") or UNKNOWN
    if not proxy_count and not proxy_networks:
        return remote
    hops = [part for part in (forwarded_for or "").split(",") if part.strip()]
    chain = [*hops, remote]  # left (client, per the client) to right (who connected to us)
    if proxy_networks:
        # Walk leftwards while the address is one of our proxies.
        for position in range(len(chain) - 1, -1, -1):
            address = _valid(chain[position])
            if address is None:
                # Garbage where a proxy would have written an address: the client is unknown, so
                # answer with the last hop that wrote a real address (REMOTE_ADDR is never garbage).
                return _valid(chain[position + 1]) or remote
            if not _in(address, proxy_networks):
                return address
        return _valid(chain[0]) or remote
    # A fixed number of proxies: each appended one entry, so the client is proxy_count from the
    # right. With fewer entries than proxies the request did not come through them all.
    if len(chain) <= proxy_count:
        return remote
    return _valid(chain[-(proxy_count + 1)]) or remote


def configured_networks() -> tuple[IPNetwork, ...]:
    return parse_networks(tuple(settings.HARBOUR_TRUSTED_PROXY_NETWORKS))


def client_address(request: HttpRequest) -> str:
    """The address of the person making the request. Cached on the request."""
    cached = getattr(request, "_harbour_client_address", None)
    if cached is not None:
        return str(cached)
    address = resolve(
        request.META.get("REMOTE_ADDR"),
        request.META.get("HTTP_X_FORWARDED_FOR"),
        proxy_count=settings.HARBOUR_TRUSTED_PROXIES,
        proxy_networks=configured_networks(),
    )
    request._harbour_client_address = address  # type: ignore[attr-defined]
    return address


def is_proxy_address(address: str) -> bool:
    """An address that is one of our own proxies rather than a person's: everyone behind the proxy
    would share it, so per-address limits must not apply to it."""
    parsed = _valid(address)
    if parsed is None or parsed == UNKNOWN:
        return True
    return _in(parsed, configured_networks())


def trusted_proxy_configured() -> bool:
    return bool(settings.HARBOUR_TRUSTED_PROXIES or settings.HARBOUR_TRUSTED_PROXY_NETWORKS)
