from django.urls import path

from harbour.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("emergency-access/", views.break_glass, name="break_glass"),
    path("emergency-access/reviews/", views.break_glass_reviews, name="break_glass_reviews"),
    path(
        "emergency-access/reviews/<uuid:grant_id>/",
        views.break_glass_review,
        name="break_glass_review",
    ),
    path("<uuid:public_id>/", views.case_detail, name="detail"),
    path("<uuid:public_id>/access-log/", views.case_access_log, name="access_log"),
    path("<uuid:public_id>/details/", views.case_edit, name="edit"),
    path("<uuid:public_id>/client/", views.client_edit, name="client_edit"),
    path("<uuid:public_id>/allocate/", views.case_allocate, name="allocate"),
    path("<uuid:public_id>/safe-contact/confirm/", views.contact_confirm, name="contact_confirm"),
    path(
        "<uuid:public_id>/safe-contact/<slug:channel>/",
        views.contact_preference,
        name="contact_preference",
    ),
    path("<uuid:public_id>/contacts/", views.contact_log, name="contact_log"),
    path("<uuid:public_id>/contacts/new/", views.contact_new, name="contact_new"),
    path("<uuid:public_id>/suspects/new/", views.suspect_new, name="suspect_new"),
    path("<uuid:public_id>/suspects/<uuid:record_id>/", views.suspect_edit, name="suspect_edit"),
    path("<uuid:public_id>/needs/", views.needs_edit, name="needs"),
    path("<uuid:public_id>/actions/new/", views.action_new, name="action_new"),
    path("<uuid:public_id>/actions/<uuid:record_id>/", views.action_edit, name="action_edit"),
    path("<uuid:public_id>/actions/<uuid:record_id>/done/", views.action_done, name="action_done"),
    path("<uuid:public_id>/safety-plan/", views.safety_plan, name="safety_plan"),
    path(
        "<uuid:public_id>/safety-plan/history/",
        views.safety_plan_history,
        name="safety_plan_history",
    ),
    path(
        "<uuid:public_id>/safety-plan/history/<int:number>/",
        views.safety_plan_version,
        name="safety_plan_version",
    ),
    path(
        "<uuid:public_id>/onward-referrals/new/",
        views.onward_referral_new,
        name="onward_referral_new",
    ),
    path(
        "<uuid:public_id>/onward-referrals/<uuid:record_id>/",
        views.onward_referral_edit,
        name="onward_referral_edit",
    ),
    path("<uuid:public_id>/outcomes/entry/", views.entry_measures, name="entry_measures"),
    path("<uuid:public_id>/close/", views.case_close, name="close"),
    path("<uuid:public_id>/close/sign-off/", views.case_sign_off, name="sign_off"),
    path("<uuid:public_id>/reopen/", views.case_reopen, name="reopen"),
]
