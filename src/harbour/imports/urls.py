from django.urls import path

from harbour.imports import views

app_name = "imports"
urlpatterns = [
    path("cases/<uuid:public_id>/", views.case_imports, name="case_imports"),
    path("cases/<uuid:public_id>/new/", views.new, name="new"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/progress/", views.progress, name="progress"),
    path("<uuid:public_id>/participants/", views.participants, name="participants"),
    path("<uuid:public_id>/flags/", views.flags, name="flags"),
    path("flags/<uuid:public_id>/decide/", views.decide, name="decide"),
]
