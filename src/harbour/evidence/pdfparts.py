"""A long bundle PDF drawn in two processes at once, and the halves joined into one tagged PDF.

Why: WeasyPrint spends about 6 ms of CPU on each chronology entry whatever the stylesheet (tried on
a 1,000-entry bundle: borders, row headers' shading, line height, one long table or tables of 40
rows all cost the same to within 5 %), so a 5,000-entry chronology alone takes about 30 s in one
process, and the bundle's target is 30 s in all (issue #11). Drawn as two halves, one per core, and
joined, it takes about half that.

The join keeps what makes the PDF accessible and usable:

- one structure tree: the second half's elements go under the first half's Document element, in
  order, and its pages' keys in the parent tree move past the first half's;
- the bookmarks of both halves, pointing at the right pages;
- the first half's language, title, author and PDF/UA identification (the halves share them).

Page numbers ("Page 12 of 318") cannot be known while the halves are drawn, so the halves are drawn
without them and every page of the joined PDF is then stamped with its number. The stamps are drawn
by WeasyPrint too, from the same page size and margins, and each is marked as a pagination
artifact, which is what PDF/UA asks of page numbers (not content to read out between paragraphs).

The second half is drawn by this module run in a fresh interpreter (``python -m
harbour.evidence.pdfparts``, HTML in, PDF out: a forked copy of a threaded server could inherit a
lock held by another thread, and ``multiprocessing`` would import the server's main module again),
so it imports neither Django nor the rest of Harbour.
"""

from __future__ import annotations

import contextlib
import io
import subprocess
import sys
import tempfile

import pikepdf

PDF_VARIANT = "pdf/ua-1"
#: The second half takes about as long as the first; this only stops a stuck child for ever.
CHILD_TIMEOUT = 600


def render_tagged(html: str) -> tuple[bytes, int]:
    """One HTML document as a tagged PDF/UA-1 PDF, and its page count."""
    from weasyprint import HTML  # noqa: PLC0415  (heavy: loaded only where a PDF is drawn)

    document = HTML(string=html, base_url=None).render(pdf_tags=True)
    data = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
    assert data is not None
    return data, len(document.pages)


def render_untagged(html: str) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415

    data = HTML(string=html, base_url=None).write_pdf()
    assert isinstance(data, bytes)
    return data


def render_halves(first: str, second: str) -> tuple[tuple[bytes, int], tuple[bytes, int]]:
    """Both halves at once: the second in a child process, the first in this one."""
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(  # noqa: S603  (this interpreter, this module)
            [sys.executable, "-m", "harbour.evidence.pdfparts"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
        )
        assert child.stdin is not None and child.stdout is not None
        try:
            with contextlib.suppress(BrokenPipeError):  # a child that died: reported below
                child.stdin.write(second.encode())
                child.stdin.close()
            drawn_here = render_tagged(first)
            output = child.stdout.read()
            child.wait(timeout=CHILD_TIMEOUT)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
        if child.returncode != 0:
            errors.seek(0)
            last = (errors.read().decode(errors="replace").strip().splitlines() or [""])[-1]
            # Only the kind of error: its message could quote the bundle's text, which must not
            # reach a log or an error report.
            kind = last.split(":", 1)[0][:80]
            raise RuntimeError(
                f"drawing the second half of the PDF failed ({kind or child.returncode})"
            )
    head, _, data = output.partition(b"\n")
    return drawn_here, (data, int(head))


def _child() -> None:
    """``python -m harbour.evidence.pdfparts``: HTML on stdin; page count, a newline, the PDF out."""
    data, pages = render_tagged(sys.stdin.buffer.read().decode())
    sys.stdout.buffer.write(b"%d\n" % pages)
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _document_element(tree: pikepdf.Object) -> pikepdf.Object:
    kids = tree.K
    return kids[0] if isinstance(kids, pikepdf.Array) else kids


def join(first: bytes, second: bytes) -> pikepdf.Pdf:
    """The second PDF's pages, structure and bookmarks after the first's."""
    joined = pikepdf.open(io.BytesIO(first))
    tail = pikepdf.open(io.BytesIO(second))
    tree = joined.Root.StructTreeRoot
    numbers = tree.ParentTree.Nums
    offset = max(int(numbers[i]) for i in range(0, len(numbers), 2)) + 1
    for page in tail.pages:
        if "/StructParents" in page.obj:
            page.obj.StructParents = int(page.obj.StructParents) + offset
    pages_before = len(joined.pages)
    tail_index = {page.obj.objgen: n for n, page in enumerate(tail.pages)}
    with tail.open_outline() as outline:
        marks = []
        for item in outline.root:
            target = item.destination
            page_n = tail_index.get(target[0].objgen, 0) if isinstance(target, pikepdf.Array) else 0
            marks.append((item.title, pages_before + page_n))
    joined.pages.extend(tail.pages)
    # Copied after the pages, so the elements' /Pg references land on the copied pages.
    tail_tree = joined.copy_foreign(tail.Root.StructTreeRoot)
    document = _document_element(tree)
    kids = document.K if isinstance(document.K, pikepdf.Array) else pikepdf.Array([document.K])
    for element in _document_element(tail_tree).K:
        element.P = document
        kids.append(element)
    document.K = kids
    tail_numbers = tail_tree.ParentTree.Nums
    for i in range(0, len(tail_numbers), 2):
        numbers.append(int(tail_numbers[i]) + offset)
        numbers.append(tail_numbers[i + 1])
    if "/ParentTreeNextKey" in tree:
        tree.ParentTreeNextKey = offset + int(tail_tree.get("/ParentTreeNextKey", len(tail.pages)))
    with joined.open_outline() as outline:
        # Drawn in one go, the second half's headings would sit under the cover's title (the one
        # top-level bookmark); the second half has no cover, so its headings start at the top.
        under = outline.root[0].children if len(outline.root) == 1 else outline.root
        for title, page_n in marks:
            under.append(pikepdf.OutlineItem(title, page_n))
    return joined


ARTIFACT = b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC q "


def stamp_page_numbers(pdf: pikepdf.Pdf, stamps: bytes) -> None:
    """Draw page ``n`` of ``stamps`` over page ``n`` of ``pdf``, as a pagination artifact."""
    numbers = pikepdf.open(io.BytesIO(stamps))
    if len(numbers.pages) != len(pdf.pages):
        raise ValueError(f"{len(numbers.pages)} page numbers for {len(pdf.pages)} pages")
    for page, stamp in zip(pdf.pages, numbers.pages, strict=True):
        form = pdf.copy_foreign(stamp.as_form_xobject())
        name = page.add_resource(form, pikepdf.Name.XObject, prefix="PageNo")
        # The page's own drawing may leave its coordinates changed: restore them first.
        page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
        page.contents_add(pikepdf.Stream(pdf, b"\nQ\n" + ARTIFACT + bytes(name) + b" Do Q EMC\n"))


def to_bytes(pdf: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    # Object streams and compressed streams, as WeasyPrint writes them (without, the PDF doubles).
    pdf.save(
        out,
        compress_streams=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        stream_decode_level=pikepdf.StreamDecodeLevel.none,
    )
    return out.getvalue()


if __name__ == "__main__":
    _child()
