from django.urls import path

from harbour.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("<uuid:public_id>/", views.case_detail, name="detail"),
    path("<uuid:public_id>/access-log/", views.case_access_log, name="access_log"),
]
