"""Risk instruments as versioned data, and the scoring that uses them.

An instrument (a structured risk checklist) is a JSON document in the
``harbour-instrument/1`` format described in ``docs/risk-instruments.md``.
Licensed checklists (DASH, S-DASH, SASH, SRP) are never shipped: a service
that holds a licence writes its own file and loads it; Harbour ships one
instrument in its own words.

Everything here is pure: :func:`load_instrument` checks text against the
published JSON Schema (``instrument.schema.json``) and the rules a schema
cannot express, then turns it into frozen dataclasses (or raises
:class:`InstrumentError` naming the path of the fault),
and :func:`score` turns an instrument plus stored answers into a
:class:`Result`. The same answers and the same instrument version always give
the same result, so an assessment stores only the instrument's slug and
version, the answers, the computed band and any override with its reason.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final, Literal, NoReturn, cast

from jsonschema import Draft202012Validator, ValidationError

__all__ = [
    "FORMAT",
    "MAX_INSTRUMENT_BYTES",
    "AllOf",
    "AnswerError",
    "AnswerIs",
    "AnyOf",
    "Band",
    "BandAtLeast",
    "Choice",
    "Condition",
    "Instrument",
    "InstrumentError",
    "OverrideError",
    "Question",
    "QuestionType",
    "Result",
    "SCHEMA",
    "ScoreAtLeast",
    "Trigger",
    "apply_override",
    "band_order",
    "load_instrument",
    "score",
    "shipped_instruments",
]

FORMAT: Final = "harbour-instrument/1"
MAX_INSTRUMENT_BYTES: Final = 1024 * 1024  # 1 MiB

# Defensive limits; real instruments are far smaller. The limits on a file's contents (how many
# questions, how long a label) are in the schema.
MAX_CONDITION_DEPTH: Final = 10
MAX_TEXT_ANSWER: Final = 10_000

QuestionType = Literal["yes_no", "yes_no_unknown", "choice", "number", "text"]
YES_NO: Final = ("yes", "no")
YES_NO_UNKNOWN: Final = ("yes", "no", "unknown")
DEFAULT_YES_SCORE: Final = 1


# --- errors ---------------------------------------------------------------------


class InstrumentError(ValueError):
    """An instrument file is malformed. ``path`` locates the fault."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}" if path else problem)


class AnswerError(ValueError):
    """An answer does not fit its question. ``path`` is e.g. ``answers.fear``."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class OverrideError(ValueError):
    """A professional-judgement override was refused."""


# --- the model ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: str
    score: int


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    text: str
    type: QuestionType
    required: bool
    help: str | None = None
    section: str | None = None
    score: int = 0
    """Points for a "yes" (yes_no and yes_no_unknown questions only)."""
    choices: tuple[Choice, ...] = ()

    @property
    def max_score(self) -> int:
        if self.type == "choice":
            return max(choice.score for choice in self.choices)
        return self.score

    @property
    def allowed_values(self) -> tuple[str, ...]:
        """The allowed string answers; empty for number and text questions."""
        if self.type == "yes_no":
            return YES_NO
        if self.type == "yes_no_unknown":
            return YES_NO_UNKNOWN
        return tuple(choice.value for choice in self.choices)


@dataclass(frozen=True, slots=True)
class Band:
    id: str
    label: str
    min_score: int


@dataclass(frozen=True, slots=True)
class BandAtLeast:
    band: str


@dataclass(frozen=True, slots=True)
class ScoreAtLeast:
    score: int


@dataclass(frozen=True, slots=True)
class AnswerIs:
    """True when ``question`` was answered ``equals`` (or a number >= ``at_least``)."""

    question: str
    equals: str | int | float | None = None
    at_least: int | float | None = None


@dataclass(frozen=True, slots=True)
class AnyOf:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class AllOf:
    conditions: tuple[Condition, ...]


Condition = BandAtLeast | ScoreAtLeast | AnswerIs | AnyOf | AllOf


@dataclass(frozen=True, slots=True)
class Trigger:
    id: str
    label: str
    when: Condition


@dataclass(frozen=True, slots=True)
class Floor:
    """A critical item: when ``when`` holds, the band is at least ``band`` whatever the score
    (threats to kill, a weapon, sexual violence, a breached order)."""

    id: str
    label: str
    band: str
    when: Condition


@dataclass(frozen=True, slots=True)
class Instrument:
    slug: str
    name: str
    version: str
    licence: str
    questions: tuple[Question, ...]
    bands: tuple[Band, ...]
    """Ordered from lowest to highest risk."""
    triggers: tuple[Trigger, ...]
    digest: str
    """SHA-256 of the canonical JSON; same slug and version must mean same digest."""
    description: str | None = None
    floors: tuple[Floor, ...] = ()
    """Critical items, in instrument order."""
    scoring_method: Literal["sum"] = "sum"
    format: str = FORMAT

    @property
    def key(self) -> tuple[str, str]:
        """``(slug, version)``: what an assessment stores to find this again."""
        return (self.slug, self.version)

    @property
    def band_ids(self) -> tuple[str, ...]:
        return tuple(band.id for band in self.bands)

    @property
    def max_score(self) -> int:
        return sum(question.max_score for question in self.questions)

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)

    def band(self, band_id: str) -> Band:
        for band in self.bands:
            if band.id == band_id:
                return band
        raise KeyError(band_id)

    def trigger(self, trigger_id: str) -> Trigger:
        for trigger in self.triggers:
            if trigger.id == trigger_id:
                return trigger
        raise KeyError(trigger_id)

    def band_for_score(self, total: int) -> Band:
        chosen = self.bands[0]
        for band in self.bands:
            if total >= band.min_score:
                chosen = band
        return chosen


@dataclass(frozen=True, slots=True)
class Result:
    """The outcome of scoring one set of answers against one instrument version."""

    instrument_slug: str
    instrument_version: str
    score: int
    computed_band: str
    """The band the answers give: the score's band, raised by any critical item that holds."""
    band: str
    """The band in force: ``computed_band``, or the override when one raised it."""
    triggers: tuple[str, ...]
    """Ids of the triggers that fired (judged on ``band``), in instrument order."""
    missing_required: tuple[str, ...]
    """Ids of required questions left unanswered, in instrument order."""
    override_reason: str | None = None
    floors: tuple[str, ...] = ()
    """Ids of the critical items that hold, in instrument order."""
    score_band: str = ""
    """The band the score alone gives."""

    @property
    def complete(self) -> bool:
        return not self.missing_required

    @property
    def overridden(self) -> bool:
        return self.band != self.computed_band


# --- loading --------------------------------------------------------------------
#
# Structure (keys, types, patterns, lengths, which keys each question type allows) is checked by
# the published JSON Schema, ``instrument.schema.json`` beside this module. What a schema cannot
# say is checked here after it passes: unique ids, band order and reachability, what triggers
# refer to, and how deep conditions nest.

SCHEMA: Final[dict[str, Any]] = json.loads(
    resources.files(__package__ or "harbour.risk").joinpath("instrument.schema.json").read_text()
)
_VALIDATOR: Final = Draft202012Validator(SCHEMA)


def _fail(path: str, problem: str) -> NoReturn:
    raise InstrumentError(path, problem)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _q(value: object) -> str:
    """Quote a value for an error message, briefly."""
    text = json.dumps(value, ensure_ascii=False) if _is_jsonable(value) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _is_jsonable(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool | list | dict)


def _type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


_SCHEMA_TYPES: Final = {
    "object": "an object",
    "array": "a list",
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
}


def _path_text(parts: Sequence[str | int]) -> str:
    path = ""
    for part in parts:
        path = f"{path}[{part}]" if isinstance(part, int) else _join(path, part)
    return path


def _schema_fault(error: ValidationError) -> tuple[str, str]:
    """The path and an author's wording of one schema error (``x-messages`` in the schema)."""
    parts: list[str | int] = list(error.absolute_path)
    instance = error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}
    kind, limit = str(error.validator), error.validator_value
    if kind == "required":
        parts.append(next(key for key in limit if key not in instance))
        problem = "required"
    elif kind == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        parts.append(next(key for key in instance if key not in allowed))
        problem = "unknown key (allowed: " + ", ".join(allowed) + ")"
    elif kind == "type":
        wanted = [limit] if isinstance(limit, str) else limit
        problem = (
            "must be "
            + " or ".join(_SCHEMA_TYPES[t] for t in wanted)
            + f", not {_type_name(instance)}"
        )
    elif kind == "minItems":
        problem = "must not be empty"
    elif kind == "maxItems":
        problem = f"too many entries ({len(instance)}; the limit is {limit})"
    elif kind == "maxLength":
        problem = f"too long ({len(instance)} characters; the limit is {limit})"
    elif kind == "minimum" and limit == 0:
        problem = f"must not be negative (got {instance})"
    elif kind == "maximum":
        problem = f"must be at most {limit} (got {instance})"
    else:
        problem = error.message
    if kind in schema.get("x-messages", {}):
        kind_of = _q(instance.get("type")) if isinstance(instance, dict) else ""
        problem = schema["x-messages"][kind].format(value=_q(instance), type=kind_of)
    if kind in schema.get("x-key", {}):
        parts.append(schema["x-key"][kind])
    return _path_text(parts), problem


def _document_order(data: object, error: ValidationError) -> list[int]:
    """Where an error sits in the file, so the first fault reported is the first in the file."""
    order = []
    node: Any = data
    for part in error.absolute_path:
        order.append(list(node).index(part) if isinstance(node, dict) else int(part))
        node = node[part]
    return order


def _check_schema(data: object) -> None:
    try:
        errors = list(_VALIDATOR.iter_errors(data))
    except RecursionError:
        _fail("", "nested too deeply")
    if errors:
        first = min(enumerate(errors), key=lambda pair: (_document_order(data, pair[1]), pair[0]))[
            1
        ]
        _fail(*_schema_fault(first))


def _unique(seen: dict[str, str], value: str, path: str, what: str) -> None:
    if value in seen:
        _fail(path, f"duplicate {what} {_q(value)} (first used at {seen[value]})")
    seen[value] = path


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not allowed")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {_q(key)}")
        result[key] = value
    return result


def _parse_json(text: str | bytes) -> object:
    # A character is at least one byte, so only shorter text needs encoding.
    if isinstance(text, bytes | bytearray) or len(text) > MAX_INSTRUMENT_BYTES:
        size = len(text)
    else:
        size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_INSTRUMENT_BYTES:
        _fail("", f"instrument file too large ({size} bytes; the limit is {MAX_INSTRUMENT_BYTES})")
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            _fail("", f"not UTF-8 text (byte {exc.start})")
    try:
        return json.loads(
            text, object_pairs_hook=_no_duplicate_keys, parse_constant=_reject_constant
        )
    except json.JSONDecodeError as exc:
        _fail("", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
    except RecursionError:
        _fail("", "not valid JSON: nested too deeply")
    except ValueError as exc:  # from the hooks above
        _fail("", f"not valid JSON: {exc}")


def _answer_problem(question: Question, value: object) -> str | None:
    """Why ``value`` is not a valid answer to ``question``, or None if it is."""
    if question.type in ("yes_no", "yes_no_unknown", "choice"):
        allowed = question.allowed_values
        if isinstance(value, str) and value in allowed:
            return None
        return f"{_q(value)} is not a valid answer to {_q(question.id)} (expected one of " + (
            ", ".join(_q(v) for v in allowed) + ")"
        )
    if question.type == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"{_q(value)} is not a valid answer to {_q(question.id)} (expected a number)"
        if not math.isfinite(value):
            return f"{_q(value)} is not a valid answer to {_q(question.id)} (not finite)"
        return None
    if not isinstance(value, str):
        return f"{_q(value)} is not a valid answer to {_q(question.id)} (expected text)"
    if len(value) > MAX_TEXT_ANSWER:
        return f"answer to {_q(question.id)} is too long (the limit is {MAX_TEXT_ANSWER})"
    return None


def _question(obj: Mapping[str, Any], path: str) -> Question:
    """A question the schema has passed; choice values must also be unique."""
    qtype = cast(QuestionType, obj["type"])
    choices: list[Choice] = []
    seen: dict[str, str] = {}
    for i, choice in enumerate(obj.get("choices", [])):
        _unique(seen, choice["value"], f"{path}.choices[{i}].value", "choice value")
        choices.append(Choice(choice["value"], choice["label"], int(choice["score"])))
    yes_score = int(obj.get("score", DEFAULT_YES_SCORE)) if qtype in _YES_TYPES else 0
    return Question(
        id=obj["id"],
        text=obj["text"],
        type=qtype,
        required=obj["required"],
        help=obj.get("help"),
        section=obj.get("section"),
        score=yes_score,
        choices=tuple(choices),
    )


_YES_TYPES: Final = ("yes_no", "yes_no_unknown")


def _condition(
    obj: Mapping[str, Any],
    path: str,
    *,
    questions: Mapping[str, Question],
    bands: Mapping[str, Band],
    max_score: int,
    depth: int = 0,
) -> Condition:
    """A condition the schema has passed (one key): check what it refers to, and its depth."""
    if depth > MAX_CONDITION_DEPTH:
        _fail(path, f"conditions nested too deeply (the limit is {MAX_CONDITION_DEPTH})")
    ((kind, value),) = obj.items()
    sub = _join(path, kind)
    if kind == "band_at_least":
        if value not in bands:
            _fail(sub, f"unknown band {_q(value)} (bands: " + ", ".join(bands) + ")")
        return BandAtLeast(band=value)
    if kind == "score_at_least":
        if value > max_score:
            _fail(sub, f"{value} can never be reached (the highest possible score is {max_score})")
        return ScoreAtLeast(score=int(value))
    if kind == "answer":
        qid = value["question"]
        if qid not in questions:
            _fail(_join(sub, "question"), f"unknown question {_q(qid)}")
        question = questions[qid]
        if "equals" in value:
            problem = _answer_problem(question, value["equals"])
            if problem is not None:
                _fail(_join(sub, "equals"), problem)
            return AnswerIs(question=qid, equals=value["equals"])
        if question.type != "number":
            _fail(
                _join(sub, "at_least"),
                f'only allowed for "number" questions, not {_q(question.type)}',
            )
        return AnswerIs(question=qid, at_least=value["at_least"])
    parts = tuple(
        _condition(
            item,
            f"{sub}[{i}]",
            questions=questions,
            bands=bands,
            max_score=max_score,
            depth=depth + 1,
        )
        for i, item in enumerate(value)
    )
    return AnyOf(parts) if kind == "any_of" else AllOf(parts)


def load_instrument(text: str | bytes) -> Instrument:
    """Parse and strictly validate an instrument document.

    Raises :class:`InstrumentError` (a ``ValueError``) for the first fault
    found; its message starts with the path of the fault, e.g.
    ``questions[3].choices: required for type "choice"``.
    """
    data = _parse_json(text)
    if not isinstance(data, dict):
        _fail("", f"instrument must be a JSON object, not {_type_name(data)}")
    # The format names the schema, so it is checked first.
    if data.get("format") != FORMAT:
        _fail("format", f"must be {_q(FORMAT)} (got {_q(data.get('format'))})")
    _check_schema(data)

    questions: list[Question] = []
    seen_questions: dict[str, str] = {}
    for i, item in enumerate(data["questions"]):
        question = _question(item, f"questions[{i}]")
        _unique(seen_questions, question.id, f"questions[{i}].id", "question id")
        questions.append(question)
    by_id = {question.id: question for question in questions}
    max_score = sum(question.max_score for question in questions)

    bands: list[Band] = []
    seen_bands: dict[str, str] = {}
    for i, item in enumerate(data["bands"]):
        path = f"bands[{i}]"
        _unique(seen_bands, item["id"], f"{path}.id", "band id")
        min_score = int(item["min_score"])
        if i == 0 and min_score != 0:
            _fail(f"{path}.min_score", f"the lowest band must start at 0 (got {min_score})")
        if bands and min_score <= bands[-1].min_score:
            _fail(
                f"{path}.min_score",
                f"bands must be in ascending order of min_score: {min_score} is not above "
                f"{bands[-1].min_score} (bands[{i - 1}])",
            )
        if min_score > max_score:
            _fail(
                f"{path}.min_score",
                f"{min_score} can never be reached (the highest possible score is {max_score})",
            )
        bands.append(Band(id=item["id"], label=item["label"], min_score=min_score))
    bands_by_id = {band.id: band for band in bands}

    triggers: list[Trigger] = []
    seen_triggers: dict[str, str] = {}
    for i, item in enumerate(data.get("triggers", [])):
        path = f"triggers[{i}]"
        _unique(seen_triggers, item["id"], f"{path}.id", "trigger id")
        when = _condition(
            item["when"], f"{path}.when", questions=by_id, bands=bands_by_id, max_score=max_score
        )
        triggers.append(Trigger(id=item["id"], label=item["label"], when=when))

    floors: list[Floor] = []
    seen_floors: dict[str, str] = {}
    for i, item in enumerate(data.get("floors", [])):
        path = f"floors[{i}]"
        _unique(seen_floors, item["id"], f"{path}.id", "floor id")
        if item["band"] not in bands_by_id:
            _fail(f"{path}.band", f"no band {_q(item['band'])} in this instrument")
        when = _condition(
            item["when"], f"{path}.when", questions=by_id, bands=bands_by_id, max_score=max_score
        )
        if _mentions_band(when):
            _fail(f"{path}.when", "a floor must depend on answers, not on the band it sets")
        floors.append(Floor(id=item["id"], label=item["label"], band=item["band"], when=when))

    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return Instrument(
        slug=data["slug"],
        name=data["name"],
        version=data["version"],
        licence=data["licence"],
        description=data.get("description"),
        questions=tuple(questions),
        bands=tuple(bands),
        triggers=tuple(triggers),
        floors=tuple(floors),
        digest=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
    )


def _mentions_band(condition: Condition) -> bool:
    if isinstance(condition, BandAtLeast):
        return True
    if isinstance(condition, AnyOf | AllOf):
        return any(_mentions_band(c) for c in condition.conditions)
    return False


def shipped_instruments() -> tuple[Instrument, ...]:
    """The instruments that ship with Harbour (in ``harbour/risk/instruments``)."""
    folder = resources.files(__package__ or "harbour.risk").joinpath("instruments")
    found = [
        load_instrument(entry.read_bytes())
        for entry in folder.iterdir()
        if entry.name.endswith(".json") and entry.is_file()
    ]
    return tuple(sorted(found, key=lambda instrument: instrument.key))


# --- scoring --------------------------------------------------------------------


def band_order(instrument: Instrument, band_id: str) -> int:
    """The rank of ``band_id`` in ``instrument``: 0 for the lowest band."""
    for rank, band in enumerate(instrument.bands):
        if band.id == band_id:
            return rank
    raise ValueError(
        f"unknown band {_q(band_id)} in instrument {instrument.slug} {instrument.version} "
        "(bands: " + ", ".join(instrument.band_ids) + ")"
    )


def apply_override(
    instrument: Instrument, computed_band: str, override_band: str, reason: str | None
) -> str:
    """The band in force after a professional-judgement override.

    Professional judgement can raise a band but never lower it, and raising
    needs a reason. Choosing the computed band again is not an override and
    needs no reason. Raises :class:`OverrideError` (a ``ValueError``).
    """
    computed_rank = band_order(instrument, computed_band)
    override_rank = band_order(instrument, override_band)
    if override_rank == computed_rank:
        return computed_band
    if override_rank < computed_rank:
        raise OverrideError(
            "professional judgement can raise a risk level but never lower it: "
            f"{_q(override_band)} is below the computed {_q(computed_band)}"
        )
    if reason is None or not reason.strip():
        raise OverrideError(
            f"a reason is required to raise the risk level from {_q(computed_band)} "
            f"to {_q(override_band)}"
        )
    return override_band


def _answered(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _holds(
    condition: Condition,
    instrument: Instrument,
    answers: Mapping[str, object],
    total: int,
    band_rank: int,
) -> bool:
    if isinstance(condition, BandAtLeast):
        return band_rank >= band_order(instrument, condition.band)
    if isinstance(condition, ScoreAtLeast):
        return total >= condition.score
    if isinstance(condition, AnswerIs):
        value = answers.get(condition.question)
        if not _answered(value):
            return False
        if condition.at_least is not None:
            return isinstance(value, int | float) and value >= condition.at_least
        return value == condition.equals
    if isinstance(condition, AnyOf):
        return any(_holds(c, instrument, answers, total, band_rank) for c in condition.conditions)
    return all(_holds(c, instrument, answers, total, band_rank) for c in condition.conditions)


def score(
    instrument: Instrument,
    answers: Mapping[str, object],
    *,
    override_band: str | None = None,
    override_reason: str | None = None,
) -> Result:
    """Score ``answers`` (question id -> answer) against ``instrument``.

    Answers are ``"yes"``/``"no"`` (``"unknown"`` too for yes_no_unknown),
    a choice's ``value``, a number, or text. ``None`` or a blank string means
    not answered: it scores nothing and is listed in ``missing_required`` when
    the question is required. An unknown question id or an answer of the
    wrong type raises :class:`AnswerError`. With ``override_band``, the
    override is applied by :func:`apply_override` and triggers are judged on
    the resulting band.
    """
    by_id = {question.id: question for question in instrument.questions}
    for key, value in answers.items():
        if not isinstance(key, str) or key not in by_id:
            raise AnswerError(
                f"answers.{key}",
                f"no such question in instrument {instrument.slug} {instrument.version}",
            )
        if _answered(value):
            problem = _answer_problem(by_id[key], value)
            if problem is not None:
                raise AnswerError(f"answers.{key}", problem)

    total = 0
    missing: list[str] = []
    for question in instrument.questions:
        value = answers.get(question.id)
        if not _answered(value):
            if question.required:
                missing.append(question.id)
            continue
        if question.type in ("yes_no", "yes_no_unknown") and value == "yes":
            total += question.score
        elif question.type == "choice":
            total += next(c.score for c in question.choices if c.value == value)

    score_band = instrument.band_for_score(total).id
    held = tuple(
        floor for floor in instrument.floors if _holds(floor.when, instrument, answers, total, 0)
    )
    computed = max(
        [score_band, *(floor.band for floor in held)],
        key=lambda band_id: band_order(instrument, band_id),
    )
    band = computed
    reason = None
    if override_band is not None:
        band = apply_override(instrument, computed, override_band, override_reason)
        reason = override_reason.strip() if band != computed and override_reason else None
    elif override_reason is not None:
        raise OverrideError("override_reason given without override_band")

    rank = band_order(instrument, band)
    fired = tuple(
        trigger.id
        for trigger in instrument.triggers
        if _holds(trigger.when, instrument, answers, total, rank)
    )
    return Result(
        instrument_slug=instrument.slug,
        instrument_version=instrument.version,
        score=total,
        computed_band=computed,
        score_band=score_band,
        floors=tuple(floor.id for floor in held),
        band=band,
        triggers=fired,
        missing_required=tuple(missing),
        override_reason=reason,
    )
