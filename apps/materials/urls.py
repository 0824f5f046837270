from django.urls import path

from apps.materials import views

app_name = "materials"

urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("export/", views.document_export, name="document_export"),
    path("new/", views.document_create, name="document_create"),
    path("<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("<int:pk>/delete/", views.document_delete, name="document_delete"),
    path("<int:pk>/download/", views.document_download, name="document_download"),
    path("packs/new/", views.pack_create, name="pack_create"),
]
