from django.urls import path

from harbour.evidence import views

app_name = "evidence"
urlpatterns = [
    path("cases/<uuid:public_id>/diary/", views.diary, name="diary"),
    path("cases/<uuid:public_id>/diary/new/", views.incident_new, name="incident_new"),
    path("cases/<uuid:public_id>/diary/quick/", views.incident_quick, name="incident_quick"),
    path("cases/<uuid:public_id>/pattern/", views.pattern, name="pattern"),
    path("cases/<uuid:public_id>/files/", views.files, name="files"),
    path("cases/<uuid:public_id>/files/upload/", views.upload, name="upload"),
    path("cases/<uuid:public_id>/bundles/", views.bundles, name="bundles"),
    path("cases/<uuid:public_id>/bundles/produce/", views.bundle_produce, name="bundle_produce"),
    path("cases/<uuid:public_id>/police-consent/", views.consent, name="consent"),
    path("incidents/<uuid:public_id>/", views.incident_detail, name="incident_detail"),
    path("incidents/<uuid:public_id>/correct/", views.incident_correct, name="incident_correct"),
    path("files/<uuid:public_id>/", views.item, name="item"),
    path("files/<uuid:public_id>/download/", views.item_download, name="item_download"),
    path("files/<uuid:public_id>/preview/", views.item_preview, name="item_preview"),
    path("bundles/", views.shared_bundles, name="shared_bundles"),
    path("bundles/check/", views.verify, name="verify"),
    path("bundles/<uuid:public_id>/", views.bundle_detail, name="bundle_detail"),
    path("bundles/<uuid:public_id>/download/", views.bundle_download, name="bundle_download"),
    path("bundles/<uuid:public_id>/share/", views.bundle_share, name="bundle_share"),
]
