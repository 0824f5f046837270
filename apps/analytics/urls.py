from django.urls import path

from apps.analytics import views

app_name = "analytics"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.section_page, name="section"),
    path("<slug:slug>/records/", views.section_records, name="records"),
    path("<slug:slug>/export/", views.section_export, name="export"),
]
