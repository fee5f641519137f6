"""Who may read the metrics: an address in HARBOUR_METRICS_ALLOWED_NETWORKS (the client address as
``core.client_ip`` decides it, so a forged X-Forwarded-For does not help), or a request carrying
``Authorization: Bearer <HARBOUR_METRICS_TOKEN>``. With neither configured, nobody: metrics are off.
Anyone else gets the same 404 as for a page that does not exist."""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import Http404, HttpRequest

from harbour.core.client_ip import client_address


def _allowed_address(request: HttpRequest) -> bool:
    networks = settings.HARBOUR_METRICS_ALLOWED_NETWORKS
    if not networks:
        return False
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(n, strict=False) for n in networks)


def _valid_token(request: HttpRequest) -> bool:
    expected = settings.HARBOUR_METRICS_TOKEN
    if not expected:
        return False
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


def require_metrics_reader(request: HttpRequest) -> None:
    if not (_valid_token(request) or _allowed_address(request)):
        raise Http404
