"""`harbour retention`: rules as data, a dry run that changes nothing, anonymisation that keeps the
figures true and leaves nothing identifying, every erasure audited, and a second run that does
nothing."""

from __future__ import annotations

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from harbour.audit.models import AuditEvent
from harbour.audit.verify import verify_chain
from harbour.cases.models import Case, Client
from harbour.chat.models import Chat, ChatMessage
from harbour.evidence.models import Bundle, EvidenceItem
from harbour.referrals.models import Referral
from harbour.retention.models import Erasure
from harbour.retention.policy_rules import RuleError, load_rules
from harbour.retention.records import identifying_fields, rows_about
from tests.retention.conftest import close, figures, raw_database_text

pytestmark = pytest.mark.django_db


def retention(*args: str) -> str:
    out = StringIO()
    call_command("retention", *args, stdout=out, stderr=out)
    return out.getvalue()


def test_harbours_own_rules_name_each_record_type_with_a_period_and_a_reason():
    rules = {r.record: r for r in load_rules()}
    assert set(rules) == {"closed_case", "unaccepted_referral", "unconverted_chat"}
    assert rules["closed_case"].keep == datetime.timedelta(days=6 * 365)
    assert rules["unaccepted_referral"].keep < rules["closed_case"].keep
    assert rules["unconverted_chat"].keep < rules["unaccepted_referral"].keep
    assert all(r.why for r in rules.values())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[rule]]\nrecord = "case"\nkeep = "1 year"\n', "choose from"),
        ('[[rule]]\nrecord = "closed_case"\nkeep = "forever"\n', "N days"),
        ('[[rule]]\nrecord = "closed_case"\nkeep = "0 days"\n', "at least a day"),
        ("[[rule]\n", "rules.toml"),
    ],
)
def test_a_wrong_rules_file_is_refused_naming_what_to_fix(rules_file, text, message):
    with pytest.raises(RuleError, match=message):
        load_rules(rules_file(text))
    with pytest.raises(CommandError, match=message):
        retention("--rules", str(rules_file(text)))


def test_a_dry_run_counts_what_is_due_and_changes_nothing(full_case):
    close(full_case, years_ago=7)
    before, audit = figures(), AuditEvent.objects.count()
    out = retention("--dry-run")
    assert "closed_case: kept 6 years after the case's closure: 1 due (dry run" in out
    assert figures() == before
    assert AuditEvent.objects.count() == audit
    assert Client.unscoped.get(pk=full_case.client_id).given_name == "Zebedee"


def test_a_case_closed_less_than_its_period_ago_is_kept(full_case):
    close(full_case, years_ago=5)
    assert "0 of 0 anonymised" in retention()
    assert not Erasure.objects.exists()


def test_retention_anonymises_an_old_closed_case_and_everything_under_it(
    full_case, django_capture_on_commit_callbacks
):
    case = close(full_case, years_ago=7)
    files = [
        name
        for item in EvidenceItem.unscoped.filter(case=case)
        for name in (item.stored_name, item.preview_name)
        if name
    ] + list(Bundle.unscoped.filter(case=case).values_list("stored_name", flat=True))
    storage_dir = Path(settings.HARBOUR_EVIDENCE_DIR)
    assert files and all((storage_dir / n).exists() for n in files)

    with django_capture_on_commit_callbacks(execute=True):
        out = retention()
    assert "closed_case: kept 6 years after the case's closure: 1 of 1 anonymised" in out

    # Every identifying field of every row under the case, the case and the client is empty.
    checked = 0
    for model, rows in [*rows_about(Case, [case.pk]), (Case, Case.unscoped.filter(pk=case.pk))]:
        for f in identifying_fields(model):
            values = set(rows.values_list(f.attname, flat=True))
            assert values <= {"", None}, (model, f.name, values)
            checked += 1
    client = Client.unscoped.get(pk=case.client_id)
    assert (client.given_name, client.family_name, client.phone, client.address) == ("",) * 4
    assert client.phone_index == client.email_index == client.name_dob_index == ""
    assert checked > 30
    # The evidence files are gone from storage.
    assert not any((storage_dir / n).exists() for n in files)
    # One audit row says what was done, under which rule, without content; the chain holds.
    (event,) = AuditEvent.objects.filter(verb="record.erased")
    assert event.object_id == case.audit_id and event.actor_username == "harbour retention"
    assert event.payload["rule"] == "closed_case (6 years)" and event.payload["files"] == len(files)
    assert event.payload["rows"]["evidence.incidentversion"] >= 1
    assert verify_chain()[1] is None


def test_anonymising_keeps_every_figure_the_same(full_case):
    close(full_case, years_ago=7)
    before = figures()
    retention()
    assert figures() == before


def test_nothing_identifying_is_left_in_the_database_after_retention(full_case):
    close(full_case, years_ago=7)
    retention()
    text = raw_database_text()
    # Ciphertext of the client's details and notes is gone too: only empty values remain.
    client = Client.unscoped.filter(pk=full_case.client_id).values_list("given_name", flat=True)
    assert list(client) == [""]
    assert "Zebedee" not in text and "Quillfeather" not in text


def test_running_retention_again_changes_nothing(full_case):
    close(full_case, years_ago=7)
    retention()
    after, audit = figures(), AuditEvent.objects.count()
    assert "0 of 0 anonymised" in retention().splitlines()[0]
    assert figures() == after and AuditEvent.objects.count() == audit


def test_a_client_with_another_case_keeps_their_details_until_that_case_goes(full_case, cast):
    from harbour.cases.services import open_case

    close(full_case, years_ago=7)
    other = open_case(
        organisation=full_case.organisation,
        client_fields={},
        existing_client=Client.unscoped.get(pk=full_case.client_id),
        by=cast["mia"],
        allocated_to=cast["alice"],
        source="test",
    )
    retention()
    assert Client.unscoped.get(pk=full_case.client_id).given_name == "Zebedee"
    assert Case.unscoped.get(pk=other.pk).status == Case.Status.OPEN


def test_an_unaccepted_referral_is_anonymised_after_its_period_and_a_case_referral_is_not(
    full_case,
):
    declined = Referral.unscoped.filter(case__isnull=True).first()
    assert declined is not None, "full_case has a referral that never became a case"
    Referral.unscoped.filter(pk=declined.pk).update(
        status=Referral.Status.DECLINED, outcome_at=timezone.now() - datetime.timedelta(days=400)
    )
    before = figures()
    out = retention()
    assert "unaccepted_referral: kept 12 months after the referral's outcome" in out
    assert "1 of 1 anonymised" in out
    declined.refresh_from_db()
    assert all(getattr(declined, f.attname) in ("", None) for f in identifying_fields(Referral))
    assert figures() == before
    assert Erasure.objects.filter(object_type="referrals.referral").count() == 1


def test_an_unconverted_chat_loses_its_text_after_its_period_but_keeps_its_counts(full_case):
    chat = Chat.unscoped.get()
    Chat.unscoped.filter(pk=chat.pk).update(
        status=Chat.Status.ENDED,
        outcome=Chat.Outcome.ANSWERED,
        ended_at=timezone.now() - datetime.timedelta(days=31),
    )
    before = figures()["chats"]
    assert "unconverted_chat: kept 30 days after the end of a live chat" in retention()
    assert not ChatMessage.unscoped.filter(chat=chat).exists()
    assert figures()["chats"] == before
    assert AuditEvent.objects.filter(verb="chat.text_deleted").count() == 1
