"""``{% url %}`` remembers its answers (harbour.core.templatetags.harbour_url) and gives exactly
Django's: the same address, the same errors, a fresh answer when the URL configuration or the
script prefix changes."""

from __future__ import annotations

import uuid

import pytest
from django.template import engines
from django.template.base import Template
from django.test import override_settings
from django.urls import NoReverseMatch, clear_script_prefix, path, reverse, set_script_prefix

from harbour.core.templatetags.harbour_url import RememberedURLNode, _address


def render(source: str, **context: object) -> str:
    return engines["django"].from_string(source).render(context)


def test_every_url_tag_in_harbours_templates_is_the_remembering_one():
    template: Template = engines["django"].from_string("{% url 'cases:list' %}").template
    assert isinstance(template.nodelist[0], RememberedURLNode)


def test_the_address_is_djangos_and_is_remembered():
    case, action = uuid.uuid4(), uuid.uuid4()
    expected = reverse("cases:action_edit", args=[case, action])
    _address.cache_clear()
    source = "{% url 'cases:action_edit' case action %}"
    assert render(source, case=case, action=action) == expected
    assert render(source, case=case, action=action) == expected
    assert _address.cache_info().hits == 1
    other = uuid.uuid4()
    assert render(source, case=other, action=action) == reverse(
        "cases:action_edit", args=[other, action]
    )


def test_keyword_arguments_and_as_var_work_as_in_django():
    case = uuid.uuid4()
    out = render("{% url 'cases:detail' public_id=case as link %}[{{ link }}]", case=case)
    assert out == f"[{reverse('cases:detail', kwargs={'public_id': case})}]"


def test_an_address_that_does_not_exist_is_an_error_or_empty_with_as():
    with pytest.raises(NoReverseMatch):
        render("{% url 'cases:detail' 'not-a-uuid' %}")
    assert render("{% url 'cases:detail' 'not-a-uuid' as link %}[{{ link }}]") == "[]"


def test_arguments_that_are_not_plain_values_are_not_remembered(rf):
    class Id:
        def __str__(self) -> str:
            return str(uuid.UUID(int=7))

    _address.cache_clear()
    assert render("{% url 'cases:detail' thing %}", thing=Id()) == reverse(
        "cases:detail", args=[uuid.UUID(int=7)]
    )
    assert _address.cache_info().currsize == 0


def test_the_script_prefix_is_part_of_the_answer():
    case = uuid.uuid4()
    plain = render("{% url 'cases:detail' c %}", c=case)
    set_script_prefix("/harbour/")
    try:
        prefixed = render("{% url 'cases:detail' c %}", c=case)
    finally:
        clear_script_prefix()
        set_script_prefix("/")
    assert prefixed == "/harbour" + plain


urlpatterns = [
    path("elsewhere/<uuid:public_id>/", lambda request: None, name="detail"),
    path("q/<str:words>/", lambda request: None, name="words"),
]


def test_a_changed_url_configuration_gives_a_fresh_answer():
    case = uuid.uuid4()
    render("{% url 'cases:list' %}")
    with override_settings(ROOT_URLCONF=__name__):
        assert render("{% url 'detail' c %}", c=case) == f"/elsewhere/{case}/"
        with pytest.raises(NoReverseMatch):
            render("{% url 'cases:list' %}")
    assert render("{% url 'cases:list' %}") == reverse("cases:list")


@override_settings(ROOT_URLCONF=__name__)
def test_an_address_is_escaped_where_the_template_escapes():
    assert render("{% url 'words' w %}", w="a&b") == "/q/a&amp;b/"
    assert (
        render("{% autoescape off %}{% url 'words' w %}{% endautoescape %}", w="a&b") == "/q/a&b/"
    )
