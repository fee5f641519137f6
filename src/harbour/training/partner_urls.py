from django.urls import path

from harbour.training import views

app_name = "partners"
urlpatterns = [
    path("", views.partners, name="list"),
    path("new/", views.partner_new, name="new"),
    path("contact-point/", views.contact_point, name="contact_point"),
    path("<uuid:public_id>/", views.partner_detail, name="detail"),
    path("<uuid:public_id>/contacts/new/", views.partner_contact_add, name="contact_add"),
]
