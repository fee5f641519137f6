"""The pure core: what a rule names, and that the longest matching prefix wins."""

import pytest

from harbour.coverage.rules import BadPrefix, Level, longest_match, parse_prefix, prefixes_of


@pytest.mark.parametrize(
    ("raw", "prefix", "level"),
    [
        ("de", "DE", Level.AREA),
        ("S", "S", Level.AREA),
        ("de73", "DE73", Level.DISTRICT),
        ("SW1A", "SW1A", Level.DISTRICT),
        ("de73 5", "DE73 5", Level.SECTOR),
        (" DE73  5 ", "DE73 5", Level.SECTOR),
        ("de735ab", "DE73 5AB", Level.POSTCODE),
        ("S80 4", "S80 4", Level.SECTOR),
        ("ns2 4", "NS2 4", Level.SECTOR),  # not the district NS24
    ],
)
def test_a_rule_names_an_area_district_sector_or_full_postcode(raw, prefix, level):
    assert parse_prefix(raw) == (prefix, level)


@pytest.mark.parametrize("raw", ["", "   ", "123", "DE73 55", "DEX", "DE73 5A", "THREE"])
def test_text_that_is_no_postcode_prefix_is_refused_with_words(raw):
    with pytest.raises(BadPrefix, match="Enter a postcode"):
        parse_prefix(raw)


def test_a_postcode_is_covered_by_its_full_postcode_sector_district_and_area_longest_first():
    assert prefixes_of("de73 5ab") == ["DE73 5AB", "DE73 5", "DE73", "DE"]
    assert prefixes_of("S80 4AB") == ["S80 4AB", "S80 4", "S80", "S"]
    assert prefixes_of("NG10") == ["NG10", "NG"]
    assert prefixes_of("not a postcode") == []


def test_the_longest_matching_rule_wins():
    rules = {"DE": "county", "DE73": "county", "DE73 5": "city", "DE73 8XY": "other"}
    assert longest_match("DE73 5AB", rules) == ("DE73 5", "city")
    assert longest_match("DE73 8AB", rules) == ("DE73", "county")
    assert longest_match("DE73 8XY", rules) == ("DE73 8XY", "other")
    assert longest_match("DE99 1AA", rules) == ("DE", "county")
    assert longest_match("LE1 1AA", rules) is None


def test_a_district_rule_does_not_cover_a_longer_district():
    assert longest_match("DE11 0AA", {"DE1": "city"}) is None
