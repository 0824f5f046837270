from django.urls import path

from apps.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.batch_list, name="batch_list"),
    path("start/", views.batch_start, name="batch_start"),
    path("<int:pk>/", views.batch_detail, name="batch_detail"),
    path("<int:pk>/progress/", views.batch_progress, name="batch_progress"),
    path("<int:pk>/restart/", views.batch_restart, name="batch_restart"),
    path("<int:pk>/download/", views.batch_download, name="batch_download"),
    path("<int:pk>/files/<int:file_pk>/", views.file_download, name="file_download"),
]
