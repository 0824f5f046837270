from django.urls import path

from apps.publicity import views

app_name = "publicity"
urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("new/", views.item_create, name="item_create"),
    path("export/", views.item_export, name="item_export"),
    path("<int:pk>/", views.item_detail, name="item_detail"),
    path("<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("<int:pk>/delete/", views.item_delete, name="item_delete"),
    path("<int:pk>/attachment/", views.item_attachment, name="item_attachment"),
]
