import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from harbour.risk.instrument import (
    FORMAT,
    MAX_INSTRUMENT_BYTES,
    AllOf,
    AnswerError,
    AnswerIs,
    AnyOf,
    BandAtLeast,
    Instrument,
    InstrumentError,
    OverrideError,
    apply_override,
    band_order,
    load_instrument,
    score,
    shipped_instruments,
)

SHIPPED = (
    Path(__file__).resolve().parents[2]
    / "src/harbour/risk/instruments/harbour-stalking-risk-1.1.0.json"
)


def minimal() -> dict[str, Any]:
    """A small valid instrument; each validation test breaks one thing in it."""
    return {
        "format": FORMAT,
        "slug": "test-checklist",
        "name": "Test checklist",
        "version": "1.2.3",
        "licence": "Test wording, CC0",
        "questions": [
            {"id": "fear", "text": "Frightened?", "type": "yes_no", "score": 2, "required": True},
            {"id": "threats", "text": "Threats?", "type": "yes_no_unknown", "required": True},
            {
                "id": "contact",
                "text": "How often?",
                "type": "choice",
                "required": False,
                "choices": [
                    {"value": "rarely", "label": "Rarely", "score": 0},
                    {"value": "daily", "label": "Daily", "score": 3},
                ],
            },
            {"id": "incidents", "text": "Incidents this year", "type": "number", "required": False},
            {"id": "notes", "text": "Anything else", "type": "text", "required": False},
        ],
        "scoring": {"method": "sum"},
        "bands": [
            {"id": "standard", "label": "Standard", "min_score": 0},
            {"id": "medium", "label": "Medium", "min_score": 2},
            {"id": "high", "label": "High", "min_score": 5},
        ],
        "triggers": [
            {"id": "marac", "label": "Refer to MARAC", "when": {"band_at_least": "high"}},
            {
                "id": "threat",
                "label": "Discuss threats",
                "when": {"answer": {"question": "threats", "equals": "yes"}},
            },
            {
                "id": "frequent",
                "label": "Escalating",
                "when": {"answer": {"question": "incidents", "at_least": 3}},
            },
            {"id": "scored", "label": "Score four", "when": {"score_at_least": 4}},
        ],
    }


def dump(data: dict[str, Any]) -> str:
    return json.dumps(data)


@pytest.fixture
def instrument() -> Instrument:
    return load_instrument(dump(minimal()))


@pytest.fixture(scope="module")
def harbour_instrument() -> Instrument:
    return load_instrument(SHIPPED.read_text(encoding="utf-8"))


# --- loading --------------------------------------------------------------------


def test_shipped_instrument_loads(harbour_instrument: Instrument) -> None:
    assert harbour_instrument.key == ("harbour-stalking-risk", "1.1.0")
    assert harbour_instrument.band_ids == ("standard", "medium", "high")
    assert [t.label for t in harbour_instrument.triggers] == [
        "Refer to MARAC (domestic abuse) or the multi-agency stalking panel",
        "Discuss with police stalking coordinator",
    ]
    assert [f.id for f in harbour_instrument.floors] == [
        "threat_to_kill",
        "weapon",
        "sexual_violence",
        "order_breach",
    ]
    assert "Harbour original wording" in harbour_instrument.licence
    assert all(q.type == "yes_no_unknown" for q in harbour_instrument.questions)
    assert SHIPPED.name == f"{harbour_instrument.slug}-{harbour_instrument.version}.json"


def test_shipped_instrument_covers_the_known_risk_factors(harbour_instrument: Instrument) -> None:
    ids = {q.id for q in harbour_instrument.questions}
    assert ids >= {
        "victim_fear",
        "previous_stalking",
        "property_damage",
        "visits_home_or_work",
        "loitering",
        "threats_of_violence",
        "threats_to_kill",
        "third_parties",
        "violence_in_current_incidents",
        "recruiting_others",
        "substance_misuse",
        "past_violence",
        "escalation",
    }


def test_shipped_instruments_finds_the_packaged_file(harbour_instrument: Instrument) -> None:
    assert shipped_instruments() == (harbour_instrument,)


def test_instrument_parses_into_typed_parts(instrument: Instrument) -> None:
    assert instrument.question("fear").score == 2
    assert instrument.question("threats").score == 1  # default for a "yes"
    assert instrument.question("contact").max_score == 3
    assert instrument.max_score == 6
    assert instrument.trigger("threat").when == AnswerIs(question="threats", equals="yes")
    assert instrument.trigger("marac").when == BandAtLeast("high")


def test_nested_conditions_parse() -> None:
    data = minimal()
    data["triggers"] = [
        {
            "id": "either",
            "label": "Either",
            "when": {
                "any_of": [
                    {"band_at_least": "high"},
                    {
                        "all_of": [
                            {"score_at_least": 2},
                            {"answer": {"question": "fear", "equals": "yes"}},
                        ]
                    },
                ]
            },
        }
    ]
    when = load_instrument(dump(data)).trigger("either").when
    assert isinstance(when, AnyOf)
    assert isinstance(when.conditions[1], AllOf)


def test_digest_is_stable_and_changes_with_content() -> None:
    data = minimal()
    first = load_instrument(dump(data)).digest
    reordered = json.dumps(data, indent=2, sort_keys=True)
    assert load_instrument(reordered).digest == first
    data["questions"][0]["text"] = "Very frightened?"
    assert load_instrument(dump(data)).digest != first


def test_bytes_and_a_utf8_bom_are_accepted() -> None:
    raw = dump(minimal()).encode("utf-8")
    assert load_instrument(raw).slug == "test-checklist"
    assert load_instrument(b"\xef\xbb\xbf" + raw).slug == "test-checklist"


def test_oversized_file_is_refused() -> None:
    text = dump(minimal())
    at_limit = text[:-1] + " " * (MAX_INSTRUMENT_BYTES - len(text)) + "}"
    assert load_instrument(at_limit).slug == "test-checklist"
    for big in (at_limit + " ", (at_limit + " ").encode("utf-8")):
        with pytest.raises(InstrumentError, match="too large"):
            load_instrument(big)


def test_multibyte_text_is_measured_in_bytes() -> None:
    data = minimal()
    text = dump(data)[:-1] + " " * (MAX_INSTRUMENT_BYTES // 2) + "}"
    load_instrument(text)  # under the limit
    wide = dump(data)[:-1] + "\u3000" * (MAX_INSTRUMENT_BYTES // 2) + "}"  # 3 bytes each
    with pytest.raises(InstrumentError, match="too large"):
        load_instrument(wide)


Mutation = Callable[[dict[str, Any]], object]


def _set(path: str, value: object) -> Mutation:
    """A mutation setting ``data[a][b]...`` (``a.0.b`` style path) to ``value``."""

    def apply(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value

    return apply


def _delete(path: str) -> Mutation:
    def apply(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        del target[last]

    return apply


def _append_question(question: dict[str, Any]) -> Mutation:
    return lambda data: data["questions"].append(question)


INVALID: list[tuple[str, Mutation, str]] = [
    (
        "wrong format",
        _set("format", "harbour-instrument/2"),
        'format: must be "harbour-instrument/1"',
    ),
    ("missing format", _delete("format"), "format: must be"),
    ("unknown top-level key", _set("colour", "red"), "colour: unknown key"),
    ("missing slug", _delete("slug"), "slug: required"),
    ("bad slug", _set("slug", "Test_Checklist"), 'slug: "Test_Checklist" is not a valid slug'),
    ("blank name", _set("name", "  "), "name: must not be blank"),
    ("name not a string", _set("name", 3), "name: must be a string, not a number"),
    ("missing licence", _delete("licence"), "licence: required"),
    ("version not semver", _set("version", "1.0"), 'version: "1.0" is not a semantic version'),
    ("version with v", _set("version", "v1.0.0"), 'version: "v1.0.0" is not a semantic version'),
    ("version leading zero", _set("version", "01.0.0"), 'version: "01.0.0" is not'),
    ("questions not a list", _set("questions", {}), "questions: must be a list, not an object"),
    ("no questions", _set("questions", []), "questions: must not be empty"),
    ("question not an object", _set("questions.0", "fear"), "questions[0]: must be an object"),
    ("question missing text", _delete("questions.1.text"), "questions[1].text: required"),
    (
        "question missing required",
        _delete("questions.0.required"),
        "questions[0].required: required",
    ),
    (
        "question unknown key",
        _set("questions.0.requried", True),
        "questions[0].requried: unknown key",
    ),
    (
        "bad question id",
        _set("questions.0.id", "Fear"),
        'questions[0].id: "Fear" is not a valid id',
    ),
    (
        "duplicate question id",
        _set("questions.1.id", "fear"),
        'questions[1].id: duplicate question id "fear" (first used at questions[0].id)',
    ),
    (
        "unknown type",
        _set("questions.0.type", "boolean"),
        'questions[0].type: "boolean" is not a question type',
    ),
    (
        "required not bool",
        _set("questions.0.required", "yes"),
        "questions[0].required: must be true or false",
    ),
    ("negative score", _set("questions.0.score", -1), "questions[0].score: must not be negative"),
    ("float score", _set("questions.0.score", 1.5), "questions[0].score: must be a whole number"),
    (
        "bool score",
        _set("questions.0.score", True),
        "questions[0].score: must be a whole number, not a boolean",
    ),
    ("huge score", _set("questions.0.score", 10**6), "questions[0].score: must be at most 1000"),
    (
        "choice without choices",
        _delete("questions.2.choices"),
        'questions[2].choices: required for type "choice"',
    ),
    ("empty choices", _set("questions.2.choices", []), "questions[2].choices: must not be empty"),
    (
        "choices on a yes/no question",
        _set("questions.0.choices", [{"value": "a", "label": "A", "score": 1}]),
        'questions[0].choices: only allowed for type "choice"',
    ),
    (
        "score on a choice question",
        _set("questions.2.score", 1),
        'questions[2].score: not allowed for type "choice"',
    ),
    (
        "score on a number question",
        _set("questions.3.score", 1),
        'questions[3].score: not allowed for type "number"',
    ),
    (
        "duplicate choice value",
        _set("questions.2.choices.1.value", "rarely"),
        'questions[2].choices[1].value: duplicate choice value "rarely"',
    ),
    (
        "choice missing score",
        _delete("questions.2.choices.0.score"),
        "questions[2].choices[0].score: required",
    ),
    ("blank help", _set("questions.0.help", ""), "questions[0].help: must not be blank"),
    (
        "scoring method",
        _set("scoring", {"method": "weighted"}),
        'scoring.method: "weighted" is not supported',
    ),
    ("scoring missing", _delete("scoring"), "scoring: required"),
    ("no bands", _set("bands", []), "bands: must not be empty"),
    (
        "first band above zero",
        _set("bands.0.min_score", 1),
        "bands[0].min_score: the lowest band must start at 0",
    ),
    (
        "bands not ascending",
        _set("bands.2.min_score", 2),
        "bands[2].min_score: bands must be in ascending order of min_score: 2 is not above 2",
    ),
    (
        "band unreachable",
        _set("bands.2.min_score", 7),
        "bands[2].min_score: 7 can never be reached",
    ),
    ("duplicate band", _set("bands.1.id", "standard"), 'bands[1].id: duplicate band id "standard"'),
    ("band missing label", _delete("bands.1.label"), "bands[1].label: required"),
    ("triggers not a list", _set("triggers", {}), "triggers: must be a list"),
    (
        "duplicate trigger",
        _set("triggers.1.id", "marac"),
        'triggers[1].id: duplicate trigger id "marac"',
    ),
    ("trigger missing when", _delete("triggers.0.when"), "triggers[0].when: required"),
    (
        "unknown band in trigger",
        _set("triggers.0.when", {"band_at_least": "critical"}),
        'triggers[0].when.band_at_least: unknown band "critical"',
    ),
    (
        "unknown question in trigger",
        _set("triggers.1.when", {"answer": {"question": "threats_kill", "equals": "yes"}}),
        'triggers[1].when.answer.question: unknown question "threats_kill"',
    ),
    (
        "invalid answer in trigger",
        _set("triggers.1.when", {"answer": {"question": "threats", "equals": "Yes"}}),
        'triggers[1].when.answer.equals: "Yes" is not a valid answer to "threats"',
    ),
    (
        "answer condition without equals",
        _set("triggers.1.when", {"answer": {"question": "threats"}}),
        'triggers[1].when.answer: must have exactly one of "equals" or "at_least"',
    ),
    (
        "at_least on a yes/no question",
        _set("triggers.1.when", {"answer": {"question": "threats", "at_least": 1}}),
        'triggers[1].when.answer.at_least: only allowed for "number" questions',
    ),
    (
        "unknown condition",
        _set("triggers.0.when", {"band_above": "high"}),
        "triggers[0].when.band_above: unknown key",
    ),
    (
        "two conditions in one",
        _set("triggers.0.when", {"band_at_least": "high", "score_at_least": 3}),
        "triggers[0].when: must have exactly one of",
    ),
    ("empty condition", _set("triggers.0.when", {}), "triggers[0].when: must have exactly one of"),
    (
        "empty any_of",
        _set("triggers.0.when", {"any_of": []}),
        "triggers[0].when.any_of: must not be empty",
    ),
    (
        "nested unknown band",
        _set(
            "triggers.0.when",
            {"any_of": [{"score_at_least": 1}, {"all_of": [{"band_at_least": "extreme"}]}]},
        ),
        'triggers[0].when.any_of[1].all_of[0].band_at_least: unknown band "extreme"',
    ),
    (
        "unreachable score trigger",
        _set("triggers.3.when", {"score_at_least": 99}),
        "triggers[3].when.score_at_least: 99 can never be reached",
    ),
    (
        "too deeply nested",
        _set(
            "triggers.0.when", json.loads('{"any_of": [' * 12 + '{"score_at_least": 1}' + "]}" * 12)
        ),
        "triggers[0].when" + ".any_of[0]" * 11 + ": conditions nested too deeply (the limit is 10)",
    ),
]


@pytest.mark.parametrize(("case", "mutate", "message"), INVALID, ids=[case for case, *_ in INVALID])
def test_invalid_instrument_is_rejected_with_the_path_of_the_fault(
    case: str, mutate: Mutation, message: str
) -> None:
    valid = minimal()
    load_instrument(dump(valid))  # the same setup without the fault loads
    broken = copy.deepcopy(valid)
    mutate(broken)
    with pytest.raises(InstrumentError) as caught:
        load_instrument(dump(broken))
    assert str(caught.value).startswith(message), (case, str(caught.value))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "not valid JSON: Expecting value at line 1 column 1"),
        ('{"format": ', "not valid JSON: Expecting value at line 1 column 12"),
        ("[]", "instrument must be a JSON object, not a list"),
        ('{"slug": "a", "slug": "b"}', 'not valid JSON: duplicate key "slug"'),
        ('{"score": NaN}', "not valid JSON: NaN is not allowed"),
        ("[" * 100_000 + "]" * 100_000, "not valid JSON"),
    ],
)
def test_malformed_json_is_rejected(text: str, message: str) -> None:
    with pytest.raises(InstrumentError, match="^" + message.replace("[", r"\[")):
        load_instrument(text)


def test_non_utf8_bytes_are_rejected() -> None:
    with pytest.raises(InstrumentError, match="not UTF-8"):
        load_instrument(b'{"name": "\xff"}')


def test_instrument_error_carries_the_path() -> None:
    data = minimal()
    del data["questions"][2]["choices"]
    with pytest.raises(InstrumentError) as caught:
        load_instrument(dump(data))
    assert caught.value.path == "questions[2].choices"
    assert caught.value.problem == 'required for type "choice"'
    assert isinstance(caught.value, ValueError)


# --- scoring --------------------------------------------------------------------


def test_scoring_sums_yes_answers_and_choices(instrument: Instrument) -> None:
    result = score(instrument, {"fear": "yes", "threats": "no", "contact": "daily"})
    assert result.score == 5
    assert result.band == result.computed_band == "high"
    assert result.triggers == ("marac", "scored")
    assert result.missing_required == ()
    assert result.complete
    assert not result.overridden
    assert (result.instrument_slug, result.instrument_version) == ("test-checklist", "1.2.3")


def test_unknown_scores_nothing_and_counts_as_answered(instrument: Instrument) -> None:
    result = score(instrument, {"fear": "no", "threats": "unknown"})
    assert (result.score, result.band, result.missing_required) == (0, "standard", ())


def test_unanswered_required_questions_are_listed_in_order(instrument: Instrument) -> None:
    result = score(instrument, {"threats": None, "contact": "rarely", "notes": "  "})
    assert result.missing_required == ("fear", "threats")
    assert not result.complete
    assert result.band == "standard"


@pytest.mark.parametrize(
    ("answers", "score_value", "band"),
    [
        ({"fear": "no", "threats": "no"}, 0, "standard"),
        ({"fear": "no", "threats": "yes"}, 1, "standard"),
        ({"fear": "yes", "threats": "no"}, 2, "medium"),
        ({"fear": "yes", "threats": "yes"}, 3, "medium"),
        ({"fear": "yes", "threats": "no", "contact": "daily"}, 5, "high"),
        ({"fear": "yes", "threats": "yes", "contact": "daily"}, 6, "high"),
    ],
)
def test_band_boundaries(
    instrument: Instrument, answers: dict[str, object], score_value: int, band: str
) -> None:
    result = score(instrument, answers)
    assert (result.score, result.band) == (score_value, band)


@pytest.mark.parametrize(
    ("answers", "problem"),
    [
        ({"fear": "Yes"}, 'answers.fear: "Yes" is not a valid answer to "fear"'),
        ({"fear": True}, 'answers.fear: true is not a valid answer to "fear"'),
        ({"fear": "unknown"}, 'answers.fear: "unknown" is not a valid answer'),
        ({"contact": "weekly"}, 'answers.contact: "weekly" is not a valid answer'),
        (
            {"incidents": "3"},
            'answers.incidents: "3" is not a valid answer to "incidents" (expected a number)',
        ),
        ({"incidents": True}, "answers.incidents: true is not a valid answer"),
        ({"incidents": float("nan")}, "answers.incidents: NaN is not a valid answer"),
        ({"notes": 3}, 'answers.notes: 3 is not a valid answer to "notes" (expected text)'),
        (
            {"threats_to_kill": "yes"},
            "answers.threats_to_kill: no such question in instrument test-checklist 1.2.3",
        ),
    ],
)
def test_invalid_answers_are_rejected(
    instrument: Instrument, answers: dict[str, object], problem: str
) -> None:
    with pytest.raises(AnswerError) as caught:
        score(instrument, answers)
    assert str(caught.value).startswith(problem), str(caught.value)


def test_number_condition(instrument: Instrument) -> None:
    assert "frequent" in score(instrument, {"incidents": 3}).triggers
    assert "frequent" in score(instrument, {"incidents": 4.5}).triggers
    assert "frequent" not in score(instrument, {"incidents": 2}).triggers
    assert "frequent" not in score(instrument, {}).triggers


def test_answer_trigger_fires_on_answer_alone(instrument: Instrument) -> None:
    result = score(instrument, {"fear": "no", "threats": "yes"})
    assert result.band == "standard"
    assert result.triggers == ("threat",)


def test_result_is_reproducible_from_stored_answers(instrument: Instrument) -> None:
    answers = {"fear": "yes", "threats": "unknown", "contact": "daily", "notes": "seen at gym"}
    stored = json.loads(json.dumps(answers))
    reloaded = load_instrument(dump(minimal()))
    assert score(reloaded, stored) == score(instrument, answers)


# --- the shipped instrument ------------------------------------------------------


def _all(instrument: Instrument, value: str) -> dict[str, object]:
    return {q.id: value for q in instrument.questions}


def test_shipped_bands(harbour_instrument: Instrument) -> None:
    assert [(b.id, b.min_score) for b in harbour_instrument.bands] == [
        ("standard", 0),
        ("medium", 6),
        ("high", 11),
    ]
    assert score(harbour_instrument, _all(harbour_instrument, "no")).band == "standard"
    assert score(harbour_instrument, _all(harbour_instrument, "unknown")).triggers == ()
    everything = score(harbour_instrument, _all(harbour_instrument, "yes"))
    assert everything.band == "high"
    assert everything.score == harbour_instrument.max_score


TEN_POINTS = (
    "victim_fear",  # 2
    "past_violence",  # 2
    "previous_stalking",
    "loitering",
    "visits_home_or_work",
    "third_parties",
    "property_damage",
    "substance_misuse",
)


@pytest.mark.parametrize(
    ("yes_to", "band", "triggers"),
    [
        ((), "standard", ()),
        (("victim_fear", "loitering", "visits_home_or_work"), "standard", ()),
        (("recruiting_others",), "standard", ("discuss_with_police_stalking_coordinator",)),
        (  # a critical item: a threat to kill sets the floor at high whatever the score
            ("threats_to_kill",),
            "high",
            ("refer_to_marac", "discuss_with_police_stalking_coordinator"),
        ),
        (("weapons",), "high", ("refer_to_marac", "discuss_with_police_stalking_coordinator")),
        (
            ("sexual_violence",),
            "high",
            ("refer_to_marac", "discuss_with_police_stalking_coordinator"),
        ),
        (("order_breached",), "medium", ("discuss_with_police_stalking_coordinator",)),
        (
            ("violence_in_current_incidents",),
            "standard",
            ("refer_to_marac", "discuss_with_police_stalking_coordinator"),
        ),
        (
            ("victim_fear", "loitering", "visits_home_or_work", "third_parties", "property_damage"),
            "medium",
            ("discuss_with_police_stalking_coordinator",),
        ),
        (
            ("victim_fear", "loitering", "visits_home_or_work", "escalation"),
            "medium",
            ("refer_to_marac", "discuss_with_police_stalking_coordinator"),
        ),
        (  # 10 points: the top of medium
            TEN_POINTS,
            "medium",
            ("discuss_with_police_stalking_coordinator",),
        ),
        (  # 11 points: high
            (*TEN_POINTS, "recruiting_others"),
            "high",
            ("refer_to_marac", "discuss_with_police_stalking_coordinator"),
        ),
    ],
)
def test_shipped_triggers(
    harbour_instrument: Instrument, yes_to: tuple[str, ...], band: str, triggers: tuple[str, ...]
) -> None:
    answers = _all(harbour_instrument, "no") | dict.fromkeys(yes_to, "yes")
    result = score(harbour_instrument, answers)
    assert (result.band, result.triggers) == (band, triggers)


# --- overrides --------------------------------------------------------------------


def test_band_order(instrument: Instrument) -> None:
    assert [band_order(instrument, b) for b in ("standard", "medium", "high")] == [0, 1, 2]
    with pytest.raises(ValueError, match='unknown band "extreme"'):
        band_order(instrument, "extreme")


def test_override_can_raise_with_a_reason(instrument: Instrument) -> None:
    assert apply_override(instrument, "medium", "high", "Recent threat to a child") == "high"
    assert apply_override(instrument, "standard", "medium", "Victim's fear") == "medium"


def test_override_can_never_lower(instrument: Instrument) -> None:
    with pytest.raises(OverrideError, match="never lower it") as caught:
        apply_override(instrument, "high", "medium", "Perpetrator moved abroad")
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("reason", [None, "", "   \n"])
def test_override_needs_a_reason(instrument: Instrument, reason: str | None) -> None:
    with pytest.raises(
        OverrideError, match='a reason is required to raise the risk level from "medium" to "high"'
    ):
        apply_override(instrument, "medium", "high", reason)


def test_choosing_the_computed_band_is_not_an_override(instrument: Instrument) -> None:
    assert apply_override(instrument, "medium", "medium", None) == "medium"


def test_override_with_an_unknown_band_is_refused(instrument: Instrument) -> None:
    with pytest.raises(ValueError, match='unknown band "critical"'):
        apply_override(instrument, "medium", "critical", "reason")


def test_override_in_score_raises_the_band_and_its_triggers(instrument: Instrument) -> None:
    answers = {"fear": "yes", "threats": "no"}
    plain = score(instrument, answers)
    assert (plain.band, plain.triggers) == ("medium", ())
    raised = score(instrument, answers, override_band="high", override_reason=" Recent escalation ")
    assert (raised.computed_band, raised.band) == ("medium", "high")
    assert raised.overridden
    assert raised.override_reason == "Recent escalation"
    assert raised.triggers == ("marac",)
    with pytest.raises(OverrideError, match="never lower"):
        score(instrument, answers, override_band="standard", override_reason="x")
    with pytest.raises(OverrideError, match="reason is required"):
        score(instrument, answers, override_band="high")
    with pytest.raises(OverrideError, match="without override_band"):
        score(instrument, answers, override_reason="because")


# --- properties ---------------------------------------------------------------------


def _answers_for(instrument: Instrument) -> st.SearchStrategy[dict[str, object]]:
    options: dict[str, st.SearchStrategy[object]] = {}
    for q in instrument.questions:
        if q.type == "yes_no":
            options[q.id] = st.sampled_from(["yes", "no", None])
        elif q.type == "yes_no_unknown":
            options[q.id] = st.sampled_from(["yes", "no", "unknown", None])
        elif q.type == "choice":
            options[q.id] = st.sampled_from([c.value for c in q.choices] + [None])
        elif q.type == "number":
            options[q.id] = st.one_of(st.none(), st.integers(0, 50))
        else:
            options[q.id] = st.one_of(st.none(), st.text(max_size=20))
    return st.fixed_dictionaries(options)


HARBOUR = load_instrument(SHIPPED.read_text(encoding="utf-8"))
MINIMAL = load_instrument(dump(minimal()))


@pytest.mark.parametrize("subject", [HARBOUR, MINIMAL], ids=["harbour", "minimal"])
@given(data=st.data())
def test_flipping_a_scoring_answer_from_no_to_yes_never_lowers_score_or_band(
    subject: Instrument, data: st.DataObject
) -> None:
    answers = data.draw(_answers_for(subject))
    scoring = [
        q for q in subject.questions if q.type in ("yes_no", "yes_no_unknown") and q.score > 0
    ]
    question = data.draw(st.sampled_from(scoring))
    before = score(subject, answers | {question.id: "no"})
    after = score(subject, answers | {question.id: "yes"})
    assert after.score == before.score + question.score
    assert band_order(subject, after.band) >= band_order(subject, before.band)
    assert set(before.triggers) <= set(after.triggers)  # shipped conditions are monotone


@pytest.mark.parametrize("subject", [HARBOUR, MINIMAL], ids=["harbour", "minimal"])
@given(data=st.data())
def test_score_is_within_range_and_band_matches_thresholds(
    subject: Instrument, data: st.DataObject
) -> None:
    result = score(subject, data.draw(_answers_for(subject)))
    assert 0 <= result.score <= subject.max_score
    band = subject.band(result.score_band)
    above = [b for b in subject.bands if b.min_score > band.min_score]
    assert band.min_score <= result.score
    assert all(result.score < b.min_score for b in above)


@pytest.mark.parametrize("subject", [HARBOUR, MINIMAL], ids=["harbour", "minimal"])
@given(data=st.data())
def test_a_critical_item_only_ever_raises_the_band_to_its_floor(
    subject: Instrument, data: st.DataObject
) -> None:
    answers = data.draw(_answers_for(subject))
    result = score(subject, answers)
    rank = band_order(subject, result.band)
    assert rank >= band_order(subject, result.score_band)
    floors = [f for f in subject.floors if f.id in result.floors]
    for floor in floors:
        assert rank >= band_order(subject, floor.band)
    if rank > band_order(subject, result.score_band):
        assert rank == max(band_order(subject, f.band) for f in floors)


def test_a_floor_that_depends_on_the_band_it_sets_is_refused() -> None:
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    data["floors"] = [
        {"id": "circular", "label": "Circular", "band": "high", "when": {"band_at_least": "medium"}}
    ]
    with pytest.raises(InstrumentError, match="floors\\[0\\].when: a floor must depend on answers"):
        load_instrument(json.dumps(data))


def test_a_floor_naming_an_unknown_band_is_refused() -> None:
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    data["floors"][0]["band"] = "extreme"
    with pytest.raises(InstrumentError, match='floors\\[0\\].band: no band "extreme"'):
        load_instrument(json.dumps(data))
