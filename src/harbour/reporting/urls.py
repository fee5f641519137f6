from django.urls import path

from harbour.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<slug:figure>/<slug:fmt>/", views.export, name="export"),
    path("pdf/", views.dashboard_pdf, name="pdf"),
    path("return/", views.quarterly, name="return"),
    path("return/<slug:fmt>/", views.return_export, name="return_export"),
    path("settings/", views.office_settings, name="settings"),
]
