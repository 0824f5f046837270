from django.urls import include, path

app_name = "scoring"
urlpatterns = [
    path("", include("apps.scoring.urls_rules")),
    path("", include("apps.scoring.urls_record")),
]
