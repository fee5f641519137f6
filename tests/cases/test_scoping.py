"""Every case-data model is scoped: outsiders' queries come back empty.

Case-data models are found by walking Django's app registry (any model holding an encrypted field,
or with a chain of foreign keys leading to ``cases.Case``), so a new model cannot slip past.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from harbour.cases import services
from harbour.cases.models import (
    BreakGlassGrant,
    ContactPreference,
    NeedsAssessment,
    OutcomeMeasures,
    SafetyPlan,
)
from harbour.chat.models import (
    Chat,
    ChatMessage,
    ChatService,
    ChatTranscript,
    SafeguardingConcern,
)
from harbour.core import policy
from harbour.core.fields import EncryptedDateField, EncryptedTextField
from harbour.core.scoping import ScopedManager, ScopeRequired
from harbour.coverage.services import set_triage_team
from harbour.evidence import services as evidence
from harbour.evidence.bundle import produce_bundle
from harbour.justice import services as justice
from harbour.justice.models import LinkDisclosure
from harbour.programmes import services as programmes
from harbour.referrals.models import Referral
from harbour.referrals.services import attempt_contact, receive_referral
from harbour.risk import services as risk
from harbour.risk.models import InstrumentVersion
from harbour.training import services as training
from tests.evidence.conftest import entry
from tests.factories import SupportActionFactory, SuspectFactory

#: Models that hold encrypted fields but are not case data, and why.
NOT_CASE_DATA = {
    "accounts.user": "staff accounts: a member of staff's own name, managed by the accounts access "
    "helper (an administrator's own organisation), never read with case records",
    "alerts.alertsettings": "a member of staff's own work e-mail address for alerts, read only by "
    "its owner (alerts.access) and the sending task; alerts never hold case data",
}

#: Who sees a record of each model in the fixture below (anyone else in the cast sees nothing).
#: Case records: the allocated advocate and the manager. Referrals: the whole provider's triage.
CASE_INSIDERS = ("alice", "mia")
INSIDERS = {
    "referrals.referral": ("alice", "amir", "mia"),
    "referrals.contactattempt": ("alice", "amir", "mia"),
    # A referral no rule covers, with provider A as the triage team.
    "coverage.unroutedreferral": ("alice", "amir", "mia"),
    # A bundle shared with Pete's force while the client's consent holds: Pete sees it and its share.
    "evidence.bundle": ("alice", "mia", "pete"),
    "evidence.bundleshare": ("alice", "mia", "pete"),
    # Training records: the provider's trainer and manager; partner organisations also its
    # advocates (the area's single point of contact is one).
    "training.trainingrequest": ("tariq", "mia"),
    "training.trainingsession": ("tariq", "mia"),
    "training.attendee": ("tariq", "mia"),
    "training.feedback": ("tariq", "mia"),
    "training.partnercontact": ("alice", "amir", "mia", "tariq"),
    # The perpetrator programme: its practitioner; the force holding the order sees the participant
    # and what the programme told it, never session notes or risk reviews.
    "programmes.participant": ("priya", "pete"),
    "programmes.referrerupdate": ("priya", "pete"),
    "programmes.programmesession": ("priya",),
    "programmes.riskreview": ("priya",),
    # Orders and the criminal-justice journey concern Pete's force and the client consented.
    "justice.order": ("alice", "mia", "pete"),
    "justice.orderstep": ("alice", "mia", "pete"),
    "justice.ordercondition": ("alice", "mia", "pete"),
    "justice.ordernotification": ("alice", "mia", "pete"),
    "justice.breach": ("alice", "mia", "pete"),
    "justice.journey": ("alice", "mia", "pete"),
    "justice.journeymilestone": ("alice", "mia", "pete"),
    "justice.recordingreview": ("alice", "mia", "pete"),
    # A reminder is its addressee's (Alice's) only.
    "justice.reminder": ("alice",),
    # Emergency access by Bea (provider B) to Alice's suspect: Bea, and Mia who reviews it.
    "justice.linkdisclosure": ("bea", "mia"),
    # Live chat records: the provider's advisers (advocates and managers) of the chat's service.
    "chat.chat": ("alice", "amir", "mia"),
    "chat.chatmessage": ("alice", "amir", "mia"),
    "chat.safeguardingconcern": ("alice", "amir", "mia"),
    "chat.chattranscript": ("alice", "amir", "mia"),
}


def _holds_encrypted_data(model) -> bool:
    return any(
        isinstance(f, EncryptedTextField | EncryptedDateField) for f in model._meta.concrete_fields
    )


def _leads_to_case(model, seen=frozenset()) -> bool:
    if model._meta.label_lower == "cases.case":
        return True
    return any(
        _leads_to_case(f.related_model, seen | {model})
        for f in model._meta.concrete_fields
        if (f.many_to_one or f.one_to_one) and f.related_model not in seen | {model}
    )


CASE_DATA = sorted(
    (
        model
        for model in apps.get_models()
        if (_holds_encrypted_data(model) or _leads_to_case(model))
        and model._meta.label_lower not in NOT_CASE_DATA
    ),
    key=lambda m: m._meta.label_lower,
)


@pytest.fixture
def full_case(case_a, cast, orgs):
    """One record of every case-data model, visible to the insiders above."""
    alice = cast["alice"]
    referral = receive_referral(
        source=Referral.Source.SELF,
        fields={"given_name": "W", "postcode": "NS1 2AB", "safe_call": True},
    )
    attempt_contact(referral, channel="call", outcome="no_answer", by=alice)
    set_triage_team(orgs["provider_a"], username="test")
    receive_referral(source=Referral.Source.SELF, fields={"given_name": "U", "postcode": "ZE1 0AA"})
    ContactPreference.unscoped.create(case=case_a, channel="call", safe=True)
    services.record_contact(case_a, by=alice, method="phone", direction="in")
    suspect = SuspectFactory(case=case_a)
    services.set_suspect_identifiers(suspect, {"email": ["s@example.org"]})
    NeedsAssessment.unscoped.create(case=case_a)
    SupportActionFactory(case=case_a, owner=alice)
    plan = SafetyPlan.unscoped.create(case=case_a)
    services.snapshot_safety_plan(plan, by=alice)
    services.make_onward_referral(
        case_a, by=alice, kind="other", to_organisation="X", consent="given"
    )
    OutcomeMeasures.unscoped.create(
        case=case_a,
        stage="entry",
        feeling_safer=1,
        coping=1,
        health_wellbeing=1,
        justice_knowledge=1,
    )
    risk.ensure_shipped_instruments()
    assessment = risk.record_assessment(
        case_a, instrument_version=InstrumentVersion.objects.get(), answers={}, by=alice
    )
    risk.refer_to_marac(
        case_a, by=alice, reason="r", referred_on=timezone.localdate(), assessment=assessment
    )
    BreakGlassGrant.unscoped.create(case=case_a, user=alice, reason="r", expires_at=timezone.now())
    incident = evidence.log_incident(case_a, by=alice, data=entry())
    evidence.store_evidence(
        case_a,
        SimpleUploadedFile("note.txt", b"He was outside again at 23:10.\n"),
        kind="document",
        incident=incident,
        by=alice,
    )
    evidence.record_police_consent(
        case_a, state="given", how="in_person", decided_on=timezone.localdate(), by=alice
    )
    bundle = produce_bundle(case_a, by=alice)
    evidence.share_bundle(bundle, orgs["police"], by=alice)
    from tests.imports.conftest import imported_into  # an import with a message and a flag

    imported_into(case_a, alice)
    _training_records(cast, orgs)
    _programme_records(cast, orgs)
    programmes.record_attendance_consent(case_a, state="given", by=alice)
    today = timezone.localdate()
    order = justice.record_order(
        case_a,
        by=alice,
        kind="spo",
        step="made",
        on=today,
        suspect=suspect,
        force=orgs["police"],
        indefinite=True,
    )
    justice.add_condition(order, by=alice, kind="no_contact")
    justice.record_notification_event(order, by=alice, event="service", event_on=today)
    justice.record_breach(order, by=alice, occurred_on=today, incidents=[incident])
    journey = justice.start_journey(case_a, by=alice, force=orgs["police"], reported_on=today)
    justice.request_recording_review(journey, by=cast["pete"])
    justice.run_reminders()
    LinkDisclosure.unscoped.create(
        requested_by=cast["bea"],
        own_suspect=suspect,
        other_suspect=suspect,
        reason="r",
        expires_at=timezone.now(),
    )
    service = ChatService.objects.create(organisation=orgs["provider_a"], slug="northshire")
    chat = Chat.unscoped.create(service=service, status="active", adviser=alice)
    ChatMessage.unscoped.create(chat=chat, sender="visitor", body="Hello")
    SafeguardingConcern.unscoped.create(chat=chat, kind="child", note="n", recorded_by=alice)
    ChatTranscript.unscoped.create(chat=chat, referral=referral, text="t")
    return case_a


def _training_records(cast, orgs):
    tariq, provider = cast["tariq"], orgs["provider_a"]
    request = training.receive_request(
        provider,
        {
            "organisation_name": "Salon",
            "sector": "hairdressing",
            "people": 4,
            "place": "online",
            "contact_name": "Owner",
        },
    )
    partner = training.add_partner(provider, by=tariq, name="Salon", sector="hairdressing")
    training.add_partner_contact(partner, by=tariq, name="Owner")
    session = training.schedule_session(
        provider,
        by=tariq,
        title="Awareness",
        starts_at=timezone.now(),
        duration_minutes=60,
        place="online",
        venue="",
        area="",
        trainer=tariq,
        capacity=4,
        for_request=request,
        partner=partner,
    )
    attendee = training.add_attendee(
        session, name="A", email="", sector="hairdressing", partner=partner, by=tariq
    )
    training.deliver_session(session, attendance={"hairdressing": 4}, by=tariq)
    training.give_feedback(
        attendee,
        {
            f"{stem}_{when}": 3
            for stem in ("recognising", "responding", "referring")
            for when in ("before", "after")
        },
    )


def _programme_records(cast, orgs):
    priya = cast["priya"]
    participant = programmes.add_participant(
        orgs["programme"],
        by=priya,
        given_name="P",
        route="spo",
        referring_force=orgs["police"],
        order_reference="SPO/1",
    )
    programmes.start_programme(participant, first_session=timezone.localdate(), by=priya)
    programmes.review_risk(participant, level="high", notes="n", by=priya)
    programmes.tell_referrer(participant, kind="started", message="Started.", by=priya)


@pytest.mark.parametrize("model", CASE_DATA, ids=lambda m: m._meta.label_lower)
def test_every_case_data_model_has_a_scoped_manager_and_a_registered_scope(model):
    assert isinstance(model._default_manager, ScopedManager)
    assert model._meta.default_manager_name in (None, "objects")
    assert policy.has_scope(model)


def test_the_registry_walk_finds_the_known_case_data_models():
    names = {m._meta.label_lower for m in CASE_DATA}
    assert {
        "cases.case",
        "cases.client",
        "referrals.referral",
        "referrals.contactattempt",
        "cases.contactpreference",
        "cases.contactlogentry",
        "cases.suspect",
        "cases.suspectidentifier",
        "cases.needsassessment",
        "cases.supportaction",
        "cases.safetyplan",
        "cases.safetyplanversion",
        "cases.onwardreferral",
        "cases.outcomemeasures",
        "risk.assessment",
        "risk.maracreferral",
        "cases.breakglassgrant",
        "chat.chat",
        "chat.chatmessage",
        "chat.safeguardingconcern",
        "chat.chattranscript",
        "imports.evidenceimport",
        "imports.importedmessage",
        "imports.importedentry",
        "imports.messageflag",
    } <= names


@pytest.mark.parametrize("model", CASE_DATA, ids=lambda m: m._meta.label_lower)
def test_insiders_see_the_record_and_outsiders_see_nothing(model, full_case, cast):
    with pytest.raises(ScopeRequired):
        model.objects.all()
    insiders = INSIDERS.get(model._meta.label_lower, CASE_INSIDERS)
    seen_by = {name for name, person in cast.items() if model.objects.for_user(person).exists()}
    assert seen_by == set(insiders)


def test_each_exemption_names_a_model_that_would_otherwise_count_as_case_data():
    for label in NOT_CASE_DATA:
        model = apps.get_model(label)
        assert _holds_encrypted_data(model) or _leads_to_case(model), label


# Records of one case (``for_case``): the case page's scope, issue #8 -----------------------------


def _admitted(person, case):
    """The case as the access helper hands it to a view: read through the person's scope."""
    from harbour.cases.models import Case

    found = Case.objects.for_user(person).get(pk=case.pk)
    policy.note_admitted(found, person)
    return found


CASE_RECORD_MODELS = [m for m in CASE_DATA if m._meta.label_lower in policy._CASE_PATHS]


@pytest.mark.parametrize("model", CASE_RECORD_MODELS, ids=lambda m: m._meta.label_lower)
def test_the_records_of_a_case_are_what_the_full_scope_shows_of_that_case(model, full_case, cast):
    path = policy._CASE_PATHS[model._meta.label_lower]
    for name, person in cast.items():
        expected = set(model.objects.for_user(person).filter(**{path: full_case}).values_list("pk"))
        as_read = set(model.objects.for_case(person, full_case).values_list("pk"))
        assert as_read == expected, name
        if name in CASE_INSIDERS:
            admitted = set(
                model.objects.for_case(person, _admitted(person, full_case)).values_list("pk")
            )
            assert admitted == expected and admitted, name


def test_every_model_scoped_through_its_case_is_listed_with_its_path():
    assert len(CASE_RECORD_MODELS) == len(policy._CASE_PATHS)
    assert {"cases.suspectidentifier", "justice.order", "justice.journey"} <= set(
        policy._CASE_PATHS
    )


def test_a_case_admitted_to_someone_else_gives_an_outsider_nothing(full_case, cast):
    admitted = _admitted(cast["alice"], full_case)
    for name in ("amir", "bob", "bea", "pete", "cora", "priya", "tariq", "ada"):
        assert not ContactPreference.objects.for_case(cast[name], admitted).exists(), name


def test_a_case_read_without_the_access_helper_is_scoped_in_full(full_case, cast):
    from harbour.cases.models import Case

    unchecked = Case.objects.system("test: a case read some other way").get(pk=full_case.pk)
    assert not ContactPreference.objects.for_case(cast["amir"], unchecked).exists()
    assert ContactPreference.objects.for_case(cast["alice"], unchecked).exists()


def test_a_police_coordinator_sees_a_case_order_only_through_consent(full_case, cast):
    from harbour.justice.models import Order

    pete = cast["pete"]
    seen = set(Order.objects.for_case(pete, full_case).values_list("pk"))
    assert seen and seen == set(
        Order.objects.for_user(pete).filter(case=full_case).values_list("pk")
    )
    evidence.record_police_consent(
        full_case,
        state="withdrawn",
        how="in_person",
        decided_on=timezone.localdate(),
        by=cast["alice"],
    )
    assert not Order.objects.for_case(pete, _admitted(cast["alice"], full_case)).exists()
