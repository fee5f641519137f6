"""``harbour parse-export FILE``: read an export and print a summary (never the messages)."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from typing import Any

from harbour_parsers.csvlog import CsvMapping
from harbour_parsers.detect import FORMATS, parse
from harbour_parsers.errors import ParseError


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="harbour parse-export",
        description="Read an evidence export and print what it holds (counts, dates, decisions, "
        "flags), without printing any message.",
    )
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
    args = ap.parse_args(argv)

    options: dict[str, Any] = {}
    if args.me:
        options["me"] = args.me
    if args.day_first or args.month_first:
        options["day_first"] = bool(args.day_first)
    if args.format == "csv":
        fields = dict(item.split("=", 1) for item in args.map if "=" in item)
        if "timestamp" not in fields:
            ap.error("a CSV log needs --map timestamp=COLUMN")
        options = {"mapping": CsvMapping(timestamp_format=args.time_format, **fields)}
    try:
        result = parse(args.file, args.format, **options)
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
    except (ParseError, TypeError) as exc:
        print(f"harbour parse-export: {exc}", file=sys.stderr)
        return 2
    report = result.report
    print(f"format: {report.format}")
    print(f"records: {report.records} ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))})")
    print(f"senders: {len(senders)}")
    if first is not None:
        print(f"from {first.isoformat()} to {last.isoformat() if last else ''}")
    for key, value in report.decisions.items():
        print(f"{key}: {value}")
    for line in report.evidence:
        print(f"evidence: {line}")
    for line in report.flags[:50]:
        print(f"check: {line}")
    if len(report.flags) > 50:
        print(f"check: ... and {len(report.flags) - 50} more")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
