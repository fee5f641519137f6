"""The published JSON Schema for instrument files: valid itself, and it agrees with the loader."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from tests.risk.test_instrument import SHIPPED, dump, minimal

from harbour.risk.instrument import SCHEMA, InstrumentError, load_instrument

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs/risk-instruments.md"


def test_the_schema_is_a_valid_draft_2020_12_schema():
    Draft202012Validator.check_schema(SCHEMA)


def test_the_shipped_instrument_and_the_test_instrument_pass_the_schema():
    validator = Draft202012Validator(SCHEMA)
    assert not list(validator.iter_errors(json.loads(SHIPPED.read_text(encoding="utf-8"))))
    assert not list(validator.iter_errors(minimal()))


def test_the_example_in_the_authors_guide_passes_the_schema_and_loads():
    text = DOCS.read_text(encoding="utf-8")
    example = re.search(r"### Example\n\n```json\n(.*?)\n```", text, re.S)
    assert example, "docs/risk-instruments.md has lost its example"
    assert not list(Draft202012Validator(SCHEMA).iter_errors(json.loads(example.group(1))))
    assert load_instrument(example.group(1)).slug == "example-checklist"


def test_the_authors_guide_names_the_schema_file():
    assert "src/harbour/risk/instrument.schema.json" in DOCS.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("field", "value"),
    [("slug", "test-checklist\n"), ("version", "1.2.3\n"), ("questions.0.id", "fear\n")],
)
def test_a_trailing_newline_does_not_slip_past_a_pattern(field, value):
    data = minimal()
    *parents, last = field.split(".")
    target = data
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    target[last] = value
    with pytest.raises(InstrumentError, match="is not a (valid|semantic)"):
        load_instrument(dump(data))


def test_a_whole_number_written_as_a_decimal_scores_as_a_whole_number():
    data = minimal()
    data["questions"][0]["score"] = 2.0
    assert load_instrument(dump(data)).question("fear").score == 2
    assert isinstance(load_instrument(dump(data)).question("fear").score, int)


def test_conditions_nested_past_what_the_validator_can_walk_are_refused_cleanly():
    data = minimal()
    data["triggers"][0]["when"] = "WHEN"
    depth = 450  # the JSON parser takes it; walking the schema that deep needs far more frames
    when = '{"any_of": [' * depth + '{"score_at_least": 1}' + "]}" * depth
    with pytest.raises(InstrumentError, match="^nested too deeply"):
        load_instrument(dump(data).replace('"WHEN"', when))
