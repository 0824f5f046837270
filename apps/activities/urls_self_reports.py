"""Self-reports (履职登记) and the deputy's "my activities", mounted under /activities/."""

from django.urls import path

from apps.activities.views import self_reports as views

urlpatterns = [
    path("my/", views.my_activities, name="my_activities"),
    path("self-reports/", views.self_report_queue, name="self_report_queue"),
    path("self-reports/new/", views.self_report_create, name="self_report_create"),
    path("self-reports/<int:pk>/", views.self_report_detail, name="self_report_detail"),
    path("self-reports/<int:pk>/withdraw/", views.self_report_withdraw, name="self_report_withdraw"),
    path("self-reports/<int:pk>/verify/", views.self_report_verify, name="self_report_verify"),
    path("self-reports/<int:pk>/reject/", views.self_report_reject, name="self_report_reject"),
    path("self-reports/<int:pk>/unverify/", views.self_report_unverify, name="self_report_unverify"),
    path("self-reports/evidence/<int:pk>/", views.self_report_evidence, name="self_report_evidence"),
]
