from django.urls import include, path

app_name = "activities"
urlpatterns = [
    path("", include("apps.activities.urls_activities")),
    path("", include("apps.activities.urls_self_reports")),
]
