from django.urls import path

from harbour.justice import views

app_name = "justice"
urlpatterns = [
    path("cases/<uuid:public_id>/orders/new/", views.order_new, name="order_new"),
    path("cases/<uuid:public_id>/journeys/new/", views.journey_new, name="journey_new"),
    path("orders/<uuid:public_id>/", views.order_detail, name="order_detail"),
    path("orders/<uuid:public_id>/step/", views.order_step, name="order_step"),
    path("orders/<uuid:public_id>/conditions/new/", views.condition_new, name="condition_new"),
    path(
        "orders/<uuid:public_id>/notifications/new/",
        views.notification_new,
        name="notification_new",
    ),
    path(
        "orders/<uuid:public_id>/notifications/<uuid:notification_id>/notified/",
        views.notified,
        name="notified",
    ),
    path("orders/<uuid:public_id>/breaches/new/", views.breach_new, name="breach_new"),
    path("journeys/<uuid:public_id>/", views.journey_detail, name="journey_detail"),
    path("journeys/<uuid:public_id>/milestones/new/", views.milestone_new, name="milestone_new"),
    path("police/", views.workspace, name="workspace"),
    path("police/spo-pipeline/", views.pipeline, name="pipeline"),
    path("police/under-recording/", views.under_recording, name="under_recording"),
    path("police/cases/<uuid:public_id>/", views.police_case, name="police_case"),
    path("police/journeys/<uuid:public_id>/review/", views.review_request, name="review_request"),
    path("reminders/<uuid:public_id>/read/", views.reminder_read, name="reminder_read"),
    path("suspect-links/", views.links, name="links"),
    path(
        "suspect-links/<uuid:own_id>/<uuid:other_id>/emergency-access/",
        views.disclose,
        name="disclose",
    ),
    path(
        "suspect-links/emergency-access/<uuid:public_id>/",
        views.disclosure_detail,
        name="disclosure_detail",
    ),
    path("suspect-links/reviews/", views.disclosure_reviews, name="disclosure_reviews"),
    path(
        "suspect-links/reviews/<uuid:public_id>/",
        views.disclosure_review,
        name="disclosure_review",
    ),
]
