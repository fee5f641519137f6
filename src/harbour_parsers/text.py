"""Text helpers: HTML rendered to text (for matching only) and Facebook's mojibake repair."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCK = {
    "br", "p", "div", "tr", "li", "ul", "ol", "table", "blockquote", "pre", "hr",
    "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer",
}  # fmt: skip
_SKIP = {"script", "style", "head", "title"}


class _Renderer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCK:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.append(data)


_TAG = re.compile(r"<[^>]*>")


def html_to_text(html: str) -> str:
    """A plain rendering of an HTML body, for search and matching (never shown as evidence)."""
    renderer = _Renderer()
    try:
        renderer.feed(html)
        renderer.close()
        text = "".join(renderer.out)
    except Exception:  # html.parser is lenient but not guaranteed on hostile markup
        text = _TAG.sub(" ", html)
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def unmojibake(text: str) -> str | None:
    """Undo UTF-8 read as Latin-1 (Facebook's exports): the repaired text, or None if it isn't."""
    if text.isascii():
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None
