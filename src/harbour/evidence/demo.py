"""Synthetic incident diaries for the demo: several cases with weeks of entries, some escalating.

Called once by ``harbour demo`` after the cases exist. Entries are backdated (the demo shows weeks of
history); each is logged a little after it happened, as a contemporaneous diary would be. One case
gets evidence files, the client's consent to share with police, a bundle and a share with the force,
so every role has something to look at.

Why unscoped: demo data is written once, by ``harbour demo``, with no signed-in user.
"""

from __future__ import annotations

import datetime
import io
import random
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from harbour.accounts.models import Organisation, User
from harbour.cases.models import Case, Suspect
from harbour.evidence import services
from harbour.evidence.bundle import produce_bundle
from harbour.evidence.models import Incident, IncidentVersion

_TEXT: dict[str, list[str]] = {
    "calls": [
        "Calls from a withheld number; silence when answered, then he hung up.",
        "Repeated calls to her mobile while she was at work; she did not answer.",
    ],
    "messages": [
        "WhatsApp messages saying he only wants to talk and she owes him that.",
        "Text messages asking where she was tonight and who she was with.",
        "Instagram direct messages from a new account after she blocked the last one.",
    ],
    "emails_letters": ["A four-page letter pushed through the door, about their time together."],
    "social_media_posts": [
        "Facebook post naming her and saying she ruined his life; friends shared it.",
        "Posted a photo of her car on a local community page asking who knows her.",
    ],
    "spyware_tracking": ["A tracking tag found taped inside the rear bumper of her car."],
    "account_access": ["Her email password was changed overnight; recovery phone was his number."],
    "connected_devices": ["The video doorbell app showed a login from a device she does not own."],
    "gifts": ["Flowers and a card left on the doorstep: 'I will always be here'."],
    "following": ["He followed her from the station to the supermarket, two aisles behind."],
    "loitering": ["Parked across the road from her workplace for about an hour at closing time."],
    "watching": ["Seen standing at the end of her road watching the house."],
    "approach_home": ["Knocked on her door late at night and would not leave until she shouted."],
    "approach_work": ["Came to the reception desk at her work asking which shift she is on."],
    "threats": [
        "Message: 'if I can't have you no one will'.",
        "Said on the phone that he knows where her mother lives and she should be careful.",
    ],
    "third_party_contact": ["Her sister was messaged asking her to pass on that he is sorry."],
    "damage": ["Two tyres on her car slashed overnight."],
    "property_interference": [
        "Post went missing; a bank letter was later found opened in the bin."
    ],
}

_PLACES = [
    "Her home",
    "Outside her workplace",
    "High Street, near the bus station",
    "Online",
    "Supermarket car park",
    "Her mother's road",
]


@dataclass(frozen=True)
class Week:
    """What happens in one week of a scenario: (behaviour, how many entries, acts per entry)."""

    items: tuple[tuple[str, int, int], ...]
    effects: tuple[str, ...] = ()
    breach: bool = False


SCENARIOS: dict[str, tuple[Week, ...]] = {
    # An ex-partner: calls and messages, then posts, gifts, an approach at home, threats, a breach.
    "escalating": (
        Week((("calls", 1, 3), ("messages", 2, 4))),
        Week((("messages", 2, 6),)),
        Week((("calls", 2, 5), ("messages", 1, 9))),
        Week((("calls", 1, 17), ("social_media_posts", 1, 1)), ("serious_alarm",)),
        Week((("gifts", 1, 1), ("messages", 2, 8), ("third_party_contact", 1, 1))),
        Week((("approach_home", 1, 1), ("messages", 2, 12)), ("serious_alarm", "daily_life")),
        Week((("threats", 1, 1), ("following", 1, 1), ("calls", 2, 9)), ("fear_of_violence",)),
        Week(
            (("threats", 1, 2), ("loitering", 1, 1), ("damage", 1, 1)),
            ("fear_of_violence", "daily_life"),
            breach=True,
        ),
    ),
    # A stranger who watches and follows: fewer, steadier acts.
    "watching": (
        Week((("watching", 1, 1),)),
        Week(()),
        Week((("following", 1, 1),), ("serious_alarm",)),
        Week((("loitering", 1, 1),)),
        Week((("watching", 1, 1), ("gifts", 1, 1))),
        Week((("following", 1, 1),), ("serious_alarm", "daily_life")),
    ),
    # Online: account access, tracking, doorbell, messages, then an approach at work.
    "cyber": (
        Week((("messages", 1, 5),)),
        Week((("account_access", 1, 1), ("messages", 1, 7))),
        Week((("connected_devices", 1, 1), ("social_media_posts", 1, 2)), ("serious_alarm",)),
        Week((("spyware_tracking", 1, 1), ("messages", 2, 10)), ("daily_life",)),
        Week((("approach_work", 1, 1), ("messages", 1, 14)), ("fear_of_violence",)),
    ),
    # A colleague: messages and contact through others, easing off.
    "colleague": (
        Week((("messages", 2, 3), ("approach_work", 1, 1))),
        Week((("third_party_contact", 1, 1), ("messages", 1, 2))),
        Week((("messages", 1, 1),)),
        Week(()),
        Week((("emails_letters", 1, 1),)),
    ),
}


def _make(
    case: Case,
    *,
    number: int,
    at: datetime.datetime,
    by: User,
    behaviour: str,
    count: int,
    suspect: Suspect | None,
    week: Week,
    rng: random.Random,
) -> Incident:
    logged = min(at + datetime.timedelta(hours=rng.randint(1, 20)), timezone.now())
    incident = Incident.unscoped.create(case=case, number=number, logged_by=by, logged_at=logged)
    precision = "range" if count > 3 else rng.choice(["exact", "exact", "approximate"])
    effects = [e for e in week.effects if rng.random() < 0.8 or behaviour == "threats"]
    if behaviour == "threats" and "fear_of_violence" not in effects:
        effects.append("fear_of_violence")
    reported = behaviour in ("threats", "damage", "approach_home") or rng.random() < 0.1
    IncidentVersion.unscoped.create(
        incident=incident,
        number=1,
        precision=precision,
        occurred_at=at,
        occurred_until=at + datetime.timedelta(hours=2) if precision == "range" else None,
        count=count,
        reporter=rng.choice(["client", "client", "advocate"]),
        behaviours=[behaviour],
        suspect=suspect,
        location="Online" if behaviour in _ONLINE else rng.choice(_PLACES),
        what_happened=rng.choice(_TEXT[behaviour])
        + (f" {count} times that evening." if count > 3 else ""),
        witnesses="Neighbour at number 12" if behaviour in ("approach_home", "damage") else "",
        effects=effects,
        effect_notes="She did not sleep and stayed at her sister's." if effects else "",
        breach=week.breach and behaviour in ("loitering", "threats"),
        reported_to_police=reported,
        police_reference=f"KP/{rng.randint(10000, 99999)}/26" if reported else "",
        saved_at=logged,
        saved_by=by,
    )
    return incident


_ONLINE = {
    "messages",
    "social_media_posts",
    "account_access",
    "connected_devices",
    "emails_letters",
    "spyware_tracking",
}


def demo_photo(seed: int) -> bytes:
    """A synthetic photo (a drawn car tyre) with EXIF time, device and place, as phones record."""

    img = Image.new("RGB", (640, 420), (70, 90, 110))
    draw = ImageDraw.Draw(img)
    draw.ellipse((200, 90, 440, 330), fill=(25, 25, 25))
    draw.ellipse((270, 160, 370, 260), fill=(150, 150, 155))
    draw.line((230, 200, 300, 215), fill=(230, 230, 230), width=6)
    exif = Image.Exif()
    exif[0x010F] = "Demo"
    exif[0x0110] = "Phone camera"
    exif.get_ifd(0x8769)[0x9003] = f"{timezone.localdate():%Y:%m:%d} 07:12:40"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (51.0, 16.0, 12.0), "E", (0.0, 31.0, 20.0)
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif, quality=85)
    return out.getvalue()


def demo_chat_export(count: int = 40) -> bytes:
    lines = [
        f"0{1 + i % 9}/03/2026, 21:{i % 60:02d} - Unknown: "
        + ("pick up" if i % 3 else "I just want to talk. Why are you ignoring me?")
        for i in range(count)
    ]
    return ("\n".join(lines) + "\n").encode()


def load_evidence_demo(seed: int, orgs: dict[str, Organisation], users: dict[str, User]) -> None:
    rng = random.Random(seed + 1111)  # noqa: S311 - demo data only
    now = timezone.now()
    chosen: list[tuple[Case, str]] = []
    for org_key, scenarios in (
        ("km", ("escalating", "cyber", "watching")),
        ("glow", ("escalating", "colleague")),
        ("crd", ("watching",)),
        ("wk", ("cyber",)),
    ):
        cases = list(
            Case.objects.system("demo data")
            .filter(organisation=orgs[org_key], status=Case.Status.OPEN, allocated_to__isnull=False)
            .select_related("allocated_to")
            .order_by("pk")[: len(scenarios)]
        )
        chosen.extend(zip(cases, scenarios, strict=False))
    for case, name in chosen:
        weeks = SCENARIOS[name]
        suspect = Suspect.unscoped.filter(case=case).order_by("created_at").first()
        by = case.allocated_to
        assert by is not None
        midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
        start = midnight - datetime.timedelta(weeks=len(weeks), days=rng.randint(0, 3))
        number = 0
        for w, week in enumerate(weeks):
            for behaviour, entries, count in week.items:
                for _ in range(entries):
                    at = start + datetime.timedelta(
                        weeks=w,
                        days=rng.randint(0, 6),
                        hours=rng.randint(7, 22),
                        minutes=rng.randint(0, 59),
                    )
                    at = min(at, now - datetime.timedelta(hours=3))
                    number += 1
                    _make(
                        case,
                        number=number,
                        at=at,
                        by=by,
                        behaviour=behaviour,
                        count=count,
                        suspect=suspect,
                        week=week,
                        rng=rng,
                    )
    # The first escalating case: evidence, consent, a correction, a bundle shared with police.
    case, _name = chosen[0]
    by = case.allocated_to
    assert by is not None
    first = Incident.unscoped.filter(case=case).order_by("number").first()
    damage = Incident.unscoped.filter(case=case).order_by("-number").first()
    services.store_evidence(
        case,
        SimpleUploadedFile("IMG_2041.jpg", demo_photo(seed)),
        kind="photo",
        description="Photo of the slashed tyre, taken by the client the next morning.",
        incident=damage,
        by=by,
    )
    services.store_evidence(
        case,
        SimpleUploadedFile("WhatsApp Chat.txt", demo_chat_export()),
        kind="export",
        description="WhatsApp chat export from the client's phone.",
        incident=first,
        by=by,
    )
    if first is not None:
        current = services.current_version_of(first)
        data = {k: getattr(current, k) for k in services.VERSION_FIELDS}
        data["count"] = current.count + 1
        services.correct_incident(
            first,
            by=by,
            data=data,
            reason=f"The client checked her phone's call log: {current.count + 1} calls, "
            f"not {current.count}.",
            based_on=current.number,
        )
    consent = services.record_police_consent(
        case,
        state="given",
        how="in_person",
        decided_on=timezone.localdate(),
        by=by,
        note="Agreed the diary and the photos may go to Kent Police.",
    )
    assert consent.state == "given"
    bundle = produce_bundle(case, by=by)
    services.share_bundle(bundle, orgs["kentpol"], by=by)
    # A second case where the client refused, then gave, then withdrew consent: a visible history.
    other, _n = chosen[1]
    if other.allocated_to is not None:
        for state in ("refused", "given", "withdrawn"):
            services.record_police_consent(
                other,
                state=state,
                how="phone",
                decided_on=timezone.localdate(),
                by=other.allocated_to,
            )
