"""Sharing a bundle with police needs the client's recorded consent; the coordinator sees only
bundles shared with their force, and stops seeing them when consent is withdrawn."""

from __future__ import annotations

import pytest
from django.utils import timezone

from harbour.accounts.models import Organisation, User
from harbour.audit.models import AuditEvent
from harbour.core import policy
from harbour.evidence import services
from harbour.evidence.bundle import produce_bundle
from harbour.evidence.models import Bundle, BundleShare

pytestmark = pytest.mark.django_db


@pytest.fixture
def bundle(case_a, cast, log):
    log()
    log(behaviours=["messages"])
    return produce_bundle(case_a, by=cast["alice"])


def consent(case, cast, state):
    return services.record_police_consent(
        case, state=state, how="in_person", decided_on=timezone.localdate(), by=cast["alice"]
    )


def test_sharing_without_any_consent_record_is_refused_and_logged(bundle, cast, orgs):
    with pytest.raises(services.ConsentRequired):
        services.share_bundle(bundle, orgs["police"], by=cast["alice"])
    assert not BundleShare.unscoped.exists()
    assert AuditEvent.objects.filter(verb="evidence.bundle_share_refused").count() == 1


def test_refused_consent_blocks_sharing(bundle, cast, orgs, case_a):
    consent(case_a, cast, "refused")
    assert not policy.can_share_bundle_with_police(cast["alice"], case_a)
    with pytest.raises(services.ConsentRequired):
        services.share_bundle(bundle, orgs["police"], by=cast["alice"])


def test_given_consent_allows_sharing_and_logs_it_on_the_bundle_and_each_exhibit(
    bundle, cast, orgs, case_a
):
    given = consent(case_a, cast, "given")
    share = services.share_bundle(bundle, orgs["police"], by=cast["alice"])
    assert share.consent == given
    assert AuditEvent.objects.filter(
        verb="evidence.bundle_shared", object_id=str(bundle.public_id)
    ).exists()


def test_the_coordinator_sees_only_bundles_shared_with_their_force(
    bundle, cast, orgs, case_a, as_user
):
    pete = as_user("pete")
    url = f"/evidence/bundles/{bundle.public_id}/"
    assert pete.get(url).status_code == 404
    assert bundle.ref not in pete.get("/evidence/bundles/").content.decode()
    consent(case_a, cast, "given")
    services.share_bundle(bundle, orgs["police"], by=cast["alice"])
    assert pete.get(url).status_code == 200
    assert pete.get(f"/evidence/bundles/{bundle.public_id}/download/").status_code == 200
    listing = pete.get("/evidence/bundles/").content.decode()
    assert bundle.ref in listing and "Zebedee" not in listing
    # ...and the diary itself stays out of reach
    assert pete.get(f"/evidence/cases/{case_a.public_id}/diary/").status_code == 404


def test_another_force_never_sees_the_bundle(bundle, cast, orgs, case_a):
    other = Organisation.objects.create(name="Southshire Police", kind="police_force")
    coordinator = User.objects.create(username="sam", organisation=other, role="police_coordinator")
    consent(case_a, cast, "given")
    services.share_bundle(bundle, orgs["police"], by=cast["alice"])
    assert not Bundle.objects.for_user(coordinator).exists()
    assert Bundle.objects.for_user(cast["pete"]).get() == bundle


def test_withdrawal_stops_further_sharing_and_hides_what_was_shared(
    bundle, cast, orgs, case_a, as_user
):
    consent(case_a, cast, "given")
    services.share_bundle(bundle, orgs["police"], by=cast["alice"])
    consent(case_a, cast, "withdrawn")
    with pytest.raises(services.ConsentRequired):
        services.share_bundle(bundle, orgs["police"], by=cast["alice"])
    assert as_user("pete").get(f"/evidence/bundles/{bundle.public_id}/").status_code == 404
    assert BundleShare.unscoped.count() == 1  # the record of the earlier share stays


def test_the_consent_history_and_the_state_in_force_are_on_the_case_page(case_a, cast, as_user):
    consent(case_a, cast, "refused")
    consent(case_a, cast, "given")
    page = as_user("alice").get(f"/cases/{case_a.public_id}/").content.decode()
    assert "Consent to share evidence with police:" in page
    assert 'govuk-tag--green">Given' in page
    history = as_user("alice").get(f"/evidence/cases/{case_a.public_id}/bundles/").content.decode()
    assert history.index("Given") < history.index("Refused")


def test_recording_consent_through_the_page_adds_to_the_history(case_a, as_user):
    client = as_user("alice")
    for state in ("given", "withdrawn"):
        response = client.post(
            f"/evidence/cases/{case_a.public_id}/police-consent/",
            {"state": state, "how": "phone", "decided_on": timezone.localdate().isoformat()},
        )
        assert response.status_code == 302
    assert not policy.police_sharing_consent_given(case_a)
    events = AuditEvent.objects.filter(verb="evidence.police_consent_recorded")
    assert [e.payload["state"] for e in events.order_by("seq")] == ["given", "withdrawn"]


def test_sharing_through_the_page_without_consent_shows_the_reason(bundle, as_user, orgs):
    response = as_user("alice").post(
        f"/evidence/bundles/{bundle.public_id}/share/",
        {"organisation": orgs["police"].pk},
        follow=True,
    )
    assert "has not given consent to share with police" in response.content.decode()
    assert not BundleShare.unscoped.exists()
