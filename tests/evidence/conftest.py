"""Helpers shared by the diary, evidence and bundle tests."""

from __future__ import annotations

import datetime
import io
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from django.utils import timezone

from harbour.accounts.models import User
from harbour.accounts.stepup import REAUTH_AT
from harbour.cases.models import Case, Suspect
from harbour.evidence import services
from harbour.evidence.models import Incident


def entry(**overrides: Any) -> dict[str, Any]:
    """A diary entry's content, as the forms hand it to the services."""
    data: dict[str, Any] = {
        "precision": "exact",
        "occurred_at": timezone.now() - datetime.timedelta(hours=2),
        "count": 1,
        "reporter": "client",
        "behaviours": ["calls"],
        "location": "Outside the client's flat",
        "what_happened": "He rang from a withheld number and said nothing.",
        "witnesses": "",
        "effects": [],
        "breach": False,
        "reported_to_police": False,
    }
    data.update(overrides)
    return data


@pytest.fixture
def log(case_a: Case, cast: dict[str, User]) -> Callable[..., Incident]:
    def make(case: Case | None = None, by: str = "alice", **overrides: Any) -> Incident:
        return services.log_incident(case or case_a, by=cast[by], data=entry(**overrides))

    return make


@pytest.fixture
def suspect(case_a: Case) -> Suspect:
    return Suspect.unscoped.create(case=case_a, names="Dorian Voss")


def png_with_exif(*, gps: bool = True) -> bytes:
    """A small JPEG with EXIF time, device and (optionally) GPS position, as a phone writes it."""
    from PIL import Image

    img = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Acme"
    exif[0x0110] = "Phone 7"
    exif.get_ifd(0x8769)[0x9003] = "2026:03:03 21:14:05"
    if gps:
        gps_ifd = exif.get_ifd(0x8825)
        gps_ifd[1] = "N"
        gps_ifd[2] = (53.0, 15.0, 0.0)
        gps_ifd[3] = "W"
        gps_ifd[4] = (1.0, 30.0, 0.0)
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload_file(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def stepped_up(client: HttpClient) -> HttpClient:
    """A client that has just re-authenticated (step-up), as the real flow leaves it."""
    session = client.session
    session[REAUTH_AT] = time.time()
    session.save()
    return client
