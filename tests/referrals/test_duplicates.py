"""Duplicate matching by blind index on encrypted data, against cases and other referrals."""

import datetime

import pytest
from django.db import connection

from harbour.referrals import services
from harbour.referrals.models import Referral
from tests.conftest import assert_query_count

pytestmark = pytest.mark.django_db


def test_identifying_fields_are_encrypted_at_rest(referral_a):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT given_name, phone, email, crime_reference FROM referrals_referral WHERE id = %s",
            [referral_a.pk],
        )
        row = cursor.fetchone()
    joined = " ".join(row)
    for plain in ("Wilhelmina", "100456", "oakhurst", "NP/12345"):
        assert plain.lower() not in joined.lower()
    assert all(value.startswith("hb1:") for value in row)


@pytest.fixture
def case_a_phone(case_a):
    case_a.client.phone = "07911 123456"
    case_a.client.save()
    return case_a


def test_referral_matches_an_open_case_by_phone_written_differently(
    make_referral, case_a_phone, cast
):
    case_a = case_a_phone
    referral = make_referral(phone="+44 7911 123456", email="", given_name="Z")
    matches = services.find_duplicates(referral, user=cast["alice"])
    assert [(m.kind, m.target, m.on) for m in matches] == [("case", case_a, ("phone",))]


def test_referral_matches_an_open_case_by_email_in_any_case(make_referral, case_a, cast):
    referral = make_referral(phone="", email="  ZQ@Example.org ")
    matches = services.find_duplicates(referral, user=cast["mia"])
    assert [m.on for m in matches] == [("email",)]


def test_another_providers_case_is_never_offered(make_referral, case_b, cast):
    case_b.client.phone = "07911 123999"
    case_b.client.save()
    referral = make_referral(phone="07911 123999")
    assert services.find_duplicates(referral, user=cast["alice"]) == []


def test_name_and_date_of_birth_match_across_spellings(make_referral, cast):
    dob = datetime.date(1988, 4, 2)
    first = make_referral(
        given_name="Siobhán", family_name="O'Brien", date_of_birth=dob, phone="", email=""
    )
    second = make_referral(
        given_name="siobhan", family_name="OBrien", date_of_birth=dob, phone="", email=""
    )
    matches = services.find_duplicates(second, user=cast["alice"])
    assert [(m.kind, m.target, m.on) for m in matches] == [("referral", first, ("name_dob",))]


def test_same_name_with_another_date_of_birth_is_not_a_match(make_referral, cast):
    make_referral(
        given_name="Ann",
        family_name="Lee",
        date_of_birth=datetime.date(1980, 1, 1),
        phone="",
        email="",
    )
    other = make_referral(
        given_name="Ann",
        family_name="Lee",
        date_of_birth=datetime.date(1981, 1, 1),
        phone="",
        email="",
    )
    assert services.find_duplicates(other, user=cast["alice"]) == []


def test_blank_identifiers_never_match_each_other(make_referral, cast):
    make_referral(phone="", email="")
    lonely = make_referral(phone="", email="")
    assert services.find_duplicates(lonely, user=cast["alice"]) == []


def test_closed_referrals_are_not_offered_as_duplicates(make_referral, cast):
    first = make_referral()
    services.decline(first, reason="other", by=cast["alice"])
    second = make_referral()
    assert services.find_duplicates(second, user=cast["alice"]) == []


def test_queue_duplicate_counts_agree_with_find_duplicates(make_referral, case_a_phone, cast):
    a = make_referral(phone="07911 123456")
    b = make_referral(phone="07911 900777", email="")
    counts = services.duplicate_counts([a, b], user=cast["alice"])
    assert counts == {a.pk: len(services.find_duplicates(a, user=cast["alice"]))}
    assert counts[a.pk] == 1
    assert Referral.objects.for_user(cast["alice"]).count() == 2


def test_a_closed_case_is_shown_as_a_returning_client_but_not_offered_for_merge(
    make_referral, case_a_phone, cast, as_user
):
    from harbour.cases.models import Case

    Case.unscoped.filter(pk=case_a_phone.pk).update(status=Case.Status.CLOSED)
    referral = make_referral(phone="07911 123456")
    matches = services.find_duplicates(referral, user=cast["mia"])
    assert [m.target for m in matches] == [Case.unscoped.get(pk=case_a_phone.pk)]
    body = as_user("mia").get(f"/referrals/{referral.public_id}/").content.decode()
    assert "a returning client" in body
    merge_page = as_user("mia").get(f"/referrals/{referral.public_id}/merge/").content.decode()
    assert f"case:{case_a_phone.public_id}" not in merge_page
    closed = Case.unscoped.get(pk=case_a_phone.pk)
    with pytest.raises(services.ReferralError):
        services.merge_as_duplicate(referral, into_case=closed, by=cast["mia"])


def test_duplicate_tags_for_a_page_cost_two_queries_whatever_its_length(make_referral, cast):
    few = [make_referral()]
    many = few + [make_referral(phone=f"07911 10{n:04d}") for n in range(9)]
    for page in (few, many):
        with assert_query_count(2):
            services.duplicate_counts(page, user=cast["alice"])
    unmatchable = [make_referral(phone="", email="")]
    with assert_query_count(0):
        assert services.duplicate_counts(unmatchable, user=cast["alice"]) == {}


def test_each_referral_counts_every_other_matching_row_once_and_never_itself(
    make_referral, case_a_phone, cast
):
    a = make_referral(phone="07911 123456", email="same@example.org")
    b = make_referral(phone="07911 123456", email="same@example.org")
    c = make_referral(phone="07911 900777", email="same@example.org")
    d = make_referral(phone="07911 900888", email="")
    counts = services.duplicate_counts([a, b, c, d], user=cast["alice"])
    # a and b: the case (by phone) and the two other referrals (phone or e-mail, counted once each);
    # c: a and b by e-mail; d matches nothing.
    assert counts == {a.pk: 3, b.pk: 3, c.pk: 2}
    for r in (a, b, c):
        assert counts[r.pk] == len(services.find_duplicates(r, user=cast["alice"]))
