from django.urls import path

from harbour.public import views

app_name = "public"
urlpatterns = [
    path("", views.start, name="start"),
    path("help/", views.index, name="index"),
    path("leave/", views.leave, name="leave"),
    path("self-referral/", views.self_referral, name="self_referral"),
    path("is-this-stalking/", views.self_check, name="self_check"),
    path("family-and-friends/", views.family, name="family"),
    path("professional-referral/", views.professional, name="professional"),
    path("sent/", views.sent, name="sent"),
    path("sent/no-local-service/", views.sent_no_local_service, name="sent_no_local_service"),
    path(
        "sent/call-the-helpline/",
        views.sent_no_local_service,
        {"triaged": False},
        name="sent_helpline",
    ),
]
