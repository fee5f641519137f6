from django.urls import path

from harbour.risk import views

app_name = "risk"
urlpatterns = [
    path("instruments/", views.instrument_list, name="instrument_list"),
    path("cases/<uuid:public_id>/assessments/new/", views.assessment_new, name="assessment_new"),
    path("assessments/<uuid:public_id>/", views.assessment_detail, name="assessment_detail"),
    path("cases/<uuid:public_id>/level/", views.level_decide, name="level_decide"),
    path("cases/<uuid:public_id>/marac/new/", views.marac_new, name="marac_new"),
    path("marac/<uuid:public_id>/", views.marac_edit, name="marac_edit"),
]
