"""A summary of an export (counts, dates, decisions, flags; never a message).

``harbour parse-export FILE`` (the Django command in ``harbour.core``) and
``python -m harbour_parsers.cli FILE`` (no Django) both use it.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from typing import Any

from harbour_parsers.csvlog import CsvMapping
from harbour_parsers.detect import FORMATS, parse
from harbour_parsers.errors import ParseError

HELP = (
    "Read an evidence export (WhatsApp, SMS backup, email, Telegram, Facebook/Instagram, CSV) and "
    "print counts, dates, decisions and what to check; never the messages."
)


def add_arguments(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("file")
    ap.add_argument("--format", choices=FORMATS, help="detected from the file when not given")
    order = ap.add_mutually_exclusive_group()
    order.add_argument("--day-first", action="store_true", help="WhatsApp: dates are day first")
    order.add_argument("--month-first", action="store_true", help="WhatsApp: dates are month first")
    ap.add_argument("--me", help="your name or address as the export writes it (sets directions)")
    ap.add_argument(
        "--map", action="append", default=[], metavar="FIELD=COLUMN",
        help="CSV: which column holds timestamp, text, sender, recipients, direction, call_type, duration",
    )  # fmt: skip
    ap.add_argument(
        "--time-format", default="iso", help="CSV: strptime format, iso, epoch-s or epoch-ms"
    )


def summary(options: dict[str, Any]) -> list[str]:
    """The summary's lines; raises ParseError for an unreadable file or a bad CSV mapping."""
    kwargs: dict[str, Any] = {}
    if options.get("me"):
        kwargs["me"] = options["me"]
    if options.get("day_first") or options.get("month_first"):
        kwargs["day_first"] = bool(options.get("day_first"))
    if options.get("format") == "csv":
        fields = dict(item.split("=", 1) for item in options.get("map") or [] if "=" in item)
        if "timestamp" not in fields:
            raise ParseError("a CSV log needs --map timestamp=COLUMN")
        try:
            mapping = CsvMapping(timestamp_format=options.get("time_format") or "iso", **fields)
        except TypeError as exc:
            raise ParseError(f"unknown field in --map ({exc})") from exc
        kwargs = {"mapping": mapping}
    result = parse(options["file"], options.get("format"), **kwargs)
    kinds: Counter[str] = Counter()
    senders: set[str] = set()
    first = last = None
    for record in result:
        kinds[record.kind.value] += 1
        if record.sender:
            senders.add(record.sender)
        if record.timestamp is not None:
            first = record.timestamp if first is None else min(first, record.timestamp)
            last = record.timestamp if last is None else max(last, record.timestamp)
    report = result.report
    lines = [
        f"format: {report.format}",
        f"records: {report.records} ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))})",
        f"senders: {len(senders)}",
    ]
    if first is not None and last is not None:
        lines.append(f"from {first.isoformat()} to {last.isoformat()}")
    lines += [f"{key}: {value}" for key, value in report.decisions.items()]
    lines += [f"evidence: {line}" for line in report.evidence]
    lines += [f"check: {line}" for line in report.flags[:50]]
    if len(report.flags) > 50:
        lines.append(f"check: ... and {len(report.flags) - 50} more")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m harbour_parsers.cli", description=HELP)
    add_arguments(ap)
    args = ap.parse_args(argv)
    try:
        lines = summary(vars(args))
    except ParseError as exc:
        print(f"parse-export: {exc}", file=sys.stderr)
        return 2
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
