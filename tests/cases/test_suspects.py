"""Suspects: encrypted names and description, normalised identifiers held as blind indexes."""

from __future__ import annotations

from django.db import connection

from harbour.cases import services
from harbour.cases.models import Suspect, SuspectIdentifier
from tests.factories import OpenCaseFactory, SuspectFactory

SUSPECT = {
    "names": "Mallory Vane",
    "aliases": "M",
    "relationship": "ex_partner",
    "description": "Drives a blue van",
    "phones": "07911 123456\n",
    "emails": "Mallory@Example.ORG",
    "handles": "@Mallory_V",
    "vehicles": "ab12 cde",
    "version": "0",
}


def test_adding_a_suspect_stores_normalised_identifiers(as_user, case_a, url):
    response = as_user("alice").post(url("suspects/new/"), SUSPECT)
    assert response.status_code == 302
    suspect = Suspect.unscoped.get(case=case_a)
    assert suspect.display_name == "Mallory Vane"
    kinds = {i.kind: i for i in SuspectIdentifier.unscoped.filter(suspect=suspect)}
    assert set(kinds) == {"phone", "email", "handle", "vehicle"}
    assert kinds["phone"].index == services.identifier_index("phone", "+44 7911 123456")
    assert kinds["vehicle"].index == services.identifier_index("vehicle", "AB12CDE")
    assert kinds["handle"].index == services.identifier_index("handle", "mallory_v")
    assert kinds["email"].index == services.identifier_index("email", "mallory@example.org")


def test_the_same_identifier_written_two_ways_has_one_blind_index_across_cases(
    as_user, case_a, cast, orgs
):
    other = OpenCaseFactory(
        organisation=orgs["provider_a"], by=cast["mia"], allocated_to=cast["amir"]
    )
    for case, phone in ((case_a, "07911 123456"), (other, "+447911123456")):
        suspect = SuspectFactory(case=case)
        services.set_suspect_identifiers(suspect, {"phone": [phone]})
    rows = SuspectIdentifier.objects.system("test").filter(kind="phone")
    assert {row.suspect.case_id for row in rows} == {case_a.pk, other.pk}
    assert {row.index for row in rows} == {services.identifier_index("phone", "0044 7911 123456")}


def test_suspect_names_description_and_identifiers_are_encrypted_at_rest(as_user, case_a, url):
    as_user("alice").post(url("suspects/new/"), SUSPECT)
    with connection.cursor() as cursor:
        cursor.execute("SELECT names, aliases, description FROM cases_suspect")
        row = " ".join(cursor.fetchone())
        cursor.execute('SELECT value, "index" FROM cases_suspectidentifier')
        idents = " ".join(" ".join(r) for r in cursor.fetchall())
    assert "Mallory" not in row and "blue van" not in row
    # Ciphertext and blind indexes are lower-case hex, which can spell digits and a-f by chance:
    # look for each plaintext in forms hex cannot hold (a space, a "+", "@", upper case, "ll").
    for plain in ("07911 123456", "+447911123456", "mallory", "@", "AB12", "ab12 cde"):
        assert plain not in idents, plain


def test_an_invalid_phone_number_is_an_error_naming_its_line_not_a_silent_drop(
    as_user, case_a, url
):
    phones = "07911 123456\n12\n"
    response = as_user("alice").post(url("suspects/new/"), {**SUSPECT, "phones": phones})
    assert response.status_code == 200
    assert "Line 2, &quot;12&quot;, is not a phone number" in response.content.decode()
    assert not Suspect.unscoped.filter(case=case_a).exists()


def test_any_number_a_victim_saw_is_accepted_and_withheld_calls_are_their_own_kind(
    as_user, case_a, url
):
    from harbour.cases.models import SuspectIdentifier

    phones = "07700 900123\n+1 202 555 0143\nwithheld\nPrivate number"
    response = as_user("alice").post(url("suspects/new/"), {**SUSPECT, "phones": phones})
    assert response.status_code == 302
    rows = SuspectIdentifier.unscoped.filter(suspect__case=case_a)
    kinds = sorted(rows.values_list("kind", flat=True))
    assert kinds.count("phone") == 2
    assert kinds.count("withheld") == 2
    # A number outside the allocated ranges still links; a withheld call never does.
    assert all(r.index for r in rows if r.kind == "phone")
    assert not any(r.index for r in rows if r.kind == "withheld")


def test_editing_a_suspect_replaces_its_identifiers(as_user, case_a, url):
    client = as_user("alice")
    client.post(url("suspects/new/"), SUSPECT)
    suspect = Suspect.unscoped.get(case=case_a)
    page = client.get(url(f"suspects/{suspect.public_id}/"))
    assert "AB12 CDE".lower() in page.content.decode().lower()
    from tests.cases.conftest import form_state

    state = form_state(page.content.decode())
    response = client.post(
        url(f"suspects/{suspect.public_id}/"),
        {**SUSPECT, **state, "vehicles": "", "phones": "07911 123457"},
    )
    assert response.status_code == 302
    kinds = sorted(i.kind for i in SuspectIdentifier.unscoped.filter(suspect=suspect))
    assert kinds == ["email", "handle", "phone"]


def test_another_advocates_suspect_page_is_not_found(as_user, case_a, url):
    as_user("alice").post(url("suspects/new/"), SUSPECT)
    suspect = Suspect.unscoped.get(case=case_a)
    assert as_user("amir").get(url(f"suspects/{suspect.public_id}/")).status_code == 404
    assert as_user("bob").get(url(f"suspects/{suspect.public_id}/")).status_code == 404
