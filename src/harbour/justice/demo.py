"""Synthetic demo data for orders, the criminal-justice journey and serial-suspect linking.

Kent Police and Derbyshire Constabulary each get a believable SPO pipeline (asked of police,
applied for, an interim order, full orders for a fixed term and one until further order with the
notification requirement, a refusal, a breach), some cases recorded as harassment or malicious
communications whose diaries evidence stalking (possible under-recording), court dates in the next
weeks, and a suspect who appears on cases at two providers. Everything is invented from the seed.

Why unscoped: demo data is written once, by ``harbour demo``, with no signed-in user.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.utils import timezone

from harbour.accounts.models import Organisation, User
from harbour.cases import services as cases
from harbour.cases.models import Case, Suspect
from harbour.evidence import services as evidence
from harbour.evidence.models import Incident, PoliceSharingConsent
from harbour.justice import services

FORCE_OF = {"km": "kentpol", "wk": "kentpol", "glow": "derpol", "crd": "derpol"}

#: (scenario, consent) per case, in the order the provider's open allocated cases are taken.
PLAN: dict[str, tuple[tuple[str, str], ...]] = {
    "km": (
        ("under_recorded_asked", "given"),
        ("indefinite_notify", "given"),
        ("fixed_breached", "given"),
        ("interim_court", "given"),
        ("under_recorded", "given"),
        ("asked", "refused"),
        ("trial", "given"),
    ),
    "wk": (("applied", "given"), ("refused_spo", "given"), ("under_recorded", "withdrawn")),
    "glow": (
        ("under_recorded_asked", "given"),
        ("fixed_renewal_due", "given"),
        ("considered", "given"),
        ("trial", "given"),
    ),
    "crd": (("interim_court", "given"), ("under_recorded", "given"), ("asked", "given")),
}


def _suspect(case: Case) -> Suspect | None:
    return Suspect.unscoped.filter(case=case).order_by("created_at").first()


def _ensure_diary(case: Case, by: User, rng: random.Random, entries: int) -> list[Incident]:
    have = list(Incident.unscoped.filter(case=case).order_by("number"))
    now = timezone.now()
    suspect = _suspect(case)
    for n in range(len(have), entries):
        evidence.log_incident(
            case,
            by=by,
            data={
                "precision": "approximate",
                "occurred_at": now - datetime.timedelta(days=6 * (entries - n) + rng.randint(0, 3)),
                "count": rng.randint(1, 9),
                "reporter": "client",
                "behaviours": rng.choice(
                    [["calls", "messages"], ["loitering"], ["social_media_posts"], ["following"]]
                ),
                "suspect": suspect,
                "what_happened": rng.choice(
                    [
                        "Calls from a withheld number late at night, nothing said.",
                        "Seen waiting across the road from her workplace at closing time.",
                        "Posted photos of her house on a public account.",
                    ]
                ),
                "effects": rng.choice([[], ["serious_alarm"], ["fear_of_violence"]]),
            },
        )
    return list(Incident.unscoped.filter(case=case).order_by("number"))


def _consent(case: Case, by: User, state: str) -> None:
    latest = evidence.current_consent(case)
    if latest is not None and latest.state == state:
        return
    if state == "withdrawn" and (latest is None or latest.state != "given"):
        evidence.record_police_consent(
            case,
            state="given",
            how=PoliceSharingConsent.How.PHONE,
            decided_on=timezone.localdate() - datetime.timedelta(days=40),
            by=by,
        )
    evidence.record_police_consent(
        case,
        state=state,
        how=PoliceSharingConsent.How.IN_PERSON,
        decided_on=timezone.localdate(),
        by=by,
    )


def _scenario(
    name: str, case: Case, by: User, force: Organisation, rng: random.Random, today: datetime.date
) -> None:
    suspect = _suspect(case)

    def ago(days: int) -> datetime.date:
        return today - datetime.timedelta(days=days)

    reported = ago(rng.randint(60, 200))
    journey = services.start_journey(
        case,
        by=by,
        force=force,
        reported_on=reported,
        suspect=suspect,
        crime_reference=f"{force.short_name[:2].upper()}/{rng.randint(10000, 99999)}/26",
    )
    under = name.startswith("under_recorded")
    recorded_as = (
        rng.choice(["s2_harassment", "malicious_communications", "not_recorded"])
        if under
        else rng.choice(["s2a_stalking", "s4a_stalking"])
    )
    services.record_milestone(
        journey,
        by=by,
        kind="recorded",
        on=reported + datetime.timedelta(days=2),
        recorded_as=recorded_as,
    )
    if under:
        _ensure_diary(case, by, rng, 4)
        if name == "under_recorded_asked":
            services.record_order(
                case,
                by=by,
                kind="spo",
                step="asked_of_police",
                on=ago(12),
                suspect=suspect,
                force=force,
            )
        return

    def spo(step: str, on: datetime.date, **extra: Any) -> Any:
        return services.record_order(
            case, by=by, kind="spo", step=step, on=on, suspect=suspect, force=force, **extra
        )

    if name == "considered":
        spo("considered", ago(5))
    elif name == "asked":
        spo("asked_of_police", ago(9))
    elif name == "applied":
        order = spo("asked_of_police", ago(30))
        services.record_order_step(
            order,
            by=by,
            step="applied_for",
            on=ago(14),
            hearing_on=today + datetime.timedelta(days=9),
            court="Maidstone Magistrates' Court",
        )
    elif name == "interim_court":
        order = spo("applied_for", ago(21))
        services.record_order_step(
            order,
            by=by,
            step="interim_made",
            on=ago(7),
            court="Magistrates' Court",
            hearing_on=today + datetime.timedelta(days=rng.randint(3, 20)),
        )
        services.add_condition(order, by=by, kind="no_contact")
        services.record_notification_event(
            order, by=by, event="service", event_on=ago(6), notified_on=ago(5)
        )
    elif name == "indefinite_notify":
        # As in Kent's first year: an order until further order against a stranger, with the
        # requirement to notify police; the suspect has just moved and must notify again.
        order = spo("made", ago(120), indefinite=True, court="Canterbury Magistrates' Court")
        services.add_condition(order, by=by, kind="no_contact")
        services.add_condition(
            order, by=by, kind="exclusion_zone", details="The streets around her home and work"
        )
        services.add_condition(
            order, by=by, kind="attend_perpetrator_programme", details="Pathways, 12 sessions"
        )
        services.record_notification_event(
            order, by=by, event="service", event_on=ago(118), notified_on=ago(116)
        )
        services.record_notification_event(order, by=by, event="change", event_on=ago(1))
    elif name == "fixed_breached":
        made = ago(200)
        order = spo("made", made, expires_on=made.replace(year=made.year + 2))
        services.add_condition(order, by=by, kind="no_contact")
        services.record_notification_event(
            order, by=by, event="service", event_on=ago(199), notified_on=ago(198)
        )
        incidents = _ensure_diary(case, by, rng, 3)
        services.record_breach(order, by=by, occurred_on=ago(4), incidents=incidents[-1:])
    elif name == "fixed_renewal_due":
        made = ago(2 * 365 - 40)
        order = spo("made", made, expires_on=made.replace(year=made.year + 2))
        services.record_notification_event(
            order, by=by, event="service", event_on=made, notified_on=made
        )
    elif name == "refused_spo":
        order = spo("applied_for", ago(60))
        services.record_order_step(
            order, by=by, step="refused", on=ago(30), note="The court found it not necessary."
        )
        services.record_order(
            case,
            by=by,
            kind="non_molestation",
            step="made",
            on=ago(20),
            suspect=suspect,
            applicant="client",
            expires_on=ago(20) + datetime.timedelta(days=365),
        )
    elif name == "trial":
        services.record_milestone(
            journey, by=by, kind="arrested", on=reported + datetime.timedelta(days=5)
        )
        services.record_milestone(
            journey,
            by=by,
            kind="bailed",
            on=reported + datetime.timedelta(days=6),
            details="Not to contact her directly or indirectly; not to enter her road.",
        )
        services.record_milestone(
            journey,
            by=by,
            kind="charged",
            on=reported + datetime.timedelta(days=30),
            offence="Stalking, s.2A",
        )
        services.record_milestone(
            journey, by=by, kind="special_measures_asked", on=reported + datetime.timedelta(days=35)
        )
        services.record_milestone(
            journey,
            by=by,
            kind="trial_date",
            on=today + datetime.timedelta(days=rng.randint(2, 14)),
            court="Crown Court",
        )


def load_justice_demo(seed: int, orgs: dict[str, Organisation], users: dict[str, User]) -> None:
    rng = random.Random(seed + 1414)  # noqa: S311 - demo data only
    today = timezone.localdate()
    for org_key, plan in PLAN.items():
        force = orgs[FORCE_OF[org_key]]
        chosen = list(
            Case.objects.system("demo data")
            .filter(organisation=orgs[org_key], status=Case.Status.OPEN, allocated_to__isnull=False)
            .select_related("allocated_to")
            .order_by("pk")[: len(plan)]
        )
        for case, (scenario, consent) in zip(chosen, plan, strict=False):
            by = case.allocated_to
            assert by is not None
            _scenario(scenario, case, by, force, rng, today)
            _consent(case, by, consent)
    _serial_suspects(orgs)
    services.run_reminders(today)


def _serial_suspects(orgs: dict[str, Organisation]) -> None:
    """One man on cases at Victim Support Kent and PAS West Kent (same phone), and a spelling
    variant of one name on cases at Glow and Crossroads (a weaker, name-only match)."""
    pairs = (
        ("km", "wk", "Callum Ashdown", "Callum Ashdown", "07911 123777"),
        ("glow", "crd", "Jonathan Smyth", "Jonathon Smith", ""),
    )
    for first, second, name_a, name_b, phone in pairs:
        for org_key, name in ((first, name_a), (second, name_b)):
            case = (
                Case.objects.system("demo data")
                .filter(organisation=orgs[org_key], status=Case.Status.OPEN)
                .order_by("-pk")
                .first()
            )
            if case is None:
                continue
            suspect = _suspect(case) or Suspect.unscoped.create(case=case)
            suspect.names = name
            suspect.save()
            if phone:
                cases.set_suspect_identifiers(suspect, {"phone": [phone]})
