"""Volume of a suspect's contact: per day (or week), at night, and in bursts. Pure Python.

``volume(times)`` takes local wall-clock times; ``volume_svg`` draws the bars with the numbers
printed (presentation attributes only, so it renders under the page's CSP); the page shows the same
figures as a table beside it.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape

NIGHT_START, NIGHT_END = 22, 6  # 22:00 to 05:59
BURST_GAP = datetime.timedelta(minutes=10)
BURST_MIN = 10


@dataclass(frozen=True, slots=True)
class Burst:
    start: datetime.datetime
    end: datetime.datetime
    count: int

    @property
    def minutes(self) -> int:
        return max(1, round((self.end - self.start).total_seconds() / 60))


@dataclass(frozen=True, slots=True)
class Bucket:
    start: datetime.date
    total: int
    night: int

    @property
    def day(self) -> int:
        return self.total - self.night


@dataclass
class Volume:
    buckets: list[Bucket] = field(default_factory=list)
    per: str = "day"  # or "week" when the period is long
    total: int = 0
    night: int = 0
    bursts: list[Burst] = field(default_factory=list)
    first: datetime.datetime | None = None
    last: datetime.datetime | None = None
    peak: Bucket | None = None
    active_days: int = 0

    @property
    def night_share(self) -> int:
        return round(100 * self.night / self.total) if self.total else 0


def is_night(t: datetime.datetime) -> bool:
    return t.hour >= NIGHT_START or t.hour < NIGHT_END


def volume(
    times: Iterable[datetime.datetime],
    *,
    burst_gap: datetime.timedelta = BURST_GAP,
    burst_min: int = BURST_MIN,
    max_days: int = 92,
) -> Volume:
    ordered = sorted(times)
    result = Volume(total=len(ordered))
    if not ordered:
        return result
    result.first, result.last = ordered[0], ordered[-1]
    days: Counter[datetime.date] = Counter()
    nights: Counter[datetime.date] = Counter()
    run_start, run_count, previous = ordered[0], 0, ordered[0]
    for t in ordered:
        days[t.date()] += 1
        if is_night(t):
            nights[t.date()] += 1
            result.night += 1
        if t - previous > burst_gap:
            if run_count >= burst_min:
                result.bursts.append(Burst(run_start, previous, run_count))
            run_start, run_count = t, 0
        run_count += 1
        previous = t
    if run_count >= burst_min:
        result.bursts.append(Burst(run_start, previous, run_count))
    result.active_days = len(days)
    first_day, last_day = ordered[0].date(), ordered[-1].date()
    span = (last_day - first_day).days + 1
    if span > max_days:
        result.per = "week"
        weeks: Counter[datetime.date] = Counter()
        week_nights: Counter[datetime.date] = Counter()
        for d, n in days.items():
            monday = d - datetime.timedelta(days=d.weekday())
            weeks[monday] += n
            week_nights[monday] += nights[d]
        start = first_day - datetime.timedelta(days=first_day.weekday())
        step = datetime.timedelta(days=7)
        count = (last_day - start).days // 7 + 1
        result.buckets = [
            Bucket(start + i * step, weeks[start + i * step], week_nights[start + i * step])
            for i in range(count)
        ]
    else:
        result.buckets = [
            Bucket(d, days[d], nights[d])
            for d in (first_day + datetime.timedelta(days=i) for i in range(span))
        ]
    result.peak = max(result.buckets, key=lambda b: (b.total, b.start))
    return result


def volume_svg(v: Volume, *, title: str, svg_id: str, max_bars: int = 60) -> str:
    """Stacked bars (daytime light, night dark) for the last ``max_bars`` days or weeks, each with
    its total printed; the table beside it has every row."""
    buckets = v.buckets[-max_bars:]
    left, bar, head, plot_h, foot = 44, 14, 28, 160, 44
    width = left + bar * max(1, len(buckets)) + 16
    height = head + plot_h + foot
    top = max((b.total for b in buckets), default=0) or 1
    shown = (
        f"the last {len(buckets)} {v.per}s" if len(buckets) < len(v.buckets) else "every " + v.per
    )
    desc = (
        f"{v.total} messages and calls, {v.night} at night (22:00 to 06:00), {len(v.bursts)} "
        f"bursts; bars show {shown}, the darker part at night. The table below has the figures."
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{svg_id}-title '
        f'{svg_id}-desc" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-family="Arial, sans-serif" font-size="10">',
        f'<title id="{svg_id}-title">{escape(title)}</title>',
        f'<desc id="{svg_id}-desc">{escape(desc)}</desc>',
        f'<text x="{left}" y="14" font-size="11">Per {v.per}: light = 06:00 to 22:00, '
        "dark = night</text>",
    ]
    base = head + plot_h
    for tick in (0, top // 2, top):
        y = base - plot_h * tick / top
        out.append(
            f'<text x="{left - 6}" y="{y + 3:.0f}" text-anchor="end">{tick}</text>'
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - 16}" y2="{y:.1f}" stroke="#b1b4b6" '
            'stroke-width="0.5"/>'
        )
    for i, b in enumerate(buckets):
        x = left + i * bar
        day_h, night_h = plot_h * b.day / top, plot_h * b.night / top
        if b.night:
            out.append(
                f'<rect x="{x + 1}" y="{base - night_h:.1f}" width="{bar - 2}" '
                f'height="{night_h:.1f}" fill="#0b0c0c"/>'
            )
        if b.day:
            out.append(
                f'<rect x="{x + 1}" y="{base - night_h - day_h:.1f}" width="{bar - 2}" '
                f'height="{day_h:.1f}" fill="#5694ca"/>'
            )
        if b.total:
            out.append(
                f'<text x="{x + bar / 2:.0f}" y="{base - night_h - day_h - 3:.0f}" '
                f'text-anchor="middle" font-size="8">{b.total}</text>'
            )
        if i % 7 == 0 or len(buckets) <= 14:
            out.append(
                f'<text x="{x + bar / 2:.0f}" y="{base + 14}" text-anchor="middle" '
                f'font-size="8">{b.start.day} {b.start:%b}</text>'
            )
    out.append(
        f'<line x1="{left}" y1="{base}" x2="{width - 16}" y2="{base}" stroke="#0b0c0c"/></svg>'
    )
    return "".join(out)
