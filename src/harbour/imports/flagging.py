"""Explainable flags on a suspect's messages: rules as data files, every flag with its reason.

Pure Python (no Django): ``RuleSet.load(paths)`` reads rule files (TOML: ``rules/en.toml`` and any a
service adds), ``RuleSet.classify(text)`` says which flags a message raises and why, and
``Conversation`` adds the one rule that needs context: contact after the client asked for none.
A flag is a prompt for a person, never a conclusion (docs/evidence-import.md).
"""

from __future__ import annotations

import datetime
import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

RULES_DIR = Path(__file__).parent / "rules"
CONTACT_AFTER_STOP = "contact_after_stop"
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})
_MARKS = dict.fromkeys(
    map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")
)


class RuleError(ValueError):
    """A rule file is malformed; the message names the file and the rule."""


def normalise(text: str) -> str:
    """The copy rules are matched against: NFKC, case folded, straight apostrophes, one space."""
    if text.isascii():  # most messages: nothing to normalise but case, backticks and spaces
        return " ".join(text.lower().replace("`", "'").split())
    text = unicodedata.normalize("NFKC", text).translate(_MARKS).translate(_APOSTROPHES)
    return " ".join(text.casefold().split())


@dataclass(frozen=True, slots=True)
class Flag:
    key: str
    label: str
    prompt: str


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    flag: str
    why: str
    pattern: re.Pattern[str]
    unless: tuple[re.Pattern[str], ...]
    source: str


@dataclass(frozen=True, slots=True)
class Hit:
    """One flag raised on one message: which rule, the words that matched, and why."""

    flag: str
    rule: str
    words: str
    why: str
    start: int = 0
    end: int = 0

    def explanation(self, flags: dict[str, Flag]) -> str:
        label = flags[self.flag].label if self.flag in flags else self.flag
        return f"{label}: {self.why} (rule {self.rule}, matched “{self.words}”)"


@dataclass
class RuleSet:
    flags: dict[str, Flag] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    stops: list[Rule] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    _any: re.Pattern[str] | None = None

    @classmethod
    def load(cls, paths: Iterable[Path] | None = None) -> RuleSet:
        """Rule files in order; later files add flags, rules and stop phrases to earlier ones."""
        ruleset = cls()
        for path in paths if paths is not None else sorted(RULES_DIR.glob("*.toml")):
            ruleset.add_file(Path(path))
        ruleset.flags.setdefault(
            CONTACT_AFTER_STOP,
            Flag(CONTACT_AFTER_STOP, "Contact after being told to stop", "Check the context."),
        )
        ruleset._compile_any()
        return ruleset

    def add_file(self, path: Path) -> None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise RuleError(f"{path.name}: cannot read the rule file ({exc})") from exc
        language = data.get("language")
        if not isinstance(language, str) or not language:
            raise RuleError(f"{path.name}: says no `language`")
        self.languages.append(language)
        for key, spec in (data.get("flags") or {}).items():
            if not isinstance(spec, dict) or not spec.get("label"):
                raise RuleError(f"{path.name}: flag {key!r} needs a label")
            self.flags[key] = Flag(key, str(spec["label"]), str(spec.get("prompt", "")))
        for kind, target in (("rules", self.rules), ("stop", self.stops)):
            for spec in data.get(kind) or []:
                target.append(self._rule(path, spec, stop=kind == "stop"))

    def _rule(self, path: Path, spec: dict[str, object], *, stop: bool) -> Rule:
        rule_id = str(spec.get("id") or "")
        flag = CONTACT_AFTER_STOP if stop else str(spec.get("flag") or "")
        where = f"{path.name}: rule {rule_id or '(no id)'}"
        if not rule_id:
            raise RuleError(f"{where}: needs an id")
        if not stop and flag not in self.flags:
            raise RuleError(f"{where}: flag {flag!r} is not defined in this file or an earlier one")
        try:
            pattern = re.compile(str(spec["match"]))
            unless = tuple(re.compile(str(p)) for p in spec.get("unless") or [])  # type: ignore[attr-defined]
        except KeyError:
            raise RuleError(f"{where}: needs a `match` pattern") from None
        except re.error as exc:
            raise RuleError(f"{where}: bad pattern ({exc})") from exc
        return Rule(rule_id, flag, str(spec.get("why") or ""), pattern, unless, path.name)

    def _compile_any(self) -> None:
        """One pattern that any rule's match implies: most messages are ruled out in one search."""
        self._any = re.compile("|".join(f"(?:{r.pattern.pattern})" for r in self.rules) or "(?!)")

    def classify(self, text: str, *, normalised: bool = False) -> list[Hit]:
        """The flags ``text`` raises (one hit per flag: the first rule that matches)."""
        norm = text if normalised else normalise(text)
        if self._any is None or not self._any.search(norm):
            return []
        hits: dict[str, Hit] = {}
        for rule in self.rules:
            if rule.flag in hits:
                continue
            match = rule.pattern.search(norm)
            if match is None or any(u.search(norm) for u in rule.unless):
                continue
            hits[rule.flag] = Hit(
                rule.flag, rule.id, match.group(0), rule.why, match.start(), match.end()
            )
        return list(hits.values())

    def stop_request(self, text: str, *, normalised: bool = False) -> Hit | None:
        norm = text if normalised else normalise(text)
        for rule in self.stops:
            match = rule.pattern.search(norm)
            if match is not None and not any(u.search(norm) for u in rule.unless):
                return Hit(CONTACT_AFTER_STOP, rule.id, match.group(0), rule.why)
        return None


@dataclass
class Conversation:
    """Flags a whole conversation in order, remembering when the client asked for no contact.

    After a stop request, the suspect's first message, and their first message on each later day,
    is flagged "contact after being told to stop", naming when and with which words the client
    asked (one flag a day keeps a long campaign from burying the other flags).
    """

    ruleset: RuleSet
    stopped_at: str | None = None  # where the client asked (e.g. "line 120, 3 Mar 2024 21:04")
    stop_words: str = ""
    _last_flagged_day: datetime.date | None = None

    def client(self, text: str, where: str | Callable[[], str]) -> Hit | None:
        """A message from the client; ``where`` (or a function giving it) names it in the file."""
        hit = self.ruleset.stop_request(text)
        if hit is not None:
            self.stopped_at = where if isinstance(where, str) else where()
            self.stop_words = hit.words
            self._last_flagged_day = None
        return hit

    def suspect(self, text: str, day: datetime.date | None) -> list[Hit]:
        norm = normalise(text)
        hits = self.ruleset.classify(norm, normalised=True)
        if self.stopped_at is not None and day != self._last_flagged_day:
            self._last_flagged_day = day
            hits.append(
                Hit(
                    CONTACT_AFTER_STOP,
                    "after-stop",
                    self.stop_words,
                    f"the client asked for no contact ({self.stopped_at})",
                )
            )
        return hits


_default: RuleSet | None = None


def default_ruleset(extra_dir: str | None = None) -> RuleSet:
    """Harbour's files, then any ``*.toml`` in ``extra_dir`` (a service's own rules)."""
    global _default
    if extra_dir:
        return RuleSet.load(
            [*sorted(RULES_DIR.glob("*.toml")), *sorted(Path(extra_dir).glob("*.toml"))]
        )
    if _default is None:
        _default = RuleSet.load()
    return _default
