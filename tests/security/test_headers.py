"""Browser-facing protections: a strict CSP with nonces, no caching of staff pages, Clear-Site-Data
on sign-out, and nothing identifying in page titles or links."""

from __future__ import annotations

import re

import pytest
from django.test import Client as HttpClient

from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db

IDENTIFYING = [
    "Zebedee",
    "Quillfeather",
    "07700 900123",
    "zq@example.org",
    "Larkspur",
    "NS1 4ZZ",
    "Ottoline",
    "Brackwater",
]


def staff_pages(cast, case_a) -> list[tuple[str, str]]:
    case = f"/cases/{case_a.public_id}/"
    return [
        ("alice", "/home/"),
        ("alice", "/cases/"),
        ("alice", case),
        ("alice", "/accounts/security/"),
        ("mia", f"{case}access-log/"),
        ("ada", "/accounts/users/"),
        ("ada", f"/accounts/users/{cast['alice'].pk}/"),
        ("ada", "/accounts/users/new/"),
        ("pete", "/home/"),
        ("cora", "/home/"),
    ]


@pytest.fixture
def pages(cast, case_a, case_b):
    fetched = []
    for person, path in staff_pages(cast, case_a):
        response = signed_in_client(cast[person]).get(path)
        assert response.status_code == 200, (person, path)
        fetched.append((f"{person} {path}", response))
    for path in ("/", "/accounts/sign-in/"):
        fetched.append((f"anon {path}", HttpClient().get(path)))
    return fetched


def _csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def test_every_page_has_a_strict_content_security_policy(pages):
    for where, response in pages:
        csp = _csp(response)
        assert csp["default-src"] == ["'none'"], where
        assert csp["frame-ancestors"] == ["'none'"], where
        assert csp["object-src"] == ["'none'"], where
        assert csp["base-uri"] == ["'none'"], where
        assert csp["form-action"] == ["'self'"], where
        assert csp["style-src"] == ["'self'"], where
        assert any(source.startswith("'nonce-") for source in csp["script-src"]), where
        header = response["Content-Security-Policy"]
        assert "unsafe-inline" not in header and "unsafe-eval" not in header, where
        assert "*" not in header.replace("'", ""), where


def test_every_inline_script_carries_the_nonce_from_the_header(pages):
    for where, response in pages:
        nonce = next(s for s in _csp(response)["script-src"] if s.startswith("'nonce-"))[7:-1]
        html = response.content.decode()
        inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
        assert inline, where  # base.html has one: the js-enabled class
        for attributes in inline:
            assert f'nonce="{nonce}"' in attributes, where


def test_the_nonce_is_different_on_every_response(cast):
    client = signed_in_client(cast["alice"])
    first = _csp(client.get("/home/"))["script-src"]
    second = _csp(client.get("/home/"))["script-src"]
    assert first != second


def test_pages_have_no_inline_styles_or_event_handlers_the_policy_would_block(pages):
    for where, response in pages:
        html = response.content.decode()
        assert "<style" not in html, where
        assert not re.search(r"\sstyle=", html), where
        assert not re.search(r"\son[a-z]+=", html), where
        assert "javascript:" not in html, where


def test_the_other_security_headers_are_set(pages):
    for where, response in pages:
        assert response["X-Frame-Options"] == "DENY", where
        assert response["X-Content-Type-Options"] == "nosniff", where
        assert response["Referrer-Policy"] in ("same-origin", "no-referrer"), where
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", where
        assert "camera=()" in response["Permissions-Policy"], where
        assert response["X-Robots-Tag"] == "noindex, nofollow", where


def test_staff_pages_are_never_stored_by_the_browser(pages):
    for where, response in pages:
        assert "no-store" in response["Cache-Control"], where
        assert response["Pragma"] == "no-cache", where


def test_error_pages_are_not_stored_either(cast):
    response = signed_in_client(cast["alice"]).get("/cases/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]


def test_signing_out_tells_the_browser_to_clear_everything_but_the_known_device(cast):
    client = signed_in_client(cast["alice"])
    response = client.post("/accounts/sign-out/")
    assert response.status_code == 200
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    for name in ("harbour_session", "csrftoken"):
        assert response.cookies[name]["max-age"] == 0, name
        assert response.cookies[name].value == ""
    assert "harbour_device" not in response.cookies
    assert "no-store" in response["Cache-Control"]


def test_page_titles_never_name_a_person(pages, cast):
    staff_names = [user.full_name for user in cast.values()]
    for where, response in pages:
        titles = re.findall(r"<title>(.*?)</title>", response.content.decode(), re.S)
        assert len(titles) == 1, where
        title = titles[0]
        assert title == "Harbour" or title.endswith(" - Harbour"), (where, title)
        named = [value for value in [*IDENTIFYING, *staff_names] if value in title]
        assert not named, (where, title)


def test_links_never_carry_identifying_data(pages):
    for where, response in pages:
        for href in re.findall(r'(?:href|action)="([^"]*)"', response.content.decode()):
            leaked = [value for value in IDENTIFYING if value.lower() in href.lower()]
            assert not leaked, (where, href)
