"""Flag rules: data files, every flag with the words and rule that raised it, hard negatives."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from harbour.imports.flagging import RULES_DIR, Conversation, RuleError, RuleSet

RULES = RuleSet.load()


def flags_of(text: str) -> set[str]:
    return {hit.flag for hit in RULES.classify(text)}


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("I will kill you", "threat_to_kill"),
        ("You're dead when I find you", "threat_to_kill"),
        ("I'll smash your face in", "threat_to_harm"),
        ("You'll pay for this", "threat_to_harm"),
        ("If you leave me I'll kill myself", "self_harm_pressure"),
        ("I can't live without you", "self_harm_pressure"),
        ("Send me pics of you in the shower", "sexual"),
        ("I saw you at the gym", "monitoring"),
        ("Nice dress today", "monitoring"),
        ("I know where you live", "monitoring"),
        ("Tell your mum to ring me", "third_party"),
        ("I spoke to your boss about you", "third_party"),
        ("Please just talk to me", "pleading"),
        ("You're my everything", "pleading"),
        ("Meet me outside tonight", "demand_to_meet"),
        ("Open the door", "demand_to_meet"),
    ],
)
def test_each_flag_is_raised_by_its_words(text: str, flag: str) -> None:
    assert flag in flags_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "I could kill for a coffee",
        "My feet are killing me",
        "You killed it at work today",
        "You're dead to me",
        "I'll beat you at pool on Friday",
        "I saw your message",
        "I saw you on TV last night",
        "I can see your point",
        "Did you book the sexual health clinic?",
        "Say hi to your mum from me",
        "Come over for dinner on Sunday",
        "I could have killed myself laughing",
    ],
)
def test_hard_negatives_raise_nothing(text: str) -> None:
    assert flags_of(text) == set()


def test_every_flag_shows_the_words_and_the_rule_that_raised_it() -> None:
    (hit,) = RULES.classify("Honestly, I’ll KILL you")
    assert (hit.flag, hit.rule, hit.words) == ("threat_to_kill", "kill-you", "i'll kill you")
    assert hit.explanation(RULES.flags) == (
        "Threat to kill: says they will kill someone (rule kill-you, matched “i'll kill you”)"
    )


def test_contact_after_being_told_to_stop_names_when_and_is_raised_once_a_day() -> None:
    talk = Conversation(RULES)
    day = datetime.date(2026, 3, 1)
    assert talk.suspect("Morning", day) == []
    talk.client("Please leave me alone", "line 4, 1 Mar 2026 09:00")
    (first,) = talk.suspect("Why?", day)
    assert first.flag == "contact_after_stop" and first.words == "leave me alone"
    assert "line 4, 1 Mar 2026 09:00" in first.why
    assert talk.suspect("Answer me", day) == []
    assert [h.flag for h in talk.suspect("Hello?", day + datetime.timedelta(days=1))] == [
        "contact_after_stop"
    ]


def test_a_service_can_add_rules_in_its_own_file(tmp_path: Path) -> None:
    (tmp_path / "local.toml").write_text(
        'language = "en"\n[[rules]]\nflag = "monitoring"\nid = "local-doorbell"\n'
        "why = \"mentions the video doorbell\"\nmatch = '''\\bdoorbell\\b'''\n",
        encoding="utf-8",
    )
    rules = RuleSet.load([RULES_DIR / "en.toml", tmp_path / "local.toml"])
    (hit,) = rules.classify("I watched your doorbell camera")
    assert (hit.flag, hit.rule) == ("monitoring", "local-doorbell")


def test_a_rule_file_for_another_language_has_the_same_shape(tmp_path: Path) -> None:
    (tmp_path / "cy.toml").write_text(
        'language = "cy"\n[flags.threat_to_kill]\nlabel = "Bygythiad i ladd"\n'
        '[[rules]]\nflag = "threat_to_kill"\nid = "lladd"\nwhy = "bygwth lladd"\n'
        "match = '''\\bladd (?:ti|chi)\\b'''\n",
        encoding="utf-8",
    )
    rules = RuleSet.load([RULES_DIR / "en.toml", tmp_path / "cy.toml"])
    assert rules.languages == ["en", "cy"]
    assert {h.flag for h in rules.classify("mi wna i ladd ti")} == {"threat_to_kill"}


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ('[[rules]]\nflag = "x"\nid = "a"\nmatch = "a"\n', "says no `language`"),
        ('language = "en"\n[[rules]]\nflag = "nope"\nid = "a"\nmatch = "a"\n', "is not defined"),
        (
            'language = "en"\n[flags.x]\nlabel = "X"\n[[rules]]\nflag = "x"\nid = "a"\nmatch = "("\n',
            "bad pattern",
        ),
        (
            'language = "en"\n[flags.x]\nlabel = "X"\n[[rules]]\nflag = "x"\nid = "a"\n',
            "needs a `match`",
        ),
    ],
)
def test_a_malformed_rule_file_is_refused_naming_the_problem(
    tmp_path: Path, content: str, problem: str
) -> None:
    (tmp_path / "bad.toml").write_text(content, encoding="utf-8")
    with pytest.raises(RuleError, match=problem):
        RuleSet.load([tmp_path / "bad.toml"])
