"""Safe contact: per-channel preferences, staleness prompts, and refusing unsafe outbound contact."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from harbour.audit.models import AuditEvent
from harbour.cases import services
from harbour.cases.models import ContactLogEntry, ContactPreference
from tests.conftest import page_of

LONDON = ZoneInfo("Europe/London")


def prefer(case, channel, *, safe, confirmed_days_ago=0):
    return ContactPreference.unscoped.create(
        case=case,
        channel=channel,
        safe=safe,
        last_confirmed_on=timezone.localdate() - datetime.timedelta(days=confirmed_days_ago),
    )


def test_outbound_contact_on_an_unsafe_channel_is_refused_by_the_service(case_a, cast):
    prefer(case_a, "text", safe=False)
    with pytest.raises(services.UnsafeChannel, match="text message is not safe"):
        services.record_contact(case_a, by=cast["alice"], method="text", direction="out")
    assert not ContactLogEntry.unscoped.filter(case=case_a).exists()
    assert AuditEvent.objects.filter(verb="case.contact_refused_unsafe").count() == 1


def test_inbound_contact_on_an_unsafe_channel_is_still_logged(case_a, cast):
    prefer(case_a, "text", safe=False)
    services.record_contact(case_a, by=cast["alice"], method="text", direction="in", note="hi")
    assert ContactLogEntry.unscoped.get(case=case_a).note == "hi"


def test_a_voicemail_left_on_a_safe_phone_is_refused_when_voicemail_is_unsafe(case_a, cast):
    prefer(case_a, "call", safe=True)
    prefer(case_a, "voicemail", safe=False)
    services.record_contact(case_a, by=cast["alice"], method="phone", direction="out")
    with pytest.raises(services.UnsafeChannel):
        services.record_contact(
            case_a, by=cast["alice"], method="phone", direction="out", voicemail_left=True
        )
    assert ContactLogEntry.unscoped.filter(case=case_a).count() == 1


def test_face_to_face_contact_uses_no_channel_preference(case_a, cast):
    for channel in ("call", "voicemail", "text", "email", "post"):
        prefer(case_a, channel, safe=False)
    services.record_contact(case_a, by=cast["alice"], method="face_to_face", direction="out")
    assert ContactLogEntry.unscoped.filter(case=case_a).count() == 1


def test_the_contact_form_shows_the_refusal_and_logs_nothing(as_user, case_a, url):
    prefer(case_a, "email", safe=False)
    today = timezone.localdate().isoformat()
    data = {"method": "email", "direction": "out", "on": today, "at": "10:00", "note": "x"}
    response = as_user("alice").post(url("contacts/new/"), data)
    assert response.status_code == 200
    assert "is not safe" in response.content.decode()
    assert not ContactLogEntry.unscoped.filter(case=case_a).exists()
    data["method"] = "phone"
    assert as_user("alice").post(url("contacts/new/"), data).status_code == 302
    assert ContactLogEntry.unscoped.get(case=case_a).method == "phone"


def test_contact_notes_are_encrypted_at_rest(case_a, cast):
    from django.db import connection

    services.record_contact(
        case_a, by=cast["alice"], method="phone", direction="in", note="Seen at the bus stop"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM cases_contactlogentry")
        (stored,) = cursor.fetchone()
    assert "bus stop" not in stored


def test_case_page_prompts_to_reconfirm_preferences_older_than_30_days(as_user, case_a, url):
    pref = prefer(case_a, "call", safe=True, confirmed_days_ago=31)
    page = as_user("alice").get(url()).content.decode()
    assert "have not been confirmed with the client in the last 30 days" in page

    response = as_user("alice").post(url("safe-contact/confirm/"))
    assert response.status_code == 302
    pref.refresh_from_db()
    assert pref.last_confirmed_on == timezone.localdate()
    page = page_of(as_user("alice").get(url()), f"Case {case_a.reference}")
    assert "have not been confirmed" not in page


def test_recent_preferences_are_not_stale_and_none_at_all_are(case_a):
    assert services.preferences_need_confirming([])
    assert not services.preferences_need_confirming([prefer(case_a, "text", safe=True)])


def test_setting_a_preference_records_code_word_encrypted_and_confirmation_date(
    as_user, case_a, url
):
    response = as_user("alice").post(
        url("safe-contact/call/"),
        {
            "safe": "on",
            "safe_times": "weekdays before 12pm",
            "withheld_ok": "on",
            "code_word": "heron",
            "confirmed_today": "on",
            "version": "0",
        },
    )
    assert response.status_code == 302
    pref = ContactPreference.unscoped.get(case=case_a, channel="call")
    assert (pref.safe, pref.withheld_ok, pref.code_word) == (True, True, "heron")
    assert pref.last_confirmed_on == timezone.localdate()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT code_word FROM cases_contactpreference")
        assert "heron" not in cursor.fetchone()[0]


def test_an_unknown_channel_is_not_found(as_user, url):
    assert as_user("alice").get(url("safe-contact/pigeon/")).status_code == 404


def test_home_page_lists_cases_whose_safe_contact_needs_checking(as_user, case_a):
    from django.urls import reverse

    prefer(case_a, "call", safe=True, confirmed_days_ago=40)
    page = as_user("alice").get(reverse("core:home")).content.decode()
    assert "Safe contact to check with the client" in page and case_a.reference in page
    ContactPreference.unscoped.filter(case=case_a).update(last_confirmed_on=timezone.localdate())
    page = page_of(as_user("alice").get(reverse("core:home")), "Home")
    assert "Safe contact to check with the client" not in page


def test_an_outbound_call_outside_the_safe_times_needs_a_reason(case_a, cast):
    from datetime import datetime

    pref = prefer(case_a, "call", safe=True)
    ContactPreference.unscoped.filter(pk=pref.pk).update(safe_times="weekdays 10:00-14:00")
    saturday = datetime(2026, 12, 5, 11, 0, tzinfo=LONDON)
    with pytest.raises(services.OutsideSafeTimes, match="weekdays 10:00-14:00"):
        services.record_contact(
            case_a, by=cast["alice"], method="phone", direction="out", at=saturday
        )
    assert not ContactLogEntry.unscoped.filter(case=case_a).exists()
    entry = services.record_contact(
        case_a,
        by=cast["alice"],
        method="phone",
        direction="out",
        at=saturday,
        outside_reason="The client asked us to call now",
    )
    assert entry.outside_safe_times_reason == "The client asked us to call now"
    tuesday = datetime(2026, 12, 1, 11, 0, tzinfo=LONDON)
    inside = services.record_contact(
        case_a, by=cast["alice"], method="phone", direction="out", at=tuesday
    )
    assert inside.outside_safe_times_reason == ""
    # The client calling us is never refused, whenever it is.
    services.record_contact(case_a, by=cast["alice"], method="phone", direction="in", at=saturday)


def test_safe_times_are_stored_in_one_form_and_unreadable_ones_refused(case_a, as_user):
    pref = prefer(case_a, "call", safe=True)
    url = f"/cases/{case_a.public_id}/safe-contact/call/"
    client = as_user("alice")
    bad = client.post(url, {"safe": "on", "safe_times": "Funday 9-10", "version": pref.version})
    assert "is not a day" in bad.content.decode()
    client.post(url, {"safe": "on", "safe_times": "Weekdays 10am to 2pm", "version": pref.version})
    assert ContactPreference.unscoped.get(pk=pref.pk).safe_times == "weekdays 10:00-14:00"
