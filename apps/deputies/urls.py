from django.urls import path

from apps.deputies import views

app_name = "deputies"
urlpatterns = [
    path("", views.roster_list, name="roster_list"),
    path("new/", views.person_create, name="person_create"),
    path("export/", views.roster_export, name="roster_export"),
    path("import/", views.roster_import, name="roster_import"),
    path("import/template/", views.roster_template, name="roster_template"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/photo/", views.person_photo, name="person_photo"),
    path("<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("<int:pk>/history/", views.person_history, name="person_history"),
    path("<int:pk>/mandates/new/", views.mandate_add, name="mandate_add"),
    path("mandates/<int:pk>/edit/", views.mandate_edit, name="mandate_edit"),
    path("mandates/<int:pk>/end/", views.mandate_end, name="mandate_end"),
]
