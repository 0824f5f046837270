from django.urls import path

from apps.core import views, views_paper, views_search

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views_search.search, name="search"),
    path("search/suggest/", views_search.search_suggest, name="search_suggest"),
    path("p/", views_paper.paper_enter, name="paper_enter"),
    path("p/<str:code>/", views_paper.paper_open, name="paper_open"),
    path("healthz", views.healthz, name="healthz"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path("notifications/read-all/", views.notification_read_all, name="notification_read_all"),
]
