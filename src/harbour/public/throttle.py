"""Per-address rate limit for public submissions.

Addresses are stored only as keyed hashes and forgotten after a day. The limit is
``HARBOUR_PUBLIC_SUBMISSIONS_PER_HOUR`` (default 5) per address per rolling hour.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from harbour.core.client_ip import client_address, is_proxy_address
from harbour.core.fields import blind_index
from harbour.public.models import SubmissionThrottle

WINDOW = timedelta(hours=1)
KEEP = timedelta(days=1)


def limit() -> int:
    return int(settings.HARBOUR_PUBLIC_SUBMISSIONS_PER_HOUR)


def _index(request: HttpRequest) -> str:
    return blind_index("public-address", client_address(request))


def is_limited(request: HttpRequest) -> bool:
    if is_proxy_address(client_address(request)):
        return False  # one of our proxies: everyone would share this limit
    since = timezone.now() - WINDOW
    count = SubmissionThrottle.objects.filter(address_index=_index(request), at__gte=since).count()
    return count >= limit()


def note_submission(request: HttpRequest) -> None:
    now = timezone.now()
    SubmissionThrottle.objects.filter(at__lt=now - KEEP).delete()
    SubmissionThrottle.objects.create(address_index=_index(request), at=now)
