"""Public training pages, under /public/ (no account; "Exit this page" on each)."""

from django.urls import path

from harbour.training import public_views

app_name = "training_public"
urlpatterns = [
    path("request/", public_views.request_training, name="request"),
    path("request/sent/", public_views.sent, name="sent"),
    path("feedback/<str:token>/", public_views.feedback, name="feedback"),
    path("feedback/<str:token>/certificate/", public_views.certificate, name="certificate"),
]
