"""Named state changes: contact attempts, accept, decline, signpost, unable to contact, merge."""

import pytest

from harbour.audit.models import AuditEvent
from harbour.cases.models import Case
from harbour.referrals import services
from harbour.referrals.models import ContactAttempt, Referral

pytestmark = pytest.mark.django_db


def test_contact_attempt_on_a_safe_channel_is_logged_and_starts_the_clock(referral_a, cast):
    services.attempt_contact(referral_a, channel="text", outcome="sent", by=cast["alice"])
    assert referral_a.status == Referral.Status.CONTACT_ATTEMPTED
    assert referral_a.first_contact_at is not None
    assert ContactAttempt.objects.for_user(cast["alice"]).filter(referral=referral_a).count() == 1


def test_contact_attempt_on_an_unsafe_channel_is_refused_and_nothing_is_logged_as_sent(
    referral_a, cast
):
    assert not referral_a.is_channel_safe("email")
    with pytest.raises(services.UnsafeChannel):
        services.attempt_contact(referral_a, channel="email", outcome="sent", by=cast["alice"])
    referral_a.refresh_from_db()
    assert referral_a.status == Referral.Status.RECEIVED
    assert referral_a.first_contact_at is None
    assert not ContactAttempt.objects.system("test").filter(referral=referral_a).exists()
    refusal = AuditEvent.objects.get(verb="referral.unsafe_channel_refused")
    assert refusal.payload == {"channel": "email"}


def test_unknown_channel_is_refused(referral_a, cast):
    with pytest.raises(services.UnsafeChannel):
        services.attempt_contact(referral_a, channel="pigeon", outcome="sent", by=cast["alice"])


def test_second_attempt_keeps_the_first_contact_time(referral_a, cast):
    services.attempt_contact(referral_a, channel="call", outcome="no_answer", by=cast["alice"])
    first = referral_a.first_contact_at
    services.attempt_contact(referral_a, channel="text", outcome="sent", by=cast["alice"])
    assert referral_a.first_contact_at == first


def test_accept_opens_a_case_with_the_persons_details(referral_a, cast, orgs):
    case = services.accept(referral_a, by=cast["alice"], allocate_to=cast["alice"])
    assert referral_a.status == Referral.Status.ACCEPTED
    assert referral_a.case == case
    assert case.organisation == orgs["provider_a"]
    assert case.client.given_name == "Wilhelmina"
    assert case.client.phone_index == referral_a.phone_index
    assert AuditEvent.objects.filter(verb="case.opened", object_id=str(case.public_id)).exists()
    assert AuditEvent.objects.filter(verb="referral.accepted").exists()


def test_accept_carries_safe_contact_preferences_into_the_case(make_referral, cast):
    from harbour.cases.models import ContactPreference

    referral = make_referral(code_word="heron", safe_times="After 6pm", withheld_number_ok=True)
    case = services.accept(referral, by=cast["alice"], allocate_to=cast["alice"])
    prefs = {
        p.channel: p for p in ContactPreference.objects.for_user(cast["alice"]).filter(case=case)
    }
    assert {c for c, p in prefs.items() if p.safe} == {"call", "text"}
    assert set(prefs) == {"call", "voicemail", "text", "email", "post"}
    assert prefs["call"].code_word == "heron"
    assert prefs["call"].withheld_ok is True
    assert prefs["call"].last_confirmed_on == referral.contact_preferences_confirmed_on


def test_accept_carries_who_the_suspect_is_into_the_case(make_referral, cast):
    referral = make_referral(suspect_relationship="colleague")
    case = services.accept(referral, by=cast["alice"], allocate_to=cast["alice"])
    assert case.relationship_to_suspect == "colleague"


def test_accept_without_consent_to_contact_is_refused(make_referral, cast):
    referral = make_referral(consent_to_contact=False)
    with pytest.raises(services.ReferralError):
        services.accept(referral, by=cast["alice"])
    assert not Case.objects.system("test").exists()


def test_decline_records_the_reason_the_referrer_will_see(referral_a, cast):
    services.decline(referral_a, reason="person_declined", note="private note", by=cast["alice"])
    assert referral_a.status == Referral.Status.DECLINED
    assert referral_a.get_decline_reason_display() == "The person did not want support"
    event = AuditEvent.objects.get(verb="referral.declined")
    assert "private note" not in str(event.payload)


def test_decline_needs_a_known_reason(referral_a, cast):
    with pytest.raises(services.ReferralError):
        services.decline(referral_a, reason="because", by=cast["alice"])


def test_signpost_closes_the_referral(referral_a, cast):
    services.signpost(referral_a, to="Local domestic abuse service", by=cast["alice"])
    assert referral_a.status == Referral.Status.SIGNPOSTED
    assert referral_a.outcome_at is not None


def test_unable_to_contact_needs_an_attempt_first(referral_a, cast):
    with pytest.raises(services.ReferralError):
        services.unable_to_contact(referral_a, by=cast["alice"])
    services.attempt_contact(referral_a, channel="call", outcome="no_answer", by=cast["alice"])
    services.unable_to_contact(referral_a, by=cast["alice"])
    assert referral_a.status == Referral.Status.UNABLE_TO_CONTACT


def test_closed_referral_cannot_be_changed_again(referral_a, cast):
    services.signpost(referral_a, to="Helpline", by=cast["alice"])
    with pytest.raises(services.ReferralError):
        services.accept(referral_a, by=cast["alice"])
    with pytest.raises(services.ReferralError):
        services.attempt_contact(referral_a, channel="call", outcome="spoke", by=cast["alice"])


def test_stale_copy_cannot_overwrite_a_change_made_meanwhile(referral_a, cast):
    stale = Referral.unscoped.get(pk=referral_a.pk)
    services.decline(referral_a, reason="other", by=cast["alice"])
    with pytest.raises(services.ReferralError):
        services.accept(stale, by=cast["amir"])


def test_merge_into_another_referral(make_referral, cast):
    first = make_referral()
    second = make_referral()
    services.merge_as_duplicate(second, into_referral=first, by=cast["alice"])
    assert second.status == Referral.Status.MERGED
    assert second.merged_into == first


def test_merge_into_a_case_of_another_provider_is_refused(referral_a, case_b, cast):
    with pytest.raises(services.ReferralError):
        services.merge_as_duplicate(referral_a, into_case=case_b, by=cast["alice"])


def test_merge_into_own_referral_is_refused(referral_a, cast):
    with pytest.raises(services.ReferralError):
        services.merge_as_duplicate(referral_a, into_referral=referral_a, by=cast["alice"])
