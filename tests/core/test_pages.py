"""``submitted``: the one way a form page hands a valid submission to a service."""

from __future__ import annotations

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory

from harbour.core.pages import submitted


class NameForm(forms.Form):
    name = forms.CharField()


class Refused(ValueError):
    pass


def request(method: str, data: dict[str, str] | None = None):
    factory = RequestFactory()
    req = factory.post("/", data or {}) if method == "POST" else factory.get("/")
    req.session = SessionStore()
    req._messages = FallbackStorage(req)
    return req


def test_a_get_or_an_invalid_form_shows_the_page_and_runs_nothing():
    calls: list[dict] = []
    for req, data in ((request("GET"), None), (request("POST", {"name": ""}), {"name": ""})):
        form = NameForm(data)
        assert submitted(req, form, calls.append, then="/done/") is None
    assert calls == []


def test_a_valid_form_runs_the_service_once_and_redirects_with_its_message():
    calls: list[dict] = []
    req = request("POST", {"name": "Ann"})

    def act(data):
        calls.append(data)
        return 7

    response = submitted(
        req, NameForm({"name": "Ann"}), act, then=lambda n: f"/thing/{n}/", message="Saved it"
    )
    assert response is not None and response.status_code == 302
    assert response["Location"] == "/thing/7/"
    assert calls == [{"name": "Ann"}]
    assert [str(m) for m in get_messages(req)] == ["Saved it"]


def test_a_refusal_becomes_an_error_on_the_form_and_nothing_is_said():
    req = request("POST", {"name": "Ann"})
    form = NameForm({"name": "Ann"})

    def act(data):
        raise Refused("Not on a Sunday")

    assert submitted(req, form, act, then="/done/", refusals=(Refused,)) is None
    assert form.non_field_errors() == ["Not on a Sunday"]
    assert list(get_messages(req)) == []
