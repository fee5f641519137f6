"""The triage queue, referral page and action forms, end to end through HTTP."""

import pytest

from harbour.audit.models import AuditEvent
from harbour.referrals import services
from harbour.referrals.models import ContactAttempt, Referral
from tests.conftest import assert_query_count, page_of

pytestmark = pytest.mark.django_db


def test_queue_lists_own_referrals_and_flags_overdue(as_user, make_referral):
    from datetime import UTC, datetime

    make_referral(received_at=datetime(2026, 1, 5, 10, 0, tzinfo=UTC))
    response = as_user("alice").get("/referrals/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Wilhelmina Oakhurst" in body
    assert "Overdue" in body
    assert "<title>Referrals - Harbour</title>" in body


def test_queue_of_another_provider_does_not_show_the_referral(as_user, referral_a):
    assert "Wilhelmina" in page_of(as_user("alice").get("/referrals/"), "Referrals")
    assert "Wilhelmina" not in page_of(as_user("bob").get("/referrals/"), "Referrals")


def test_queue_flags_a_possible_duplicate(as_user, make_referral):
    make_referral()
    make_referral()
    body = as_user("alice").get("/referrals/").content.decode()
    assert "Possible duplicate" in body


def test_referral_page_is_audited_and_has_no_name_in_the_title(as_user, referral_a):
    response = as_user("alice").get(f"/referrals/{referral_a.public_id}/")
    assert response.status_code == 200
    assert "<title>Referral - Harbour</title>" in response.content.decode()
    assert AuditEvent.objects.filter(
        verb="referral.viewed", object_id=str(referral_a.public_id)
    ).exists()


def test_outsider_gets_404_and_the_refusal_is_audited(as_user, referral_a):
    assert as_user("bob").get(f"/referrals/{referral_a.public_id}/").status_code == 404
    assert AuditEvent.objects.filter(
        verb="access.denied", object_id=str(referral_a.public_id)
    ).exists()


def test_contact_form_offers_only_safe_channels(as_user, referral_a):
    body = page_of(
        as_user("alice").get(f"/referrals/{referral_a.public_id}/contact/"),
        "Record a contact attempt",
    )
    assert 'value="text"' in body
    assert 'value="email"' not in body


def test_posting_an_unsafe_channel_is_refused(as_user, referral_a):
    response = as_user("alice").post(
        f"/referrals/{referral_a.public_id}/contact/", {"channel": "email", "outcome": "sent"}
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not ContactAttempt.objects.system("test").exists()


def test_contact_attempt_through_the_form(as_user, referral_a):
    response = as_user("alice").post(
        f"/referrals/{referral_a.public_id}/contact/", {"channel": "call", "outcome": "spoke"}
    )
    assert response.status_code == 302
    referral_a.refresh_from_db()
    assert referral_a.status == Referral.Status.CONTACT_ATTEMPTED


def test_accept_through_the_form_opens_a_case(as_user, referral_a, cast):
    response = as_user("alice").post(
        f"/referrals/{referral_a.public_id}/accept/", {"allocate_to": cast["alice"].pk}
    )
    assert response.status_code == 302
    referral_a.refresh_from_db()
    assert referral_a.status == Referral.Status.ACCEPTED
    assert referral_a.case.allocated_to == cast["alice"]


def test_decline_needs_a_reason(as_user, referral_a):
    response = as_user("alice").post(f"/referrals/{referral_a.public_id}/decline/", {})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    response = as_user("alice").post(
        f"/referrals/{referral_a.public_id}/decline/", {"reason": "not_stalking"}
    )
    assert response.status_code == 302
    referral_a.refresh_from_db()
    assert (referral_a.status, referral_a.decline_reason) == ("declined", "not_stalking")


def test_advocate_cannot_reroute_but_manager_can(as_user, referral_a, orgs):
    url = f"/referrals/{referral_a.public_id}/reroute/"
    assert as_user("alice").get(url).status_code == 404
    response = as_user("mia").post(url, {"to": orgs["provider_b"].pk})
    assert response.status_code == 302
    referral_a.refresh_from_db()
    assert referral_a.routed_to == orgs["provider_b"]
    assert as_user("mia").get(f"/referrals/{referral_a.public_id}/").status_code == 404
    assert as_user("bob").get(f"/referrals/{referral_a.public_id}/").status_code == 200


def test_merge_offers_matches_and_merges(as_user, make_referral):
    first = make_referral()
    second = make_referral()
    url = f"/referrals/{second.public_id}/merge/"
    body = as_user("alice").get(url).content.decode()
    assert f"referral:{first.public_id}" in body
    response = as_user("alice").post(url, {"target": f"referral:{first.public_id}"})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.merged_into == first


def test_actions_on_a_closed_referral_show_an_error(as_user, referral_a, cast):
    services.signpost(referral_a, to="Helpline", by=cast["alice"])
    response = as_user("alice").post(
        f"/referrals/{referral_a.public_id}/decline/", {"reason": "other"}
    )
    assert response.status_code == 200
    assert "already signposted" in response.content.decode()


def test_sources_page_counts_by_source_for_managers_only(as_user, make_referral):
    make_referral()
    make_referral(Referral.Source.POLICE)
    assert as_user("alice").get("/referrals/sources/").status_code == 404
    response = as_user("mia").get("/referrals/sources/")
    assert response.status_code == 200
    table = response.context["table"]
    assert {row["label"]: row["total"] for row in table} == {
        "Police": 1,
        "Self-referral": 1,
        "Professional": 0,
        "Family or friend": 0,
        "Live chat": 0,
    }


#: Queries for the referral queue, whatever its length (duplicate tags included: two queries; the
#: session is not written back within a minute of the last page).
QUEUE_QUERIES = 12


@pytest.mark.usefixtures("steady_session")
def test_queue_query_count_does_not_grow_with_referrals(as_user, make_referral):
    client = as_user("alice")
    for _ in range(3):
        make_referral()
    client.get("/referrals/")
    with assert_query_count(QUEUE_QUERIES):
        client.get("/referrals/")
    for _ in range(10):
        make_referral(phone="", email="")
    with assert_query_count(QUEUE_QUERIES):
        response = client.get("/referrals/")
    assert len(response.context["page"].object_list) == 13


def test_merge_page_without_matches_says_so_and_offers_no_form(as_user, make_referral):
    referral = make_referral(phone="", email="")
    response = as_user("alice").get(f"/referrals/{referral.public_id}/merge/")
    body = page_of(response, "Merge as a duplicate")
    assert "No open case or open referral matches" in body
    assert '<form method="post"' not in body.split("<main", 1)[1]


def test_sources_page_counts_only_the_chosen_period(as_user, make_referral):
    from datetime import timedelta

    from django.utils import timezone

    make_referral(received_at=timezone.now() - timedelta(days=60))
    make_referral()
    client = as_user("mia")

    def total(period):
        table = client.get(f"/referrals/sources/?period={period}").context["table"]
        return sum(row["total"] for row in table)

    assert (total("30d"), total("12m"), total("all"), total("nonsense")) == (1, 2, 2, 2)
