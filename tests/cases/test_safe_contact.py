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


def test_video_calls_and_live_chat_are_governed_by_their_own_preferences(case_a, cast):
    prefer(case_a, "video", safe=False)
    prefer(case_a, "live_chat", safe=True)
    with pytest.raises(services.UnsafeChannel, match="video call is not safe"):
        services.record_contact(case_a, by=cast["alice"], method="video", direction="out")
    services.record_contact(case_a, by=cast["alice"], method="live_chat", direction="out")
    ContactPreference.unscoped.filter(case=case_a, channel="live_chat").update(safe=False)
    with pytest.raises(services.UnsafeChannel, match="live chat is not safe"):
        services.record_contact(case_a, by=cast["alice"], method="live_chat", direction="out")
    assert list(ContactLogEntry.unscoped.filter(case=case_a).values_list("method", flat=True)) == [
        "live_chat"
    ]


def test_a_meeting_is_refused_when_face_to_face_is_not_safe(case_a, cast):
    prefer(case_a, "meeting", safe=False)
    with pytest.raises(services.UnsafeChannel, match="face-to-face meeting is not safe"):
        services.record_contact(
            case_a,
            by=cast["alice"],
            method="face_to_face",
            direction="out",
            place="Our office",
            place_known_to_suspect="no",
        )
    assert not ContactLogEntry.unscoped.filter(case=case_a).exists()


def test_an_outbound_meeting_must_say_where_and_whether_the_suspect_knows_it(case_a, cast):
    with pytest.raises(services.MeetingPlaceNeeded):
        services.record_contact(case_a, by=cast["alice"], method="face_to_face", direction="out")
    with pytest.raises(services.MeetingPlaceNeeded, match="Select whether the suspect knows"):
        services.record_contact(
            case_a, by=cast["alice"], method="face_to_face", direction="out", place="Library"
        )
    # The client walking in to see us is logged without either.
    services.record_contact(case_a, by=cast["alice"], method="face_to_face", direction="in")
    assert ContactLogEntry.unscoped.filter(case=case_a).count() == 1


@pytest.mark.parametrize("known", ["yes", "unsure"])
def test_a_meeting_at_an_address_the_suspect_knows_needs_the_clients_agreement(case_a, cast, known):
    def meet():
        return services.record_contact(
            case_a,
            by=cast["alice"],
            method="face_to_face",
            direction="out",
            place="The client's home",
            place_known_to_suspect=known,
        )

    with pytest.raises(services.UnsafeMeetingPlace, match="has not agreed"):
        meet()
    pref = prefer(case_a, "meeting", safe=True)
    with pytest.raises(services.UnsafeMeetingPlace):
        meet()
    assert not ContactLogEntry.unscoped.filter(case=case_a).exists()
    assert AuditEvent.objects.filter(verb="case.contact_refused_unsafe").count() == 2
    ContactPreference.unscoped.filter(pk=pref.pk).update(known_address_ok=True)
    entry = meet()
    assert (entry.place, entry.place_known_to_suspect) == ("The client's home", known)


def test_a_meeting_somewhere_the_suspect_does_not_know_needs_no_agreement(case_a, cast):
    entry = services.record_contact(
        case_a,
        by=cast["alice"],
        method="face_to_face",
        direction="out",
        place="Our office in Maidstone",
        place_known_to_suspect="no",
    )
    assert entry.place == "Our office in Maidstone"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT place FROM cases_contactlogentry")
        (stored,) = cursor.fetchone()
    assert "Maidstone" not in stored


def test_the_contact_form_asks_where_a_meeting_was_and_refuses_a_known_address(
    as_user, case_a, url
):
    today = timezone.localdate().isoformat()
    data = {"method": "face_to_face", "direction": "out", "on": today, "at": "10:00"}
    response = as_user("alice").post(url("contacts/new/"), data)
    page = response.content.decode()
    assert "Enter where you met the client" in page
    assert "Select whether the suspect knows this address" in page
    data |= {"place": "Home", "place_known_to_suspect": "yes"}
    page = as_user("alice").post(url("contacts/new/"), data).content.decode()
    assert "has not agreed to meet at an address the suspect knows" in page
    assert not ContactLogEntry.unscoped.filter(case=case_a).exists()
    data["place_known_to_suspect"] = "no"
    assert as_user("alice").post(url("contacts/new/"), data).status_code == 302
    log = as_user("alice").get(url("contacts/")).content.decode()
    assert "Where: Home" in log


def test_the_meeting_preference_records_safe_places_and_shows_them(as_user, case_a, url):
    client = as_user("alice")
    form = client.get(url("safe-contact/meeting/")).content.decode()
    assert "Where it is safe to meet" in form
    assert "address the suspect knows" in form
    assert "Where it is safe to meet" not in client.get(url("safe-contact/call/")).content.decode()
    client.post(
        url("safe-contact/meeting/"),
        {"safe": "on", "safe_places": "Our office\nThe library in Tonbridge", "version": 1},
    )
    pref = ContactPreference.unscoped.get(case=case_a, channel="meeting")
    assert pref.safe_places.splitlines() == ["Our office", "The library in Tonbridge"]
    assert not pref.known_address_ok
    page = client.get(url()).content.decode()
    assert "never at an address the suspect knows" in page
    assert "The library in Tonbridge" in client.get(url("contacts/new/")).content.decode()


def test_the_contact_form_names_channels_with_no_preference_yet(as_user, case_a, url):
    prefer(case_a, "call", safe=True)
    page = as_user("alice").get(url("contacts/new/")).content.decode()
    assert "No preference recorded yet for:" in page
    assert "video call" in page and "face-to-face meeting" in page
    assert "phone call," not in page


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
