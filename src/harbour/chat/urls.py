from django.urls import path

from harbour.chat import views

app_name = "chat"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("queue/events/", views.desk_events, name="desk_events"),
    path("availability/", views.availability, name="availability"),
    path("take-next/", views.take_next, name="take_next"),
    path("figures/", views.figures, name="figures"),
    path("transcripts/<uuid:public_id>/", views.transcript, name="transcript"),
    path("<uuid:public_id>/", views.adviser_conversation, name="conversation"),
    path("<uuid:public_id>/events/", views.adviser_events, name="adviser_events"),
    path("<uuid:public_id>/take/", views.take, name="take"),
    path("<uuid:public_id>/ask-consent/", views.ask_consent, name="ask_consent"),
    path("<uuid:public_id>/end/", views.end, name="end"),
    path("<uuid:public_id>/concern/", views.concern, name="concern"),
    path("<uuid:public_id>/referral/", views.make_referral, name="referral"),
]
