#!/usr/bin/env python3
"""Harbour's own lint rules: the access and scoping conventions, checked so they stay true.

In the spirit of zulip's ``tools/linter_lib/custom_check.py``: each rule is a pattern, the files it
applies to and the message that says what to do instead. A line that must break a rule is listed in
``ALLOWED`` with the reason; an allowance that no longer matches anything fails the check too, so the
list cannot rot. ``make lint`` runs this script; docs/decisions/0007-custom-lint-rules.md says why.

Usage: ``python tools/custom_check.py [ROOT]`` (exit status 1 and one line per violation on failure).
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

POLICY = "src/harbour/core/policy.py"


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    applies_to: re.Pattern[str]  # matched against the path relative to the repository root
    message: str
    exempt_files: Mapping[str, str] = field(default_factory=dict)  # path -> reason


@dataclass(frozen=True)
class Allowance:
    """One line (or, for the model rule, one class) allowed to break one rule, and why."""

    rule: str
    path: str
    fragment: str  # text the offending line contains (class name for the model rule)
    reason: str


@dataclass(frozen=True, order=True)
class Violation:
    path: str
    line: int
    rule: str
    message: str
    text: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: [{self.rule}] {self.message}\n    {self.text.strip()}"


_PY = r"^src/harbour/(?!.*/migrations/).*\.py$"
_VIEW_OR_FORM = r"^src/harbour/.*/(views|forms)(\.py|/.*\.py)$"
_TEMPLATE = r"^src/harbour/.*templates/.*\.(html|txt)$"

RULES: tuple[Rule, ...] = (
    Rule(
        "unscoped-in-view",
        re.compile(r"\.unscoped\b|\.system\("),
        re.compile(_VIEW_OR_FORM),
        "views and forms read case data through Model.objects.for_user(user) (the app's access "
        "helper); an unscoped query is a decision that belongs in a service, with its reason",
    ),
    Rule(
        "role-comparison",
        re.compile(
            r"\.role\s*(==|!=)|(==|!=)\s*[\w.]*\.role\b"  # user.role == ...
            r"|^(?!\s*for\b).*\brole\s+(not\s+)?in\b"  # role in (...), not a for loop
            r"|\brole(__in)?\s*=\s*\(?\s*Role\."  # .filter(role=Role.X), role__in=(Role.X, ...)
            r"|\bRole\.[A-Z][A-Z_]+\b"  # any role by name
        ),
        re.compile(_PY),
        "who may do what is decided in harbour.core.policy: call (or add) a policy function "
        "instead of comparing roles",
        exempt_files={
            POLICY: "the policy module is where roles are decided",
            "src/harbour/accounts/models.py": "defines the Role vocabulary and which roles each "
            "kind of organisation may hold (data validation, not access)",
        },
    ),
    Rule(
        "role-in-template",
        re.compile(r"\{%-?\s*(if|elif)\b[^%]*(\brole\b|\.role\b)"),
        re.compile(_TEMPLATE),
        "templates ask the policy ({% load policy %}{% if user|may:'...' %}, or a can_* flag from "
        "the view), never compare role names",
    ),
    Rule(
        "post-or-none",
        re.compile(r"request\.POST\s+or\s+None"),
        re.compile(_PY),
        "`request.POST or None` leaves an empty POST unbound (no errors shown): bind with "
        "harbour.core.forms.posted(request)",
    ),
)

MODEL_RULE = "scoped-default-manager"
MODEL_MESSAGE = (
    "a model holding case data (a ForeignKey path to cases.Case, or encrypted personal fields) "
    "needs `objects = ScopedManager()` and a scope registered in harbour.core.policy"
)
_MODELS = re.compile(r"^src/harbour/[^/]+/models(\.py|/.*\.py)$")

ALLOWED: tuple[Allowance, ...] = (
    Allowance(
        "role-comparison",
        "src/harbour/referrals/demo.py",
        'u.role == "',
        "demo data picks a member of its synthetic cast to act as; no access is decided",
    ),
    Allowance(
        "role-comparison",
        "src/harbour/core/management/commands/demo.py",
        'u.role == "',
        "demo data picks a member of its synthetic cast to act as; no access is decided",
    ),
    Allowance(
        "role-comparison",
        "src/harbour/accounts/views.py",
        "if role == target.role:",
        "an administrator asking for the role a person already holds: nothing to change or "
        "approve; who may change roles is decided by the policy before this line",
    ),
    Allowance(
        MODEL_RULE,
        "src/harbour/accounts/models.py",
        "User",
        "staff accounts, not case data: a member of staff's encrypted name is read through the "
        "accounts access helper (an administrator's own organisation), never with case records",
    ),
    Allowance(
        MODEL_RULE,
        "src/harbour/alerts/models.py",
        "AlertSettings",
        "a member of staff's own work e-mail address for alerts, not case data: read only by its "
        "owner (alerts.access) and the task that sends their alerts",
    ),
)


# Line rules ---------------------------------------------------------------------------------------


def _code_lines(text: str) -> Iterable[tuple[int, str]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("#"):
            continue
        yield number, line


def check_lines(path: str, text: str) -> list[Violation]:
    found = []
    for rule in RULES:
        if not rule.applies_to.search(path) or path in rule.exempt_files:
            continue
        for number, line in _code_lines(text):
            if rule.pattern.search(line):
                found.append(Violation(path, number, rule.name, rule.message, line))
    return found


# The model rule -----------------------------------------------------------------------------------


@dataclass
class _ModelClass:
    path: str
    name: str
    line: int
    bases: list[str]
    targets: set[str]  # class names its ForeignKey / OneToOne fields point at
    encrypted: bool
    scoped: bool
    abstract: bool


def _last_name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript):
        return _last_name(node.value)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.rsplit(".", 1)[-1]
    if isinstance(node, ast.Call):
        return _last_name(node.func)
    return ""


def _model_classes(path: str, text: str) -> list[_ModelClass]:
    classes = []
    for node in ast.parse(text, filename=path).body:
        if not isinstance(node, ast.ClassDef):
            continue
        info = _ModelClass(
            path,
            node.name,
            node.lineno,
            [_last_name(b) for b in node.bases],
            set(),
            False,
            False,
            False,
        )
        for stmt in node.body:
            value = stmt.value if isinstance(stmt, ast.Assign | ast.AnnAssign) else None
            targets = (
                stmt.targets
                if isinstance(stmt, ast.Assign)
                else [stmt.target]
                if isinstance(stmt, ast.AnnAssign)
                else []
            )
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            if isinstance(value, ast.Call):
                kind = _last_name(value.func)
                if kind in ("ForeignKey", "OneToOneField") and value.args:
                    info.targets.add(_last_name(value.args[0]))
                elif kind.startswith("Encrypted"):
                    info.encrypted = True
                elif "objects" in names and kind == "ScopedManager":
                    info.scoped = True
            if isinstance(stmt, ast.ClassDef) and stmt.name == "Meta":
                info.abstract = any(
                    isinstance(s, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "abstract" for t in s.targets)
                    and isinstance(s.value, ast.Constant)
                    and s.value.value is True
                    for s in stmt.body
                )
        # add_to_class(..., EncryptedTextField(...)) after the class counts as an encrypted field
        classes.append(info)
    for node in ast.walk(ast.parse(text)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "add_to_class"
            and any(_last_name(a).startswith("Encrypted") for a in node.args)
        ):
            owner = _last_name(node.func.value)
            for info in classes:
                if info.name == owner:
                    info.encrypted = True
    return classes


def check_models(files: Mapping[str, str]) -> list[Violation]:
    """Case data: encrypted fields, or a ForeignKey (or a base class) leading to Case."""
    classes = {
        info.name: info
        for path, text in files.items()
        if _MODELS.search(path)
        for info in _model_classes(path, text)
    }
    leads_to_case = {"Case"}
    changed = True
    while changed:
        changed = False
        for name, info in classes.items():
            if name not in leads_to_case and (info.targets | set(info.bases)) & leads_to_case:
                leads_to_case.add(name)
                changed = True
    case_data = leads_to_case | {name for name, info in classes.items() if info.encrypted}
    return [
        Violation(info.path, info.line, MODEL_RULE, MODEL_MESSAGE, f"class {info.name}")
        for name, info in classes.items()
        if name in case_data and not info.scoped and not info.abstract
    ]


# Why unscoped -------------------------------------------------------------------------------------

UNSCOPED_RULE = "unscoped-without-reason"
UNSCOPED_MESSAGE = (
    "a module that reads case data through `.unscoped` says why in its docstring, in a paragraph "
    "starting 'Why unscoped:' (who already checked access, or why no user is there)"
)
_UNSCOPED_USE = re.compile(r"\.unscoped\b")


def check_unscoped_reasons(path: str, text: str) -> list[Violation]:
    if not re.search(_PY, path) or re.search(_VIEW_OR_FORM, path):
        return []  # views and forms may not use it at all (unscoped-in-view)
    uses = [(n, line) for n, line in _code_lines(text) if _UNSCOPED_USE.search(line)]
    if not uses:
        return []
    docstring = ast.get_docstring(ast.parse(text, filename=path)) or ""
    if "Why unscoped:" in docstring:
        return []
    number, line = uses[0]
    return [Violation(path, number, UNSCOPED_RULE, UNSCOPED_MESSAGE, line)]


# Running ------------------------------------------------------------------------------------------


def _allowed(violation: Violation, used: set[Allowance]) -> bool:
    for allowance in ALLOWED:
        if (
            allowance.rule == violation.rule
            and allowance.path == violation.path
            and allowance.fragment in violation.text
        ):
            used.add(allowance)
            return True
    return False


def check_files(files: Mapping[str, str]) -> list[Violation]:
    """Every violation in ``files`` (relative path -> text) not covered by ``ALLOWED``."""
    found = [v for path, text in files.items() for v in check_lines(path, text)]
    found += check_models(files)
    found += [v for path, text in files.items() for v in check_unscoped_reasons(path, text)]
    used: set[Allowance] = set()
    remaining = sorted(v for v in found if not _allowed(v, used))
    for allowance in ALLOWED:
        if allowance not in used and allowance.path in files:
            remaining.append(
                Violation(
                    allowance.path,
                    0,
                    "stale-allowance",
                    f"nothing breaks {allowance.rule} here any more: remove it from ALLOWED",
                    allowance.fragment,
                )
            )
    return remaining


def repository_files(root: Path) -> dict[str, str]:
    files = {}
    for path in sorted((root / "src").rglob("*")):
        if path.suffix in (".py", ".html", ".txt") and path.is_file():
            files[path.relative_to(root).as_posix()] = path.read_text(encoding="utf-8")
    return files


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent
    violations = check_files(repository_files(root))
    for violation in violations:
        print(violation)
    if violations:
        print(f"\n{len(violations)} custom check failure(s): see tools/custom_check.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
