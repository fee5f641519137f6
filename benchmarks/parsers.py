"""How fast and how faithfully Harbour reads a large WhatsApp export, next to the open-source
parsers and a floor measured in the same run; and the peak memory of a 1 GB SMS backup.

    .venv/bin/pip install -e '.[bench]'        # whatstk and chat-miner (optional)
    .venv/bin/python benchmarks/parsers.py     # 200,000 messages and a 1 GB SMS file
    .venv/bin/python benchmarks/parsers.py --sms-megabytes 50   # a quick run

Everything is generated into a temporary directory (invented people) and removed afterwards.
The WhatsApp table: each parser's best time of ``--repeat`` runs, the messages it found, and how
many of the true messages it reproduced exactly (same time, sender and text). The floor reads the
file, decodes it and splits it into lines (it finds lines, not messages). whatstk and chat-miner
are measured if installed; the table says so when they are not.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from generate_exports import TrueMessage, write_sms, write_whatsapp  # noqa: E402

TARGET_SECONDS = 0.25
TARGET_FLOOR_RATIO = 6.0
TARGET_SMS_PEAK_MB = 300

Row = tuple[str, float | None, float | None, int | None, int | None, str]


def _best(fn: Callable[[], object], repeat: int) -> tuple[tuple[float, float], object]:
    """Best wall-clock and best CPU time of ``repeat`` runs (CPU time is what the process itself
    used, which a machine shared with other work inflates far less than wall-clock time)."""
    wall = cpu = float("inf")
    result: object = None
    for _ in range(repeat):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return (wall, cpu), result


def _exact(truth: list[TrueMessage], found: Iterable[tuple[datetime, str | None, str]]) -> int:
    want = Counter((t.timestamp, t.sender, t.text) for t in truth)
    got = Counter(found)
    return sum(min(n, got[key]) for key, n in want.items())


def _py(ts: object) -> object:
    to_py = getattr(ts, "to_pydatetime", None)
    return to_py() if to_py is not None else ts


def _quietly(fn: Callable[[], object]) -> Callable[[], object]:
    """Runs a peer with its progress bars (written to stderr) silenced."""

    def run() -> object:
        with open(os.devnull, "w") as devnull, contextlib.redirect_stderr(devnull):
            return fn()

    return run


def floor(path: Path) -> int:
    with open(path, "rb") as f:
        return len(f.read().decode("utf-8").split("\n"))


def harbour(path: Path) -> list:  # type: ignore[type-arg]
    from harbour_parsers import parse_whatsapp

    return list(parse_whatsapp(path))


def harbour_streamed(path: Path) -> int:
    from harbour_parsers import parse_whatsapp

    n = 0
    for _record in parse_whatsapp(path):
        n += 1
    return n


def whatsapp_rows(path: Path, truth: list[TrueMessage], repeat: int) -> list[Row]:
    rows: list[Row] = []
    seconds, lines = _best(lambda: floor(path), repeat)
    rows.append(("floor: read, decode, split lines", *seconds, lines, None, "counts lines"))

    seconds, records = _best(lambda: harbour(path), repeat)
    found = [(r.timestamp, r.sender, r.text) for r in records]  # type: ignore[attr-defined]
    exact = _exact(truth, found)
    del records
    streamed, count = _best(lambda: harbour_streamed(path), repeat)
    rows.append(("Harbour, streamed (as the import reads)", *streamed, count, exact, ""))  # type: ignore[arg-type]
    rows.append(
        (
            "Harbour, every record kept in a list",
            *seconds,
            len(found),
            exact,
            "as the peers keep a DataFrame",
        )
    )

    try:
        from whatstk import WhatsAppChat
    except ImportError:
        rows.append(
            ("whatstk 0.9.1", None, None, None, None, "not installed: pip install -e '.[bench]'")
        )
    else:
        for label, kwargs in (
            ("whatstk 0.9.1, format given", {"hformat": "%d/%m/%Y, %H:%M - %name:"}),
            ("whatstk 0.9.1, auto-detected", {}),
        ):
            try:
                seconds, chat = _best(
                    _quietly(
                        lambda kwargs=kwargs: WhatsAppChat.from_source(filepath=str(path), **kwargs)
                    ),
                    1,
                )
                df = chat.df  # type: ignore[attr-defined]
                found = [
                    (_py(ts), user, msg)
                    for ts, user, msg in zip(df["date"], df["username"], df["message"], strict=True)
                ]
                rows.append((label, *seconds, len(df), _exact(truth, found), ""))
            except Exception as exc:  # a peer failing is a result, not a crash of the benchmark
                rows.append(
                    (label, None, None, None, None, f"failed: {type(exc).__name__}: {exc}"[:60])
                )

    try:
        from chatminer.chatparsers import WhatsAppParser
    except ImportError:
        rows.append(
            ("chat-miner 0.6.0", None, None, None, None, "not installed: pip install -e '.[bench]'")
        )
    else:

        def chat_miner() -> object:
            parser = WhatsAppParser(str(path))
            parser.parse_file()
            return parser.parsed_messages.get_df()

        try:
            seconds, df = _best(_quietly(chat_miner), 1)
            found = [
                (_py(ts), author, msg)
                for ts, author, msg in zip(
                    df["timestamp"], df["author"], df["message"], strict=True
                )  # type: ignore[index]
            ]
            rows.append(("chat-miner 0.6.0", *seconds, len(df), _exact(truth, found), ""))  # type: ignore[arg-type]
        except Exception as exc:
            rows.append(
                (
                    "chat-miner 0.6.0",
                    None,
                    None,
                    None,
                    None,
                    f"failed: {type(exc).__name__}: {exc}"[:60],
                )
            )
    return rows


SMS_CHILD = """
import sys, time
sys.path.insert(0, {src!r})
from harbour_parsers import parse_sms_backup
start = time.perf_counter()
n = 0
for record in parse_sms_backup({path!r}):
    n += 1
seconds = time.perf_counter() - start
# VmHWM: this process's peak resident memory (ru_maxrss would include the parent's, inherited
# across fork and exec)
with open("/proc/self/status") as status:
    peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(n, seconds, peak_kb)
"""


def sms_row(directory: Path, megabytes: int) -> tuple[int, int, float, float, float]:
    path = directory / "sms-backup.xml"
    start = time.perf_counter()
    written = write_sms(path, megabytes)
    generated = time.perf_counter() - start
    size = path.stat().st_size
    code = SMS_CHILD.format(src=str(HERE.parent / "src"), path=str(path))
    out = subprocess.run(  # noqa: S603 - our own interpreter running our own code
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.split()
    found, seconds, peak_kb = int(out[0]), float(out[1]), int(out[2])
    if found != written:
        print(f"!! SMS: wrote {written} messages, parsed {found}")
    del generated
    return size, found, seconds, peak_kb / 1024, size / (1024 * 1024) / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--sms-megabytes", type=int, default=1024, help="default: 1 GB")
    parser.add_argument("--repeat", type=int, default=5, help="runs of Harbour and the floor")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="harbour-bench-") as tmp:
        directory = Path(tmp)
        chat = directory / "WhatsApp Chat with Orin Vale.txt"
        truth = write_whatsapp(chat, args.messages)
        megabytes = chat.stat().st_size / (1024 * 1024)
        rows = whatsapp_rows(chat, truth, args.repeat)
        floor_seconds, floor_cpu = rows[0][1], rows[0][2]

        print(
            f"WhatsApp (Android, en-GB): {len(truth):,} messages, {megabytes:.1f} MB; "
            f"best of {args.repeat} for Harbour and the floor, one run for the peers; "
            "wall-clock and CPU seconds, each x the floor's"
        )
        header = (
            f"{'parser':<40} {'wall s':>7} {'x floor':>8} {'CPU s':>7} {'x floor':>8} "
            f"{'found':>9} {'exact':>9} {'lost or altered':>16}  note"
        )
        print(header)
        print("-" * len(header))
        for name, wall, cpu, found, exact, note in rows:
            ratio = f"x{wall / floor_seconds:.1f}" if wall and floor_seconds else ""
            cpu_ratio = f"x{cpu / floor_cpu:.1f}" if cpu and floor_cpu else ""
            lost = "" if exact is None else f"{len(truth) - exact:,}"
            print(
                f"{name:<40} {'' if wall is None else f'{wall:.3f}':>7} {ratio:>8} "
                f"{'' if cpu is None else f'{cpu:.3f}':>7} {cpu_ratio:>8} "
                f"{'' if found is None else f'{found:,}':>9} {'' if exact is None else f'{exact:,}':>9} "
                f"{lost:>16}  {note}".rstrip()
            )
        _name, h_wall, h_cpu, h_found, h_exact, _note = rows[1]
        assert h_wall is not None and h_cpu is not None and floor_seconds and floor_cpu
        print(
            f"targets (Harbour, streamed): <= {TARGET_SECONDS} s: "
            f"{'met' if h_wall <= TARGET_SECONDS else 'NOT met'} (wall), "
            f"{'met' if h_cpu <= TARGET_SECONDS else 'NOT met'} (CPU); "
            f"within {TARGET_FLOOR_RATIO:g}x the floor: "
            f"{'met' if h_wall / floor_seconds <= TARGET_FLOOR_RATIO else 'NOT met'} (wall), "
            f"{'met' if h_cpu / floor_cpu <= TARGET_FLOOR_RATIO else 'NOT met'} (CPU); "
            f"none lost or altered: {'met' if h_exact == len(truth) == h_found else 'NOT met'}"
        )
        chat.unlink()
        del truth, rows
        gc.collect()

        print()
        size, found, seconds, peak_mb, rate = sms_row(directory, args.sms_megabytes)
        print(
            f"SMS Backup & Restore XML: {size / (1024 * 1024):,.0f} MB, {found:,} messages parsed in "
            f"{seconds:.1f} s ({rate:.0f} MB/s); peak memory of the parsing process {peak_mb:.0f} MB "
            f"(target < {TARGET_SMS_PEAK_MB} MB: {'met' if peak_mb < TARGET_SMS_PEAK_MB else 'NOT met'})"
        )
    print(
        f"\n({platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()
