from django.contrib import admin
from django.urls import include, path

from apps.accounts.views import language_set

urlpatterns = [
    path("", include("apps.core.urls")),
    path("accounts/", include("apps.accounts.urls")),
    path("deputies/", include("apps.deputies.urls")),
    path("liaison/", include("apps.liaison.urls")),
    path("activities/", include("apps.activities.urls")),
    path("training/", include("apps.training.urls")),
    path("stations/", include("apps.stations.urls")),
    path("proposals/", include("apps.proposals.urls")),
    path("scoring/", include("apps.scoring.urls")),
    path("", include("apps.scoring.urls_me")),
    path("covenant/", include("apps.covenant.urls")),
    path("funds/", include("apps.funds.urls")),
    path("publicity/", include("apps.publicity.urls")),
    path("notices/", include("apps.notices.urls")),
    path("reports/", include("apps.reports.urls")),
    path("materials/", include("apps.materials.urls")),
    path("intake/", include("apps.intake.urls")),
    path("analytics/", include("apps.analytics.urls")),
    path("open/", include("apps.opendata.urls")),  # public: no login (apps.opendata.views)
    path("i18n/setlang/", language_set, name="set_language"),  # kept on the account (apps.accounts.views)
    path("admin/", admin.site.urls),
]

handler403 = "apps.core.views_errors.permission_denied"
handler404 = "apps.core.views_errors.page_not_found"
handler500 = "apps.core.views_errors.server_error"
