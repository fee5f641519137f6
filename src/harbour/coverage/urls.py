from django.urls import path

from harbour.coverage import views

app_name = "coverage"
urlpatterns = [
    path("", views.index, name="index"),
    path("remove/", views.remove, name="remove"),
    path("panel/", views.panel, name="panel"),
    path("unrouted/", views.unrouted, name="unrouted"),
]
