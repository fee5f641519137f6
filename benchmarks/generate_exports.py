"""Large, realistic synthetic exports for the parser benchmarks (invented people, never committed).

    .venv/bin/python benchmarks/generate_exports.py whatsapp OUT.txt [--messages 200000]
    .venv/bin/python benchmarks/generate_exports.py sms OUT.xml [--megabytes 1024]

The WhatsApp file is written as an Android phone with English (UK) settings writes it: a
"dd/mm/yyyy, HH:MM - Name: text" header, the encryption notice first, multi-line messages,
"<Media omitted>", deleted and edited markers, emoji, the odd system line. The SMS file is what
SMS Backup & Restore writes: sms of every type, mms with parts and addrs, emoji as the broken
surrogate-pair character references the app produces.
"""

from __future__ import annotations

import argparse
import base64
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import quoteattr

WORDS = [
    "the",
    "a",
    "to",
    "and",
    "you",
    "I",
    "it",
    "is",
    "was",
    "that",
    "of",
    "in",
    "for",
    "on",
    "are",
    "with",
    "be",
    "have",
    "at",
    "this",
    "not",
    "but",
    "we",
    "what",
    "they",
    "so",
    "my",
    "your",
    "do",
    "can",
    "just",
    "if",
    "all",
    "get",
    "about",
    "out",
    "up",
    "like",
    "me",
    "know",
    "will",
    "no",
    "one",
    "there",
    "going",
    "time",
    "home",
    "work",
    "tonight",
    "tomorrow",
    "outside",
    "car",
    "again",
    "saw",
    "why",
    "please",
    "stop",
    "where",
    "text",
    "call",
    "back",
    "later",
    "okay",
    "fine",
    "sorry",
    "love",
    "thanks",
    "see",
    "week",
    "door",
    "phone",
    "house",
    "said",
    "told",
    "really",
    "now",
    "here",
    "message",
    "answer",
    "leave",
    "alone",
    "street",
    "morning",
    "train",
    "bus",
    "station",
    "shop",
    "seen",
    "watching",
    "following",
]
EMOJI = ["😀", "😂", "❤️", "👍", "🙏", "😢", "😡", "🚗", "🏠", "📞"]
PEOPLE = ["Zara Quell", "Orin Vale", "+44 7700 900461"]


@dataclass(frozen=True, slots=True)
class TrueMessage:
    timestamp: datetime
    sender: str | None
    text: str


def _text(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.03:
        return "<Media omitted>"
    if roll < 0.04:
        return "This message was deleted"
    words = [rng.choice(WORDS) for _ in range(rng.randint(1, 16))]
    text = " ".join(words).capitalize()
    if rng.random() < 0.1:
        text += " " + rng.choice(EMOJI)
    if rng.random() < 0.05:
        text += "\n" + " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 10)))
    if rng.random() < 0.01:
        text += " <This message was edited>"
    return text


def whatsapp_messages(n: int, seed: int = 12) -> Iterator[TrueMessage]:
    rng = random.Random(seed)
    t = datetime(2021, 3, 1, 7, 30)  # noqa: DTZ001 - WhatsApp writes local time
    yield TrueMessage(
        t,
        None,
        "Messages and calls are end-to-end encrypted. No one outside of this chat, not even "
        "WhatsApp, can read or listen to them. Tap to learn more.",
    )
    for _ in range(n - 1):
        t += timedelta(minutes=rng.choice((0, 0, 0, 1, 1, 2, 3, 5, 10, 30)))  # ~2 years
        yield TrueMessage(t, rng.choice(PEOPLE), _text(rng))


def write_whatsapp(path: Path, n: int = 200_000, seed: int = 12) -> list[TrueMessage]:
    truth = list(whatsapp_messages(n, seed))
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for m in truth:
            stamp = m.timestamp.strftime("%d/%m/%Y, %H:%M")
            if m.sender is None:
                f.write(f"{stamp} - {m.text}\n")
            else:
                f.write(f"{stamp} - {m.sender}: {m.text}\n")
    return truth


def _char_refs(text: str) -> str:
    """Emoji as SMS Backup & Restore writes them: two decimal refs, one per UTF-16 half."""
    out = []
    for ch in text:
        cp = ord(ch)
        if cp > 0xFFFF:
            cp -= 0x10000
            out.append(f"&#{0xD800 + (cp >> 10)};&#{0xDC00 + (cp & 0x3FF)};")
        else:
            out.append(ch)
    return "".join(out)


def _attr(value: str) -> str:
    return _char_refs(quoteattr(value))


def write_sms(path: Path, megabytes: int = 1024, seed: int = 12) -> int:
    """Writes about ``megabytes`` MB of SMS Backup & Restore XML; returns the message count."""
    rng = random.Random(seed)
    target = megabytes * 1024 * 1024
    ms = 1_600_000_000_000
    count = 0
    photo = base64.b64encode(bytes(rng.getrandbits(8) for _ in range(3000))).decode()
    with open(path, "w", encoding="utf-8") as f:
        f.write("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n")
        f.write("<!--File Created By SMS Backup & Restore v10.20.002 on 01/12/2026 09:00:00-->\n")
        f.write('<?xml-stylesheet type="text/xsl" href="sms.xsl"?>\n')
        f.write('<smses count="0" backup_set="7f0c" backup_date="1764579600000" type="full">\n')
        written = 0
        while written < target:
            ms += rng.randint(1000, 3_600_000)
            number = rng.choice(("+447700900461", "07700 900462", "+447700900463"))
            if rng.random() < 0.9:
                body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 30)))
                if rng.random() < 0.2:
                    body += " " + rng.choice(EMOJI)
                kind = rng.choice((1, 1, 2, 2, 3, 4, 5, 6))
                line = (
                    f'  <sms protocol="0" address={_attr(number)} date="{ms}" type="{kind}" '
                    f'subject="null" body={_attr(body)} toa="null" sc_toa="null" '
                    f'service_center="null" read="1" status="-1" locked="0" '
                    f'date_sent="{ms - 2000}" sub_id="1" readable_date="" contact_name="(Unknown)" />\n'
                )
            else:
                box = rng.choice((1, 2))
                text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 20)))
                line = (
                    f'  <mms date="{ms}" rr="null" sub="null" ct_t="application/vnd.wap.multipart.related" '
                    f'read_status="null" seen="1" msg_box="{box}" address="{number}~+447700900999" '
                    f'sub_cs="null" resp_st="null" date_sent="{ms // 1000 - 2}" m_type="{132 if box == 1 else 128}" '
                    f'readable_date="" contact_name="(Unknown)">\n'
                    "    <parts>\n"
                    '      <part seq="-1" ct="application/smil" name="null" chset="null" cd="null" fn="null" '
                    'cid="&lt;smil&gt;" cl="smil.xml" ctt_s="null" ctt_t="null" text="&lt;smil&gt;&lt;/smil&gt;" />\n'
                    f'      <part seq="0" ct="image/jpeg" name="IMG_{count}.jpg" chset="null" cd="null" fn="null" '
                    f'cid="&lt;IMG_{count}&gt;" cl="IMG_{count}.jpg" ctt_s="null" ctt_t="null" text="null" data="{photo}" />\n'
                    f'      <part seq="0" ct="text/plain" name="null" chset="106" cd="null" fn="null" cid="&lt;text&gt;" '
                    f'cl="text_0.txt" ctt_s="null" ctt_t="null" text={_attr(text)} />\n'
                    "    </parts>\n"
                    "    <addrs>\n"
                    f'      <addr address="{number}" type="{137 if box == 1 else 151}" charset="106" />\n'
                    f'      <addr address="+447700900999" type="{151 if box == 1 else 137}" charset="106" />\n'
                    "    </addrs>\n"
                    "  </mms>\n"
                )
            f.write(line)
            written += len(line)
            count += 1
        f.write("</smses>\n")
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("kind", choices=("whatsapp", "sms"))
    parser.add_argument("out", type=Path)
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--megabytes", type=int, default=1024)
    args = parser.parse_args()
    if args.kind == "whatsapp":
        n = len(write_whatsapp(args.out, args.messages))
    else:
        n = write_sms(args.out, args.megabytes)
    print(f"wrote {n} messages to {args.out}")


if __name__ == "__main__":
    main()
