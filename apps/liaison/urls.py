from django.urls import include, path

from apps.liaison.views.index import index

app_name = "liaison"
urlpatterns = [
    path("", index, name="index"),
    path("", include("apps.liaison.urls_plans")),
    path("", include("apps.liaison.urls_contacts")),
    path("", include("apps.liaison.urls_participation")),
]
