"""The API answers every error in its JSON error format: deeply nested JSON is a 400 (not a
server error), an oversized body a 413, a method it does not take a 405 with Allow, an unknown URL a
404, all as JSON."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def assert_json_error(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["error"]
    return body


def test_deeply_nested_json_is_a_400_not_a_server_error(police_api):
    body = "[" * 20_000 + "]" * 20_000
    assert_json_error(police_api.post("/api/v1/referrals", body), 400)


def test_a_deeply_nested_value_inside_an_object_is_a_400(police_api):
    body = '{"given_name": ' + "[" * 20_000 + "]" * 20_000 + "}"
    assert_json_error(police_api.post("/api/v1/referrals", body), 400)


def test_an_oversized_body_is_a_json_413(police_api):
    body = '{"what_is_happening": "' + "x" * (70 * 1024) + '"}'
    assert_json_error(police_api.post("/api/v1/referrals", body), 413)


def test_a_body_bigger_than_django_accepts_is_still_a_json_413(police_api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = '{"what_is_happening": "' + "x" * 4096 + '"}'
    assert_json_error(police_api.post("/api/v1/referrals", body), 413)


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("get", "/api/v1/referrals", "POST"),
        ("put", "/api/v1/referrals", "POST"),
        ("delete", "/api/v1/referrals", "POST"),
        ("post", "/api/v1/openapi.json", "GET, HEAD"),
    ],
)
def test_an_unsupported_method_is_a_json_405_with_allow(police_api, method, path, allow):
    client = police_api.client
    response = getattr(client, method)(path, **police_api.headers)
    assert_json_error(response, 405)
    assert response["Allow"] == allow


def test_an_unknown_api_url_is_a_json_404(police_api):
    assert_json_error(police_api.get("/api/v1/no-such-thing"), 404)
