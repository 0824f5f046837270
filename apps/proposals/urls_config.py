"""The reference data staff maintain (handling rules, the working-day calendar, handling units, categories,
congress sessions); included by ``apps/proposals/urls.py`` in the "proposals" namespace."""

from django.urls import path

from apps.proposals.views import config as views

urlpatterns = [
    path("rules/", views.rule_list, name="rule_list"),
    path("rules/new/", views.rule_create, name="rule_create"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/sync/", views.calendar_sync, name="calendar_sync"),  # before <date>: "sync" is no date
    path("calendar/<str:date>/", views.calendar_day_edit, name="calendar_day_edit"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/", views.unit_edit, name="unit_edit"),
    path("categories/", views.category_list, name="category_list"),
    path("categories/new/", views.category_create, name="category_create"),
    path("categories/<int:pk>/", views.category_edit, name="category_edit"),
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_edit, name="session_edit"),
]
