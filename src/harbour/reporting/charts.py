"""Server-rendered SVG bar charts: every bar carries its label and its value as text, so nothing
depends on colour; a hidden count has no bar and says "[c]". Each chart sits beside the table of
the same numbers (the table is the accessible version; the chart is ``role="img"`` with a title
and a description)."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

ROW = 26
LABEL_WIDTH = 260
BAR_WIDTH = 300
WIDTH = LABEL_WIDTH + BAR_WIDTH + 70


def bar_chart(chart_id: str, title: str, bars: list[tuple[str, int | None]]) -> SafeString:
    shown = [v for _label, v in bars if v is not None]
    largest = max(shown, default=0) or 1
    height = ROW * len(bars) + 8
    described = ", ".join(
        f"{label}: {'hidden' if value is None else value}" for label, value in bars
    )
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="harbour-chart" role="img" '
            'font-family="system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif" '
            'aria-labelledby="{0}-title {0}-desc" viewBox="0 0 {1} {2}" width="100%" '
            'preserveAspectRatio="xMinYMin meet">'
            '<title id="{0}-title">{3}</title><desc id="{0}-desc">{4}</desc>',
            chart_id,
            WIDTH,
            height,
            title,
            described,
        )
    ]
    for i, (label, value) in enumerate(bars):
        y = i * ROW + 4
        short = label if len(label) <= 38 else label[:36] + "…"
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="13" text-anchor="end" fill="#0b0c0c">{}</text>',
                LABEL_WIDTH - 8,
                y + 16,
                short,
            )
        )
        if value is None:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="13" fill="#0b0c0c">[c] hidden</text>',
                    LABEL_WIDTH,
                    y + 16,
                )
            )
            continue
        width = round(BAR_WIDTH * value / largest) if value else 0
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="#1d70b8" stroke="#0b0c0c" '
                'stroke-width="1"></rect><text x="{}" y="{}" font-size="13" fill="#0b0c0c">{}</text>',
                LABEL_WIDTH,
                y + 2,
                max(width, 1) if value else 0,
                ROW - 8,
                LABEL_WIDTH + width + 6,
                y + 16,
                f"{value:,}",
            )
        )
    parts.append(mark_safe("</svg>"))  # noqa: S308 - a constant
    return mark_safe("".join(str(p) for p in parts))  # noqa: S308 - every part is escaped above
