from django.urls import path

from harbour.api import views

app_name = "api"
urlpatterns = [
    path("referrals", views.referrals, name="referrals"),
    path("referrals/<uuid:public_id>", views.referral_status, name="referral_status"),
    path("openapi.json", views.openapi, name="openapi"),
]
