from django.urls import include, path

app_name = "proposals"
urlpatterns = [
    path("", include("apps.proposals.urls_deputy")),
    path("", include("apps.proposals.urls_office")),
    path("", include("apps.proposals.urls_unit")),
    path("", include("apps.proposals.urls_board")),
    path("", include("apps.proposals.urls_config")),
    path("", include("apps.proposals.urls_published")),
    path("", include("apps.proposals.urls_leaders")),
]
