"""benchmarks/parsers.py runs (tiny sizes) and prints Harbour's and the floor's rows even when
the peers (the optional `bench` extra) are not installed."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).parents[2] / "benchmarks"


def test_the_parser_benchmark_runs_without_the_peers_installed(monkeypatch, capsys):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    for peer in ("whatstk", "chatminer", "chatminer.chatparsers"):
        monkeypatch.setitem(sys.modules, peer, None)  # as if not installed: import fails
    spec = importlib.util.spec_from_file_location(
        "harbour_bench_parsers", BENCHMARKS / "parsers.py"
    )
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)

    monkeypatch.setattr(sys, "argv", ["parsers.py", "--messages", "2000", "--sms-megabytes", "1", "--repeat", "1"])  # fmt: skip
    bench.main()
    out = capsys.readouterr().out
    assert "floor: read, decode, split lines" in out
    harbour = next(line for line in out.splitlines() if line.startswith("Harbour"))
    assert "2,000" in harbour
    assert "none lost or altered: met" in out
    assert out.count("not installed: pip install -e '.[bench]'") == 2
    assert "SMS Backup & Restore XML: 1 MB" in out and "target < 300 MB: met" in out
