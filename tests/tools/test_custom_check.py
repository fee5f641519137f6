"""tools/custom_check.py: each rule fails a bad snippet and passes a good one; the repository passes."""

from __future__ import annotations

from pathlib import Path

import pytest
from tools.custom_check import check_files

from tools import custom_check

ROOT = Path(__file__).resolve().parents[2]

VIEW = "src/harbour/widgets/views.py"
FORM = "src/harbour/widgets/forms.py"
SERVICE = "src/harbour/widgets/services.py"
TEMPLATE = "src/harbour/templates/widgets/page.html"
MODELS = "src/harbour/widgets/models.py"


def rules_broken(path: str, text: str) -> set[str]:
    return {v.rule for v in check_files({path: text})}


@pytest.mark.parametrize(
    ("path", "bad", "good"),
    [
        (VIEW, "qs = Case.unscoped.all()", "qs = Case.objects.for_user(user)"),
        (VIEW, "qs = Case.unscoped.all()", "qs = Case.objects.for_user(user)"),
        (FORM, 'qs = Case.objects.system("why")', "qs = Case.objects.for_user(user)"),
        (SERVICE, "if user.role == Role.MANAGER:", "if policy.is_provider_manager(user):"),
        (SERVICE, 'if user.role != "advocate":', "if not policy.has_own_caseload(user):"),
        (SERVICE, "if user.role in (Role.ADVOCATE, Role.MANAGER):", "if ok(user):"),
        (SERVICE, "qs = User.objects.filter(role=Role.ADVOCATE)", "qs = policy.advocates_of(org)"),
        (SERVICE, 'if "manager" == user.role:', "if policy.is_provider_manager(user):"),
        (TEMPLATE, '{% elif role == "admin" %}', '{% elif user|may:"manage_users" %}'),
        (TEMPLATE, "{% if user.role == 'manager' %}", "{{ user.role_label }}"),
        (VIEW, "form = F(request.POST or None)", "form = F(posted(request))"),
    ],
)
def test_a_bad_snippet_fails_and_the_good_one_passes(path, bad, good):
    assert rules_broken(path, bad)
    assert not rules_broken(path, good)


def test_unscoped_managers_are_for_services_not_views():
    service = '"""Closing.\n\nWhy unscoped: the row is locked for a case already admitted."""\n'
    assert not rules_broken(SERVICE, service + "qs = Case.unscoped.filter(pk=1)\n")


def test_a_module_reading_unscoped_must_say_why_in_its_docstring():
    bare = '"""Widgets."""\n\nrows = Widget.unscoped.filter(case=case)\n'
    assert rules_broken(SERVICE, bare) == {"unscoped-without-reason"}
    reasoned = (
        '"""Widgets.\n\nWhy unscoped: the caller checked access to the case.\n"""\n\n'
        "rows = Widget.unscoped.filter(case=case)\n"
    )
    assert rules_broken(SERVICE, reasoned) == set()
    assert rules_broken(SERVICE, '"""Widgets."""\n\n# Widget.unscoped is not used\n') == set()
    # Migrations are exempt; views break the stricter rule instead.
    assert rules_broken("src/harbour/widgets/migrations/0002_x.py", bare) == set()
    assert rules_broken(VIEW, bare) == {"unscoped-in-view"}


def test_role_rules_spare_the_policy_module_loops_comments_and_html_roles():
    assert not rules_broken(custom_check.POLICY, "return user.role == Role.MANAGER")
    assert not rules_broken(SERVICE, "for name, org, role in data.USERS:")
    assert not rules_broken(SERVICE, "# never write user.role == Role.MANAGER here")
    assert not rules_broken(TEMPLATE, '<div role="alert">{{ labels.referrer_role }}</div>')


UNSCOPED_MODEL = """
class Widget(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE)
"""

SCOPED_MODEL = """
class Widget(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE)
    objects: ClassVar[ScopedManager[Self]] = ScopedManager()
"""


def test_a_model_pointing_at_a_case_needs_a_scoped_manager():
    assert rules_broken(MODELS, UNSCOPED_MODEL) == {custom_check.MODEL_RULE}
    assert not rules_broken(MODELS, SCOPED_MODEL)


def test_a_model_is_case_data_through_a_chain_of_foreign_keys_or_a_base_class():
    chain = SCOPED_MODEL + (
        "\nclass Part(models.Model):\n    widget = models.ForeignKey(Widget, on_delete=models.CASCADE)\n"
        "\nclass Kind(Widget):\n    colour = models.CharField(max_length=9)\n"
    )
    broken = check_files({MODELS: chain})
    assert sorted(v.text for v in broken) == ["class Kind", "class Part"]


def test_a_model_with_encrypted_fields_needs_a_scoped_manager_unless_abstract():
    bad = "class Note(models.Model):\n    text = EncryptedTextField()\n"
    abstract = bad + "    class Meta:\n        abstract = True\n"
    assert rules_broken(MODELS, bad) == {custom_check.MODEL_RULE}
    assert not rules_broken(MODELS, abstract)


def test_a_model_with_no_case_data_needs_nothing():
    assert not rules_broken(MODELS, "class Setting(models.Model):\n    name = models.CharField()\n")


def test_an_allowance_that_no_longer_matches_fails_so_the_list_stays_honest():
    allowance = custom_check.ALLOWED[0]
    broken = check_files({allowance.path: "nothing to see\n"})
    assert [v.rule for v in broken] == ["stale-allowance"]


def test_every_allowance_states_a_reason():
    assert all(len(a.reason) > 20 for a in custom_check.ALLOWED)


def test_the_repository_passes_its_own_checks():
    violations = check_files(custom_check.repository_files(ROOT))
    assert not violations, "\n".join(map(str, violations))


def test_the_script_exits_non_zero_on_a_violation(tmp_path):
    (tmp_path / "src/harbour/widgets").mkdir(parents=True)
    (tmp_path / VIEW).write_text("form = F(request.POST or None)\n")
    assert custom_check.main(["custom_check", str(tmp_path)]) == 1
    (tmp_path / VIEW).write_text("form = F(posted(request))\n")
    assert custom_check.main(["custom_check", str(tmp_path)]) == 0
