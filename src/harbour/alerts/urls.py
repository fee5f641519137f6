from django.urls import path

from harbour.alerts import views

app_name = "alerts"
urlpatterns = [
    path("", views.alert_settings, name="settings"),
]
