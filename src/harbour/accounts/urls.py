from django.urls import path

from harbour.accounts import passkey_views, views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/code/", views.verify, name="verify"),
    path("sign-in/set-up/", views.enrol, name="enrol"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("signed-out/", views.signed_out, name="signed_out"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("reauthenticate/", views.reauthenticate, name="reauthenticate"),
    path("security/", views.security, name="security"),
    path("security/recovery-codes/", views.regenerate_codes, name="regenerate_codes"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_new, name="user_new"),
    path("users/<int:user_id>/", views.user_detail, name="user_detail"),
    path("users/<int:user_id>/disable/", views.user_disable, name="user_disable"),
    path("users/<int:user_id>/enable/", views.user_enable, name="user_enable"),
    path("users/<int:user_id>/reset-mfa/", views.user_reset_mfa, name="user_reset_mfa"),
    path("users/<int:user_id>/role/", views.user_role, name="user_role"),
    path(
        "users/<int:user_id>/temporary-password/",
        views.user_new_password,
        name="user_new_password",
    ),
    path("approvals/", views.role_requests, name="role_requests"),
    path("approvals/<int:request_id>/", views.role_request_decide, name="role_request_decide"),
    path("security/password/", views.password_change, name="password_change"),
    path("passkeys/", passkey_views.passkey_list, name="passkeys"),
    path("passkeys/register/begin/", passkey_views.register_begin, name="passkey_register_begin"),
    path(
        "passkeys/register/complete/",
        passkey_views.register_complete,
        name="passkey_register_complete",
    ),
    path("passkeys/<int:passkey_id>/remove/", passkey_views.passkey_remove, name="passkey_remove"),
    path(
        "authenticator/remove/",
        passkey_views.authenticator_remove,
        name="authenticator_remove",
    ),
    path(
        "reauthenticate/passkey/begin/", passkey_views.step_up_begin, name="passkey_step_up_begin"
    ),
    path(
        "reauthenticate/passkey/complete/",
        passkey_views.step_up_complete,
        name="passkey_step_up_complete",
    ),
    path("sign-in/passkey/begin/", passkey_views.sign_in_begin, name="passkey_sign_in_begin"),
    path(
        "sign-in/passkey/complete/",
        passkey_views.sign_in_complete,
        name="passkey_sign_in_complete",
    ),
]
