"""Figures as CSV, XLSX and PDF. Exports carry exactly the published cells (``[c]`` where hidden)
and never a name, reference or anything else about a person; file names say only the period."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.template.loader import render_to_string

from harbour.reporting.dashboard import HIDDEN, Dashboard, FigureTable, QuarterlyReturn


def _cell(value: int | None) -> int | str:
    return HIDDEN if value is None else value


def figure_rows(table: FigureTable) -> list[list[int | str]]:
    out: list[list[int | str]] = [[table.title, table.period.label]]
    out.append(["", *(label for _col, label in table.columns)])
    out += [[row.label, *(_cell(v) for v in row.values)] for row in table.rows]
    return out


def return_rows(found: QuarterlyReturn) -> list[list[int | str]]:
    out: list[list[int | str]] = [["Quarterly return", found.period.label]]
    out.append(["Organisation", *(label for _code, label in found.columns)])
    out += [[name, *(_cell(v) for v in values)] for name, values in found.rows]
    return out


def csv_bytes(blocks: Iterable[Sequence[Sequence[int | str]]], note: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for block in blocks:
        for row in block:
            writer.writerow([_safe(v) for v in row])
        writer.writerow([])
    writer.writerow([note])
    return buffer.getvalue().encode("utf-8-sig")


def _safe(value: int | str) -> int | str:
    """No spreadsheet formula injection: text starting with = + - @ gets a leading quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def xlsx_bytes(sheets: Iterable[tuple[str, Sequence[Sequence[int | str]]]], note: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    first = True
    used: set[str] = set()
    for title, rows in sheets:
        name = _sheet_name(title, used)
        sheet = book.active if first else book.create_sheet()
        assert sheet is not None
        sheet.title = name
        first = False
        for row in rows:
            sheet.append([_safe(v) for v in row])
        sheet.append([])
        sheet.append([note])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 48
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_name(title: str, used: set[str]) -> str:
    clean = "".join(c for c in title if c not in "[]:*?/\\'")[:28] or "Sheet"
    name, n = clean, 2
    while name in used:
        name, n = f"{clean[:25]} {n}", n + 1
    used.add(name)
    return name


def dashboard_pdf(dash: Dashboard) -> bytes:
    from weasyprint import HTML

    from harbour.reporting.charts import bar_chart

    charts = {t.key: bar_chart(f"chart-{t.key}", t.title, t.chart()) for t in dash.tables}
    html = render_to_string("reporting/dashboard_pdf.html", {"dash": dash, "charts": charts})
    document = HTML(string=html, base_url=None).render(pdf_tags=True)
    data = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    assert data is not None
    return bytes(data)


def return_pdf(found: QuarterlyReturn, title: str, note: str) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "reporting/return_pdf.html", {"found": found, "title": title, "note": note}
    )
    document = HTML(string=html, base_url=None).render(pdf_tags=True)
    data = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)
    assert data is not None
    return bytes(data)
