from django.urls import path

from harbour.programmes import views

app_name = "programmes"
urlpatterns = [
    path("", views.participants, name="participants"),
    path("participants/new/", views.participant_new, name="participant_new"),
    path("participants/<uuid:public_id>/", views.participant_detail, name="participant_detail"),
    path("participants/<uuid:public_id>/start/", views.participant_start, name="participant_start"),
    path("participants/<uuid:public_id>/risk/", views.risk_review, name="risk_review"),
    path(
        "participants/<uuid:public_id>/tell-referrer/",
        views.referrer_update,
        name="referrer_update",
    ),
    path("participants/<uuid:public_id>/end/", views.participant_end, name="participant_end"),
    path("sessions/<uuid:public_id>/", views.session_record, name="session_record"),
    path("referred-by-police/", views.police_list, name="police_list"),
    path("referred-by-police/<uuid:public_id>/", views.police_detail, name="police_detail"),
    path(
        "cases/<uuid:public_id>/suspect-attendance/",
        views.suspect_attendance,
        name="suspect_attendance",
    ),
]
