"""The visitor's pages, under /public/chat/ (no account; the chat is in the session, not the URL)."""

from django.urls import path

from harbour.chat import views

app_name = "live_chat"
urlpatterns = [
    path("", views.services_index, name="index"),
    path("<slug:slug>/", views.start, name="start"),
    path("<slug:slug>/conversation/", views.conversation, name="conversation"),
    path("<slug:slug>/conversation/events/", views.visitor_events, name="visitor_events"),
    path("<slug:slug>/conversation/agree/", views.visitor_agree, name="agree"),
    path("<slug:slug>/conversation/end/", views.visitor_end, name="end"),
    path("<slug:slug>/ended/", views.ended, name="ended"),
]
