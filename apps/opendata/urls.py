from django.urls import path

from apps.opendata import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.reply_detail, name="reply_detail"),
    path("statistics/<int:year>/", views.statistics, name="statistics"),
    path("data/", views.data, name="data"),
    path("data/<int:year>.csv", views.year_csv, name="year_csv"),
    path("data/<int:year>.json", views.year_json, name="year_json"),
    path("feed.atom", views.feed, name="feed"),
]
