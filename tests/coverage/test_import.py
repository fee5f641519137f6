"""``harbour areas import``: an ONS Postcode Directory extract, loaded all or nothing."""

import pytest
from django.core.management import CommandError, call_command

from harbour.audit.models import AuditEvent
from harbour.coverage import importer
from harbour.coverage.models import PostcodeAuthority
from tests.coverage.conftest import onspd

pytestmark = pytest.mark.django_db

GOOD = onspd(
    ("DE1 3AB", "", "E99999999", "E06000015"),
    ("DE73 5AB", "", "E99999999", "E06000015"),
    ("DE73 8AB", "", "E10000007", "E07000039"),
    ("DE4 9ZZ", "200512", "E10000007", "E07000035"),  # terminated
    ("GY1 1AA", "", "", "L99999999"),  # Channel Islands: no local authority
)


def test_an_onspd_file_loads_live_postcodes_with_their_authority_and_county(tmp_path, capsys):
    path = tmp_path / "ONSPD_NOV_2026_UK.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command("areas", "import", str(path))
    rows = {p.postcode: (p.authority, p.county) for p in PostcodeAuthority.objects.all()}
    assert rows == {
        "DE1 3AB": ("E06000015", ""),
        "DE73 5AB": ("E06000015", ""),
        "DE73 8AB": ("E07000039", "E10000007"),
    }
    assert "Loaded 3 postcodes (skipped 1 terminated, 1 with no local authority)" in (
        capsys.readouterr().out
    )
    assert AuditEvent.objects.get(verb="coverage.authorities_imported").payload["loaded"] == 3


def test_a_newer_header_with_lad_columns_is_understood():
    importer.import_text("pcds,lad25cd,cty25cd\nDE1 3AB,E06000015,\n")
    assert PostcodeAuthority.objects.get().authority == "E06000015"


def test_a_new_file_replaces_the_table():
    importer.import_text(GOOD)
    importer.import_text(onspd(("NG10 1AA", "", "E10000007", "E07000036")))
    assert list(PostcodeAuthority.objects.values_list("postcode", flat=True)) == ["NG10 1AA"]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("postcode,authority\nDE1 3AB,E06000015\n", "no postcode column"),
        ("pcds,ward\nDE1 3AB,E05000001\n", "no local authority column"),
        (
            "pcds,oslaua\nDE1 3AB,E06000015\nNOT A CODE,E06000015\n",
            "line 3: 'NOT A CODE' is not a postcode",
        ),
        ("pcds,oslaua\nDE1 3AB,Derby\n", "line 2: 'DERBY' is not an ONS local authority code"),
        ("pcds,oslaua\nDE1 3AB,E06000015,extra\n", "line 2: wrong number of columns"),
        ("pcds,oslaua\nDE1 3AB,E06000015\nde13ab,E06000015\n", "appears more than once"),
        ("pcds,oslaua\n", "no postcodes to load"),
    ],
)
def test_a_bad_file_is_refused_with_a_reason_and_changes_nothing(tmp_path, text, reason):
    importer.import_text(GOOD)
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match=reason):
        call_command("areas", "import", str(path))
    assert PostcodeAuthority.objects.count() == 3
    assert AuditEvent.objects.filter(verb="coverage.authorities_imported").count() == 1


def test_a_file_that_is_not_text_is_refused(tmp_path):
    path = tmp_path / "onspd.zip"
    path.write_bytes(b"PK\x03\x04\xff\xfe\x00binary")
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("areas", "import", str(path))


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="is not a file"):
        call_command("areas", "import", str(tmp_path / "nothing.csv"))
