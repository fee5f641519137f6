from django.urls import path

from harbour.retention import views

app_name = "retention"

urlpatterns = [
    path("<uuid:public_id>/", views.information_held, name="information_held"),
    path("<uuid:public_id>/export/", views.export, name="export"),
    path("<uuid:public_id>/erase/", views.erase, name="erase"),
]
