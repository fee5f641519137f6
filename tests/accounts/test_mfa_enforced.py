"""Every staff URL, Django's admin included, refuses a session that has not passed a second factor."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from harbour.accounts.backends import PATH as STAFF_BACKEND
from harbour.accounts.middleware import is_public_path
from tests.accounts.flow import SIGN_IN, submit_password
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db

_SAMPLES = {"int": "1", "uuid": str(uuid.UUID(int=1)), "slug": "x", "str": "x", "path": "x"}
ADMIN_PATHS = [
    "/django-admin/",
    "/django-admin/accounts/user/",
    "/django-admin/accounts/user/1/change/",
    "/django-admin/accounts/organisation/add/",
    "/django-admin/password_change/",
]


def _concrete(route: str) -> str:
    return re.sub(r"<(?:(\w+):)?\w+>", lambda m: _SAMPLES.get(m.group(1) or "str", "x"), route)


def _walk(patterns: list[URLPattern | URLResolver], prefix: str = "/") -> Iterator[str]:
    for entry in patterns:
        if not isinstance(entry.pattern, RoutePattern):
            continue  # regular-expression routes (Django admin internals): see ADMIN_PATHS
        path = prefix + _concrete(str(entry.pattern))
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, path)
        else:
            yield path


def staff_paths() -> list[str]:
    found = {path for path in _walk(get_resolver().url_patterns) if not is_public_path(path)}
    return sorted(found | set(ADMIN_PATHS))


def test_the_walk_finds_the_staff_pages_it_must_protect():
    paths = staff_paths()
    assert {"/home/", "/cases/", "/accounts/security/", "/django-admin/"} <= set(paths)
    assert len(paths) > 10


def _refused(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(SIGN_IN)


def test_a_password_only_sign_in_reaches_no_staff_url(cast):
    client = HttpClient()
    submit_password(client, "alice")  # password right, second factor not yet given
    let_in = [path for path in staff_paths() if not _refused(client.get(path))]
    assert not let_in, f"reachable without a second factor: {let_in}"


def test_a_signed_in_session_without_a_second_factor_is_refused_and_signed_out(cast):
    client = HttpClient()
    client.force_login(cast["mia"], backend=STAFF_BACKEND)
    let_in = [path for path in staff_paths() if not _refused(client.get(path))]
    assert not let_in, f"reachable without a second factor: {let_in}"
    assert "_auth_user_id" not in client.session


def test_posts_to_staff_urls_are_refused_without_a_second_factor(cast):
    client = HttpClient()
    client.force_login(cast["ada"], backend=STAFF_BACKEND)
    for path in ["/accounts/users/new/", f"/accounts/users/{cast['alice'].pk}/disable/"]:
        client.force_login(cast["ada"], backend=STAFF_BACKEND)
        assert _refused(client.post(path, {"username": "x"})), path
    assert cast["alice"].__class__.objects.get(pk=cast["alice"].pk).is_active


def test_a_superuser_without_a_second_factor_cannot_open_the_django_admin(cast):
    root = cast["ada"]
    root.is_superuser = root.is_staff = True
    root.save()
    client = HttpClient()
    client.force_login(root, backend=STAFF_BACKEND)
    for path in ADMIN_PATHS:
        assert _refused(client.get(path)), path
    # The admin's own login page is no way round it: it never sees the password.
    response = HttpClient().post(
        "/django-admin/login/", {"username": "ada", "password": "correct horse battery staple"}
    )
    assert _refused(response)


def test_a_superuser_with_a_second_factor_can_open_the_django_admin(cast):
    root = cast["ada"]
    root.is_superuser = root.is_staff = True
    root.save()
    assert signed_in_client(root).get("/django-admin/").status_code == 200


def test_public_pages_need_no_sign_in():
    client = HttpClient()
    assert client.get("/").status_code == 200
    assert client.get(SIGN_IN).status_code == 200
    assert client.get("/healthz").status_code == 200


def test_a_verified_request_carries_the_person_not_lazy_wrappers(cast, as_user) -> None:
    """After the second-factor check the view sees the User itself (every attribute read through
    the two lazy wrappers cost two proxy calls), verified, with the device that verified them."""
    from django.contrib.auth.models import AnonymousUser
    from django.utils.functional import SimpleLazyObject

    from harbour.accounts.middleware import unwrapped
    from harbour.accounts.models import User

    response = as_user("alice").get("/home/")
    seen = response.wsgi_request.user
    assert type(seen) is User and seen.pk == cast["alice"].pk
    assert seen.is_verified() and seen.otp_device is not None
    # A public page is left as Django and django-otp set it (no sign-in is needed there).
    public = as_user("alice").get("/public/help/").wsgi_request.user
    assert isinstance(public, SimpleLazyObject)
    inner = SimpleLazyObject(lambda: cast["alice"])
    assert unwrapped(SimpleLazyObject(lambda: inner)) is cast["alice"]
    anonymous = AnonymousUser()
    assert unwrapped(anonymous) is anonymous


@pytest.mark.parametrize(
    "device_id",
    [
        "otp_totp.totpdevice/not-a-number",
        "otp_totp.totpdevice/999999",
        "otp_totp.totpdevice/",
        "otp_static.staticdevice/999999",
        "nonsense",
    ],
)
def test_a_session_naming_no_device_of_the_person_is_not_verified(cast, device_id) -> None:
    """The device a session names is read by a query compiled once per connection (an
    authenticator app's) or by django-otp (any other): a missing, malformed or unknown one leaves
    the person unverified, so every staff page sends them to the second-factor step."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client = signed_in_client(cast["alice"])
    assert client.get("/home/").status_code == 200
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device_id
    session.save()
    response = client.get("/home/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


def test_anothers_authenticator_does_not_verify_a_session(cast) -> None:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = signed_in_client(cast["alice"])
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=cast["amir"]).persistent_id
    session.save()
    response = client.get("/home/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
    assert response.wsgi_request.user.is_anonymous or not response.wsgi_request.user.is_verified()
    # Her own authenticator verifies her, and the page is hers
    own = signed_in_client(cast["alice"]).get("/home/")
    assert own.status_code == 200 and own.wsgi_request.user.otp_device.user_id == cast["alice"].pk


def test_a_recovery_code_session_is_verified_by_django_otps_own_read(cast) -> None:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    device = StaticDevice.objects.create(user=cast["alice"], name="backup")
    client = signed_in_client(cast["alice"])
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    seen = client.get("/home/")
    assert seen.status_code == 200 and seen.wsgi_request.user.otp_device == device


def test_an_unconfirmed_authenticator_does_not_verify_a_session(cast) -> None:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    pending = TOTPDevice.objects.create(user=cast["alice"], name="new phone", confirmed=False)
    client = signed_in_client(cast["alice"])
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = pending.persistent_id
    session.save()
    response = client.get("/home/")
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]
