from django.urls import path

from harbour.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("sources/", views.sources, name="sources"),
    path("sent/", views.sent, name="sent"),
    path("new/police/", views.police_new, name="police_new"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/contact/", views.contact, name="contact"),
    path("<uuid:public_id>/accept/", views.accept, name="accept"),
    path("<uuid:public_id>/decline/", views.decline, name="decline"),
    path("<uuid:public_id>/signpost/", views.signpost, name="signpost"),
    path("<uuid:public_id>/unable-to-contact/", views.unable_to_contact, name="unable_to_contact"),
    path("<uuid:public_id>/reroute/", views.reroute, name="reroute"),
    path("<uuid:public_id>/merge/", views.merge, name="merge"),
]
