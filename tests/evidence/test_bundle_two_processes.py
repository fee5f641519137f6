"""A long chronology's PDF is drawn in two processes and joined (harbour.evidence.pdfparts): the
joined PDF must read exactly as the one drawn in one go would: every entry once and in order,
every page numbered "Page n of N" in the same place, one structure tree covering every page, and
the bookmarks of both halves."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest

from harbour.evidence import bundle as bundle_module
from harbour.evidence import services
from harbour.evidence.bundle import produce_bundle

pytestmark = pytest.mark.django_db

ENTRIES = 12


@pytest.fixture
def long_diary(case_a, cast, log):
    for n in range(ENTRIES):
        log(behaviours=["calls"], count=n + 1)
    return case_a


@pytest.fixture
def in_two_halves(settings, monkeypatch):
    """Two diary entries per table and the two-process drawing from two entries up."""
    settings.HARBOUR_BUNDLE_TWO_PROCESSES_FROM = 2
    monkeypatch.setattr(bundle_module, "CHRONOLOGY_CHUNK", 2)
    monkeypatch.setattr(bundle_module.os, "cpu_count", lambda: 2)
    drawn = []
    real = bundle_module.pdfparts.render_halves

    def spy(first: str, second: str):  # type: ignore[no-untyped-def]
        drawn.append((first, second))
        return real(first, second)

    monkeypatch.setattr(bundle_module.pdfparts, "render_halves", spy)
    return drawn


def pdf_of(bundle) -> bytes:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(io.BytesIO(b"".join(services.read_bundle(bundle)))) as zf:
        return zf.read("bundle.pdf")


def pages_text(path: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]


def test_a_long_chronology_is_drawn_in_two_halves_and_reads_as_one_pdf(
    long_diary, cast, in_two_halves, tmp_path
):
    made = produce_bundle(long_diary, by=cast["alice"])
    assert len(in_two_halves) == 1
    path = tmp_path / "bundle.pdf"
    path.write_bytes(pdf_of(made))
    pages = pages_text(path)
    assert len(pages) == made.pdf_pages
    for n, page in enumerate(pages, start=1):
        assert re.findall(r"Page \d+ of \d+", page) == [f"Page {n} of {made.pdf_pages}"]
    refs = re.findall(r"^\s*(D\d{3})\s", "\n".join(pages), flags=re.M)
    assert refs == [f"D{n:03d}" for n in range(1, ENTRIES + 1)]
    whole = "\n".join(pages)
    assert whole.count("Chronology") >= 1 and "Exhibits" in whole
    assert "The full text of every entry is in chronology.csv" in whole
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info
    assert "Title:           Evidence bundle" in info


def test_the_joined_pdf_has_one_structure_tree_over_every_page(
    long_diary, cast, in_two_halves, tmp_path
):
    made = produce_bundle(long_diary, by=cast["alice"])
    pdf = pikepdf.open(io.BytesIO(pdf_of(made)))
    tree = pdf.Root.StructTreeRoot
    numbers = tree.ParentTree.Nums
    keys = [int(numbers[i]) for i in range(0, len(numbers), 2)]
    assert len(keys) == len(set(keys))
    page_keys = [int(page.obj.StructParents) for page in pdf.pages]
    assert sorted(page_keys) == sorted(set(page_keys))
    assert set(page_keys) <= set(keys)
    page_ids = {page.obj.objgen for page in pdf.pages}
    document = tree.K[0] if isinstance(tree.K, pikepdf.Array) else tree.K
    seen_pages = set()

    def walk(element):  # type: ignore[no-untyped-def]
        if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
            return
        if "/Pg" in element:
            assert element.Pg.objgen in page_ids
            seen_pages.add(element.Pg.objgen)
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                assert kid.P.objgen == element.objgen
            walk(kid)

    walk(document)
    assert seen_pages == page_ids  # the second half's pages are reached from the one tree
    with pdf.open_outline() as outline:
        [cover] = outline.root  # as drawn in one go: the headings under the bundle's title
        titles = [item.title for item in cover.children]
        exhibits = next(item for item in cover.children if item.title == "Exhibits")
        target = exhibits.destination[0].objgen
    assert cover.title.startswith("Evidence bundle")
    assert titles.index("Chronology") < titles.index("Exhibits")
    assert target == pdf.pages[-1].obj.objgen


def word_box(path: Path, word: str) -> tuple[float, float]:
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.search(rf'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>{word}</word>', html)
    assert found, word
    return float(found.group(1)), float(found.group(2))


def test_page_numbers_are_where_a_pdf_drawn_in_one_go_has_them(
    long_diary, cast, settings, monkeypatch, tmp_path
):
    one_go = tmp_path / "one.pdf"
    one_go.write_bytes(pdf_of(produce_bundle(long_diary, by=cast["alice"])))
    settings.HARBOUR_BUNDLE_TWO_PROCESSES_FROM = 2
    monkeypatch.setattr(bundle_module, "CHRONOLOGY_CHUNK", 2)
    monkeypatch.setattr(bundle_module.os, "cpu_count", lambda: 2)
    halves = tmp_path / "halves.pdf"
    halves.write_bytes(pdf_of(produce_bundle(long_diary, by=cast["alice"])))
    x1, y1 = word_box(one_go, "Page")
    x2, y2 = word_box(halves, "Page")
    assert abs(x1 - x2) < 1 and abs(y1 - y2) < 1


def test_a_short_chronology_is_drawn_in_one_go(long_diary, cast, monkeypatch):
    monkeypatch.setattr(bundle_module.os, "cpu_count", lambda: 2)
    drawn = []
    monkeypatch.setattr(
        bundle_module.pdfparts, "render_halves", lambda *a: drawn.append(a) or (_ for _ in ())
    )
    made = produce_bundle(long_diary, by=cast["alice"])
    assert drawn == [] and made.pdf_pages >= 4


def test_page_numbers_must_match_the_pages_they_stamp():
    from harbour.evidence import pdfparts

    one = pdfparts.render_untagged("<p>one</p>")
    two = pdfparts.render_untagged("<p>one</p><p style='break-before: page'>two</p>")
    with pytest.raises(ValueError, match="2 page numbers for 1 pages"):
        pdfparts.stamp_page_numbers(pikepdf.open(io.BytesIO(one)), two)


def test_a_failed_half_is_reported_without_quoting_the_bundle(monkeypatch):
    """The child's error message could quote the HTML (names, what happened): only its kind is
    passed on, since the error can reach logs and error reports."""
    from harbour.evidence import pdfparts

    monkeypatch.setattr(
        pdfparts.sys, "executable", "/bin/sh"
    )  # "-m harbour.evidence.pdfparts" makes sh fail
    with pytest.raises(RuntimeError) as failed:
        pdfparts.render_halves("<p>Sam Client</p>", "<p>Sam Client at 12 Acacia Road</p>")
    assert "drawing the second half of the PDF failed" in str(failed.value)
    assert "Sam" not in str(failed.value) and "Acacia" not in str(failed.value)
