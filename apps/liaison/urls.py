from django.urls import include, path

app_name = "liaison"
urlpatterns = [
    path("", include("apps.liaison.urls_plans")),
    path("", include("apps.liaison.urls_contacts")),
    path("", include("apps.liaison.urls_participation")),
]
