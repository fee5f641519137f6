"""Sign-in with enforced second factor, sign-out, step-up, and organisation user management."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from harbour.accounts import devices, mfa, passkeys
from harbour.accounts.access import (
    get_role_request_for_decision,
    get_user_for_admin,
    require_role_reviewer,
    require_user_admin,
)
from harbour.accounts.backends import PATH as STAFF_BACKEND
from harbour.accounts.forms import (
    CodeForm,
    DecisionForm,
    EnrolForm,
    NewUserForm,
    PasswordChangeForm,
    ReauthForm,
    RoleForm,
    SignInForm,
)
from harbour.accounts.lockout import address_is_throttled, lockout_response
from harbour.accounts.middleware import SESSION_SEEN, SESSION_STARTED
from harbour.accounts.models import AccountNotice, LoginSession, RoleRequest, User, end_sessions_for
from harbour.accounts.stepup import mark_reauthenticated, require_step_up
from harbour.audit.log import record
from harbour.audit.verbs import AuditVerb
from harbour.core import policy
from harbour.core.forms import posted
from harbour.core.http import AuthenticatedHttpRequest

PENDING_USER = "harbour_pending_user"
PENDING_AT = "harbour_pending_at"
PENDING_FAILURES = "harbour_pending_failures"
NEXT = "harbour_next"
NEW_CODES = "harbour_new_codes"
NEW_TEMPORARY_PASSWORD = "harbour_new_temporary_password"  # noqa: S105 (a session key)
REAUTH_FAILURES = "harbour_reauth_failures"
PENDING_SECONDS = 5 * 60
MAX_CODE_FAILURES = 5
FAILED_MESSAGE = "The username or password is not right."
EXPIRED_MESSAGE = (
    "This temporary password has expired. Ask your organisation's administrator for a new one."
)


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("core:home")


def _pending_user(request: HttpRequest) -> User | None:
    user_id = request.session.get(PENDING_USER)
    started = request.session.get(PENDING_AT, 0)
    if not user_id or time.time() - started > PENDING_SECONDS:
        return None
    return User.objects.filter(pk=user_id, is_active=True).select_related("organisation").first()


def _clear_pending(request: HttpRequest) -> None:
    for key in (PENDING_USER, PENDING_AT, PENDING_FAILURES):
        request.session.pop(key, None)


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if mfa.is_verified(request.user):
        return redirect("core:home")
    form = SignInForm(posted(request))
    if request.method == "POST":
        known_device = devices.is_known_device_for(request, request.POST.get("username"))
        if devices.has_failed_too_often(request):
            record(actor=None, verb=AuditVerb.AUTH_LOCKED_OUT, request=request)
            return lockout_response(request)
        if address_is_throttled(request) and not known_device:
            record(actor=None, verb=AuditVerb.AUTH_ADDRESS_THROTTLED, request=request)
            return lockout_response(request)
        if form.is_valid():
            user = authenticate(
                request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
            if getattr(request, "axes_locked_out", False):
                record(actor=None, verb=AuditVerb.AUTH_LOCKED_OUT, request=request)
                return lockout_response(request)
            if user is not None and isinstance(user, User) and user.temporary_password_expired:
                # Only someone who knows the temporary password learns that it expired.
                record(actor=user, verb=AuditVerb.AUTH_TEMPORARY_PASSWORD_EXPIRED, request=request)
                form.add_error(None, EXPIRED_MESSAGE)
            elif user is None:
                device = devices.device_id(request)
                record(
                    actor=None,
                    verb=AuditVerb.AUTH_FAILED,
                    request=request,
                    payload={"device": device} if device else None,
                )
                form.add_error(None, FAILED_MESSAGE)
            else:
                assert isinstance(user, User)
                request.session.cycle_key()
                request.session[PENDING_USER] = user.pk
                request.session[PENDING_AT] = time.time()
                request.session[PENDING_FAILURES] = 0
                request.session[NEXT] = _safe_next(request, request.GET.get("next"))
                record(actor=user, verb=AuditVerb.AUTH_PASSWORD_OK, request=request)
                if not mfa.has_second_factor(user):
                    return redirect("accounts:enrol")
                return redirect("accounts:verify")
    return render(
        request,
        "accounts/sign_in.html",
        {"form": form, "expired": request.GET.get("expired") == "1"},
    )


def _complete_sign_in(request: HttpRequest, user: User, device: Any) -> None:
    next_url = request.session.get(NEXT)
    _clear_pending(request)
    login(request, user, backend=STAFF_BACKEND)
    otp_login(request, device)
    now = time.time()
    request.session[SESSION_STARTED] = now
    request.session[SESSION_SEEN] = now
    request.session[NEXT] = next_url
    request.session.save()
    session_key = request.session.session_key
    assert session_key is not None  # save() above gave the session its key
    LoginSession.objects.create(user=user, session_key=LoginSession.stored(session_key))
    record(
        actor=user,
        verb=AuditVerb.AUTH_SIGNED_IN,
        request=request,
        payload={"factor": device.__class__.__name__},
    )
    _show_account_notices(request, user)


def _show_account_notices(request: HttpRequest, user: User) -> None:
    """What someone else changed on this account since the person last signed in, and who."""
    notices = list(user.notices.filter(seen_at__isnull=True).select_related("by"))
    for notice in notices:
        when = timezone.localtime(notice.at).strftime("%-d %B %Y at %H:%M")
        messages.warning(
            request,
            f"Changed on your account on {when} by {notice.by_label}: {notice.change} "
            "If you did not expect this, tell your manager.",
        )
    if notices:
        AccountNotice.objects.filter(pk__in=[n.pk for n in notices]).update(seen_at=timezone.now())


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None:
        _clear_pending(request)
        return redirect(settings.LOGIN_URL_PATH)
    form = CodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        device = mfa.verify_code(user, form.cleaned_data["code"], signing_in=True)
        if device is None:
            failures = request.session.get(PENDING_FAILURES, 0) + 1
            request.session[PENDING_FAILURES] = failures
            record(actor=user, verb=AuditVerb.AUTH_MFA_FAILED, request=request)
            if failures >= MAX_CODE_FAILURES:
                _clear_pending(request)
                messages.error(request, "Too many wrong codes. Sign in again.")
                return redirect(settings.LOGIN_URL_PATH)
            form.add_error("code", "That code is not right, or has been used already.")
        else:
            with transaction.atomic():
                _complete_sign_in(request, user, device)
            response = redirect(_safe_next(request, request.session.pop(NEXT, None)))
            devices.remember(response, user)
            return response
    return render(
        request,
        "accounts/verify.html",
        {
            "form": form,
            "has_passkey": passkeys.has_passkey(user),
            "passkey_only": mfa.totp_refused(user),
        },
    )


@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    user = _pending_user(request)
    if user is None or mfa.has_second_factor(user):
        _clear_pending(request)
        return redirect(settings.LOGIN_URL_PATH)
    device = mfa.pending_totp(user)
    form = EnrolForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = mfa.new_recovery_codes(user)
                record(actor=user, verb=AuditVerb.AUTH_MFA_ENROLLED, obj=user, request=request)
                _complete_sign_in(request, user, device)
            request.session[NEW_CODES] = codes
            response = redirect("accounts:recovery_codes")
            devices.remember(response, user)
            return response
        form.add_error(
            "code", "That code is not right. Check the time on your phone and try again."
        )
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "qr_svg": mfa.provisioning_qr_svg(device, user.username),
            "secret": mfa.base32_secret(device),
        },
    )


@require_GET
def recovery_codes(request: HttpRequest) -> HttpResponse:
    codes = request.session.pop(NEW_CODES, None)
    if not codes:
        return redirect("accounts:security")
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": reverse("core:home")},
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        record(actor=request.user, verb=AuditVerb.AUTH_SIGNED_OUT, request=request)
        LoginSession.objects.filter(
            session_key=LoginSession.stored(request.session.session_key)
        ).delete()
    logout(request)
    response = render(request, "accounts/signed_out.html")
    # Cache and storage go; of the cookies, the session and CSRF ones go and the known-device
    # cookie stays, so a stalker's guesses cannot lock the person out of their own device
    # ("cookies" here would remove it too).
    response["Clear-Site-Data"] = '"cache", "storage"'
    response.delete_cookie(settings.SESSION_COOKIE_NAME)
    response.delete_cookie(settings.CSRF_COOKIE_NAME)
    return response


@require_GET
def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signed_out.html")


@require_http_methods(["GET", "POST"])
def reauthenticate(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = ReauthForm(posted(request))
    if request.method == "POST" and form.is_valid():
        password_ok = user.check_password(form.cleaned_data["password"])
        # Someone who must use a passkey confirms with it (or a recovery code), never an app code.
        code = form.cleaned_data["code"]
        device = mfa.verify_code(user, code, signing_in=True) if password_ok else None
        if device is None:
            record(actor=user, verb=AuditVerb.AUTH_STEP_UP_FAILED, request=request)
            # A session in the wrong hands must not become a way to guess the password.
            failures = request.session.get(REAUTH_FAILURES, 0) + 1
            request.session[REAUTH_FAILURES] = failures
            if failures >= MAX_CODE_FAILURES:
                record(actor=user, verb=AuditVerb.AUTH_STEP_UP_EXHAUSTED, request=request)
                LoginSession.objects.filter(
                    session_key=LoginSession.stored(request.session.session_key)
                ).delete()
                logout(request)
                return redirect(settings.LOGIN_URL_PATH)
            form.add_error(None, "Your password or security code is not right.")
        else:
            request.session.pop(REAUTH_FAILURES, None)
            mark_reauthenticated(request)
            record(actor=user, verb=AuditVerb.AUTH_STEP_UP, request=request)
            return redirect(_safe_next(request, request.GET.get("next")))
    return render(
        request,
        "accounts/reauthenticate.html",
        {
            "form": form,
            "has_passkey": passkeys.has_passkey(user),
            "passkey_only": mfa.totp_refused(user) or mfa.confirmed_totp(user) is None,
            "next_query": request.GET.urlencode(),
        },
    )


@require_GET
def security(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/security.html",
        {
            "totp": mfa.confirmed_totp(user),
            "codes_left": mfa.recovery_codes_left(user),
            "passkey_count": len(passkeys.passkeys_of(user)),
        },
    )


@require_POST
@require_step_up
def regenerate_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    with transaction.atomic():
        codes = mfa.new_recovery_codes(user)
        record(actor=user, verb=AuditVerb.AUTH_RECOVERY_CODES_REPLACED, obj=user, request=request)
    request.session[NEW_CODES] = codes
    return redirect("accounts:recovery_codes")


# Organisation administrators ---------------------------------------------------------------------


@require_GET
@require_user_admin
def user_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    admin = request.user
    assert admin.organisation_id is not None
    users = User.objects.filter(organisation_id=admin.organisation_id).order_by("username")
    return render(request, "accounts/user_list.html", {"users": users})


@require_user_admin
@require_http_methods(["GET", "POST"])
def user_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    admin = request.user
    assert admin.organisation is not None
    form = NewUserForm(posted(request), organisation=admin.organisation)
    if request.method == "POST" and form.is_valid():
        role = form.cleaned_data["role"]
        needs_approval = policy.role_needs_approval(role, admin.organisation)
        with transaction.atomic():
            new = User(
                username=form.cleaned_data["username"],
                full_name=form.cleaned_data["full_name"],
                # A caseworker role takes effect only when a manager approves it.
                role="" if needs_approval else role,
                organisation=admin.organisation,
            )
            temporary = new.set_temporary_password()
            new.full_clean(exclude=["password", "role"])
            new.save()
            record(
                actor=admin,
                verb=AuditVerb.USER_CREATED,
                obj=new,
                request=request,
                payload={"role": new.role},
            )
            if needs_approval:
                _request_role(request, admin, new, role)
        request.session[NEW_TEMPORARY_PASSWORD] = {"user": new.pk, "password": temporary}
        return redirect("accounts:user_detail", user_id=new.pk)
    return render(request, "accounts/user_new.html", {"form": form})


def _request_role(request: HttpRequest, admin: User, target: User, role: str) -> RoleRequest:
    assert admin.organisation_id is not None
    target.role_requests.filter(status=RoleRequest.Status.PENDING).update(
        status=RoleRequest.Status.DECLINED, decided_by=admin, decided_at=timezone.now()
    )
    role_request = RoleRequest.objects.create(
        user=target,
        organisation_id=admin.organisation_id,
        role=role,
        previous_role=target.role,
        requested_by=admin,
    )
    record(
        actor=admin,
        verb=AuditVerb.USER_ROLE_REQUESTED,
        obj=target,
        request=request,
        payload={"role": role, "previous_role": target.role},
    )
    return role_request


@require_GET
def user_detail(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    target = get_user_for_admin(request, user_id)
    shown = request.session.pop(NEW_TEMPORARY_PASSWORD, None)
    temporary = shown["password"] if shown and shown.get("user") == target.pk else None
    return render(
        request,
        "accounts/user_detail.html",
        {
            "target": target,
            "has_mfa": mfa.has_second_factor(target),
            "temporary_password": temporary,
            "can_reissue": target.last_login is None
            and target.pk != request.user.pk
            and not mfa.has_second_factor(target),
            "pending": target.role_requests.filter(status=RoleRequest.Status.PENDING).first(),
        },
    )


@require_POST
def user_new_password(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    """A new temporary password, only for an account nobody has signed in to yet (the first one
    expired or was lost): the same as setting the account up again. A caseworker role it holds goes
    back to waiting for a manager's approval, so the administrator who now knows the password
    cannot use it to open cases."""
    target = get_user_for_admin(request, user_id)
    admin = request.user
    if target.pk == admin.pk or target.last_login is not None or mfa.has_second_factor(target):
        raise Http404
    with transaction.atomic():
        temporary = target.set_temporary_password()
        role = target.role
        target.save(
            update_fields=["password", "must_change_password", "temporary_password_expires_at"]
        )
        assert target.organisation is not None
        if policy.role_needs_approval(role, target.organisation):
            target.role = ""
            target.save(update_fields=["role"])
            _request_role(request, admin, target, role)
        record(
            actor=admin, verb=AuditVerb.USER_TEMPORARY_PASSWORD_ISSUED, obj=target, request=request
        )
    request.session[NEW_TEMPORARY_PASSWORD] = {"user": target.pk, "password": temporary}
    return redirect("accounts:user_detail", user_id=target.pk)


@require_http_methods(["GET", "POST"])
def user_role(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    """Change a colleague's role. A caseworker role is only requested: a manager approves it."""
    target = get_user_for_admin(request, user_id)
    admin = request.user
    assert admin.organisation is not None
    if target.pk == admin.pk:
        raise Http404
    form = RoleForm(posted(request), organisation=admin.organisation)
    if request.method == "POST" and form.is_valid():
        role = form.cleaned_data["role"]
        if role == target.role:
            return redirect("accounts:user_detail", user_id=target.pk)
        with transaction.atomic():
            if policy.role_needs_approval(role, admin.organisation):
                _request_role(request, admin, target, role)
                messages.success(request, "Role change requested. A manager must approve it.")
            else:
                previous = target.role
                target.role = role
                target.save(update_fields=["role"])
                end_sessions_for(target)
                AccountNotice.objects.create(
                    user=target, by=admin, change=f"Your role is now {target.role_label}."
                )
                record(
                    actor=admin,
                    verb=AuditVerb.USER_ROLE_CHANGED,
                    obj=target,
                    request=request,
                    payload={"role": role, "previous_role": previous},
                )
                messages.success(request, "Role changed.")
        return redirect("accounts:user_detail", user_id=target.pk)
    return render(request, "accounts/user_role.html", {"form": form, "target": target})


@require_GET
@require_role_reviewer
def role_requests(request: AuthenticatedHttpRequest) -> HttpResponse:
    reviewer = request.user
    assert reviewer.organisation_id is not None
    pending = (
        RoleRequest.objects.filter(
            organisation_id=reviewer.organisation_id, status=RoleRequest.Status.PENDING
        )
        .select_related("user", "requested_by")
        .order_by("requested_at", "pk")
    )
    return render(
        request,
        "accounts/role_requests.html",
        {"pending": pending, "form": DecisionForm()},
    )


@require_POST
def role_request_decide(request: AuthenticatedHttpRequest, request_id: int) -> HttpResponse:
    role_request = get_role_request_for_decision(request, request_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        role_request.decide(by=request.user, approve=approve)
        messages.success(request, "Approved." if approve else "Declined.")
    return redirect("accounts:role_requests")


@require_http_methods(["GET", "POST"])
def password_change(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = PasswordChangeForm(posted(request), user=user)
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                user.set_password(form.cleaned_data["new_password"])
                user.must_change_password = False
                user.temporary_password_expires_at = None
                user.save(
                    update_fields=[
                        "password",
                        "must_change_password",
                        "temporary_password_expires_at",
                    ]
                )
                # Every other session of this account ends; this one carries on.
                here = LoginSession.stored(request.session.session_key)
                others = user.login_sessions.exclude(session_key=here)

                Session.objects.filter(
                    session_key__in=list(others.values_list("session_key", flat=True))
                ).delete()
                others.delete()
                record(actor=user, verb=AuditVerb.AUTH_PASSWORD_CHANGED, obj=user, request=request)
            update_session_auth_hash(request, user)
            LoginSession.objects.get_or_create(
                user=user, session_key=LoginSession.stored(request.session.session_key)
            )
            messages.success(request, "Your password has been changed.")
            return redirect("accounts:security")
        record(actor=user, verb=AuditVerb.AUTH_PASSWORD_CHANGE_REFUSED, obj=user, request=request)
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "forced": user.must_change_password},
    )


@require_POST
def user_disable(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    target = get_user_for_admin(request, user_id)
    if target.pk == request.user.pk:
        messages.error(request, "You cannot disable your own account.")
    elif target.is_active and request.POST.get("confirm") != "yes":
        return _confirm(
            request,
            target,
            title="Disable this account?",
            what="They will be signed out everywhere at once and cannot sign in until an "
            "administrator enables the account again. Their cases stay as they are.",
            button="Yes, disable the account",
            action=reverse("accounts:user_disable", args=[target.pk]),
        )
    elif target.is_active:
        target.disable(by=request.user)
        messages.success(request, "Account disabled and signed out everywhere.")
    return redirect("accounts:user_detail", user_id=target.pk)


def _confirm(
    request: AuthenticatedHttpRequest,
    target: User,
    *,
    title: str,
    what: str,
    button: str,
    action: str,
) -> HttpResponse:
    """A deliberate second step before an action that locks someone out: nothing changes yet."""
    return render(
        request,
        "accounts/confirm.html",
        {"target": target, "title": title, "what": what, "button": button, "action": action},
    )


@require_POST
def user_enable(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    target = get_user_for_admin(request, user_id)
    if not target.is_active:
        target.enable(by=request.user)
        messages.success(request, "Account enabled.")
    return redirect("accounts:user_detail", user_id=target.pk)


@require_POST
def user_reset_mfa(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    target = get_user_for_admin(request, user_id)
    if target.pk == request.user.pk:
        raise Http404
    if request.POST.get("confirm") != "yes":
        return _confirm(
            request,
            target,
            title="Reset their two-step sign-in?",
            what="Their authenticator, passkeys and recovery codes stop working and they are "
            "signed out. "
            "At their next sign-in they set up two-step sign-in again and choose a new password. "
            "Do this only when you have checked, outside Harbour, that it is really them asking.",
            button="Yes, reset two-step sign-in",
            action=reverse("accounts:user_reset_mfa", args=[target.pk]),
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=target).delete()
        StaticDevice.objects.filter(user=target).delete()
        WebAuthnCredential.objects.filter(user=target).delete()
        end_sessions_for(target)
        # The person proves it is them with the password only they know, sets up a new
        # authenticator, and then chooses a new password.
        target.must_change_password = True
        target.save(update_fields=["must_change_password"])
        AccountNotice.objects.create(
            user=target,
            by=request.user,
            change="Your two-step sign-in was reset, so you set it up again and chose a new password.",
        )
        record(actor=request.user, verb=AuditVerb.USER_MFA_RESET, obj=target, request=request)
    messages.success(
        request,
        "Two-step sign-in reset. They will set it up again, and choose a new password, "
        "when they next sign in.",
    )
    return redirect("accounts:user_detail", user_id=target.pk)
