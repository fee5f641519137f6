"""Templates ask the policy through the `may` filter; an unknown question fails loudly."""

from __future__ import annotations

import pytest
from django.template import Context, Template, TemplateSyntaxError

pytestmark = pytest.mark.django_db


def render(text: str, user) -> str:
    return Template("{% load policy %}" + text).render(Context({"user": user}))


def test_the_filter_answers_with_the_policy_for_each_person(cast):
    page = '{% if user|may:"manage_users" %}users{% endif %}'
    assert render(page, cast["ada"]) == "users"
    assert render(page, cast["mia"]) == ""


def test_an_unknown_question_is_an_error_not_a_hidden_section(cast):
    with pytest.raises(TemplateSyntaxError, match="no question"):
        render('{% if user|may:"be_root" %}x{% endif %}', cast["ada"])
