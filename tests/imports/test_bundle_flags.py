"""Only flags the advocate confirmed reach a bundle."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import pytest

from harbour.accounts.models import User
from harbour.evidence import services as evidence
from harbour.evidence.bundle import produce_bundle
from harbour.imports import services
from harbour.imports.models import EvidenceImport, MessageFlag
from tests.imports.conftest import SUSPECT, whatsapp

pytestmark = pytest.mark.django_db


def test_a_bundle_carries_confirmed_flags_only(
    cast: dict[str, User], imported: Callable[..., EvidenceImport]
) -> None:
    job = imported(
        whatsapp(
            [
                ("09:00", SUSPECT, "I will kill you"),
                ("09:10", SUSPECT, "Nice dress today"),
                ("09:20", SUSPECT, "Meet me outside tonight"),
            ]
        )
    )
    threat, dress, meet = MessageFlag.unscoped.filter(source=job).order_by("message__seq")
    services.decide_flag(threat, confirm=True, by=cast["alice"])
    services.decide_flag(dress, confirm=False, by=cast["alice"])  # meet stays unreviewed
    bundle = produce_bundle(job.case, by=cast["alice"])
    with zipfile.ZipFile(io.BytesIO(b"".join(evidence.read_bundle(bundle)))) as z:
        flagged = z.read("flagged-messages.csv").decode()
        listed = z.read("manifest.csv").decode()
    assert "I will kill you" in flagged and "Threat to kill" in flagged
    assert "Nice dress" not in flagged and "Meet me" not in flagged
    assert "flagged-messages.csv" in listed
    assert meet.state == MessageFlag.State.PROPOSED
