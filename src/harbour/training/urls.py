from django.urls import path

from harbour.training import views

app_name = "training"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("figures/", views.figures, name="figures"),
    path("requests/<uuid:public_id>/", views.request_detail, name="request_detail"),
    path("requests/<uuid:public_id>/schedule/", views.request_schedule, name="request_schedule"),
    path("requests/<uuid:public_id>/cancel/", views.request_cancel, name="request_cancel"),
    path("sessions/new/", views.session_new, name="session_new"),
    path("sessions/<uuid:public_id>/", views.session_detail, name="session_detail"),
    path(
        "sessions/<uuid:public_id>/organisations/",
        views.session_organisation_add,
        name="session_organisation_add",
    ),
    path("sessions/<uuid:public_id>/attendees/new/", views.attendee_add, name="attendee_add"),
    path("sessions/<uuid:public_id>/delivered/", views.session_deliver, name="session_deliver"),
    path("sessions/<uuid:public_id>/cancel/", views.session_cancel, name="session_cancel"),
    path("attendees/<uuid:public_id>/certificate/", views.certificate, name="certificate"),
]
