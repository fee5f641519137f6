"""Risk instruments as versioned data, and the scoring that uses them.

An instrument (a structured risk checklist) is a JSON document in the
``harbour-instrument/1`` format described in ``docs/risk-instruments.md``.
Licensed checklists (DASH, S-DASH, SASH, SRP) are never shipped: a service
that holds a licence writes its own file and loads it; Harbour ships one
instrument in its own words.

Everything here is pure: :func:`load_instrument` turns text into frozen
dataclasses (or raises :class:`InstrumentError` naming the path of the fault),
and :func:`score` turns an instrument plus stored answers into a
:class:`Result`. The same answers and the same instrument version always give
the same result, so an assessment stores only the instrument's slug and
version, the answers, the computed band and any override with its reason.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final, Literal, NoReturn, cast, get_args

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

# Defensive limits; real instruments are far smaller.
MAX_QUESTIONS: Final = 500
MAX_CHOICES: Final = 100
MAX_BANDS: Final = 20
MAX_TRIGGERS: Final = 100
MAX_CONDITION_DEPTH: Final = 10
MAX_SCORE_PER_ANSWER: Final = 1000
MAX_SHORT_TEXT: Final = 200  # names, labels, sections
MAX_LONG_TEXT: Final = 4000  # question text, help, licence, description
MAX_TEXT_ANSWER: Final = 10_000

QuestionType = Literal["yes_no", "yes_no_unknown", "choice", "number", "text"]
QUESTION_TYPES: Final[tuple[str, ...]] = get_args(QuestionType)
YES_NO: Final = ("yes", "no")
YES_NO_UNKNOWN: Final = ("yes", "no", "unknown")
DEFAULT_YES_SCORE: Final = 1

_ID_RE = re.compile(r"[a-z][a-z0-9_]{0,63}", re.ASCII)
_SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*", re.ASCII)
_SEMVER_RE = re.compile(
    r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)"
    r"(?:-((?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)"
    r"(?:\.(?:0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?",
    re.ASCII,
)


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
    """The band the score alone gives."""
    band: str
    """The band in force: ``computed_band``, or the override when one raised it."""
    triggers: tuple[str, ...]
    """Ids of the triggers that fired (judged on ``band``), in instrument order."""
    missing_required: tuple[str, ...]
    """Ids of required questions left unanswered, in instrument order."""
    override_reason: str | None = None

    @property
    def complete(self) -> bool:
        return not self.missing_required

    @property
    def overridden(self) -> bool:
        return self.band != self.computed_band


# --- loading --------------------------------------------------------------------


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


def _object(
    value: object, path: str, *, required: Sequence[str], optional: Sequence[str] = ()
) -> dict[str, Any]:
    if not isinstance(value, dict):
        _fail(path, f"must be an object, not {_type_name(value)}")
    allowed = set(required) | set(optional)
    for key in value:
        if key not in allowed:
            _fail(_join(path, key), "unknown key (allowed: " + ", ".join(sorted(allowed)) + ")")
    for key in required:
        if key not in value:
            _fail(_join(path, key), "required")
    return value


def _list(value: object, path: str, *, limit: int, non_empty: bool = True) -> list[Any]:
    if not isinstance(value, list):
        _fail(path, f"must be a list, not {_type_name(value)}")
    if non_empty and not value:
        _fail(path, "must not be empty")
    if len(value) > limit:
        _fail(path, f"too many entries ({len(value)}; the limit is {limit})")
    return value


def _text(value: object, path: str, *, limit: int) -> str:
    if not isinstance(value, str):
        _fail(path, f"must be a string, not {_type_name(value)}")
    if not value.strip():
        _fail(path, "must not be blank")
    if len(value) > limit:
        _fail(path, f"too long ({len(value)} characters; the limit is {limit})")
    return value


def _optional_text(data: Mapping[str, Any], key: str, path: str, *, limit: int) -> str | None:
    if key not in data:
        return None
    return _text(data[key], _join(path, key), limit=limit)


def _ident(value: object, path: str) -> str:
    if not isinstance(value, str):
        _fail(path, f"must be a string, not {_type_name(value)}")
    if not _ID_RE.fullmatch(value):
        _fail(
            path,
            f"{_q(value)} is not a valid id (lower-case letters, digits and underscores, "
            "starting with a letter, at most 64 characters)",
        )
    return value


def _non_negative_int(value: object, path: str, *, limit: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(path, f"must be a whole number, not {_type_name(value)}")
    if value < 0:
        _fail(path, f"must not be negative (got {value})")
    if limit is not None and value > limit:
        _fail(path, f"must be at most {limit} (got {value})")
    return value


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


def _question(data: object, path: str) -> Question:
    obj = _object(
        data,
        path,
        required=("id", "text", "type", "required"),
        optional=("help", "section", "score", "choices"),
    )
    qid = _ident(obj["id"], _join(path, "id"))
    text = _text(obj["text"], _join(path, "text"), limit=MAX_LONG_TEXT)
    qtype = obj["type"]
    if qtype not in QUESTION_TYPES:
        _fail(
            _join(path, "type"),
            f"{_q(qtype)} is not a question type (expected one of "
            + ", ".join(_q(t) for t in QUESTION_TYPES)
            + ")",
        )
    required = obj["required"]
    if not isinstance(required, bool):
        _fail(_join(path, "required"), f"must be true or false, not {_type_name(required)}")
    help_text = _optional_text(obj, "help", path, limit=MAX_LONG_TEXT)
    section = _optional_text(obj, "section", path, limit=MAX_SHORT_TEXT)

    yes_score = 0
    if "score" in obj:
        if qtype == "choice":
            _fail(_join(path, "score"), 'not allowed for type "choice" (score each choice instead)')
        if qtype in ("number", "text"):
            _fail(_join(path, "score"), f"not allowed for type {_q(qtype)}, which does not score")
        yes_score = _non_negative_int(
            obj["score"], _join(path, "score"), limit=MAX_SCORE_PER_ANSWER
        )
    elif qtype in ("yes_no", "yes_no_unknown"):
        yes_score = DEFAULT_YES_SCORE

    choices: list[Choice] = []
    choices_path = _join(path, "choices")
    if qtype == "choice":
        if "choices" not in obj:
            _fail(choices_path, 'required for type "choice"')
        seen: dict[str, str] = {}
        for i, item in enumerate(_list(obj["choices"], choices_path, limit=MAX_CHOICES)):
            item_path = f"{choices_path}[{i}]"
            choice = _object(item, item_path, required=("value", "label", "score"))
            value = _text(choice["value"], _join(item_path, "value"), limit=MAX_SHORT_TEXT)
            _unique(seen, value, _join(item_path, "value"), "choice value")
            choices.append(
                Choice(
                    value=value,
                    label=_text(choice["label"], _join(item_path, "label"), limit=MAX_SHORT_TEXT),
                    score=_non_negative_int(
                        choice["score"], _join(item_path, "score"), limit=MAX_SCORE_PER_ANSWER
                    ),
                )
            )
    elif "choices" in obj:
        _fail(choices_path, 'only allowed for type "choice"')

    return Question(
        id=qid,
        text=text,
        type=cast(QuestionType, qtype),
        required=required,
        help=help_text,
        section=section,
        score=yes_score,
        choices=tuple(choices),
    )


_CONDITION_KEYS: Final = ("band_at_least", "score_at_least", "answer", "any_of", "all_of")


def _condition(
    data: object,
    path: str,
    *,
    questions: Mapping[str, Question],
    bands: Mapping[str, Band],
    max_score: int,
    depth: int = 0,
) -> Condition:
    if depth > MAX_CONDITION_DEPTH:
        _fail(path, f"conditions nested too deeply (the limit is {MAX_CONDITION_DEPTH})")
    obj = _object(data, path, required=(), optional=_CONDITION_KEYS)
    if len(obj) != 1:
        _fail(path, "must have exactly one of " + ", ".join(_CONDITION_KEYS))
    ((kind, value),) = obj.items()
    sub = _join(path, kind)
    if kind == "band_at_least":
        if not isinstance(value, str) or value not in bands:
            _fail(sub, f"unknown band {_q(value)} (bands: " + ", ".join(bands) + ")")
        return BandAtLeast(band=value)
    if kind == "score_at_least":
        threshold = _non_negative_int(value, sub)
        if threshold > max_score:
            _fail(
                sub, f"{threshold} can never be reached (the highest possible score is {max_score})"
            )
        return ScoreAtLeast(score=threshold)
    if kind == "answer":
        answer = _object(value, sub, required=("question",), optional=("equals", "at_least"))
        qid = answer["question"]
        if not isinstance(qid, str) or qid not in questions:
            _fail(_join(sub, "question"), f"unknown question {_q(qid)}")
        question = questions[qid]
        if ("equals" in answer) == ("at_least" in answer):
            _fail(sub, 'must have exactly one of "equals" or "at_least"')
        if "equals" in answer:
            expected = answer["equals"]
            problem = _answer_problem(question, expected)
            if problem is not None:
                _fail(_join(sub, "equals"), problem)
            return AnswerIs(question=qid, equals=cast(str | int | float, expected))
        if question.type != "number":
            _fail(
                _join(sub, "at_least"),
                f'only allowed for "number" questions, not {_q(question.type)}',
            )
        bound = answer["at_least"]
        problem = _answer_problem(question, bound)
        if problem is not None:
            _fail(_join(sub, "at_least"), problem)
        return AnswerIs(question=qid, at_least=cast(int | float, bound))
    items = _list(value, sub, limit=MAX_TRIGGERS)
    parts = tuple(
        _condition(
            item,
            f"{sub}[{i}]",
            questions=questions,
            bands=bands,
            max_score=max_score,
            depth=depth + 1,
        )
        for i, item in enumerate(items)
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
    if data.get("format") != FORMAT:
        _fail("format", f"must be {_q(FORMAT)} (got {_q(data.get('format'))})")
    obj = _object(
        data,
        "",
        required=("format", "slug", "name", "version", "licence", "questions", "scoring", "bands"),
        optional=("description", "triggers"),
    )

    slug = _text(obj["slug"], "slug", limit=64)
    if not _SLUG_RE.fullmatch(slug):
        _fail(
            "slug",
            f"{_q(slug)} is not a valid slug (lower-case letters, digits and single hyphens)",
        )
    version = _text(obj["version"], "version", limit=64)
    if not _SEMVER_RE.fullmatch(version):
        _fail("version", f'{_q(version)} is not a semantic version such as "1.0.0"')
    name = _text(obj["name"], "name", limit=MAX_SHORT_TEXT)
    licence = _text(obj["licence"], "licence", limit=MAX_LONG_TEXT)
    description = _optional_text(obj, "description", "", limit=MAX_LONG_TEXT)

    questions: list[Question] = []
    seen_questions: dict[str, str] = {}
    for i, item in enumerate(_list(obj["questions"], "questions", limit=MAX_QUESTIONS)):
        question = _question(item, f"questions[{i}]")
        _unique(seen_questions, question.id, f"questions[{i}].id", "question id")
        questions.append(question)
    by_id = {question.id: question for question in questions}
    max_score = sum(question.max_score for question in questions)

    _object(obj["scoring"], "scoring", required=("method",))
    if obj["scoring"]["method"] != "sum":
        _fail("scoring.method", f'{_q(obj["scoring"]["method"])} is not supported (only "sum")')

    bands: list[Band] = []
    seen_bands: dict[str, str] = {}
    for i, item in enumerate(_list(obj["bands"], "bands", limit=MAX_BANDS)):
        path = f"bands[{i}]"
        band_obj = _object(item, path, required=("id", "label", "min_score"))
        band_id = _ident(band_obj["id"], f"{path}.id")
        _unique(seen_bands, band_id, f"{path}.id", "band id")
        min_score = _non_negative_int(band_obj["min_score"], f"{path}.min_score")
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
        bands.append(
            Band(
                id=band_id,
                label=_text(band_obj["label"], f"{path}.label", limit=MAX_SHORT_TEXT),
                min_score=min_score,
            )
        )
    bands_by_id = {band.id: band for band in bands}

    triggers: list[Trigger] = []
    seen_triggers: dict[str, str] = {}
    raw_triggers = _list(obj.get("triggers", []), "triggers", limit=MAX_TRIGGERS, non_empty=False)
    for i, item in enumerate(raw_triggers):
        path = f"triggers[{i}]"
        trigger_obj = _object(item, path, required=("id", "label", "when"))
        trigger_id = _ident(trigger_obj["id"], f"{path}.id")
        _unique(seen_triggers, trigger_id, f"{path}.id", "trigger id")
        triggers.append(
            Trigger(
                id=trigger_id,
                label=_text(trigger_obj["label"], f"{path}.label", limit=MAX_SHORT_TEXT),
                when=_condition(
                    trigger_obj["when"],
                    f"{path}.when",
                    questions=by_id,
                    bands=bands_by_id,
                    max_score=max_score,
                ),
            )
        )

    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return Instrument(
        slug=slug,
        name=name,
        version=version,
        licence=licence,
        description=description,
        questions=tuple(questions),
        bands=tuple(bands),
        triggers=tuple(triggers),
        digest=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
    )


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

    computed = instrument.band_for_score(total).id
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
        band=band,
        triggers=fired,
        missing_required=tuple(missing),
        override_reason=reason,
    )
