"""Precision and recall of each flag on the labelled synthetic set (benchmarks/flag_set.py).

    .venv/bin/python benchmarks/flags.py [--show]     # --show lists every miss and false alarm

Each conversation is run through the rules in order, as an import does (the client's messages can
only raise "contact after being told to stop" on the suspect's later ones). A flag on a message is
a true positive if the message is labelled with it, a false positive if not; a label without the
flag is a false negative. Also prints how many hard negatives raised any flag, and the speed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from harbour.imports.flagging import Conversation, RuleSet  # noqa: E402

DATA = HERE / "data" / "flags-labelled.jsonl"


def measure(
    rows: list[dict[str, object]], rules: RuleSet
) -> tuple[Counter[str], Counter[str], Counter[str], list[str], int]:
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    misses: list[str] = []
    hard_flagged = 0
    talk: Conversation | None = None
    current = None
    for n, row in enumerate(rows, start=1):
        if row["conv"] != current:
            current, talk = row["conv"], Conversation(rules)
        assert talk is not None
        text = str(row["text"])
        day = datetime.date(2026, 1, int(row["day"]))  # type: ignore[call-overload]
        if row["who"] == "client":
            talk.client(text, f"message {n}")
            continue
        got = {h.flag: h for h in talk.suspect(text, day)}
        want = set(row["labels"])  # type: ignore[call-overload]
        for flag in set(got) | want:
            if flag in got and flag in want:
                tp[flag] += 1
            elif flag in got:
                fp[flag] += 1
                misses.append(f"false alarm {flag}: {text!r} (matched {got[flag].words!r})")
            else:
                fn[flag] += 1
                misses.append(f"missed      {flag}: {text!r}")
        if row.get("hard_negative") and set(got) - {"contact_after_stop"}:
            hard_flagged += 1
    return tp, fp, fn, misses, hard_flagged


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--show", action="store_true")
    args = ap.parse_args()
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]
    rules = RuleSet.load()
    start = time.perf_counter()
    tp, fp, fn, misses, hard_flagged = measure(rows, rules)
    seconds = time.perf_counter() - start
    hard = sum(1 for r in rows if r.get("hard_negative"))
    suspect = sum(1 for r in rows if r["who"] == "suspect")
    print(
        f"{len(rows)} messages ({suspect} from the suspect, {hard} hard negatives), "
        f"{len(rules.rules)} rules, {len(rules.stops)} stop rule(s)\n"
    )
    print(
        f"{'flag':<36}{'labelled':>9}{'flagged':>9}{'TP':>6}{'FP':>6}{'FN':>6}{'precision':>11}{'recall':>8}"
    )
    print("-" * 91)
    total = Counter[str]()
    for key, flag in rules.flags.items():
        labelled, flagged = tp[key] + fn[key], tp[key] + fp[key]
        precision = tp[key] / flagged if flagged else 0.0
        recall = tp[key] / labelled if labelled else 0.0
        total.update(tp=tp[key], fp=fp[key], fn=fn[key])
        print(
            f"{flag.label[:35]:<36}{labelled:>9}{flagged:>9}{tp[key]:>6}{fp[key]:>6}{fn[key]:>6}"
            f"{precision:>11.2f}{recall:>8.2f}"
        )
    print("-" * 91)
    p = total["tp"] / (total["tp"] + total["fp"])
    r = total["tp"] / (total["tp"] + total["fn"])
    print(
        f"{'all flags (micro average)':<36}{total['tp'] + total['fn']:>9}{total['tp'] + total['fp']:>9}"
        f"{total['tp']:>6}{total['fp']:>6}{total['fn']:>6}{p:>11.2f}{r:>8.2f}"
    )
    print(f"\nhard negatives that raised a flag: {hard_flagged} of {hard}")
    print(f"speed: {len(rows) / seconds:,.0f} messages a second (rules in {seconds * 1000:.0f} ms)")
    if args.show:
        print("\n" + "\n".join(misses))


if __name__ == "__main__":
    main()
