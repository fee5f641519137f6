"""The order lifecycle, the SPO rules, every deadline's arithmetic and the journey's milestone order
(harbour.justice.rules: plain Python, no database)."""

from __future__ import annotations

import datetime

import pytest

from harbour.justice import rules
from harbour.justice.rules import RuleError

D = datetime.date


# --- lifecycle -------------------------------------------------------------------------------------


def test_an_spo_can_go_from_considered_through_asked_applied_interim_made_varied_renewed_to_discharged():
    path = ["considered", "asked_of_police", "applied_for", "interim_made", "made", "varied"]
    current = None
    for step in path:
        assert rules.Step(step) in rules.allowed_steps("spo", current)
        current = step
    assert rules.Step.RENEWED in rules.allowed_steps("spo", "varied")
    assert rules.Step.DISCHARGED in rules.allowed_steps("spo", "renewed")


@pytest.mark.parametrize(
    ("current", "step"),
    [
        ("refused", "made"),
        ("discharged", "varied"),
        ("expired", "renewed"),
        ("made", "applied_for"),
        ("applied_for", "varied"),
        ("considered", "renewed"),
        (None, "varied"),
        (None, "expired"),
    ],
)
def test_steps_out_of_order_are_refused(current, step):
    with pytest.raises(RuleError, match="cannot follow"):
        rules.check_step(
            "spo", current, step, on=D(2026, 1, 1), applicant="police", indefinite=True
        )


def test_asking_police_is_only_offered_for_orders_police_seek():
    assert rules.Step.ASKED_OF_POLICE in rules.allowed_steps("spo", "considered")
    assert rules.Step.ASKED_OF_POLICE in rules.allowed_steps("dapo", "considered")
    assert rules.Step.ASKED_OF_POLICE not in rules.allowed_steps("non_molestation", "considered")
    assert rules.Step.ASKED_OF_POLICE not in rules.allowed_steps("restraining_conviction", None)


def test_restraining_orders_have_no_interim_stage():
    assert rules.Step.INTERIM_MADE not in rules.allowed_steps("restraining_conviction", None)
    assert rules.Step.INTERIM_MADE in rules.allowed_steps("spo", "applied_for")


def test_only_police_can_apply_for_an_spo():
    with pytest.raises(RuleError, match="Only a chief officer of police"):
        rules.check_step("spo", "asked_of_police", "applied_for", on=D(2026, 1, 1), applicant="")
    rules.check_step("spo", "asked_of_police", "applied_for", on=D(2026, 1, 1), applicant="police")


def test_a_step_cannot_be_dated_before_the_previous_one():
    with pytest.raises(RuleError, match="before the step"):
        rules.check_step(
            "non_molestation", "considered", "made", on=D(2026, 1, 1), last_on=D(2026, 2, 1)
        )


# --- the SPO minimum term --------------------------------------------------------------------------


def test_a_full_spo_runs_at_least_two_years_to_the_day():
    assert rules.minimum_full_term_end(D(2026, 3, 10)) == D(2028, 3, 10)
    rules.check_full_term(D(2026, 3, 10), D(2028, 3, 10), False)


def test_a_full_spo_one_day_short_of_two_years_is_refused():
    with pytest.raises(RuleError, match="at least 2 years"):
        rules.check_full_term(D(2026, 3, 10), D(2028, 3, 9), False)


def test_a_full_spo_made_on_29_february_runs_to_28_february_two_years_on():
    assert rules.minimum_full_term_end(D(2028, 2, 29)) == D(2030, 2, 28)
    rules.check_full_term(D(2028, 2, 29), D(2030, 2, 28), False)
    with pytest.raises(RuleError):
        rules.check_full_term(D(2028, 2, 29), D(2030, 2, 27), False)


def test_an_indefinite_spo_needs_no_end_date_and_refuses_one():
    rules.check_full_term(D(2026, 3, 10), None, True)
    with pytest.raises(RuleError, match="no end date"):
        rules.check_full_term(D(2026, 3, 10), D(2030, 1, 1), True)


def test_a_full_spo_with_neither_end_date_nor_until_further_order_is_refused():
    with pytest.raises(RuleError, match="fixed period"):
        rules.check_step(
            "spo", "applied_for", "made", on=D(2026, 1, 5), applicant="police", expires_on=None
        )


def test_an_interim_spo_has_no_minimum_term():
    rules.check_step(
        "spo",
        "applied_for",
        "interim_made",
        on=D(2026, 1, 5),
        applicant="police",
        expires_on=D(2026, 2, 1),
    )


def test_renewal_of_an_spo_is_held_to_the_minimum_term_from_the_renewal_date():
    with pytest.raises(RuleError, match="at least 2 years"):
        rules.check_step(
            "spo", "made", "renewed", on=D(2028, 1, 1), applicant="police", expires_on=D(2029, 1, 1)
        )


def test_other_orders_may_run_for_less_than_two_years():
    rules.check_step("non_molestation", None, "made", on=D(2026, 1, 1), expires_on=D(2026, 7, 1))


# --- deadlines -------------------------------------------------------------------------------------


def test_notification_is_due_three_days_after_service_or_a_change():
    assert rules.notification_due(D(2026, 1, 30)) == D(2026, 2, 2)
    assert rules.notification_due(D(2026, 12, 30)) == D(2027, 1, 2)


def test_an_spo_in_force_carries_its_notification_renewal_expiry_and_hearing_deadlines():
    facts = rules.OrderFacts(
        key="order:x",
        status="made",
        expires_on=D(2028, 6, 30),
        hearing_on=D(2026, 7, 1),
        notifications=((D(2026, 6, 1), None), (D(2026, 6, 10), D(2026, 6, 11))),
    )
    deadlines = {d.kind: d for d in rules.order_deadlines(facts)}
    assert deadlines[rules.DeadlineKind.NOTIFICATION].due_on == D(2026, 6, 4)
    assert deadlines[rules.DeadlineKind.RENEWAL].due_on == D(2028, 4, 1)  # 90 days before
    assert deadlines[rules.DeadlineKind.EXPIRY].due_on == D(2028, 6, 30)
    assert deadlines[rules.DeadlineKind.COURT_DATE].due_on == D(2026, 7, 1)
    assert len(rules.order_deadlines(facts)) == 4  # the met notification is not a deadline


def test_an_indefinite_order_has_no_renewal_or_expiry_deadline():
    facts = rules.OrderFacts(key="o", status="made", indefinite=True)
    assert rules.order_deadlines(facts) == []


def test_an_ended_order_has_no_deadlines():
    facts = rules.OrderFacts(
        key="o",
        status="discharged",
        expires_on=D(2028, 1, 1),
        notifications=((D(2026, 1, 1), None),),
    )
    assert rules.order_deadlines(facts) == []


def test_a_deadline_is_upcoming_then_due_then_overdue():
    deadline = rules.order_deadlines(
        rules.OrderFacts(key="o", status="made", notifications=((D(2026, 1, 1), None),))
    )[0]
    assert deadline.stage(D(2025, 12, 31)) == ""
    assert deadline.stage(D(2026, 1, 1)) == "upcoming"
    assert deadline.stage(D(2026, 1, 4)) == "due"
    assert deadline.stage(D(2026, 1, 5)) == "overdue"


def test_a_fixed_term_order_has_expired_the_day_after_its_end_date():
    facts = rules.OrderFacts(key="o", status="renewed", expires_on=D(2026, 5, 1))
    assert not rules.has_expired(facts, D(2026, 5, 1))
    assert rules.has_expired(facts, D(2026, 5, 2))
    assert not rules.has_expired(
        rules.OrderFacts(key="o", status="made", indefinite=True), D(2099, 1, 1)
    )


# --- the journey -----------------------------------------------------------------------------------


def test_a_journey_from_report_to_sentence_is_accepted_in_order():
    history: list[tuple[str, str]] = []
    for kind, outcome in [
        ("reported", ""),
        ("recorded", ""),
        ("arrested", ""),
        ("bailed", ""),
        ("charged", ""),
        ("special_measures_asked", ""),
        ("special_measures_granted", ""),
        ("prosecution", ""),
        ("trial_date", ""),
        ("victim_personal_statement", ""),
        ("outcome", "convicted"),
        ("sentence", ""),
    ]:
        rules.check_milestone(history, kind, outcome=outcome)
        history.append((kind, outcome))
    assert rules.stage_of(history) == "Sentence"


@pytest.mark.parametrize(
    ("history", "new", "why"),
    [
        ([], "charged", "report to police first"),
        ([("reported", "")], "trial_date", "no charge yet"),
        ([("reported", "")], "outcome", "no charge yet"),
        ([("reported", ""), ("no_further_action", "")], "charged", "no further action"),
        ([("reported", ""), ("charged", "")], "no_further_action", "has been charged"),
        ([("reported", ""), ("charged", ""), ("outcome", "acquitted")], "sentence", "conviction"),
        ([("reported", ""), ("charged", ""), ("outcome", "convicted")], "outcome", "already"),
        ([("reported", ""), ("charged", ""), ("outcome", "convicted")], "hearing", "outcome"),
        ([("reported", "")], "reported", "already recorded"),
        ([("reported", ""), ("charged", "")], "special_measures_granted", "asked for"),
    ],
)
def test_milestones_out_of_sequence_are_refused(history, new, why):
    with pytest.raises(RuleError, match=why):
        rules.check_milestone(history, new, outcome="convicted" if new == "outcome" else "")


def test_an_outcome_must_be_convicted_acquitted_or_discontinued():
    with pytest.raises(RuleError, match="choose"):
        rules.check_milestone([("reported", ""), ("charged", "")], "outcome", outcome="")


def test_the_stage_of_a_journey_names_its_outcome():
    assert rules.stage_of([("reported", ""), ("charged", ""), ("outcome", "acquitted")]) == (
        "Acquitted"
    )
    assert rules.stage_of([]) == "Not reported"
