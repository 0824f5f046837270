from django.urls import path

from apps.stations import views

app_name = "stations"
urlpatterns = [
    path("", views.station_list, name="station_list"),
    path("new/", views.station_create, name="station_create"),
    path("deputies/", views.station_deputy_search, name="station_deputy_search"),
    path("<int:pk>/", views.station_detail, name="station_detail"),
    path("<int:pk>/edit/", views.station_edit, name="station_edit"),
    path("<int:pk>/reception-days/new/", views.reception_day_create, name="reception_day_create"),
    path("reception-days/<int:pk>/form.pdf", views.reception_day_form, name="reception_day_form"),
    path("reception-days/<int:pk>/edit/", views.reception_day_edit, name="reception_day_edit"),
    path("reception-days/<int:pk>/delete/", views.reception_day_delete, name="reception_day_delete"),
    path("my-reception-days/", views.my_reception_days, name="my_reception_days"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/export/", views.visit_export, name="visit_export"),
    path("visits/new/", views.visit_create, name="visit_create"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/reveal/", views.visit_reveal, name="visit_reveal"),
    path("visits/<int:pk>/edit/", views.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/follow-up/", views.visit_follow_up, name="visit_follow_up"),
    path("visits/<int:pk>/close/", views.visit_close, name="visit_close"),
    path("visits/<int:pk>/suggestion/", views.visit_suggestion, name="visit_suggestion"),
]
