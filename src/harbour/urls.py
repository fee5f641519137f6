from django.contrib import admin
from django.urls import include, path

from harbour.core.admin_site import protect_admin

protect_admin(admin.site)

urlpatterns = [
    path("", include("harbour.core.urls")),
    path("accounts/", include("harbour.accounts.urls")),
    path("cases/", include("harbour.cases.urls")),
    path("risk/", include("harbour.risk.urls")),
    path("evidence/", include("harbour.evidence.urls")),
    path("imports/", include("harbour.imports.urls")),
    path("justice/", include("harbour.justice.urls")),
    path("referrals/", include("harbour.referrals.urls")),
    path("training/", include("harbour.training.urls")),
    path("partners/", include("harbour.training.partner_urls")),
    path("programmes/", include("harbour.programmes.urls")),
    path("public/training/", include("harbour.training.public_urls")),
    path("public/chat/", include("harbour.chat.public_urls")),
    path("coverage/", include("harbour.coverage.urls")),
    path("public/", include("harbour.public.urls")),
    path("chat/", include("harbour.chat.urls")),
    path("reporting/", include("harbour.reporting.urls")),
    path("information-held/", include("harbour.retention.urls")),
    path("api/v1/", include("harbour.api.urls")),
    path("alerts/", include("harbour.alerts.urls")),
    path("", include("harbour.operations.urls")),
    path("django-admin/", admin.site.urls),
]

handler400 = "harbour.core.views.error_400"
handler403 = "harbour.core.views.error_403"
handler404 = "harbour.core.views.error_404"
handler500 = "harbour.core.views.error_500"
