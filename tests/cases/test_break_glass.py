"""Break-glass: an advocate opens a colleague's case in an emergency, with a reason, for a while."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from harbour.audit.models import AuditEvent
from harbour.cases import services
from harbour.cases.models import BreakGlassGrant, Case
from tests.conftest import page_of

pytestmark = pytest.mark.django_db

REASON = "Client rang in distress while Alice is on leave"


def _without_tokens(html: bytes) -> bytes:
    """The page without its per-request CSP nonce and CSRF token."""
    html = re.sub(rb'nonce="[^"]+"', b"", html)
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", html)


def _ask(client, reference, reason=REASON):
    return client.post(reverse("cases:break_glass"), {"reference": reference, "reason": reason})


def test_an_advocate_cannot_open_a_colleagues_case_without_breaking_glass(as_user, case_a):
    assert as_user("amir").get(reverse("cases:detail", args=[case_a.public_id])).status_code == 404


def test_breaking_glass_opens_the_case_and_is_audited(as_user, case_a, cast):
    amir = as_user("amir")
    response = _ask(amir, case_a.reference.lower())
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case_a.public_id])
    page = amir.get(response["Location"])
    assert page.status_code == 200
    assert b"emergency access" in page.content
    grant = BreakGlassGrant.objects.for_user(cast["amir"]).get()
    assert grant.reason == REASON
    event = AuditEvent.objects.get(verb="case.break_glass")
    assert event.actor_id == cast["amir"].pk
    assert event.object_id == str(case_a.public_id)
    assert REASON not in str(event.payload)


def test_emergency_access_ends_when_the_grant_expires(as_user, case_a, cast):
    amir = as_user("amir")
    _ask(amir, case_a.reference)
    BreakGlassGrant.unscoped.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert amir.get(reverse("cases:detail", args=[case_a.public_id])).status_code == 404


def test_a_restricted_case_cannot_be_opened_by_breaking_glass(as_user, case_a, cast):
    Case.unscoped.filter(pk=case_a.pk).update(restricted=True)
    response = _ask(as_user("amir"), case_a.reference)
    assert response.status_code == 200
    assert services.BREAK_GLASS_REFUSED.encode() in response.content.replace(b"&#x27;", b"'")
    assert not BreakGlassGrant.unscoped.exists()


def test_another_organisations_case_gets_the_same_refusal_as_an_unknown_reference(as_user, case_b):
    bob_case = _ask(as_user("amir"), case_b.reference)
    unknown = _ask(as_user("amir"), "HB-ZZZZZZ")
    assert bob_case.status_code == unknown.status_code == 200
    # Identical apart from the reference typed back into the form.
    theirs = _without_tokens(bob_case.content).replace(case_b.reference.encode(), b"REF")
    assert theirs == _without_tokens(unknown.content).replace(b"HB-ZZZZZZ", b"REF")
    assert not BreakGlassGrant.unscoped.exists()


def test_a_reason_is_required(as_user, case_a):
    response = _ask(as_user("amir"), case_a.reference, reason="because")
    assert response.status_code == 200
    assert not BreakGlassGrant.unscoped.exists()


def test_the_manager_reviews_grants_and_the_review_is_audited(as_user, case_a, cast):
    _ask(as_user("amir"), case_a.reference)
    grant = BreakGlassGrant.unscoped.get()
    mia = as_user("mia")
    listing = mia.get(reverse("cases:break_glass_reviews"))
    assert listing.status_code == 200
    assert REASON.encode() in listing.content
    response = mia.post(
        reverse("cases:break_glass_review", args=[grant.public_id]), {"note": "Fine"}
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.reviewed_by == cast["mia"]
    assert grant.review_note == "Fine"
    assert AuditEvent.objects.filter(verb="case.break_glass_reviewed").count() == 1


def test_another_providers_manager_cannot_see_or_review_the_grant(as_user, case_a):
    _ask(as_user("amir"), case_a.reference)
    grant = BreakGlassGrant.unscoped.get()
    bea = as_user("bea")
    reviews = reverse("cases:break_glass_reviews")
    assert REASON in page_of(as_user("mia").get(reviews), "Emergency access reviews")
    assert REASON not in page_of(bea.get(reviews), "Emergency access reviews")
    response = bea.post(reverse("cases:break_glass_review", args=[grant.public_id]), {})
    assert response.status_code == 404
    grant.refresh_from_db()
    assert grant.reviewed_at is None


def test_the_case_page_says_when_it_was_opened_by_emergency_access(as_user, case_a):
    amir = as_user("amir")
    _ask(amir, case_a.reference)
    url = reverse("cases:detail", args=[case_a.public_id])
    banner = b"You opened this case with emergency access, until"
    assert banner in amir.get(url).content
    # The allocated advocate and the manager see the case by right, never by a grant
    assert banner not in as_user("alice").get(url).content
    assert banner not in as_user("mia").get(url).content
