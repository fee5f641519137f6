import pytest
from hypothesis import given
from hypothesis import strategies as st

from harbour.core.identifiers import (
    normalise_email,
    normalise_name,
    normalise_phone,
    normalise_postcode,
    normalise_vehicle_reg,
    postcode_district,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("07911 123456", "+447911123456"),
        ("07911-123-456", "+447911123456"),
        ("+44 7911 123456", "+447911123456"),
        ("+44 (0)7911 123456", "+447911123456"),
        ("0044 7911 123456", "+447911123456"),
        ("  +447911123456 ", "+447911123456"),
        ("tel:+44-7911-123456", "+447911123456"),
        ("020 7946 0958", "+442079460958"),
        ("(0161) 496 0000", "+441614960000"),
        ("0800 123 4567", "+448001234567"),
        ("+1 202 555 0143", "+12025550143"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("07911 12345", None),  # too short
        ("07700 900123", None),  # Ofcom drama range: not a real number
        ("999", None),
        ("12345", None),
        ("not a number", None),
        ("", None),
        (None, None),
        ("0" * 600, None),
    ],
)
def test_normalise_phone(raw: str | None, expected: str | None) -> None:
    assert normalise_phone(raw) == expected


def test_normalise_phone_reads_national_numbers_in_the_given_region() -> None:
    assert normalise_phone("085 123 4567") is None
    assert normalise_phone("085 123 4567", region="IE") == "+353851234567"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Someone@Example.ORG", "someone@example.org"),
        ("  someone@example.org\n", "someone@example.org"),
        ("First.Last+tag@Example.co.uk", "first.last+tag@example.co.uk"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_email(raw: str | None, expected: str) -> None:
    assert normalise_email(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Jane Smith", "jane smith"),
        ("  JANE   SMITH  ", "jane smith"),
        ("Jane\tSmith\n", "jane smith"),
        ("Zoë Brontë", "zoe bronte"),
        ("José María", "jose maria"),
        ("Straße", "strasse"),
        ("Øyvind Æsir", "oyvind aesir"),
        ("Łukasz", "lukasz"),
        ("İlkay", "ilkay"),
        ("ﬁona", "fiona"),
        ("O'Brien", "obrien"),
        ("O’Brien", "obrien"),
        ("OBrien", "obrien"),
        ("d'Arcy", "darcy"),
        ("Smith-Jones", "smith jones"),
        ("Smith – Jones", "smith jones"),
        ("Smith Jones", "smith jones"),
        ("Dr. J. Smith, Jr.", "dr j smith jr"),
        ("Jane (Janey) Smith", "jane janey smith"),
        ("李小龍", "李小龍"),
        ("Ахмед", "ахмед"),
        ("!!!", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_name(raw: str | None, expected: str) -> None:
    assert normalise_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("DE1 3AB", "DE1 3AB"),
        ("de13ab", "DE1 3AB"),
        ("  me14   1xx ", "ME14 1XX"),
        ("SW1A1AA", "SW1A 1AA"),
        ("ec1a 1bb", "EC1A 1BB"),
        ("W1A 0AX", "W1A 0AX"),
        ("M1 1AE", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("TN1 1AA", "TN1 1AA"),
        ("GIR 0AA", "GIR 0AA"),
        ("GIR 1AA", None),
        ("QA1 1AA", None),  # Q never starts a postcode
        ("DE1 3AC", None),  # C never ends an inward code
        ("DE1", None),  # outward code only
        ("DE1 3A", None),
        ("DE1 3ABX", None),
        ("12345", None),
        ("ASCN 1ZZ", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_postcode(raw: str | None, expected: str | None) -> None:
    assert normalise_postcode(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("DE1 3AB", "DE1"),
        ("ME14 1XX", "ME14"),
        ("me141xx", "ME14"),
        ("TN1", "TN1"),
        (" tn13 ", "TN13"),
        ("SW1A 1AA", "SW1A"),
        ("SW1A", "SW1A"),
        ("GIR 0AA", "GIR"),
        ("DE1 3AC", None),
        ("QA1", None),
        ("Derby", None),
        ("", None),
        (None, None),
    ],
)
def test_postcode_district(raw: str | None, expected: str | None) -> None:
    assert postcode_district(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("AB12 CDE", "AB12CDE"),
        ("ab12cde", "AB12CDE"),
        (" ab12-cde ", "AB12CDE"),
        ("A123 BCD", "A123BCD"),
        ("ABC 123D", "ABC123D"),
        ("ABZ 1234", "ABZ1234"),
        ("1 ABC", "1ABC"),
        ("ＡＢ１２ＣＤＥ", "AB12CDE"),
        ("!!", None),
        ("ABCDEFGHIJK", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_vehicle_reg(raw: str | None, expected: str | None) -> None:
    assert normalise_vehicle_reg(raw) == expected


@given(st.text(max_size=80))
def test_normalisers_are_idempotent_and_never_raise(raw: str) -> None:
    name = normalise_name(raw)
    assert normalise_name(name) == name
    postcode = normalise_postcode(raw)
    if postcode is not None:
        assert normalise_postcode(postcode) == postcode
        assert postcode_district(raw) == postcode.split(" ")[0]
    plate = normalise_vehicle_reg(raw)
    if plate is not None:
        assert normalise_vehicle_reg(plate) == plate
    phone = normalise_phone(raw)
    if phone is not None:
        assert normalise_phone(phone) == phone
    assert normalise_email(normalise_email(raw)) == normalise_email(raw)
