"""WhatsApp "Export chat": the Android and iOS ``.txt`` files, alone or in the ``.zip`` with media.

One record per message, streaming. Two passes over the text: the first reads only the dates, to
decide day/month order from the whole file (reported with its evidence, or given by the caller);
the second yields records. Headers are recognised in the style of the file's first line only, so a
body line in another style never splits a message; a body line in the same style whose time would
go backwards is kept inside the message it appears in and flagged for a person.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import chain, compress, count, islice, repeat
from operator import add, le
from pathlib import PurePosixPath
from typing import Any, TypeVar

from harbour_parsers.base import (
    DEFAULT_LIMITS,
    MB,
    Input,
    Limits,
    Parse,
    Readable,
    ReadableFile,
    Source,
)
from harbour_parsers.errors import ParseError
from harbour_parsers.records import (
    Attachment,
    Call,
    CallType,
    Direction,
    Kind,
    Record,
    Report,
)
from harbour_parsers.safezip import SafeZip, is_zip

MARKS = "\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff"
MARKSET = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")
SP = "[ \u00a0\u202f]"
AMPM_AFTER = (
    r"[AaPp]\.?" + SP + r"?[Mm]\.?|vorm\.|nachm\.|π\.μ\.|μ\.μ\.|ص|م|午前|午後|上午|下午|오전|오후"
)
AMPM_BEFORE = r"午前|午後|上午|下午|오전|오후"
PM_MARKERS = ("p", "P", "nachm", "μ.μ", "م", "午後", "下午", "오후")
TIME_WORDS = r"à|um|klo|às|om|alle|at|a las|kl\."

# Any header style, for the first line: groups named so the style can be read off it.
_GENERIC = re.compile(
    r"[" + MARKS + r"]*(?P<bracket>\[)?[" + MARKS + r"]*"
    r"(?P<date>(?P<a>\d{1,4})(?P<dsep>[./-] ?)(?P<b>\d{1,2})(?P=dsep)(?P<c>\d{1,4}))(?P<dot>\.)?"
    r"(?P<between>,?" + SP + r"{0,2}(?:(?:" + TIME_WORDS + r")" + SP + r")?)"
    r"(?:(?P<before>" + AMPM_BEFORE + r")" + SP + r"?)?"
    r"(?P<h>\d{1,2})(?P<tsep>[:.])(?P<mi>\d{2})(?:[:.](?P<s>\d{2}))?"
    r"(?:" + SP + r"?(?P<after>" + AMPM_AFTER + r"))?"
    r"(?P<close>(?(bracket)["
    + MARKS
    + r"]*\]"
    + SP
    + r"|(?:"
    + SP
    + r"[-–]"
    + SP
    + r"|:"
    + SP
    + r")))"
)

_SENDER = r"(?:([^:\n\"“”«»]{1,120}+): )?"
SENDER_MAX = 120


@dataclass(frozen=True)
class _Flavour:
    """Pattern pieces for the decoded text, or for its UTF-8 bytes: there every non-ASCII character
    stands alone (never in a class, never quantified by itself), so encoding the pattern's text
    gives a bytes pattern matching exactly the same characters."""

    marks: str  # one invisible mark
    sp: str  # one space of the kinds phones write
    dash: str
    ampm_after: str
    sender: str
    ampm_sp: str | None = None  # around the am/pm marker, if not ``sp``


def _alternatives(chars: str) -> str:
    return "(?:" + "|".join(re.escape(c) for c in chars) + ")"


_TEXT_FLAVOUR = _Flavour(
    marks="[" + MARKS + "]", sp=SP, dash="[-–]", ampm_after=AMPM_AFTER, sender=_SENDER
)
_BYTES_SP = _alternatives(" \u00a0\u202f")
_BYTES_FLAVOUR = _Flavour(
    marks=_alternatives("".join(sorted(MARKSET))),
    sp=_BYTES_SP,
    dash=_alternatives("-–"),
    ampm_after=AMPM_AFTER.replace(SP, _BYTES_SP),
    sender=r"(?:([^:\n\"]{1," + str(4 * SENDER_MAX) + r"}+): )?",
)


@dataclass(frozen=True)
class Style:
    """How this file writes its headers, read from its first line."""

    bracket: bool
    year_first: bool
    dsep: str
    between: str
    tsep: str
    seconds: bool
    ampm_before: bool
    ampm_after: bool
    close: str
    example: str
    date_dot: bool = False  # a dot after the date, as Korean phones write "2020. 12. 31."

    def header_regex(self) -> re.Pattern[str]:
        return re.compile(self._header_pattern(_TEXT_FLAVOUR))

    def header_regex_bytes(self, head: bool = True) -> re.Pattern[bytes]:
        """The same headers over the file's UTF-8 bytes (``\\d`` there is ASCII only: used when the
        first line's digits are ASCII). The sender's run is bounded in bytes (4 per character)
        and its excluded quotes are not in the class: the reader checks both on the decoded
        sender (:class:`_Senders`), so a run the text pattern would not take as a sender is put
        back into the message's text. Without ``head`` the whole header is not captured (only
        its date, time and sender: the fast reader's split, one object fewer a message)."""
        return _compile_bytes(self._header_pattern(_BYTES_FLAVOUR, head))

    def narrow_header_regex_bytes(self) -> re.Pattern[bytes] | None:
        """:meth:`header_regex_bytes` (without ``head``) for headers written exactly as the first
        line writes them: no invisible marks, its own space and dash, and its digit counts where
        it writes two (or four) digits. A quicker split, with the same groups; what it finds, the
        full pattern finds too, at the same place with the same groups (each piece matches a
        subset of the full pattern's piece, and the full pattern's first choice at each point).
        It may miss a header the full pattern finds (a phone that does not zero-pad, a mark
        before a system line): the reader checks every message of several lines for one
        (:func:`_fast_block`). None if the first line mixes kinds of spaces (but for an am/pm
        marker's)."""
        spaces = {ch for ch in self.between + self.close if ch in " \u00a0\u202f"}
        numbers = re.findall(r"\d+", self.example)
        if len(spaces) > 1 or len(numbers) < 4:
            return None
        sp = "(?:" + re.escape(spaces.pop() if spaces else " ") + ")"
        dash = "(?:" + re.escape("\u2013" if "\u2013" in self.close else "-") + ")"
        # around an am/pm marker, any space (iOS writes U+202F there and a plain space elsewhere)
        flavour = _Flavour(
            marks="", sp=sp, dash=dash, ampm_after=_BYTES_FLAVOUR.ampm_after,
            sender=_BYTES_FLAVOUR.sender, ampm_sp=_BYTES_FLAVOUR.sp,
        )  # fmt: skip
        digits = dict(zip(("a", "b", "c", "h"), map(len, numbers), strict=False))
        return _compile_bytes(self._header_pattern(flavour, False, digits))

    def _header_pattern(
        self, f: _Flavour, head: bool = True, digits: dict[str, int] | None = None
    ) -> str:
        # "\d\d", not "\d{2}": the same, but a repeat costs the regex engine a call (about 6% of
        # the split of the benchmark's export)
        def n(name: str, usual: str) -> str:  # two or four digits where the first line has them
            if digits is not None and digits[name] in (2, 4):
                return r"\d" * digits[name]
            return usual

        d = re.escape(self.dsep)
        if self.year_first:
            date = r"(\d\d\d\d" + d + n("b", r"\d{1,2}") + d + n("c", r"\d{1,2}") + ")"
        else:
            date = (
                "(" + n("a", r"\d{1,2}") + d + n("b", r"\d{1,2}") + d
                + n("c", r"(?:\d\d\d\d|\d\d)") + ")"
            )  # fmt: skip
        if self.date_dot:
            date += r"\."
        between = re.sub(
            r"[ \u00a0\u202f]", lambda _m: f.sp, re.escape(self.between).replace(r"\ ", " ")
        )
        t = re.escape(self.tsep)
        time = n("h", r"\d{1,2}") + t + r"\d\d" + (t + r"\d\d" if self.seconds else "")
        asp = f.sp if f.ampm_sp is None else f.ampm_sp
        if self.ampm_before:
            time = r"(?:" + AMPM_BEFORE + r")" + asp + r"?" + time
        if self.ampm_after:
            time += asp + r"?(?:" + f.ampm_after + r")"
        marks = f.marks + r"*" if f.marks else ""
        if self.bracket:
            open_, close = r"\[" + marks, marks + r"\]" + f.sp
        elif self.close.strip() in ("-", "–"):
            open_, close = "", f.sp + f.dash + f.sp
        else:
            open_, close = "", r":" + f.sp
        # Possessive runs (marks, the sender) match exactly what greedy ones would here (what follows
        # each run cannot be one of its characters) but keep no backtracking points.
        return (
            r"\n(" + ("" if head else "?:") + (f.marks + r"*+" if f.marks else "") + open_
            + date + between
            + r"(" + time + r")" + close + f.sender + ")"
        )  # fmt: skip

    def date_regex(self, binary: bool = False) -> re.Pattern[Any]:
        f = _BYTES_FLAVOUR if binary else _TEXT_FLAVOUR
        d = re.escape(self.dsep)
        open_ = r"\[" + f.marks + r"*" if self.bracket else ""
        pattern = (
            r"\n" + f.marks + r"*" + open_ + r"(\d{1,2})" + d + r"(\d{1,2})" + d
            + r"(\d{4}|\d{2})\b"
        )  # fmt: skip
        if binary:
            return _compile_bytes(pattern)
        return re.compile(pattern)


# One invisible mark in UTF-8, as byte ranges (the same 12 characters as MARKS)
_MARK_BYTES = rb"(?:\xe2(?:\x80[\x8e\x8f\xaa-\xae]|\x81[\xa6-\xa9])|\xef\xbb\xbf)"


def _compile_bytes(pattern: str) -> re.Pattern[bytes]:
    encoded = pattern.encode("utf-8").replace(_BYTES_FLAVOUR.marks.encode("utf-8"), _MARK_BYTES)
    return re.compile(encoded)


def _style_of(line: str) -> Style | None:
    m = _GENERIC.match(line)
    if not m:
        return None
    a, c = m["a"], m["c"]
    year_first = len(a) == 4
    if year_first:
        if len(c) > 2:
            return None
    elif len(a) > 2 or len(c) not in (2, 4):
        return None
    return Style(
        bracket=bool(m["bracket"]),
        year_first=year_first,
        dsep=m["dsep"],
        between=m["between"],
        tsep=m["tsep"],
        seconds=m["s"] is not None,
        ampm_before=m["before"] is not None,
        ampm_after=m["after"] is not None,
        close=m["close"],
        date_dot=m["dot"] is not None,
        example=m.group(0).strip(MARKS + " "),
    )


# --- markers, by language (en, de, es, fr, nl, it, pt); matched on a copy without marks ---------

_DELETED = [
    "This message was deleted",
    "You deleted this message",
    "Diese Nachricht wurde gelöscht",
    "Du hast diese Nachricht gelöscht",
    "Se eliminó este mensaje",
    "Eliminaste este mensaje",
    "Este mensaje fue eliminado",
    "Ce message a été supprimé",
    "Vous avez supprimé ce message",
    "Dit bericht is verwijderd",
    "Je hebt dit bericht verwijderd",
    "Questo messaggio è stato eliminato",
    "Hai eliminato questo messaggio",
    "Esta mensagem foi apagada",
    "Você apagou esta mensagem",
    "Apagou esta mensagem",
    "Mensagem apagada",
]
_MEDIA_OMITTED = [
    "<Media omitted>",
    "<Medien ausgeschlossen>",
    "<Multimedia omitido>",
    "<Médias omis>",
    "<Media weggelaten>",
    "<Media omessi>",
    "<Mídia oculta>",
    "<Multimédia omitido>",
    "<Multimédia omitida>",
]
_EDITED = [
    "<This message was edited>",
    "<Diese Nachricht wurde bearbeitet>",
    "<Se editó este mensaje.>",
    "<Se editó este mensaje>",
    "<Ce message a été modifié>",
    "<Dit bericht is bewerkt>",
    "<Questo messaggio è stato modificato>",
    "<Esta mensagem foi editada>",
    "<Mensagem editada>",
]
_IOS_OMITTED = (
    "image omitted|video omitted|audio omitted|sticker omitted|GIF omitted|document omitted|"
    "Contact card omitted|"
    "Bild weggelassen|Video weggelassen|Audio weggelassen|Sticker weggelassen|GIF weggelassen|"
    "Dokument weggelassen|Kontaktkarte weggelassen|"
    "imagen omitida|video omitido|audio omitido|sticker omitido|GIF omitido|documento omitido|"
    "tarjeta de contacto omitida|"
    "image absente|vidéo absente|audio omis|autocollant omis|GIF retiré|document omis|"
    "fiche contact omise|"
    "afbeelding weggelaten|video weggelaten|audio weggelaten|sticker weggelaten|GIF weggelaten|"
    "document weggelaten|contactkaart weggelaten|"
    "immagine omessa|video omesso|audio omesso|sticker omesso|GIF omessa|documento omesso|"
    "scheda contatto omessa|"
    "imagem ocultada|vídeo ocultado|áudio ocultado|figurinha omitida|GIF omitido|"
    "documento ocultado|cartão de contato omitido|vídeo omitido|imagem omitida|áudio omitido"
)
_IOS_OMITTED_RE = re.compile(r"(?:^|\s)(?:" + _IOS_OMITTED + r")$", re.IGNORECASE)
_IOS_ATTACHED_RE = re.compile(
    r"<(?:attached|Anhang|adjunto|pièce jointe|bijlage|bijgevoegd|allegato|anexado|anexo)"
    r"\s?: ([^<>\n]+)>"
)
_ANDROID_ATTACHED_RE = re.compile(
    r"^(.+?) \((?:file attached|Datei angehängt|archivo adjunto|fichier joint|"
    r"bestand bijgevoegd|file allegato|arquivo anexado|ficheiro anexado)\)$",
    re.MULTILINE,
)
_CALLS = {
    "missed voice call": (CallType.MISSED, False),
    "missed video call": (CallType.MISSED, True),
    "verpasster sprachanruf": (CallType.MISSED, False),
    "verpasster videoanruf": (CallType.MISSED, True),
    "llamada de voz perdida": (CallType.MISSED, False),
    "videollamada perdida": (CallType.MISSED, True),
    "appel vocal manqué": (CallType.MISSED, False),
    "appel vidéo manqué": (CallType.MISSED, True),
    "gemiste spraakoproep": (CallType.MISSED, False),
    "gemiste video-oproep": (CallType.MISSED, True),
    "chiamata vocale persa": (CallType.MISSED, False),
    "videochiamata persa": (CallType.MISSED, True),
    "chamada de voz perdida": (CallType.MISSED, False),
    "chamada de vídeo perdida": (CallType.MISSED, True),
}


def _with_variants(texts: list[str]) -> set[str]:
    out = set()
    for t in texts:
        base = t.rstrip(".")
        for v in (base, base + "."):
            out.update({v, "\u200e" + v})
    return out


_EXACT: dict[str, Kind] = {}
for _t in _with_variants(_DELETED):
    _EXACT[_t] = Kind.DELETED
for _t in _MEDIA_OMITTED:
    _EXACT[_t] = Kind.MEDIA
    _EXACT["\u200e" + _t] = Kind.MEDIA
_EDITED_TUPLE = tuple(_EDITED)


def classify(text: str) -> tuple[Kind, tuple[Attachment, ...], Call | None]:
    """The kind of a message body (markers in any supported language), its attachments, a call."""
    kind = _EXACT.get(text)
    if kind is not None:
        return kind, (), None
    bare = text.strip(MARKS).rstrip(MARKS + " ")
    kind = _EXACT.get(bare)
    if kind is not None:
        return kind, (), None
    attachments: tuple[Attachment, ...] = ()
    m = _IOS_ATTACHED_RE.search(bare)
    if m:
        attachments = (Attachment(m.group(1).strip(MARKS + " ")),)
    else:
        m2 = _ANDROID_ATTACHED_RE.search(bare)
        if m2:
            attachments = (Attachment(m2.group(1).strip(MARKS + " ")),)
    if bare.endswith(_EDITED_TUPLE):
        return Kind.EDITED, attachments, None
    if attachments:
        return Kind.MEDIA, attachments, None
    if _IOS_OMITTED_RE.search(bare):
        return Kind.MEDIA, (), None
    call = _CALLS.get(bare.casefold())
    if call:
        return Kind.CALL, (), Call(call[0], None, call[1])
    if text[:1] in MARKSET and text[:1] == "\u200e":
        return Kind.SYSTEM, (), None  # iOS writes system lines after the chat's name and U+200E
    return Kind.MESSAGE, (), None


# --- day/month order -------------------------------------------------------------------------


@dataclass
class _OrderEvidence:
    day_first_line: int | None = None  # first header line that can only be day first
    day_first_example: str = ""
    month_first_line: int | None = None
    month_first_example: str = ""
    day_first_count: int = 0  # counted only when both kinds occur
    month_first_count: int = 0


def _decide_order(
    ev: _OrderEvidence,
    style: Style,
    override: str | None,
    report: Report,
    sequence: list[tuple[int, int, int]] | None,
) -> bool:
    """True for day first. Decided from every date in the file; the evidence goes in the report."""
    if ev.day_first_line:
        report.evidence.append(
            f"line {ev.day_first_line} ({ev.day_first_example!r}) can only be day first"
        )
    if ev.month_first_line:
        report.evidence.append(
            f"line {ev.month_first_line} ({ev.month_first_example!r}) can only be month first"
        )
    if override is not None:
        report.decisions["date order"] = f"{override} (given by the caller)"
        return override == "day first"
    if ev.day_first_line and ev.month_first_line:
        day_first = ev.day_first_count >= ev.month_first_count
        report.evidence.append(
            f"{ev.day_first_count} header lines can only be day first, "
            f"{ev.month_first_count} can only be month first"
        )
        report.flags.append(
            "the file's dates disagree about day/month order; decided "
            f"{'day' if day_first else 'month'} first by majority: check it, or give the order"
        )
    elif ev.day_first_line or ev.month_first_line:
        day_first = bool(ev.day_first_line)
        report.evidence.append(
            "no header line can only be " + ("month first" if day_first else "day first")
        )
    else:
        back = {True: 0, False: 0}
        for order in (True, False):
            prev = None
            for a, b, c in sequence or ():
                key = (c, b, a) if order else (c, a, b)
                if prev is not None and key < prev:
                    back[order] += 1
                prev = key
        if back[True] != back[False]:
            day_first = back[True] < back[False]
            report.evidence.append(
                f"no day above 12: dates go backwards {back[True]} times if day first, "
                f"{back[False]} times if month first"
            )
        else:
            day_first = not (style.ampm_after and style.dsep == "/")
            report.evidence.append(
                "no day above 12 and the order of the dates does not tell: assumed "
                + (
                    "month first (a 12-hour clock with /, as US phones write)"
                    if not day_first
                    else "day first"
                )
            )
            report.flags.append("day/month order could not be decided from the file: check it")
    report.decisions["date order"] = "day first" if day_first else "month first"
    return day_first


def _gather_order_evidence(
    pieces: Iterable[Any], style: Style, binary: bool = False
) -> tuple[_OrderEvidence, list[tuple[int, int, int]] | None]:
    """``pieces`` are the file's text, or (``binary``) its UTF-8 bytes: the same patterns either way."""
    f = _BYTES_FLAVOUR if binary else _TEXT_FLAVOUR
    compile_: Callable[[str], re.Pattern[Any]] = _compile_bytes if binary else re.compile
    nl: Any = b"\n" if binary else "\n"
    d = re.escape(style.dsep)
    # possessive: what follows the marks is never one, and it is quicker
    open_ = r"\n" + f.marks + r"*+" + (r"\[" + f.marks + r"*" if style.bracket else "")
    # (small as "0?[1-9]|1[0-2]" backtracks on every line: 15% more work for the same matches)
    big, small = r"(?:1[3-9]|2\d|3[01])", r"(?:0[1-9]|1[0-2]|[1-9])"
    day = open_ + big + d + small + d + r"\d{2,4}"
    mon = open_ + small + d + big + d + r"\d{2,4}"
    day_rx, mon_rx = compile_(day), compile_(mon)
    # the same without the line break, for a piece's first line (no copy of the piece with a
    # line break in front)
    day_first_line, mon_first_line = compile_(day[2:]), compile_(mon[2:])
    ev = _OrderEvidence()
    base_line = 1
    uncounted: list[Any] = []  # pieces whose lines are counted only if a later one holds evidence
    held = 0
    for piece in pieces:
        for rx, first_line, attr in (
            (day_rx, day_first_line, "day_first"),
            (mon_rx, mon_first_line, "month_first"),
        ):
            if getattr(ev, attr + "_line") is None:
                m = first_line.match(piece)
                at = 0  # line breaks in the piece before the line found
                if m is None:
                    m = rx.search(piece)
                    if m is not None:
                        at = piece.count(nl, 0, m.start() + 1)
                if m:
                    found = m.group(0)
                    if binary:
                        found = found.decode("utf-8", "replace")
                    base_line += sum(p.count(nl) for p in uncounted)
                    uncounted.clear()
                    held = 0
                    setattr(ev, attr + "_line", base_line + at)
                    setattr(ev, attr + "_example", found.strip("\n" + MARKS + "["))
        uncounted.append(piece)
        held += len(piece)
        if held > 64 * MB:  # a large file's pieces are not kept in memory for this
            base_line += sum(p.count(nl) for p in uncounted)
            uncounted.clear()
            held = 0
    if ev.day_first_line and ev.month_first_line:
        for piece in pieces:
            text = nl + piece
            ev.day_first_count += len(day_rx.findall(text))
            ev.month_first_count += len(mon_rx.findall(text))
    if ev.day_first_line or ev.month_first_line:
        return ev, None
    dre = style.date_regex(binary)
    sequence: list[tuple[int, int, int]] = []
    for piece in pieces:
        for a, b, c in dre.findall(nl + piece):
            item = (int(a), int(b), int(c))
            if not sequence or sequence[-1] != item:
                sequence.append(item)
        if len(sequence) > 100_000:
            break
    return ev, sequence


# --- reading ---------------------------------------------------------------------------------

# Small blocks: the fast reader makes a few objects per message and passes over each column of a
# block several times; a block's worth stays in the processor's cache (about 20% quicker than
# 4 MB blocks on the benchmark's export).
CHUNK = 64 * 1024


def _pieces(f: Readable, path: str | None) -> Iterator[bytes]:
    """The file's bytes in pieces that end at a line break (a line break is never inside a UTF-8
    character, so each piece decodes on its own). A line longer than a block is gathered in a
    list and joined once, so however long, it costs linear time."""
    rest: list[bytes] = []  # the start of a line not yet ended
    size = 0  # of rest
    offset = 0
    while True:
        block = f.read(CHUNK)
        if not block:
            break
        cut = block.rfind(b"\n") + 1
        if cut == 0:
            size += len(block)
            if size > 64 * MB:
                raise ParseError("a line longer than 64 MB", offset=offset, path=path)
            rest.append(block)
            continue
        piece = block[:cut]
        if rest:
            rest.append(piece)
            piece = b"".join(rest)
        yield piece
        offset += len(piece)
        rest = [block[cut:]] if cut < len(block) else []
        size = len(block) - cut
    if rest:
        yield b"".join(rest)


P = TypeVar("P", str, bytes)


READ_ON = 4 * MB  # at most this much is joined on to a block, so memory stays near the limits


def _read_on(piece: P, nxt: P | None, pieces: Iterator[P], carried: int) -> tuple[P, P | None]:
    """``piece`` with the pieces after it joined on until it is as long as the message carried
    over from the blocks before (``carried``, up to ``READ_ON``): a message longer than many
    blocks is then split by the header pattern a few times, not once a block (which would take
    quadratic time; past 4 MB it is split once every 4 MB, as the 4 MB blocks used to)."""
    carried = min(carried, READ_ON)
    if nxt is None or len(piece) >= carried:
        return piece, nxt
    more = [piece]
    size = len(piece)
    while nxt is not None and size < carried:
        more.append(nxt)
        size += len(nxt)
        nxt = next(pieces, None)
    return piece[:0].join(more), nxt


class _Text:
    """The file's bytes, in pieces, as often as needed; kept in memory when the file is small."""

    KEEP = 64 * MB

    def __init__(self, opener: Callable[[], ReadableFile], path: str | None) -> None:
        self._open = opener
        self._path = path
        self._kept: list[bytes] | None = None

    def __iter__(self) -> Iterator[bytes]:
        if self._kept is not None:
            yield from self._kept
            return
        kept: list[bytes] | None = []
        size = 0
        with self._open() as f:
            for piece in _pieces(f, self._path):
                if kept is not None:
                    size += len(piece)
                    if size <= self.KEEP:
                        kept.append(piece)
                    else:
                        kept = None
                yield piece
        self._kept = kept

    def decoded(self) -> Iterator[str]:
        """The same pieces decoded (the text reader's input)."""
        offset = 0
        for piece in self:
            yield _decode(piece, offset, self._path)
            offset += len(piece)


def _decode(data: bytes, offset: int, path: str | None) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ParseError(
            "not UTF-8 text (WhatsApp exports are UTF-8)", offset=offset + exc.start, path=path
        ) from exc


def _first_line(f: Readable, path: str | None) -> str:
    head = f.read(4096)
    if not head:
        raise ParseError("the file is empty", path=path)
    line = head.split(b"\n", 1)[0]
    return line.decode("utf-8", "replace")


_PM = re.compile(r"[Pp]|nachm|μ\.μ|م|午後|下午|오후")
_AMPM_ANY = re.compile(AMPM_AFTER + "|" + AMPM_BEFORE)
_DIGITS = re.compile(r"\d+")


class _Clock:
    """Parses date and time strings of one style, with small bounded caches."""

    def __init__(self, style: Style, day_first: bool) -> None:
        self.style = style
        self.day_first = day_first
        self.dates: dict[str | bytes, tuple[int, int, int] | None] = {}
        self.times: dict[str | bytes, timedelta | bool] = {}
        # a 24-hour clock without seconds: five characters are "HH:MM" (see _header_pattern)
        self._hh_mm = not (style.ampm_before or style.ampm_after or style.seconds)

    def date(self, s: str | bytes) -> tuple[int, int, int] | None:
        if isinstance(s, bytes):
            s = s.decode("utf-8")
        a, b, c = (int(x) for x in s.split(self.style.dsep)[:3])
        if self.style.year_first:
            y, mo, d = a, b, c
        else:
            y = c + 2000 if c < 100 else c
            d, mo = (a, b) if self.day_first else (b, a)
        if not (1 <= mo <= 12 and 1 <= d <= 31 and 1900 <= y <= 2200):
            return None
        try:
            datetime(y, mo, d)  # noqa: DTZ001 - only checks the date exists
        except ValueError:
            return None
        return y, mo, d

    def time(self, s: str | bytes) -> tuple[int, int, int] | None:
        if self._hh_mm and len(s) == 5:  # the usual case, quicker (once per minute of the day)
            h, mi = int(s[:2]), int(s[3:])
            return (h, mi, 0) if h <= 23 and mi <= 59 else None
        if isinstance(s, bytes):
            s = s.decode("utf-8")
        m = _AMPM_ANY.search(s)
        nums = [int(x) for x in _DIGITS.findall(s[: m.start()] if m and m.start() > 0 else s)]
        if m and m.start() == 0:
            nums = [int(x) for x in _DIGITS.findall(s[m.end() :])]
        h, mi = nums[0], nums[1]
        sec = nums[2] if len(nums) > 2 else 0
        if m:
            if not 1 <= h <= 12:
                return None
            pm = bool(_PM.match(m.group(0)))
            h = (h % 12) + (12 if pm else 0)
        if h > 23 or mi > 59 or sec > 59:
            return None
        return h, mi, sec

    def day(self, s: str | bytes) -> datetime | None:
        if s in self.dates:
            d = self.dates[s]
        else:
            if len(self.dates) > 200_000:
                self.dates.clear()
            d = self.dates[s] = self.date(s)
        if d is None:
            return None
        return datetime(d[0], d[1], d[2])  # noqa: DTZ001 - local time, no zone

    def stamp(self, ds: str | bytes, ts: str | bytes) -> datetime | None:
        day = self.day(ds)
        tod = self.times.get(ts)
        if tod is None:
            tod = self.time_of(ts)
        if day is None or tod is False:
            return None
        return day + tod  # type: ignore[operator]

    def time_of(self, s: str | bytes) -> timedelta | bool:
        if len(self.times) > 200_000:
            self.times.clear()
        t = self.time(s)
        td: timedelta | bool = (
            False if t is None else timedelta(hours=t[0], minutes=t[1], seconds=t[2])
        )
        self.times[s] = td
        return td


class _Decoded:
    """The text reader's input: the pieces decoded, as often as needed."""

    def __init__(self, chat: _Text) -> None:
        self._chat = chat

    def __iter__(self) -> Iterator[str]:
        return self._chat.decoded()


def _ascii_digits(style: Style) -> bool:
    return all(ch.isascii() for ch in style.example if ch.isdigit())


def _records(
    inp_open: Callable[[], ReadableFile],
    report: Report,
    *,
    path: str | None,
    day_first: bool | None,
    me: str | None,
    archive_names: set[str] | None,
    limits: Limits,
) -> Iterator[Iterable[Record]]:
    """The file's records, in batches (see :class:`Parse`). Files whose headers use ASCII digits
    (every phone we know of) are read as bytes (:func:`_byte_records`): the header pattern runs
    over one byte a character instead of
    the decoded text's four (emoji widen it), and only message texts and senders are decoded.
    Others are read as text (:func:`_text_records`), the reference the byte reader is tested
    against."""
    with inp_open() as f:
        first = _first_line(f, path)
    style = _style_of(first)
    if style is None:
        raise ParseError("line 1 is not a WhatsApp message header", line=1, path=path)
    report.decisions["header style"] = (
        "iOS" if style.bracket else "Android"
    ) + f", e.g. {style.example!r}"
    chat = _Text(inp_open, path)
    binary = _ascii_digits(style) and BYTES_READER
    if style.year_first:
        report.decisions["date order"] = "year first"
        decided = True
    else:
        ev, sequence = _gather_order_evidence(chat if binary else _Decoded(chat), style, binary)
        override = None if day_first is None else ("day first" if day_first else "month first")
        decided = _decide_order(ev, style, override, report, sequence)
    clock = _Clock(style, decided)
    finish = _finisher(report, path=path, me=me, archive_names=archive_names)
    if binary:
        return _byte_records(chat, style, clock, finish, report, path=path, me=me, limits=limits)
    # the text reader gives its records one by one: one batch, guarded record by record
    return iter(
        (_text_records(chat, style, clock, finish, report, path=path, me=me, limits=limits),)
    )


BYTES_READER = True  # tests turn it off to check the two readers give the same records

Finish = Callable[[str, "str | None", datetime, int, "list[str] | None"], Record]


def _finisher(
    report: Report, *, path: str | None, me: str | None, archive_names: set[str] | None
) -> Finish:
    exact_get = _EXACT.get
    marks = MARKSET
    system = Kind.SYSTEM
    incoming, outgoing = Direction.INCOMING, Direction.OUTGOING
    strip_chars = " \u00a0\u202f" + MARKS

    def finish(
        text: str, sender: str | None, ts: datetime, line: int, flags: list[str] | None
    ) -> Record:
        """The record for a message whose body is ``text`` (the rarer cases, out of the hot loop)."""
        if text[-1:] == "\r":
            text = text[:-1]
        attachments: tuple[Attachment, ...] = ()
        call = None
        kind: Kind | None
        if sender is None:
            kind = system
        else:
            kind = exact_get(text)
            if kind is None:
                kind, attachments, call = classify(text)
            if sender[:1] in marks or sender[:1] == "~" or sender[-1:] in marks:
                sender = sender.strip(MARKS).lstrip("~").strip(strip_chars)
        direction = None
        if me is not None and sender is not None:
            direction = outgoing if sender == me else incoming
        if attachments and archive_names is not None:
            attachments = tuple(
                Attachment(a.name, in_archive=PurePosixPath(a.name).name in archive_names)
                for a in attachments
            )
        if flags:
            report.flags.extend(flags)
        return Record(
            kind,
            ts,
            True,
            sender,
            text,
            (),
            direction,
            attachments,
            call,
            line,
            None,
            path,
            None,
            tuple(flags) if flags else (),
        )

    return finish


def _text_records(
    chat: _Text,
    style: Style,
    clock: _Clock,
    finish: Finish,
    report: Report,
    *,
    path: str | None,
    me: str | None,
    limits: Limits,
) -> Iterator[Record]:
    header = style.header_regex()
    day_of = clock.day
    times = clock.times
    time_of = clock.time_of
    exact_get = _EXACT.get
    marks = MARKSET
    message = Kind.MESSAGE
    max_record = limits.max_record_bytes
    # The header regex splits each block of text in C: [before, header, date, time, sender, body,
    # header, date, time, sender, body, ...]; Python only looks at each message once.
    split = header.split
    new_record = tuple.__new__
    longest_exact = max(len(k) for k in _EXACT)
    assert len(Record._fields) == 15  # the tuple above lists every field in order
    carry = ""
    carry_line = 1
    started = False
    last_ds: str | None = None
    day: datetime | None = None
    plain_ok = me is None  # without `me`, an ordinary message needs no direction worked out
    not_plain_start = MARKSET | {"~"}
    enders = frozenset(">)\r")
    pieces = iter(_Decoded(chat))
    piece: str | None = next(pieces, None)
    while piece is not None:
        piece, nxt = _read_on(piece, next(pieces, None), pieces, len(carry))
        parts = split("\n" + carry + piece)
        if len(parts) < 6 or parts[0]:
            raise ParseError("line 1 is not a WhatsApp message header", line=1, path=path)
        it = iter(parts)
        next(it)
        groups = zip(it, it, it, it, it, strict=True)
        cur_header, ds, tstr, cur_sender, cur_text = next(groups)
        cur_line = carry_line
        cur_ts = clock.stamp(ds, tstr)
        if cur_ts is None:
            raise ParseError("line 1 is not a WhatsApp message header", line=1, path=path)
        cur_plain = plain_ok and cur_sender is not None and cur_sender[:1] not in not_plain_start
        cur_flags: list[str] | None = None
        merged = 0
        for head, ds, tstr, sender, body in groups:
            if ds != last_ds:
                day = day_of(ds)
                last_ds = ds
            tod = times.get(tstr)
            if tod is None:
                tod = time_of(tstr)
            if day is None or tod is False or (ts := day + tod) < cur_ts:  # type: ignore[operator]
                line = cur_line + 1 + cur_text.count("\n")
                why = (
                    "an earlier time"
                    if day is not None and tod is not False
                    else "an impossible date"
                )
                if cur_flags is None:
                    cur_flags = []
                    cur_plain = False
                cur_flags.append(
                    f"line {line} looks like a message header but has {why}: kept inside "
                    f"the message of line {cur_line}, not split (check it)"
                )
                cur_text = cur_text + "\n" + head + body
                merged += 1
                continue
            text = cur_text
            if (
                cur_plain
                and text[-1:] not in enders
                and text[:1] not in marks
                and text
                and (len(text) > longest_exact or exact_get(text) is None)
                and " (" not in text
            ):
                # Record(...) without its Python-level __new__: 2.5 times cheaper, same tuple
                yield new_record(
                    Record,
                    (message, cur_ts, True, cur_sender, text, (), None, (), None, cur_line, None,
                     path, None, (), None),
                )  # fmt: skip
            else:
                yield finish(text, cur_sender, cur_ts, cur_line, cur_flags)
            cur_line += 1 + text.count("\n") if "\n" in text else 1
            cur_header = head
            cur_text = body
            cur_ts = ts
            cur_sender = sender
            cur_plain = plain_ok and sender is not None and sender[:1] not in not_plain_start
            cur_flags = None
        started = True
        report.records += (len(parts) - 1) // 5 - 1 - merged
        if nxt is None:
            report.records += 1
            yield finish(
                cur_text[:-1] if cur_text.endswith("\n") else cur_text,
                cur_sender,
                cur_ts,
                cur_line,
                cur_flags,
            )
        else:
            carry = cur_header + cur_text
            carry_line = cur_line
            if len(carry) > max_record:
                raise ParseError("a message larger than the limit", line=carry_line, path=path)
        piece = nxt
    if not started:
        raise ParseError("the file is empty", path=path)


def _not_utf8(data: bytes, offset: int, path: str | None) -> ParseError:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset += exc.start
    return ParseError("not UTF-8 text (WhatsApp exports are UTF-8)", offset=offset, path=path)


_QUOTES = ("\u201c", "\u201d", "\u00ab", "\u00bb")  # never in a sender (see _SENDER)


def _byte_records(
    chat: _Text,
    style: Style,
    clock: _Clock,
    finish: Finish,
    report: Report,
    *,
    path: str | None,
    me: str | None,
    limits: Limits,
) -> Iterator[Iterable[Record]]:
    """:func:`_text_records` over the file's bytes: the same records, message for message, handed
    over in batches (one per block of the file; see :class:`Parse`).

    Each message's text is decoded on its own; its sender once for the whole file (a chat has a
    handful). A run the byte pattern took as a sender but the text pattern would not (over 120
    characters, or holding a quotation mark) goes back into the text, as the text reader leaves
    it. Headers are only ever ASCII digits here: a line typed with other digits is text.

    A block whose times never go backwards (almost every block of almost every file) takes
    :func:`_fast_block`: its records are built column by column in C. Any other block, and every
    block when ``me`` is given, takes :func:`_general_block`, the message-by-message loop that
    merges and flags header look-alikes. Both give the same records (tests compare them, and
    both with the text reader).
    """
    full = style.header_regex_bytes(head=False)
    fast_split = full.split
    narrow = style.narrow_header_regex_bytes() if NARROW_SPLIT else None
    narrow_split = None if narrow is None else narrow.split
    split = style.header_regex_bytes().split
    max_record = limits.max_record_bytes
    senders = _Senders(me is None)
    days, times = _Cache(clock.day), _Cache(clock.time_of)
    state = _BlockState()
    offset = 0  # of the piece in the file
    pieces = iter(chat)
    piece: bytes | None = next(pieces, None)
    started = False
    while piece is not None:
        piece, nxt = _read_on(piece, next(pieces, None), pieces, len(state.carry))
        final = nxt is None
        carried = len(state.carry)
        buf = b"\n" + state.carry + piece  # the pattern finds a header after a line break
        block: Iterable[Record] | None = None
        senders.bound()
        try:
            if me is None and FAST_BLOCKS:
                if narrow_split is not None:
                    block = _fast_block(
                        buf, narrow_split(buf), final, days, times, senders, finish, state, path,
                        full.search,
                    )  # fmt: skip
                    if block is _MISSED:  # a header written otherwise: the full split from now on
                        narrow_split = None
                if narrow_split is None:
                    block = _fast_block(
                        buf, fast_split(buf), final, days, times, senders, finish, state, path
                    )
        except UnicodeDecodeError:
            raise _not_utf8(buf[1:], offset - carried, path) from None
        if block is None:
            parts = split(buf)
            if len(parts) < 6 or parts[0]:
                raise ParseError("line 1 is not a WhatsApp message header", line=1, path=path)
            block = _general_block(
                parts, final, clock, senders, finish, state, path, buf, offset - carried
            )
        yield block
        started = True
        # Counted once the block's records have been taken (as the message-by-message reader did)
        report.records += state.count
        if not final and len(state.carry) > max_record:
            raise ParseError("a message larger than the limit", line=state.carry_line, path=path)
        offset += len(piece)
        piece = nxt
    if not started:
        raise ParseError("the file is empty", path=path)


FAST_BLOCKS = True  # tests turn it off to check both ways give the same records
NARROW_SPLIT = True  # tests turn it off to check the narrow split changes nothing


class _Missed(tuple[Record, ...]):
    """From :func:`_fast_block`: the narrow split missed a header (see there)."""


_MISSED = _Missed()


class _BlockState:
    """What one block leaves for the next: the last message (its header and text, which may go on
    in the next block), the line it starts on, and how many records the block gave."""

    def __init__(self) -> None:
        self.carry = b""
        self.carry_line = 1
        self.count = 0


class _Senders(dict[bytes | None, tuple[str | None, bool, str]]):
    """Raw sender -> (sender, plain, what goes back into the text); ``None``: a line without a
    sender. ``plain``: a record from this sender can be an ordinary message without more work
    (no marks or ``~`` to strip, no direction to work out). ``names`` maps the raw sender to the
    sender alone, and ``odd`` holds the raw senders that are not plain."""

    def __init__(self, plain_ok: bool) -> None:
        super().__init__()
        self.plain_ok = plain_ok
        self.names = _Cache(lambda raw: self[raw][0])
        self.odd: set[bytes | None] = set()
        self._reset()

    def bound(self) -> None:
        """Forgets every sender if there are many (a hostile file of many "senders" stays
        bounded). Only between blocks: within one, ``odd`` must hold every odd sender seen."""
        if len(self) > 10_000:
            self._reset()

    def _reset(self) -> None:
        self.clear()
        self.names.clear()
        self.odd.clear()
        self[None] = (None, False, "")
        self.names[None] = None
        self.odd.add(None)

    def __missing__(self, raw: bytes) -> tuple[str | None, bool, str]:
        name = raw.decode("utf-8")
        if len(name) > SENDER_MAX or any(q in name for q in _QUOTES):
            found: tuple[str | None, bool, str] = (None, False, name + ": ")
        else:
            found = (name, self.plain_ok and name[:1] not in _NOT_PLAIN_START, "")
        self[raw] = found
        if not found[1]:
            self.odd.add(raw)
        return found


_NOT_PLAIN_START = MARKSET | {"~"}


class _Cache(dict[Any, Any]):
    """A dict that computes a missing value (a C-level look-up for ``map``), bounded in size."""

    def __init__(self, compute: Callable[[Any], Any]) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, key: Any) -> Any:
        if len(self) > 200_000:  # bounded, whatever the file holds
            self.clear()
        value = self[key] = self.compute(key)
        return value


_ENDERS = frozenset(">)\r")  # a text ending so may be a marker or an attachment


def _fast_block(
    buf: bytes,
    parts: list[Any],
    final: bool,
    days: _Cache,
    times: _Cache,
    senders: _Senders,
    finish: Finish,
    state: _BlockState,
    path: str | None,
    full_search: Callable[[bytes], Any] | None = None,
) -> Iterable[Record] | None:
    """The block's records, or None if it needs the message-by-message loop (a time that goes
    backwards or cannot be read: a header look-alike to keep inside its message and flag).

    ``full_search`` is given when ``parts`` is the split by the narrow pattern
    (:meth:`Style.narrow_header_regex_bytes`): every header it found, the full pattern finds the
    same, so the split is the full pattern's unless the full pattern finds a header the narrow
    one missed. A missed header is after a line break inside a text (every line break of the
    block is either a header's first character or inside a text, or before the first header):
    so the texts of several lines (and the block's start) are searched with the full pattern,
    and if it finds one, nothing is made and ``_MISSED`` is returned, for the caller to split
    the block with the full pattern.

    ``parts`` is the split of ``buf`` by the header pattern without its whole-header group:
    [before, date, time, sender, text, date, time, sender, text, ...]. Each column (times,
    senders, texts) is made by one C-level pass (``map``), and the records by one more, taken
    by the caller's loop. Python looks again only at the few messages that may not be ordinary
    messages (a marker, an attachment, a system line, an odd sender: decided by the same tests
    and :func:`finish` as in :func:`_general_block`) or that have several lines (for the line
    numbers). The last message of a block that is not the file's last goes on to the next
    block (it may continue there), so a block gives one record fewer than it has headers.
    """
    if len(parts) < 5 or parts[0]:
        # the general loop says what is wrong (after the full split, if this was the narrow one)
        return None if full_search is None else _MISSED
    # days[ds] is midnight of the date (None if impossible), times[t] the time of day (False if
    # impossible): either makes the sum fail.
    try:
        ts = list(
            map(
                add,
                # slices, not islice(): a list slice copies pointers, islice steps an iterator
                map(days.__getitem__, parts[1::4]),
                map(times.__getitem__, parts[2::4]),
            )
        )
    except TypeError:
        return None
    if not all(map(le, ts, ts[1:])):  # a time goes backwards
        return None
    raws = parts[3::4]
    bodies = parts[4::4]
    n = len(bodies) - 1  # records given here; the last message is carried or finished below
    last_raw, last_body = raws[n], bodies[n]
    del bodies[n]
    texts = list(map(bytes.decode, bodies))
    names = list(map(senders.names.__getitem__, raws))
    # The messages to look at again: the same tests as the general loop's, or several lines.
    # No text holds " (" if the block holds no "(" (one memchr: skips a search a message).
    paren = b"(" in buf
    again = [
        i
        for i, text in enumerate(texts)
        if not text
        or text[-1] in _ENDERS
        or text[0] in MARKSET
        or "\n" in text
        or (paren and " (" in text)
        or text in _EXACT
    ]
    # Every text of several lines is in ``again``, and the last one is not in ``texts``. A full
    # pattern's match starts with a line break and its required part (up to the sender) has
    # none, nor a NUL: so it is in the joined texts if and only if it is in one of them.
    if full_search is not None and full_search(
        b"\0".join(chain(map(bodies.__getitem__, again), (last_body,)))
    ):
        return _MISSED
    odd = senders.odd
    if not odd.isdisjoint(islice(raws, n)):  # a system line or a sender with marks or "~"
        again = sorted({*again, *compress(count(), map(odd.__contains__, islice(raws, n)))})
    line = state.carry_line
    kinds: Iterable[Kind] = repeat(Kind.MESSAGE)
    attachments: Iterable[tuple[Attachment, ...]] = repeat(())
    calls: Iterable[Call | None] = repeat(None)
    lines: Iterable[int] = range(line, line + n)
    if again:
        runs = []  # line numbers: a range for each run of messages ending with a multi-line one
        start = 0  # the first message of the current run, on ``line``
        patched = False
        exact_get = _EXACT.get
        for i in again:
            text = texts[i]
            sender, plain, put_back = senders[raws[i]]
            marker = exact_get(text) if plain else None
            if marker is not None and sender[-1] not in MARKSET:  # type: ignore[index]
                # a marker alone ("<Media omitted>", "This message was deleted"): all finish()
                # would change is the kind
                if not patched:
                    kinds, attachments, calls = [Kind.MESSAGE] * n, [()] * n, [None] * n
                    patched = True
                kinds[i] = marker  # type: ignore[index]
            elif not (
                plain
                and text
                and text[-1] not in _ENDERS
                and text[0] not in MARKSET
                and " (" not in text
                and text not in _EXACT
            ):
                if not patched:
                    kinds, attachments, calls = [Kind.MESSAGE] * n, [()] * n, [None] * n
                    patched = True
                rec = finish(put_back + text, sender, ts[i], line + i - start, None)
                # With ``me`` None and no flags, finish() sets only these fields differently
                kinds[i], names[i], texts[i] = rec.kind, rec.sender, rec.text  # type: ignore[index]
                attachments[i], calls[i] = rec.attachments, rec.call  # type: ignore[index]
            breaks = text.count("\n")
            if breaks:
                runs.append(range(line, line + i + 1 - start))
                line += i + 1 - start + breaks
                start = i + 1
        if runs:
            runs.append(range(line, line + n - start))
            lines = chain.from_iterable(runs)
        line += n - start
    else:
        line += n
    # ``line`` is now the last message's line
    if final:
        sender, _plain, put_back = senders[last_raw]
        text = (last_body[:-1] if last_body.endswith(b"\n") else last_body).decode("utf-8")
        tail: Iterable[Record] = (finish(put_back + text, sender, ts[n], line, None),)
        state.carry, state.count = b"", n + 1
    else:
        tail = ()
        # the last header has no line break in it: it starts after the last one before its text
        state.carry = buf[buf.rfind(b"\n", 0, len(buf) - len(last_body)) + 1 :]
        state.count = n
    state.carry_line = line
    # tuple.__new__(Record, row): Record(...) without its Python-level __new__, in C
    records = map(
        tuple.__new__,
        repeat(Record),
        zip(kinds, ts, repeat(True), names, texts, repeat(()), repeat(None), attachments, calls,
            lines, repeat(None), repeat(path), repeat(None), repeat(()), repeat(None)),
    )  # fmt: skip
    return chain(records, tail) if tail else records


def _general_block(
    parts: list[Any],
    final: bool,
    clock: _Clock,
    senders: _Senders,
    finish: Finish,
    state: _BlockState,
    path: str | None,
    buf: bytes,
    data_offset: int,
) -> Iterator[Record]:
    """The block's records message by message: a header whose time goes backwards (or cannot be
    read) is kept inside the message before it, and flagged. ``parts`` is the split of ``buf``
    by the whole header pattern: [before, header, date, time, sender, text, header, ...]."""
    day_of = clock.day
    times = clock.times
    time_of = clock.time_of
    exact = _EXACT
    marks = MARKSET
    message = Kind.MESSAGE
    new_record = tuple.__new__
    assert len(Record._fields) == 15  # the tuples below list every field in order
    enders = _ENDERS
    last_ds: bytes | None = None
    day: datetime | None = None
    it = iter(parts)
    next(it)
    groups = zip(it, it, it, it, it, strict=True)
    cur_header, ds, tstr, cur_raw, cur_body = next(groups)
    cur_line = state.carry_line
    cur_ts = clock.stamp(ds, tstr)
    if cur_ts is None:
        raise ParseError("line 1 is not a WhatsApp message header", line=1, path=path)
    cur_flags: list[str] | None = None
    merged = 0
    try:
        for head, ds, tstr, raw, body in groups:
            if ds != last_ds:
                day = day_of(ds)
                last_ds = ds
            tod = times.get(tstr)
            if tod is None:
                tod = time_of(tstr)
            if day is None or tod is False or (ts := day + tod) < cur_ts:  # type: ignore[operator]
                line = cur_line + 1 + cur_body.count(b"\n")
                why = (
                    "an earlier time"
                    if day is not None and tod is not False
                    else "an impossible date"
                )
                if cur_flags is None:
                    cur_flags = []
                cur_flags.append(
                    f"line {line} looks like a message header but has {why}: kept inside "
                    f"the message of line {cur_line}, not split (check it)"
                )
                cur_body = cur_body + b"\n" + head + body
                merged += 1
                continue
            sender, plain, put_back = senders[cur_raw]
            text = cur_body.decode()
            if put_back:
                text = put_back + text
            if (
                plain
                and cur_flags is None
                and text[-1:] not in enders
                and text[:1] not in marks
                and text
                and text not in exact
                and " (" not in text
            ):
                yield new_record(
                    Record,
                    (message, cur_ts, True, sender, text, (), None, (), None, cur_line, None,
                     path, None, (), None),
                )  # fmt: skip
            else:
                yield finish(text, sender, cur_ts, cur_line, cur_flags)
            cur_line += 1 + text.count("\n") if "\n" in text else 1
            cur_header = head
            cur_body = body
            cur_ts = ts
            cur_raw = raw
            cur_flags = None
        state.count = (len(parts) - 1) // 5 - 1 - merged
        if final:
            state.count += 1
            sender, _plain, put_back = senders[cur_raw]
            text = (
                cur_body[:-1].decode("utf-8")
                if cur_body.endswith(b"\n")
                else cur_body.decode("utf-8")
            )
            yield finish(put_back + text, sender, cur_ts, cur_line, cur_flags)
        else:
            state.carry = cur_header + cur_body
            state.carry_line = cur_line
    except UnicodeDecodeError:
        raise _not_utf8(buf[1:], data_offset, path) from None


def _find_chat(z: SafeZip, member: str | None) -> str:
    names = z.names()
    if member is not None:
        if member not in names:
            raise ParseError(f"the archive has no member {member!r}")
        return member
    txts = [n for n in names if n.lower().endswith(".txt")]
    if len(txts) == 1:
        return txts[0]
    for n in txts:
        if PurePosixPath(n).name == "_chat.txt":
            return n
    chats = [n for n in txts if PurePosixPath(n).name.lower().startswith("whatsapp")]
    if len(chats) == 1:
        return chats[0]
    if not txts:
        raise ParseError("the archive holds no chat text (.txt) file")
    raise ParseError(f"the archive holds several .txt files; name one: {', '.join(txts[:5])}")


def parse_whatsapp(
    source: Source,
    *,
    day_first: bool | None = None,
    me: str | None = None,
    member: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Parse:
    """Parse a WhatsApp export (``.txt``, or the ``.zip`` holding it and its media).

    ``day_first`` overrides the day/month order decided from the file; ``me`` (the exporter's
    name as it appears) sets each record's direction; ``member`` names the chat file in a zip.
    """
    inp = Input(source, limits)

    def run(report: Report) -> Iterator[Iterable[Record]]:
        if not is_zip(inp.head(4)):
            return _records(
                inp.open,
                report,
                path=None,
                day_first=day_first,
                me=me,
                archive_names=None,
                limits=limits,
            )
        return run_zip(report)

    def run_zip(report: Report) -> Iterator[Iterable[Record]]:
        report.format = "whatsapp-zip"
        with inp.open() as raw:
            z = SafeZip(raw, limits)
            try:
                name = _find_chat(z, member)
                info = next(i for i in z.infos if i.filename == name)
                archive = {PurePosixPath(n).name for n in z.names()}
                report.decisions["chat file"] = name
                yield from _records(
                    lambda: z.open(info),
                    report,
                    path=name,
                    day_first=day_first,
                    me=me,
                    archive_names=archive,
                    limits=limits,
                )
            finally:
                z.close()

    return Parse("whatsapp", batches=run, counts_itself=True)
