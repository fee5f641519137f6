"""The pattern of conduct: behaviour mapping, course-of-conduct arithmetic, s.4A, signals, FOUR.

Pure Python: no database."""

from __future__ import annotations

import datetime

import pytest

from harbour.evidence import pattern
from harbour.evidence.pattern import Act, Behaviour, Fact

DAY = datetime.datetime(2026, 3, 2, 21, 0)  # noqa: DTZ001 - the pattern works in UK wall-clock time; a Monday


def fact(ref: str, days: int = 0, *behaviours: str, **kw) -> Fact:
    return Fact(
        ref=ref,
        start=DAY + datetime.timedelta(days=days),
        behaviours=behaviours or ("calls",),
        **kw,
    )


def test_every_behaviour_maps_to_at_least_one_section_2a3_act():
    for behaviour in Behaviour:
        assert pattern.BEHAVIOUR_ACTS[behaviour], behaviour
        assert behaviour in pattern.BEHAVIOUR_LABELS and behaviour in pattern.BEHAVIOUR_SHORT


@pytest.mark.parametrize(
    ("behaviours", "acts"),
    [
        (["following"], [Act.A]),
        (["calls", "messages", "gifts", "threats", "third_party_contact"], [Act.B]),
        (["approach_home", "approach_work"], [Act.B]),
        (["social_media_posts"], [Act.C]),
        (["account_access"], [Act.D]),
        (["spyware_tracking"], [Act.D, Act.G]),
        (["loitering"], [Act.E]),
        (["damage", "property_interference"], [Act.F]),
        (["connected_devices"], [Act.F, Act.G]),
        (["watching"], [Act.G]),
        (["following", "loitering", "watching"], [Act.A, Act.E, Act.G]),
    ],
)
def test_behaviours_map_to_the_acts_listed_in_section_2a3(behaviours, acts):
    assert pattern.acts_for(behaviours) == acts


def test_one_entry_is_not_a_course_of_conduct_however_large_its_count():
    summary = pattern.course_of_conduct([fact("D001", 0, count=17)])
    assert summary.occasions == 1
    assert summary.acts == 17
    assert summary.course_of_conduct.met is False
    assert "needs at least two" in summary.course_of_conduct.text


def test_two_entries_are_a_course_of_conduct_and_the_statement_names_both():
    summary = pattern.course_of_conduct([fact("D002", 3), fact("D001", 0, count=17)])
    assert summary.course_of_conduct.met is True
    assert summary.occasions == 2 and summary.acts == 18
    assert summary.course_of_conduct.refs == ["D001", "D002"]
    assert "2 March 2026 and 5 March 2026" in summary.course_of_conduct.text


def test_each_act_statement_counts_occasions_and_acts_and_lists_its_incidents():
    facts = [
        fact("D001", 0, "calls", count=5),
        fact("D002", 1, "following"),
        fact("D003", 2, "messages", "following", count=3),
    ]
    by_act = {s.text[:10]: s for s in pattern.course_of_conduct(facts).behaviours}
    following = by_act["s.2A(3)(a)"]
    contact = by_act["s.2A(3)(b)"]
    assert following.refs == ["D002", "D003"] and following.met is True
    assert "2 occasions (4 acts)" in following.text
    assert contact.refs == ["D001", "D003"]
    assert "2 occasions (8 acts)" in contact.text
    assert set(by_act) == {"s.2A(3)(a)", "s.2A(3)(b)"}


def test_fear_of_violence_indicator_needs_two_occasions():
    once = [fact("D001", 0, effects=("fear_of_violence",)), fact("D002", 1)]
    twice = [*once, fact("D003", 2, effects=("fear_of_violence",))]
    assert pattern.course_of_conduct(once).fear_of_violence.met is False
    met = pattern.course_of_conduct(twice).fear_of_violence
    assert met.met is True and met.refs == ["D001", "D003"]


def test_serious_alarm_indicator_needs_alarm_and_a_change_to_daily_life():
    alarm_only = [fact("D001", 0, effects=("serious_alarm",)), fact("D002", 1)]
    both = [fact("D001", 0, effects=("serious_alarm",)), fact("D002", 1, effects=("daily_life",))]
    assert pattern.course_of_conduct(alarm_only).serious_alarm.met is False
    met = pattern.course_of_conduct(both).serious_alarm
    assert met.met is True and met.refs == ["D001", "D002"]


def test_weekly_counts_add_the_counts_per_week_and_keep_empty_weeks():
    facts = [fact("D001", 0, count=3), fact("D002", 2, "messages"), fact("D003", 15, count=2)]
    matrix = pattern.weekly_by_behaviour(facts)
    assert matrix.weeks == [
        datetime.date(2026, 3, 2),
        datetime.date(2026, 3, 9),
        datetime.date(2026, 3, 16),
    ]
    assert matrix.rows == [("Calls", [3, 0, 2]), ("Messages", [1, 0, 0])]
    assert matrix.totals == [4, 0, 2]


def test_weekly_counts_by_suspect_put_unknown_suspects_in_their_own_row():
    facts = [fact("D001", 0, suspect="Dorian"), fact("D002", 1), fact("D003", 2, suspect="Dorian")]
    matrix = pattern.weekly_by_suspect(facts)
    assert matrix.rows == [("Dorian", [2]), ("Suspect not identified", [1])]


def test_rising_frequency_compares_the_last_four_weeks_with_the_four_before():
    as_of = (DAY + datetime.timedelta(days=55)).date()
    steady = [fact(f"D{i:03d}", i * 7) for i in range(8)]
    rising = [*steady, fact("D100", 50, count=6)]
    assert not [
        s for s in pattern.escalation_signals(steady, as_of=as_of) if s.kind == "rising_frequency"
    ]
    signal = next(
        s for s in pattern.escalation_signals(rising, as_of=as_of) if s.kind == "rising_frequency"
    )
    assert "D100" in signal.refs and "D000" not in signal.refs


def test_a_new_serious_behaviour_in_the_recent_window_is_a_signal():
    facts = [fact("D001", 0), fact("D002", 40, "threats")]
    signals = pattern.escalation_signals(facts, as_of=(DAY + datetime.timedelta(days=41)).date())
    new = [s for s in signals if s.kind == "new_behaviour"]
    assert len(new) == 1 and new[0].refs == ["D002"] and "warning sign" in new[0].text


def test_fear_and_breaches_are_signals_with_their_incidents():
    facts = [fact("D001", 0, effects=("fear_of_violence",)), fact("D002", 1, breach=True)]
    kinds = {s.kind: s.refs for s in pattern.escalation_signals(facts, as_of=DAY.date())}
    assert kinds["fear_of_violence"] == ["D001"]
    assert kinds["breach"] == ["D002"]


def test_four_prompts_are_answered_from_the_diary():
    facts = [
        fact("D001", 0, "calls", count=17, suspect="Dorian"),
        fact("D002", 10, "messages", suspect="Dorian", effects=("serious_alarm",)),
        fact("D003", 24, "approach_home", suspect="Dorian", reported_to_police=True),
    ]
    prompts = {p.word: p for p in pattern.four_prompts(facts)}
    assert list(prompts) == ["Fixated", "Obsessive", "Unwanted", "Repeated"]
    assert prompts["Fixated"].indicated and "3 weeks" in prompts["Fixated"].answer
    assert prompts["Obsessive"].indicated and prompts["Obsessive"].refs == ["D001"]
    assert prompts["Unwanted"].refs == ["D002", "D003"]
    assert prompts["Repeated"].indicated and "3 occasions, 19 acts" in prompts["Repeated"].answer


def test_no_incidents_answers_every_prompt_with_nothing_indicated():
    assert not any(p.indicated for p in pattern.four_prompts([]))
    assert pattern.course_of_conduct([]).course_of_conduct.met is False


def test_the_chart_prints_every_count_and_uses_no_style_attribute():
    facts = [fact("D001", 0, count=3), fact("D002", 9, "threats")]
    svg = pattern.matrix_svg(pattern.weekly_by_behaviour(facts), title="Acts", svg_id="c")
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title" in svg
    assert "style=" not in svg
    assert ">3</text>" in svg and ">1</text>" in svg
