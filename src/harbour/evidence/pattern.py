"""The pattern of conduct, from a diary of incidents: plain Python, no Django.

Input is a list of ``Fact`` (one per diary entry, its current version). Output is what a police
officer with five minutes needs: incidents per week by behaviour and by suspect, escalation signals,
a course-of-conduct summary against the Protection from Harassment Act 1997 (the s.2A(3) acts and the
s.4A indicators) and the College of Policing's FOUR prompts. Every statement carries the references
of the incidents behind it, so the page and the bundle can link each claim to its evidence.

Counting rules (docs/evidence.md):

- An *occasion* is one diary entry. A batched entry ("17 calls between 21:00 and 23:00") is one
  occasion of 17 *acts*. This is the conservative reading: the law's "at least two occasions" is met
  only by two separate entries, never by the count of one.
- s.4A (fear of violence) needs fear of violence on at least two occasions; s.4A (serious alarm or
  distress) needs serious alarm or distress and a substantial adverse effect on usual day-to-day
  activities recorded. Harbour states whether the *indicators* are recorded; whether an offence is
  made out is for the police and the CPS.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from html import escape


class Behaviour(StrEnum):
    """What an incident shows: the s.2A(3) acts in everyday words, plus the forms the seeds name."""

    FOLLOWING = "following"
    CALLS = "calls"
    MESSAGES = "messages"
    EMAILS_LETTERS = "emails_letters"
    SOCIAL_MEDIA_POSTS = "social_media_posts"
    SPYWARE_TRACKING = "spyware_tracking"
    ACCOUNT_ACCESS = "account_access"
    CONNECTED_DEVICES = "connected_devices"
    LOITERING = "loitering"
    WATCHING = "watching"
    PROPERTY_INTERFERENCE = "property_interference"
    DAMAGE = "damage"
    GIFTS = "gifts"
    THREATS = "threats"
    APPROACH_HOME = "approach_home"
    APPROACH_WORK = "approach_work"
    THIRD_PARTY_CONTACT = "third_party_contact"


BEHAVIOUR_LABELS: dict[Behaviour, str] = {
    Behaviour.FOLLOWING: "Following",
    Behaviour.CALLS: "Phone calls",
    Behaviour.MESSAGES: "Messages (text, WhatsApp or any platform)",
    Behaviour.EMAILS_LETTERS: "Emails or letters",
    Behaviour.SOCIAL_MEDIA_POSTS: "Social media posts about the client",
    Behaviour.SPYWARE_TRACKING: "Spyware or tracking apps",
    Behaviour.ACCOUNT_ACCESS: "Access to the client's accounts",
    Behaviour.CONNECTED_DEVICES: "Connected devices at home (doorbell, voice assistant, security)",
    Behaviour.LOITERING: "Loitering",
    Behaviour.WATCHING: "Watching or spying",
    Behaviour.PROPERTY_INTERFERENCE: "Interfering with property",
    Behaviour.DAMAGE: "Damage to property",
    Behaviour.GIFTS: "Gifts or items left",
    Behaviour.THREATS: "Threats",
    Behaviour.APPROACH_HOME: "Approach at home",
    Behaviour.APPROACH_WORK: "Approach at work",
    Behaviour.THIRD_PARTY_CONTACT: "Contact through other people",
}

#: Short labels for charts and narrow table columns.
BEHAVIOUR_SHORT: dict[Behaviour, str] = {
    Behaviour.FOLLOWING: "Following",
    Behaviour.CALLS: "Calls",
    Behaviour.MESSAGES: "Messages",
    Behaviour.EMAILS_LETTERS: "Emails/letters",
    Behaviour.SOCIAL_MEDIA_POSTS: "Posts about client",
    Behaviour.SPYWARE_TRACKING: "Spyware/tracking",
    Behaviour.ACCOUNT_ACCESS: "Account access",
    Behaviour.CONNECTED_DEVICES: "Home devices",
    Behaviour.LOITERING: "Loitering",
    Behaviour.WATCHING: "Watching",
    Behaviour.PROPERTY_INTERFERENCE: "Property",
    Behaviour.DAMAGE: "Damage",
    Behaviour.GIFTS: "Gifts",
    Behaviour.THREATS: "Threats",
    Behaviour.APPROACH_HOME: "At home",
    Behaviour.APPROACH_WORK: "At work",
    Behaviour.THIRD_PARTY_CONTACT: "Via others",
}


class Act(StrEnum):
    """Protection from Harassment Act 1997, s.2A(3): acts associated with stalking."""

    A = "a"
    B = "b"
    C = "c"
    D = "d"
    E = "e"
    F = "f"
    G = "g"


ACT_LABELS: dict[Act, str] = {
    Act.A: "following a person",
    Act.B: "contacting, or attempting to contact, a person by any means",
    Act.C: "publishing any statement or other material relating to the person",
    Act.D: "monitoring the use by a person of the internet, email or any other form of electronic communication",
    Act.E: "loitering in any place (public or private)",
    Act.F: "interfering with any property in the possession of a person",
    Act.G: "watching or spying on a person",
}

#: Which s.2A(3) acts each behaviour evidences. Threats, gifts and approaches are contact (b);
#: threats also weigh in the s.4A indicators and the escalation signals.
BEHAVIOUR_ACTS: dict[Behaviour, tuple[Act, ...]] = {
    Behaviour.FOLLOWING: (Act.A,),
    Behaviour.CALLS: (Act.B,),
    Behaviour.MESSAGES: (Act.B,),
    Behaviour.EMAILS_LETTERS: (Act.B,),
    Behaviour.SOCIAL_MEDIA_POSTS: (Act.C,),
    Behaviour.SPYWARE_TRACKING: (Act.D, Act.G),
    Behaviour.ACCOUNT_ACCESS: (Act.D,),
    Behaviour.CONNECTED_DEVICES: (Act.F, Act.G),
    Behaviour.LOITERING: (Act.E,),
    Behaviour.WATCHING: (Act.G,),
    Behaviour.PROPERTY_INTERFERENCE: (Act.F,),
    Behaviour.DAMAGE: (Act.F,),
    Behaviour.GIFTS: (Act.B,),
    Behaviour.THREATS: (Act.B,),
    Behaviour.APPROACH_HOME: (Act.B,),
    Behaviour.APPROACH_WORK: (Act.B,),
    Behaviour.THIRD_PARTY_CONTACT: (Act.B,),
}

#: Behaviours whose first appearance is itself a warning (escalation towards physical proximity or
#: violence).
SERIOUS_NEW_BEHAVIOURS = frozenset(
    {
        Behaviour.THREATS,
        Behaviour.APPROACH_HOME,
        Behaviour.APPROACH_WORK,
        Behaviour.FOLLOWING,
        Behaviour.DAMAGE,
        Behaviour.LOITERING,
        Behaviour.SPYWARE_TRACKING,
    }
)


def acts_for(behaviours: Iterable[str]) -> list[Act]:
    """The s.2A(3) acts evidenced by these behaviours, in statutory order."""
    found = {act for b in behaviours for act in BEHAVIOUR_ACTS[Behaviour(b)]}
    return sorted(found)


class Effect(StrEnum):
    FEAR_OF_VIOLENCE = "fear_of_violence"
    SERIOUS_ALARM = "serious_alarm"
    DAILY_LIFE = "daily_life"


EFFECT_LABELS: dict[Effect, str] = {
    Effect.FEAR_OF_VIOLENCE: "Feared violence would be used against them",
    Effect.SERIOUS_ALARM: "Serious alarm or distress",
    Effect.DAILY_LIFE: "Changed their usual day-to-day activities",
}


@dataclass(frozen=True)
class Fact:
    """One diary entry as the pattern sees it (its current version)."""

    ref: str
    start: datetime.datetime
    behaviours: tuple[str, ...]
    count: int = 1
    suspect: str = ""
    effects: tuple[str, ...] = ()
    breach: bool = False
    reported_to_police: bool = False

    @property
    def day(self) -> datetime.date:
        return self.start.date()


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of ``day``'s week."""
    return day - datetime.timedelta(days=day.weekday())


@dataclass
class Matrix:
    """Counts of acts per week for each row (a behaviour or a suspect); every week is present."""

    weeks: list[datetime.date]
    rows: list[tuple[str, list[int]]]

    @property
    def totals(self) -> list[int]:
        return [sum(r[1][i] for r in self.rows) for i in range(len(self.weeks))]


def _weeks(facts: Sequence[Fact]) -> list[datetime.date]:
    if not facts:
        return []
    first = week_start(min(f.day for f in facts))
    last = week_start(max(f.day for f in facts))
    weeks = []
    while first <= last:
        weeks.append(first)
        first += datetime.timedelta(days=7)
    return weeks


def weekly_by_behaviour(facts: Sequence[Fact]) -> Matrix:
    """Acts per week for each behaviour seen. An entry showing two behaviours counts under both."""
    weeks = _weeks(facts)
    index = {w: i for i, w in enumerate(weeks)}
    counts: dict[str, list[int]] = {}
    for f in facts:
        for b in f.behaviours:
            counts.setdefault(b, [0] * len(weeks))[index[week_start(f.day)]] += f.count
    order = [b for b in Behaviour if b.value in counts]
    return Matrix(weeks, [(BEHAVIOUR_SHORT[b], counts[b.value]) for b in order])


def weekly_by_suspect(facts: Sequence[Fact], unknown: str = "Suspect not identified") -> Matrix:
    weeks = _weeks(facts)
    index = {w: i for i, w in enumerate(weeks)}
    counts: dict[str, list[int]] = {}
    for f in facts:
        counts.setdefault(f.suspect or unknown, [0] * len(weeks))[index[week_start(f.day)]] += (
            f.count
        )
    return Matrix(weeks, sorted(counts.items(), key=lambda kv: (-sum(kv[1]), kv[0])))


# Course of conduct ------------------------------------------------------------------------------


@dataclass
class Statement:
    """One sentence of the summary and the incidents it rests on."""

    text: str
    refs: list[str] = field(default_factory=list)
    met: bool | None = None  # for indicators: met or not; None for plain findings


@dataclass
class Summary:
    occasions: int
    acts: int
    first: datetime.date | None
    last: datetime.date | None
    course_of_conduct: Statement
    behaviours: list[Statement]
    fear_of_violence: Statement
    serious_alarm: Statement
    reported: Statement


def _refs(facts: Iterable[Fact]) -> list[str]:
    return [f.ref for f in sorted(facts, key=lambda f: (f.start, f.ref))]


def _times(n: int, word: str = "occasion") -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def course_of_conduct(facts: Sequence[Fact]) -> Summary:
    occasions = len(facts)
    acts = sum(f.count for f in facts)
    first = min((f.day for f in facts), default=None)
    last = max((f.day for f in facts), default=None)
    coc_met = occasions >= 2
    if occasions:
        span = f" between {first:%-d %B %Y} and {last:%-d %B %Y}" if first != last else ""
        coc_text = f"Conduct on {_times(occasions)} ({_times(acts, 'act')}){span}: " + (
            "a course of conduct (at least two occasions)."
            if coc_met
            else "one occasion only; a course of conduct needs at least two."
        )
    else:
        coc_text = "No incidents are recorded yet."
    statements = []
    for act in Act:
        behind = [f for f in facts if act in acts_for(f.behaviours)]
        if not behind:
            continue
        n_acts = sum(f.count for f in behind)
        statements.append(
            Statement(
                f"s.2A(3)({act.value}) {ACT_LABELS[act]}: {_times(len(behind))}"
                + (f" ({_times(n_acts, 'act')})" if n_acts != len(behind) else "")
                + ".",
                _refs(behind),
                met=len(behind) >= 2,
            )
        )
    fear = [f for f in facts if Effect.FEAR_OF_VIOLENCE in f.effects]
    fear_met = len(fear) >= 2
    fear_text = f"s.4A(1)(b)(i) fear of violence: recorded on {_times(len(fear))}; " + (
        "indicator met (at least two occasions)." if fear_met else "needs at least two."
    )
    alarm = [f for f in facts if Effect.SERIOUS_ALARM in f.effects]
    daily = [f for f in facts if Effect.DAILY_LIFE in f.effects]
    alarm_met = bool(alarm) and bool(daily)
    alarm_text = (
        "s.4A(1)(b)(ii) serious alarm or distress with a substantial adverse effect on usual "
        f"day-to-day activities: serious alarm or distress on {_times(len(alarm))}, changes to "
        f"daily life on {_times(len(daily))}; "
        + ("indicator met." if alarm_met else "both must be recorded.")
    )
    reported = [f for f in facts if f.reported_to_police]
    return Summary(
        occasions=occasions,
        acts=acts,
        first=first,
        last=last,
        course_of_conduct=Statement(coc_text, _refs(facts), met=coc_met),
        behaviours=statements,
        fear_of_violence=Statement(fear_text, _refs(fear), met=fear_met),
        serious_alarm=Statement(alarm_text, _refs({*alarm, *daily}), met=alarm_met),
        reported=Statement(
            f"Reported to police on {_times(len(reported))} of {_times(occasions)}.",
            _refs(reported),
        ),
    )


# Escalation -------------------------------------------------------------------------------------


@dataclass
class Signal:
    kind: str  # rising_frequency | new_behaviour | fear_of_violence | breach
    text: str
    refs: list[str]


def escalation_signals(
    facts: Sequence[Fact], *, as_of: datetime.date, window_days: int = 28
) -> list[Signal]:
    """Rising frequency, new serious behaviours, fear-of-violence occasions and breaches.

    The recent window is the ``window_days`` up to ``as_of``; it is compared with the window before.
    """
    recent_from = as_of - datetime.timedelta(days=window_days - 1)
    before_from = recent_from - datetime.timedelta(days=window_days)
    recent = [f for f in facts if recent_from <= f.day <= as_of]
    before = [f for f in facts if before_from <= f.day < recent_from]
    earlier = [f for f in facts if f.day < recent_from]
    signals: list[Signal] = []
    n_recent, n_before = sum(f.count for f in recent), sum(f.count for f in before)
    if n_recent >= 3 and n_recent >= max(1, n_before) * 1.5 and n_recent > n_before:
        signals.append(
            Signal(
                "rising_frequency",
                f"Rising frequency: {_times(n_recent, 'act')} in the last {window_days} days, "
                f"against {n_before} in the {window_days} days before.",
                _refs(recent),
            )
        )
    if earlier:
        seen = {b for f in earlier for b in f.behaviours}
        for b in Behaviour:
            if b.value in seen:
                continue
            new = [f for f in recent if b.value in f.behaviours]
            if new:
                serious = b in SERIOUS_NEW_BEHAVIOURS
                signals.append(
                    Signal(
                        "new_behaviour",
                        f"New behaviour in the last {window_days} days: "
                        f"{BEHAVIOUR_LABELS[b].lower()}"
                        + (" (a warning sign)." if serious else "."),
                        _refs(new),
                    )
                )
    fear = [f for f in facts if Effect.FEAR_OF_VIOLENCE in f.effects]
    if fear:
        signals.append(
            Signal(
                "fear_of_violence",
                f"The client feared violence on {_times(len(fear))}"
                + (f", {len([f for f in fear if f in recent])} of them recent." if recent else "."),
                _refs(fear),
            )
        )
    breaches = [f for f in facts if f.breach]
    if breaches:
        signals.append(
            Signal(
                "breach",
                f"Breach of an order or bail conditions on {_times(len(breaches))}.",
                _refs(breaches),
            )
        )
    return signals


# FOUR -------------------------------------------------------------------------------------------


@dataclass
class Prompt:
    word: str  # Fixated, Obsessive, Unwanted, Repeated
    answer: str
    indicated: bool
    refs: list[str]


def four_prompts(facts: Sequence[Fact]) -> list[Prompt]:
    """The College of Policing's FOUR prompts, answered from what the diary holds."""
    if not facts:
        return [
            Prompt(w, "No incidents recorded yet.", False, [])
            for w in ("Fixated", "Obsessive", "Unwanted", "Repeated")
        ]
    first = min(f.day for f in facts)
    last = max(f.day for f in facts)
    days = (last - first).days + 1
    weeks = len({week_start(f.day) for f in facts})
    suspects = Counter(f.suspect for f in facts if f.suspect)
    main_suspect, main_n = suspects.most_common(1)[0] if suspects else ("", 0)
    fixated_refs = [f for f in facts if not main_suspect or f.suspect == main_suspect]
    fixated = weeks >= 3 or days >= 21
    by_day: dict[datetime.date, list[Fact]] = defaultdict(list)
    for f in facts:
        by_day[f.day].append(f)
    peak_day, peak = max(
        ((d, sum(x.count for x in fs)) for d, fs in by_day.items()), key=lambda kv: (kv[1], kv[0])
    )
    kinds = {b for f in facts for b in f.behaviours}
    obsessive = peak >= 5 or len(kinds) >= 3
    unwanted_facts = [f for f in facts if f.effects or f.reported_to_police]
    repeated = len(facts) >= 2
    who = f"the same person ({main_n} of {len(facts)} entries)" if main_suspect else "the suspect"
    return [
        Prompt(
            "Fixated",
            f"Conduct by {who} across {_times(weeks, 'week')} ({days} days, "
            f"{first:%-d %b %Y} to {last:%-d %b %Y}).",
            fixated,
            _refs(fixated_refs),
        ),
        Prompt(
            "Obsessive",
            f"Up to {_times(peak, 'act')} in one day ({peak_day:%-d %b %Y}); "
            f"{_times(len(kinds), 'kind')} of behaviour.",
            obsessive,
            _refs(by_day[peak_day]),
        ),
        Prompt(
            "Unwanted",
            f"The client recorded fear, alarm or changes to daily life, or reported to police, on "
            f"{_times(len(unwanted_facts))}.",
            bool(unwanted_facts),
            _refs(unwanted_facts),
        ),
        Prompt(
            "Repeated",
            f"{_times(len(facts))}, {_times(sum(f.count for f in facts), 'act')}.",
            repeated,
            _refs(facts),
        ),
    ]


# Charts -----------------------------------------------------------------------------------------

_SHADES = ("#ffffff", "#dbe6f3", "#a9c4e4", "#6f9bd1", "#2f6db5", "#0b3f7f")


def _shade(value: int, top: int) -> tuple[str, str]:
    """Cell fill and text colour; the number is always printed, so colour is never needed."""
    if value == 0 or top == 0:
        return _SHADES[0], "#505a5f"
    step = 1 + min(4, (value * 5 - 1) // top)
    return _SHADES[step], "#ffffff" if step >= 4 else "#0b0c0c"


def matrix_svg(matrix: Matrix, *, title: str, svg_id: str, max_weeks: int = 26) -> str:
    """A week-by-row grid with the count printed in every cell and a totals bar row underneath.

    Only the last ``max_weeks`` weeks are drawn (the table beside it has every week). Presentation
    attributes only (no ``style``), so it renders under the page's Content Security Policy and in
    WeasyPrint alike.
    """
    weeks = matrix.weeks[-max_weeks:]
    offset = len(matrix.weeks) - len(weeks)
    rows = [(label, values[offset:]) for label, values in matrix.rows]
    totals = matrix.totals[offset:]
    label_w, cell, head = 150, 30, 34
    width = label_w + cell * max(1, len(weeks)) + 10
    bar_h = 60
    height = head + cell * len(rows) + 12 + bar_h + 24
    top = max((v for _l, vs in rows for v in vs), default=0)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{svg_id}-title" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-family="DejaVu Sans, Arial, sans-serif" font-size="11">',
        f'<title id="{svg_id}-title">{escape(title)}</title>',
    ]
    out.append(
        f'<text x="{label_w - 6}" y="{head - 18}" text-anchor="end" font-size="9">Week of</text>'
    )
    for i, w in enumerate(weeks):
        x = label_w + i * cell + (cell - 2) / 2
        out.append(
            f'<text x="{x:.0f}" y="{head - 18}" text-anchor="middle" font-size="9">{w.day}</text>'
            f'<text x="{x:.0f}" y="{head - 7}" text-anchor="middle" font-size="9">{w:%b}</text>'
        )
    for r, (label, values) in enumerate(rows):
        y = head + r * cell
        out.append(
            f'<text x="{label_w - 6}" y="{y + cell / 2 + 4:.0f}" text-anchor="end">'
            f"{escape(label[:24])}</text>"
        )
        for i, v in enumerate(values):
            fill, ink = _shade(v, top)
            x = label_w + i * cell
            out.append(
                f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" fill="{fill}" '
                f'stroke="#b1b4b6" stroke-width="1"/>'
            )
            if v:
                out.append(
                    f'<text x="{x + (cell - 2) / 2:.0f}" y="{y + cell / 2 + 3:.0f}" '
                    f'text-anchor="middle" fill="{ink}">{v}</text>'
                )
    base = head + cell * len(rows) + 12 + bar_h
    top_total = max(totals, default=0) or 1
    out.append(
        f'<text x="{label_w - 6}" y="{base - 4}" text-anchor="end" font-weight="bold">'
        "All acts</text>"
    )
    for i, t in enumerate(totals):
        h = bar_h * t / top_total
        x = label_w + i * cell
        out.append(
            f'<rect x="{x + 4}" y="{base - h:.1f}" width="{cell - 10}" height="{h:.1f}" '
            f'fill="#0b0c0c"/>'
        )
        out.append(
            f'<text x="{x + (cell - 2) / 2:.0f}" y="{base + 14}" text-anchor="middle" '
            f'font-weight="bold">{t}</text>'
        )
    out.append(
        f'<line x1="{label_w}" y1="{base}" x2="{width - 10}" y2="{base}" stroke="#0b0c0c"/></svg>'
    )
    return "".join(out)
